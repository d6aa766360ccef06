"""The built website: every page type and URL, raw downloads, escaping, pagination, navigation, atomic builds.

Most tests read the demonstration site built once per session (``built_site``); the others build small
generated registers of their own. Expected values are worked out by hand or from the source files."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO_ROOT, copy_register

from site_builder.errors import InvalidRegisterError
from site_builder.load import parse_yaml
from site_builder.render import format_date, format_money, format_number, safe_link

RECORD_FOLDERS = ("awards", "tenders", "organisations", "outcomes", "measures")


def html_of(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def source_records(root: Path) -> list[tuple[str, str, Path]]:
    """(folder, id, path) of every record file, straight from the file system."""
    return [(p.parent.name, p.stem, p) for folder in RECORD_FOLDERS for p in sorted((root / "records" / folder).glob("*.yaml"))]


# --- filters ----------------------------------------------------------------------------------------------------

def test_money_is_written_the_way_people_write_it():
    assert format_money({"amount": 1234567, "currency": "GBP"}) == "£1,234,567"
    assert format_money({"amount": 1234.5, "currency": "GBP"}) == "£1,234.50"
    assert format_money({"amount": 980, "currency": "EUR"}) == "€980"
    assert format_money({"amount": 1000, "currency": "CHF"}) == "1,000 CHF"
    assert format_number(2.50) == "2.5"


def test_dates_are_readable():
    assert format_date("2025-03-14") == "14 March 2025"
    assert format_date("2024-02-29") == "29 February 2024"
    assert format_date("not a date") == "not a date"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
                                 " javascript:alert(1)", "java\tscript:alert(1)", "vbscript:x", "//evil.example"])
def test_unsafe_links_render_as_text(url):
    out = str(safe_link(url, "click"))
    assert "<a" not in out
    assert out == "click"


def test_safe_links_are_links_with_escaped_text():
    out = str(safe_link("https://example.org/?a=1&b=2", "<b>Report</b>"))
    assert out == '<a href="https://example.org/?a=1&amp;b=2" rel="noopener">&lt;b&gt;Report&lt;/b&gt;</a>'
    assert str(safe_link("mailto:info@example.org")) == '<a href="mailto:info@example.org" rel="noopener">mailto:info@example.org</a>'


# --- the demonstration site -------------------------------------------------------------------------------------

def test_every_record_has_its_page_and_raw_files(built_site):
    records = source_records(REPO_ROOT)
    assert len(records) > 100  # the demonstration register is not empty
    for folder, record_id, path in records:
        page = built_site / folder / record_id / "index.html"
        assert page.is_file(), f"no page for {folder}/{record_id}"
        raw = built_site / "data" / "records" / folder / f"{record_id}.yaml"
        assert raw.read_bytes() == path.read_bytes(), f"raw YAML of {record_id} differs from the source"
        as_json = json.loads((built_site / "data" / "records" / folder / f"{record_id}.json").read_text())
        assert as_json["id"] == record_id


def test_record_pages_show_the_record_and_its_links(built_site):
    _folder, record_id, path = next(r for r in source_records(REPO_ROOT) if r[0] == "awards")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    page = html_of(built_site, f"awards/{record_id}/")
    assert f"<h1>{data['title']}" in page.replace("&amp;", "&") or data["title"] in page
    # related records are linked (relative URLs to their stable paths)
    assert f'href="../../organisations/{data["buyer"]}/"' in page
    for supplier in data["suppliers"]:
        assert f'href="../../organisations/{supplier}/"' in page
    assert f'href="../../data/records/awards/{record_id}.yaml"' in page
    assert f'href="../../data/records/awards/{record_id}.json"' in page
    # edit and history links come from repo_url + edit_uri in mkdocs.yml
    assert f'https://github.com/greenbridge-council/procurement-register/edit/main/records/awards/{record_id}.yaml' in page
    assert f'https://github.com/greenbridge-council/procurement-register/commits/main/records/awards/{record_id}.yaml' in page


def test_every_record_page_carries_search_body_filters_and_both_sort_keys(built_site):
    for folder, record_id, _ in source_records(REPO_ROOT):
        page = html_of(built_site, f"{folder}/{record_id}/")
        assert page.count("data-pagefind-body") == 1, f"{folder}/{record_id}"
        assert re.search(r'data-pagefind-sort="date:\d{4}-\d\d-\d\d"', page), f"{folder}/{record_id} has no date"
        assert re.search(r'data-pagefind-sort="value:\d+"', page), f"{folder}/{record_id} has no value"
        assert '<span data-pagefind-filter="type">' in page


def test_award_filters_name_its_buyer_and_suppliers(built_site, demo_registry):
    award = next(iter(demo_registry.awards.values()))
    page = html_of(built_site, award.url)
    buyer = demo_registry.organisations[award.get("buyer")].title
    assert f'<span data-pagefind-filter="buyer">{_esc(buyer)}</span>' in page
    for sid in award.get("suppliers"):
        assert f'<span data-pagefind-filter="supplier">{_esc(demo_registry.organisations[sid].title)}</span>' in page
    assert f'<span data-pagefind-filter="year">{award.get("date")[:4]}</span>' in page


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")


@pytest.mark.parametrize("url,heading", [
    ("", "Greenbridge Procurement Register"), ("awards/", "Awards"), ("tenders/", "Tenders"),
    ("organisations/", "Organisations"), ("measures/", "Social-value measures"), ("outcomes/", "Outcome reports"),
    ("search/", "Search the register"),
])
def test_site_pages_exist(built_site, url, heading):
    page = html_of(built_site, url)
    assert f"<h1>{heading}</h1>" in page


def test_section_index_lists_records_newest_first(built_site, demo_registry):
    page = html_of(built_site, "awards/")
    listed = re.findall(r'<th scope="row"><a href="\.\./awards/([^/]+)/">', page)
    expected = sorted(demo_registry.awards.values(), key=lambda a: (a.get("date"), a.id), reverse=True)
    # newest first; ties keep id order, so compare dates only
    assert [demo_registry.awards[i].get("date") for i in listed] == [a.get("date") for a in expected][:100]
    assert len(listed) == min(100, len(expected))


def test_navigation_holds_sections_and_docs_but_no_record_page(built_site, demo_registry):
    award = next(iter(demo_registry.awards.values()))
    for url in ("", award.url, "awards/"):
        page = html_of(built_site, url)
        nav = page[page.index('md-nav--primary'):page.index('</nav>', page.index('md-nav--primary'))]
        assert "Awards" in nav and "Search" in nav
        for folder in RECORD_FOLDERS:
            assert not re.search(rf'href="[./]*{folder}/[^"/]+/"', nav), f"{url}: a record page is in the nav"


def test_record_pages_are_small(built_site):
    sizes = [(p.stat().st_size, p) for folder in RECORD_FOLDERS for p in (built_site / folder).glob("*/index.html")]
    biggest, path = max(sizes)
    assert biggest <= 60_000, f"{path} is {biggest} bytes"


def test_every_page_has_a_skip_link_a_main_landmark_and_the_accessibility_statement_link(built_site, demo_registry):
    award = next(iter(demo_registry.awards.values()))
    for url in ("", "awards/", "search/", award.url):
        page = html_of(built_site, url)
        assert 'class="md-skip"' in page
        assert "<main" in page
        assert re.search(r'<a href="[./]*accessibility/">Accessibility statement</a>', page), url


def test_no_inline_scripts_or_handlers_on_record_and_section_pages(built_site, demo_registry):
    """Our templates use script files only; Material's own inline bootstrap is counted separately."""
    award = next(iter(demo_registry.awards.values()))
    for url in (award.url, "awards/", "search/"):
        page = html_of(built_site, url)
        body = page[page.index('id="main-content"'):page.index("</article>")]
        assert "<script>" not in body and not re.search(r"\son[a-z]+=", body), url


def test_search_bundles_exist_per_record_type(built_site):
    bundles = json.loads((built_site / "pagefind" / "bundles.json").read_text())
    assert bundles["Award"] == ["pagefind/awards/"]
    for paths in bundles.values():
        for path in paths:
            assert (built_site / path / "pagefind.js").is_file()
            assert list((built_site / path).glob("pagefind.en_*.pf_meta"))


# --- generated registers ----------------------------------------------------------------------------------------

HOSTILE_TITLE = '<script>alert("t")</script> Grounds & "parks" <b>'
HOSTILE_TEXT = '<img src=x onerror=alert(1)> {{ 7*7 }} [x](javascript:alert(1)) &amp; **bold**'


@pytest.fixture(scope="session")
def synthetic_site(synthetic_register, tmp_path_factory):
    """The synthetic register with one award's title and description made hostile, built once (without search:
    these tests read the pages; the search index has its own tests) and shared by the tests below."""
    from site_builder.build import build_site

    root = copy_register(synthetic_register, tmp_path_factory.mktemp("hostile") / "register")
    award_path = sorted((root / "records" / "awards").glob("*.yaml"))[0]
    data, _ = parse_yaml(award_path.read_bytes())  # the register's own reading (dates stay text)
    data["title"], data["description"] = HOSTILE_TITLE, HOSTILE_TEXT
    award_path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = build_site(root, root / "site", search=False)
    return root, result.site_dir, data["id"]


def test_record_text_is_escaped(synthetic_site):
    _root, site, award_id = synthetic_site
    page = html_of(site, f"awards/{award_id}/")
    assert '<script>alert("t")</script>' not in page
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; Grounds &amp; &#34;parks&#34; &lt;b&gt;" in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; {{ 7*7 }} [x](javascript:alert(1)) &amp;amp; **bold**" in page
    # the title also reaches <title> and the section index escaped
    assert "<title>&lt;script&gt;" in page
    assert "&lt;script&gt;alert(&#34;t&#34;)" in html_of(site, "awards/") or "&lt;script&gt;alert(&#34;t&#34;)" in "".join(
        html_of(site, f"awards/page/{n}/") for n in range(2, 4) if (site / f"awards/page/{n}").exists())


def test_section_indexes_are_paginated_100_rows_a_page(synthetic_site):
    root, site, _ = synthetic_site
    awards = len(list((root / "records" / "awards").glob("*.yaml")))
    assert awards > 100
    pages = -(-awards // 100)
    rows = 0
    for n in range(1, pages + 1):
        page = html_of(site, "awards/" if n == 1 else f"awards/page/{n}/")
        found = len(re.findall(r'<th scope="row"><a href="[./]*awards/[^/]+/">', page))
        assert found == (100 if n < pages else awards - 100 * (pages - 1))
        rows += found
        if n < pages:
            assert 'rel="next"' in page
    assert rows == awards
    assert not (site / f"awards/page/{pages + 1}").exists()


def test_builds_are_deterministic(synthetic_site, tmp_path):
    from site_builder.build import build_site

    root, first, _ = synthetic_site
    second = build_site(root, tmp_path / "two", search=False).site_dir

    def digest(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    one, two = digest(first), digest(second)
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []


def test_invalid_register_stops_the_build_and_leaves_the_old_site(synthetic_site, tmp_path):
    from site_builder.build import build_site

    built_root, built_site, _ = synthetic_site
    root = copy_register(built_root, tmp_path / "register")
    site = root / "site"
    shutil.copytree(built_site, site)  # the site a build of this register published
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    award_path = sorted((root / "records" / "awards").glob("*.yaml"))[0]
    text = award_path.read_text(encoding="utf-8")
    award_path.write_text(re.sub(r"^buyer: .*$", "buyer: no-such-organisation", text, count=1, flags=re.M),
                          encoding="utf-8")
    with pytest.raises(InvalidRegisterError) as caught:
        build_site(root, root / "site", search=False)
    assert any(p.path == f"records/awards/{award_path.name}" for p in caught.value.problems)
    after = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []  # no staging left behind

    # the command line says which file and line, exits 1 and shows no traceback
    run = subprocess.run([sys.executable, "-m", "site_builder", "build", "--root", str(root)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert f"records/awards/{award_path.name}:" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
