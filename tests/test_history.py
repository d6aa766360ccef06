"""Every record's history on its page: one git-log pass over a hand-made history, a shallow clone, no git at all.

Expected sentences are written by hand from the edits each commit makes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.history.log import read_history
from site_builder.model import build_model
from site_builder.render import build_environment
from site_builder.render.records import iter_pages
from site_builder.validate import validate_register

MINIMAL = Path(__file__).parent / "cases" / "valid" / "minimal-register"
SCHEMAS = Path(__file__).parents[1] / "schemas"
AWARD = "records/awards/AW-2025-001.yaml"
NAMES = {"green-spaces-ltd": "Green Spaces Ltd", "greenbridge-council": "Greenbridge Borough Council"}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root: Path, *args: str, when: str = "2026-01-05") -> str:
    stamp = f"{when}T09:00:00+00:00"
    env = {"GIT_AUTHOR_NAME": "Officer", "GIT_AUTHOR_EMAIL": "o@example.org", "GIT_COMMITTER_NAME": "Officer",
           "GIT_COMMITTER_EMAIL": "o@example.org", "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
           "PATH": "/usr/bin:/bin", "HOME": str(root)}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def commit(root: Path, message: str, when: str) -> None:
    git(root, "add", "-A", when=when)
    git(root, "commit", "-q", "-m", message, when=when)


def replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    """Three commits: the register starts (5 Jan 2026), the award's value changes (3 Mar 2026), the tender's
    status changes (10 Mar 2026)."""
    root = tmp_path / "register"
    shutil.copytree(MINIMAL, root)
    shutil.copytree(SCHEMAS, root / "schemas")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start the register", "2026-01-05")
    replace(root, AWARD, "amount: 1150000", "amount: 1380000")
    replace(root, AWARD, "title: Grounds maintenance 2025-2029", "title: Grounds and parks maintenance 2025-2029")
    commit(root, "Contract variation agreed in February", "2026-03-03")
    replace(root, "records/tenders/T-2025-001.yaml", "status: complete", "status: cancelled")
    commit(root, "Record the tender's cancellation", "2026-03-10")
    return root


def test_each_record_has_its_changes_newest_first(repository: Path) -> None:
    history = read_history(repository, repository / "records", SCHEMAS, NAMES)
    assert history.available and history.missing_until is None
    entries = history.of(AWARD)
    assert [(e.date, e.message, e.kind) for e in entries] == [
        ("2026-03-03", "Contract variation agreed in February", "changed"),
        ("2026-01-05", "Start the register", "added"),
    ]
    assert [f.sentence() for f in entries[0].fields] == [
        "title “Grounds maintenance 2025-2029” → “Grounds and parks maintenance 2025-2029”",
        "value £1,150,000 → £1,380,000 (+20%)",  # 1,380,000 / 1,150,000 = 1.2
    ]
    tender = history.of("records/tenders/T-2025-001.yaml")
    assert [f.sentence() for f in tender[0].fields] == ["status Complete (awarded) → Cancelled"]
    # last-updated dates come from the same pass
    assert history.last_updated()[AWARD] == "2026-03-03"
    assert history.last_updated()["records/outcomes/OC-2025-001.yaml"] == "2026-01-05"


def test_shallow_clone_says_what_is_missing(repository: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{repository}", str(clone))
    history = read_history(clone, clone / "records", SCHEMAS, NAMES)
    assert history.available
    # the clone holds the last two commits; the older (3 March 2026) has no parent in the clone, so what it
    # changed is unknown: it is neither listed as the value change nor mistaken for every record being added
    assert history.missing_until == "2026-03-03"
    assert history.of(AWARD) == []
    assert history.of("records/outcomes/OC-2025-001.yaml") == []
    tender = history.of("records/tenders/T-2025-001.yaml")
    assert [(e.date, e.kind, [f.sentence() for f in e.fields]) for e in tender] == [
        ("2026-03-10", "changed", ["status Complete (awarded) → Cancelled"])]


def test_depth_one_clone_lists_nothing_as_added(repository: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone1"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repository}", str(clone))
    history = read_history(clone, clone / "records", SCHEMAS, NAMES)
    assert history.missing_until == "2026-03-10"
    assert history.by_path == {}


def test_no_git_history(tmp_path: Path) -> None:
    root = tmp_path / "tarball"
    shutil.copytree(MINIMAL, root)
    history = read_history(root, root / "records", SCHEMAS, NAMES)
    assert not history.available
    assert history.by_path == {}


def _award_page(root: Path) -> str:
    config = load_config(root)
    result = validate_register(config, keep_data=True, use_cache=False)
    assert result.ok
    reg = build_model(result.files, config)
    env = build_environment(config.schemas_dir)
    history = read_history(root, config.records_dir, config.schemas_dir, NAMES)
    env.globals["history"] = history
    env.globals["last_updated"] = history.last_updated()
    return next(p.body_html for p in iter_pages(reg, env) if p.url == "awards/AW-2025-001/")


def test_award_page_shows_its_history(repository: Path) -> None:
    body = _award_page(repository)
    assert '<h2 id="history-of-changes">History of changes</h2>' in body
    assert '<time datetime="2026-03-03">3 March 2026</time>: Contract variation agreed in February' in body
    assert "<li>value £1,150,000 → £1,380,000 (+20%)</li>" in body
    assert '<time datetime="2026-01-05">5 January 2026</time>: Start the register' in body
    assert "Added to the register." in body
    assert "Last updated on 3 March 2026." in body


def test_page_of_a_shallow_clone_and_of_a_copy_without_git(repository: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repository}", str(clone))
    body = _award_page(clone)
    assert "No change to this record is recorded in the repository's history." in body
    assert "Changes made up to 10 March 2026 are not in the copy of the repository this site was built from" in body
    plain = tmp_path / "plain"
    shutil.copytree(repository, plain, ignore=shutil.ignore_patterns(".git"))
    body = _award_page(plain)
    assert "The history of changes is not available: this site was built from a copy of the register without its " \
           "git history." in body


def test_commit_messages_are_escaped(repository: Path) -> None:
    replace(repository, AWARD, "status: active", "status: pending")
    commit(repository, "<script>alert(1)</script> fix", "2026-03-11")
    body = _award_page(repository)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fix" in body
    assert "<script>alert" not in body
