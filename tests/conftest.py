"""Shared fixtures. The demonstration register's site is built ONCE per test session (``built_site``) and shared
by every test that reads the site; ``demo_registry`` is the same register as a model."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def private_validation_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own validation cache folder (never the user's own ~/.cache/procure)."""
    home = tmp_path_factory.mktemp("procure-cache")
    monkeypatch.setenv("PROCURE_CACHE_DIR", str(home))
    return home


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory):
    """The BuildResult of building the demonstration register (records/) into a temporary folder."""
    from site_builder.build import build_site

    out = tmp_path_factory.mktemp("demo-site") / "site"
    return build_site(REPO_ROOT, out)


@pytest.fixture(scope="session")
def built_site(demo_build) -> Path:
    """The built demonstration site's folder (HTML pages, /data/ downloads and the Pagefind bundles)."""
    return demo_build.site_dir


def load_model(root: Path):  # -> site_builder.model.Registry
    """Validate the register under ``root`` (no cache) and build its model; the register must be valid."""
    from site_builder.config import load_config
    from site_builder.model import build_model
    from site_builder.validate import validate_register

    config = load_config(root)
    result = validate_register(config, keep_data=True, use_cache=False)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return build_model(result.files, config)


@pytest.fixture(scope="session")
def demo_registry():
    """The demonstration register as a Registry (validated, with its derived figures)."""
    return load_model(REPO_ROOT)


def copy_register(source: Path, target: Path) -> Path:
    """A private copy of a register (mkdocs.yml, records/, schemas/, docs/) that a test may change."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("records", "schemas", "docs"):
        if (source / name).exists():
            shutil.copytree(source / name, target / name)
    shutil.copy(source / "mkdocs.yml", target / "mkdocs.yml")
    return target


@pytest.fixture(scope="session")
def synthetic_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated register of about 600 records (more than 100 awards, so indexes have several pages)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("synthetic") / "register"
    subprocess.run([sys.executable, str(REPO_ROOT / "tests" / "benchmarks" / "generate.py"), str(out),
                    "--records", "600", "--seed", "7"], check=True, capture_output=True, env={**os.environ})
    return out


# --- the browser (shared by every browser test: one Chromium per session) ------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("no browser: /usr/bin/chromium is missing (install Debian's chromium package to run these)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A built site served over HTTP on 127.0.0.1 (Pagefind needs http://, not file://); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built demonstration site served over HTTP on 127.0.0.1."""
    with serve_folder(built_site) as url:
        yield url


@pytest.fixture()
def page(browser, site_url):
    """A fresh tab that records console errors, page errors and any request leaving our server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("console", lambda m: tab.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: tab.problems.append(f"page error: {e}"))
    # nothing may leave the machine: any request that is not to our server is recorded as a problem
    tab.on("request", lambda r: tab.problems.append(f"third-party request: {r.url}")
           if not r.url.startswith(site_url) and not r.url.startswith(("data:", "blob:")) else None)
    yield tab
    context.close()
