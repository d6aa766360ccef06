"""Issue 16: the Contracts Finder starter register in examples/ passes the same Content-Security-Policy checks as the
demo: no inline script on any page (its mkdocs.yml sets no palette, which made Material add one), and no policy
violation in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_trust_output import _open, _Tags

from site_builder.build import build_site

REPO = Path(__file__).resolve().parents[1]
# the site's own script files: relative, or from the site root (the starter register sets no site_url)
SAME_SITE = re.compile(r"^(?:/|(?:\.\./)*(?:\./)?)(?:assets|search|pagefind)/[^:]+\.js$")


@pytest.fixture(scope="module")
def starter_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("starter") / "register"
    shutil.copytree(REPO / "examples" / "contracts-finder", root)
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copytree(REPO / "tests" / "cases" / "valid" / "minimal-register" / "records", root / "records")
    return build_site(root, root.parent / "site").site_dir


def test_no_page_of_the_starter_register_has_an_inline_script(starter_site: Path) -> None:
    pages = sorted(starter_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parsed = _Tags()
        parsed.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(starter_site).as_posix()
        assert parsed.inline_scripts == [], f"{where}: inline script {parsed.inline_scripts[0][:80]}"
        for tag, attributes in parsed.tags:
            if tag == "script":
                assert SAME_SITE.match(attributes.get("src", "")) or attributes == {
                    "id": "__config", "type": "application/json"}, f"{where}: <script {attributes}>"


@pytest.mark.browser
def test_the_starter_register_runs_under_its_policy_in_chromium(browser, starter_site: Path) -> None:
    from conftest import serve_folder

    with serve_folder(starter_site) as url:
        context, tab = _open(browser, url)
        try:
            for path in ["", "awards/", "awards/AW-2025-001/", "organisations/green-spaces-ltd/", "search/"]:
                tab.problems.clear()
                tab.goto(url + path)
                tab.wait_for_load_state("networkidle")
                assert tab.evaluate("window.__csp || []") == [], f"/{path}: policy violation"
                assert tab.problems == [], f"/{path}: {tab.problems}"
            # the palette script ran from its file: Material's palette globals are in place
            assert tab.evaluate("typeof __md_get") == "function"
        finally:
            context.close()
