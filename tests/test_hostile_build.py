"""Issue 16: hostile input against the build itself. The output folder a build may replace, staging cleaned when
the build is killed, and the values at the edge of what validation allows still build into valid feeds and pages."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT, copy_register

from site_builder.cli import cli

CASES = Path(__file__).parent / "cases"


def minimal_register(tmp_path: Path) -> Path:
    root = tmp_path / "register"
    shutil.copytree(CASES / "valid" / "minimal-register", root)
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Register\n", encoding="utf-8")
    return root


def build(root: Path, site_dir: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "--root", str(root), "--site-dir", str(site_dir)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("site_dir", [".", "docs", "records", "records/awards", "schemas", "..", "elsewhere"])
def test_build_refuses_an_output_folder_that_would_destroy_the_register(tmp_path: Path, site_dir: str) -> None:
    root = minimal_register(tmp_path)
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "notes.txt").write_text("someone's work\n")  # not empty, not made by a build
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    code, output = build(root, site_dir)
    assert code == 1
    assert "refusing to build into" in output and "Traceback" not in output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before


def test_a_folder_holding_git_or_records_is_refused_even_outside_the_register(tmp_path: Path) -> None:
    root = minimal_register(tmp_path)
    other = tmp_path / "other-checkout"
    (other / ".git").mkdir(parents=True)
    code, output = build(root, other)
    assert code == 1 and "it holds .git" in output
    assert (other / ".git").is_dir()


def test_a_site_an_earlier_build_made_is_replaced(tmp_path: Path) -> None:
    root = minimal_register(tmp_path)
    out = tmp_path / "out" / "site"
    assert build(root, out)[0] == 0
    assert (out / ".procure-site").is_file()
    assert "X-Content-Type-Options: nosniff" in (out / "_headers").read_text()  # for hosts that read it
    (out / "stale.html").write_text("from the last build")
    assert build(root, out)[0] == 0
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    assert sorted(p.name for p in out.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_killed_build_leaves_no_staging_behind(tmp_path: Path, signum: int) -> None:
    root = copy_register(REPO_ROOT, tmp_path / "register")
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    proc = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--root", str(root), "--site-dir",
                             str(out / "site")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    # wait until the build is writing pages into its staging folder, then stop it
    while time.monotonic() < deadline and not any((p / "awards").is_dir() for p in out.glob(".site.building-*")):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    assert list(out.glob(".site.building-*")), "the build never started writing"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == []  # no staging, no Pagefind work folder, no half site


def test_a_build_killed_outright_has_its_staging_removed_by_the_next_build(tmp_path: Path) -> None:
    root = minimal_register(tmp_path)
    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = out / f".site.building-{dead.stdout.strip()}"  # a pid that has exited: its build died with it
    (leftover / "awards").mkdir(parents=True)
    assert build(root, out / "site")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["site"]


@pytest.mark.parametrize("addition", [
    "hooks:\n  - records/evil.py\n",
    "extra:\n  x: !!python/object/apply:os.system ['touch pwned']\n",
    "extra:\n  x: !!python/name:records.evil.payload\n",
    "extra:\n  x: !!python/module:records.evil\n",
])
def test_a_mkdocs_yml_that_runs_code_is_refused(tmp_path: Path, addition: str) -> None:
    root = minimal_register(tmp_path)
    (root / "records" / "evil.py").write_text("open('pwned', 'w').close()\npayload = 1\n")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + addition, encoding="utf-8")
    code, output = build(root, "site")
    assert code == 1 and "Traceback" not in output
    assert "can run code" in output or "'hooks:' runs Python files" in output
    assert not (root / "pwned").exists() and not (tmp_path / "pwned").exists() and not (root / "site").exists()


def test_the_themes_own_python_names_are_allowed(tmp_path: Path) -> None:
    from site_builder.build import check_mkdocs_config_is_data

    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: "
                      "!!python/name:material.extensions.emoji.twemoji\nextra:\n  v: !ENV [VERSION, '1']\n")
    check_mkdocs_config_is_data(config)  # raises if refused


@pytest.mark.parametrize("target", ["/proc/self/environ", "GIT_CONFIG", "OUTSIDE"])
def test_a_link_in_docs_leading_outside_the_register_or_into_git_is_refused(tmp_path: Path, target: str) -> None:
    root = minimal_register(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n")
    (tmp_path / "outside.txt").write_text("not the register's\n")
    real = {"GIT_CONFIG": root / ".git" / "config", "OUTSIDE": tmp_path / "outside.txt"}.get(target, Path(target))
    (root / "docs" / "leak.txt").symlink_to(real)
    code, output = build(root, "site")
    assert code == 1 and "docs/leak.txt: a link" in output and "nothing was published" in output
    assert not (root / "site").exists()


def test_a_link_in_docs_that_stays_inside_the_register_is_published(tmp_path: Path) -> None:
    root = minimal_register(tmp_path)
    (root / "CONTRIBUTING.md").write_text("# How to contribute\n")
    (root / "docs" / "contributing.md").symlink_to(Path("..") / "CONTRIBUTING.md")
    assert build(root, "site")[0] == 0
    assert "How to contribute" in (root / "site" / "contributing" / "index.html").read_text(encoding="utf-8")


def test_a_loosened_id_pattern_cannot_make_the_build_write_outside_the_site(tmp_path: Path) -> None:
    import json

    root = minimal_register(tmp_path)
    definitions = root / "schemas" / "definitions.schema.json"
    schema = json.loads(definitions.read_text())
    schema["$defs"]["id"]["pattern"] = "^.+$"  # a change to schemas/ that lets any id through
    schema["$defs"]["reference"]["pattern"] = "^.+$"
    definitions.write_text(json.dumps(schema))
    org = root / "records" / "organisations" / "green-spaces-ltd.yaml"
    # an extra organisation whose id climbs out of the site (its file name cannot hold the slashes)
    (org.parent / "climber.yaml").write_text(org.read_text().replace("id: green-spaces-ltd", "id: ../../../escaped"))
    code, output = build(root, "site")
    assert code == 1 and "Traceback" not in output
    assert "the id '../../../escaped' cannot be used in a web address or a file name" in output
    assert not list(tmp_path.rglob("escaped*")) and not (root / "site").exists()


def test_values_at_the_edge_of_what_validates_still_build(tmp_path: Path) -> None:
    """Any record that validates must build: amounts and quantities at the maximum (two awards of it, so totals
    double it), text with tabs, new lines and characters XML allows but rarely sees; the feeds stay well-formed
    XML and the SQLite database holds the exact values."""
    import sqlite3
    import xml.etree.ElementTree as ET

    from site_builder.limits import MAX_NUMBER

    root = minimal_register(tmp_path)
    award = root / "records" / "awards" / "AW-2025-001.yaml"
    text = award.read_text().replace("amount: 1150000", f"amount: {MAX_NUMBER}")
    text = text.replace("quantity: 6", f"quantity: {MAX_NUMBER}").replace("proxy_value_gbp_per_unit: 12000",
                                                                          f"proxy_value_gbp_per_unit: {MAX_NUMBER}")
    text = text.replace("title: Grounds maintenance 2025-2029", 'title: "Tab\\there, line\\u2028sep, \\U0001F600 end"')
    award.write_text(text)
    (award.parent / "AW-2025-002.yaml").write_text(text.replace("id: AW-2025-001", "id: AW-2025-002"))
    outcome = root / "records" / "outcomes" / "OC-2025-002.yaml"
    outcome.write_text(outcome.read_text().replace("quantity: 6", f"quantity: {MAX_NUMBER}")
                       .replace("cumulative_to_date: 10", f"cumulative_to_date: {MAX_NUMBER}"))
    code, output = build(root, "site")
    assert code == 0, output
    site = root / "site"
    feeds = sorted((site / "data").rglob("*.xml")) + sorted((site / "data").rglob("*.atom"))
    assert feeds
    for feed in feeds:
        ET.parse(feed)  # raises on a character XML forbids
    with sqlite3.connect(site / "data" / "register.sqlite") as db:
        amounts = [row[0] for row in db.execute("SELECT value_amount FROM awards ORDER BY id")]
    assert amounts == [MAX_NUMBER, MAX_NUMBER]
    page = (site / "awards" / "AW-2025-001" / "index.html").read_text(encoding="utf-8")
    assert "\x00" not in page and "1,000,000,000,000,000" in page


def test_feed_text_never_carries_a_character_xml_forbids() -> None:
    import xml.etree.ElementTree as ET

    from site_builder.export.feeds import escape, quoteattr

    hostile = "a\x00b\x01c\ud800d\ufffee <&> \tnew\nline"
    element = f"<t a={quoteattr(hostile)}>{escape(hostile)}</t>"
    parsed = ET.fromstring(element)  # well-formed
    assert parsed.text == "a\ufffdb\ufffdc\ufffdd\ufffde <&> \tnew\nline"
