"""`procure serve`, `mkdocs serve` and plain `mkdocs build` work on a register, through the procure plugin.

Each server runs as a real subprocess bound to 127.0.0.1 on a free port, on a copy of the small export fixture
register (14 records, a couple of seconds to build); the tests wait (bounded) until it answers, fetch pages over
HTTP and stop it. Expected titles are read off the fixture's YAML by hand.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO_ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "export_register"
SITE_NAME = "Testshire Register"  # site_name in the fixture's mkdocs.yml
AWARD_TITLE = "Grounds maintenance: north area"  # records/awards/AW-2025-001.yaml
STARTUP_SECONDS = 60


def make_register(root: Path) -> Path:
    """The fixture register as a stand-alone folder: its own schemas, a docs/ folder and the Material theme."""
    shutil.copytree(FIXTURE / "records", root / "records")
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Testshire Register\n\nA tiny register for the serve tests.\n", "utf-8")
    text = (FIXTURE / "mkdocs.yml").read_text("utf-8").replace("schemas_dir: ../../../schemas", "schemas_dir: schemas")
    (root / "mkdocs.yml").write_text(text + "theme:\n  name: material\n  font: false\n", "utf-8")
    return root


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    return match.group(1).strip() if match else ""


@contextlib.contextmanager
def running(command: list[str], cwd: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process in its own process group; stop it (and anything it started) on the way out."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)  # the group this test created for this server only
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=15)


def wait_until(check: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path, what: str,
               seconds: float = STARTUP_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server stopped (exit {proc.returncode}) before {what}:\n{log.read_text('utf-8', 'replace')}")
        with contextlib.suppress(OSError):
            if check():
                return
        time.sleep(0.5)
    pytest.fail(f"not {what} within {seconds:.0f} s:\n{log.read_text('utf-8', 'replace')}")


def answers(url: str) -> Callable[[], bool]:
    return lambda: fetch(url, timeout=3)[0] == 200


def check_site(base: str) -> None:
    status, home = fetch(base)
    assert status == 200 and title_of(home) == SITE_NAME
    status, page = fetch(base + "awards/AW-2025-001/")
    assert status == 200
    assert title_of(page) == f"{AWARD_TITLE} - {SITE_NAME}"
    assert "<h1" in page and AWARD_TITLE in page
    status, raw = fetch(base + "data/records/awards/AW-2025-001.yaml")
    assert status == 200
    assert raw.encode("utf-8") == (FIXTURE / "records" / "awards" / "AW-2025-001.yaml").read_bytes()
    assert fetch(base + "pagefind/awards/pagefind.js")[0] == 200  # the search index is built while serving too
    assert fetch(base + "awards/AW-9999-999/")[0] == 404


SERVERS = {
    "procure serve": lambda root, addr: [sys.executable, "-m", "site_builder", "serve", "--root", str(root),
                                         "--dev-addr", addr],
    "mkdocs serve": lambda root, addr: [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"),
                                        "-a", addr],
}


@pytest.mark.slow
@pytest.mark.parametrize("server", list(SERVERS))
def test_serve_answers_with_the_home_page_and_record_pages(server: str, tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "server.log"
    with running(SERVERS[server](root, f"127.0.0.1:{port}"), root, log) as proc:
        wait_until(answers(base), proc, log, "answering")
        check_site(base)
    assert not (root / "site").exists(), "serving builds into a temporary folder, never the register's site/"


@pytest.mark.slow
def test_procure_serve_rebuilds_when_a_record_changes_and_recovers_from_a_broken_one(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    port = free_port()
    page_url = f"http://127.0.0.1:{port}/awards/AW-2025-001/"
    log = tmp_path / "server.log"
    award = root / "records" / "awards" / "AW-2025-001.yaml"
    source = award.read_text("utf-8")
    with running(SERVERS["procure serve"](root, f"127.0.0.1:{port}"), root, log) as proc:
        wait_until(answers(page_url), proc, log, "answering")

        award.write_text(source.replace(AWARD_TITLE, "Grounds maintenance: north and east"), "utf-8")
        wait_until(lambda: title_of(fetch(page_url)[1]) == f"Grounds maintenance: north and east - {SITE_NAME}",
                   proc, log, "showing the edited title")

        # a broken record: the problem is reported with file, line and field, and the server keeps running ...
        award.write_text(source.replace("status: active", "status: finished"), "utf-8")
        problem = "records/awards/AW-2025-001.yaml:6:9: error[schema/enum] /status:"
        wait_until(lambda: problem in log.read_text("utf-8", "replace"), proc, log, "reporting the broken record")
        assert "Traceback" not in log.read_text("utf-8", "replace")
        # ... and serves the corrected register once it is fixed
        award.write_text(source.replace(AWARD_TITLE, "Grounds maintenance: north and west"), "utf-8")
        wait_until(lambda: title_of(fetch(page_url)[1]) == f"Grounds maintenance: north and west - {SITE_NAME}",
                   proc, log, "serving the fixed register")


@pytest.mark.slow
def test_plain_mkdocs_build_writes_record_pages_through_the_plugin(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
                            cwd=root, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    # every record has its page, titled with the record's title or name (read off the fixture by hand)
    expected = {
        "awards/AW-2025-001": AWARD_TITLE, "awards/AW-2025-002": "Emergency tree works",
        "awards/AW-2025-003": "Cleaning of the depot",
        "tenders/T-2025-001": "Grounds maintenance for parks, verges &amp; open spaces", "tenders/T-2025-002": "School meals",
        "organisations/testshire-county-council": "Testshire County Council",
        "organisations/greenway-grounds-ltd": "Greenway Grounds Ltd",
        "organisations/northgate-community-trust": "Northgate Community Trust",
        "organisations/acme-facilities-plc": "Acme Facilities plc",
        "measures/GB-SV-01": "Local people employed on the contract", "measures/GB-SV-02": "Carbon saved",
    }
    for path, title in expected.items():
        html = (out / path / "index.html").read_text("utf-8")
        assert title_of(html) == f"{title} - {SITE_NAME}", path
    for outcome in ("OC-2025-001-C1-Q2", "OC-2025-001-C1-Q3", "OC-2025-001-C2-Y1"):
        assert (out / "outcomes" / outcome / "index.html").is_file()
    assert title_of((out / "index.html").read_text("utf-8")) == SITE_NAME
    assert (out / "data" / "records" / "tenders" / "T-2025-001.yaml").read_bytes() == (
        FIXTURE / "records" / "tenders" / "T-2025-001.yaml").read_bytes()
    assert (out / "pagefind" / "awards" / "pagefind.js").is_file()
    assert "awards/AW-2025-003/" in (out / "sitemap.xml").read_text("utf-8")


@pytest.mark.slow
def test_procure_serve_sends_nosniff_and_a_yaml_type_for_raw_downloads(tmp_path: Path) -> None:
    # issue 16: a raw YAML download that happens to be valid JavaScript must never be run as a script
    root = make_register(tmp_path / "register")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "server.log"
    with running(SERVERS["procure serve"](root, f"127.0.0.1:{port}"), root, log) as proc:
        wait_until(answers(base), proc, log, "answering")
        with urllib.request.urlopen(base + "data/records/awards/AW-2025-001.yaml", timeout=5) as response:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Type"] == "application/yaml; charset=utf-8"
        with urllib.request.urlopen(base, timeout=5) as response:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Type"].startswith("text/html")
