"""The build depends on the layout of Pagefind's own files (search_stable.py rewrites them), so it runs only with a
Pagefind whose files it knows, and says so clearly instead of writing a wrong index (issue 10)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, copy_register

from site_builder import search
from site_builder.build import SITE_MARKER, build_site
from site_builder.errors import BuildError
from site_builder.search_stable import (
    SUPPORTED_PAGEFIND_VERSIONS,
    UnsupportedPagefind,
    check_pagefind_version,
    pagefind_version_of,
    stabilise_bundle,
)


def test_the_installed_pagefind_is_the_pinned_one() -> None:
    # the lock file and pyproject.toml pin Pagefind exactly; a drift between them and the code shows here
    printed = subprocess.run([sys.executable, "-m", "pagefind", "--version"], capture_output=True, text=True,
                             check=True).stdout
    assert pagefind_version_of(printed) in SUPPORTED_PAGEFIND_VERSIONS
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"pagefind[bin]=={SUPPORTED_PAGEFIND_VERSIONS[-1]}"' in pyproject


@pytest.mark.parametrize(("printed", "version"), [("pagefind 1.5.2\n", "1.5.2"), ("pagefind 2.0.0", "2.0.0"),
                                                  ("error: no such option", ""), ("", "")])
def test_the_version_is_read_from_what_pagefind_prints(printed: str, version: str) -> None:
    assert pagefind_version_of(printed) == version


@pytest.mark.parametrize("version", ["1.5.3", "1.6.0", "2.0.0", "1.4.0", ""])
def test_an_unknown_version_is_refused_with_what_to_do(version: str) -> None:
    with pytest.raises(UnsupportedPagefind) as caught:
        check_pagefind_version(version)
    assert "make install" in str(caught.value)
    assert "docs/maintenance.md" in str(caught.value)


def test_files_written_by_another_pagefind_are_not_rewritten(tmp_path: Path) -> None:
    bundle = tmp_path / "awards"
    bundle.mkdir()
    entry = {"version": "1.6.0", "languages": {"en": {"hash": "en_0123456789abcde", "wasm": "en", "page_count": 1}}}
    (bundle / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")
    with pytest.raises(UnsupportedPagefind, match=r"Pagefind 1\.6\.0 is installed"):
        stabilise_bundle(bundle)
    assert json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")) == entry  # left as it was


def test_a_build_with_an_unknown_pagefind_fails_and_keeps_the_published_site(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = copy_register(REPO_ROOT, tmp_path / "register")
    shutil.rmtree(root / "records")
    shutil.copytree(REPO_ROOT / "tests" / "cases" / "valid" / "minimal-register" / "records", root / "records")
    published = root / "site"
    published.mkdir()
    (published / "index.html").write_text("the published site", encoding="utf-8")
    (published / SITE_MARKER).write_text("made by an earlier build\n", encoding="utf-8")
    fake = tmp_path / "fake_pagefind.py"
    fake.write_text("print('pagefind 1.9.0')\n", encoding="utf-8")
    monkeypatch.setattr(search, "pagefind_command", lambda: [sys.executable, str(fake)])
    with pytest.raises(BuildError, match=r"Pagefind 1\.9\.0 is installed, but the build only knows"):
        build_site(root, "site")
    assert sorted(p.name for p in published.iterdir()) == sorted([SITE_MARKER, "index.html"])
    assert (published / "index.html").read_text(encoding="utf-8") == "the published site"
