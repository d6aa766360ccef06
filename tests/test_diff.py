"""`procure diff` on hand-made git histories of a tiny register (tests/cases/valid/minimal-register).

Every expected line is written by hand from the edit the test makes, in the words the site uses.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import cli

MINIMAL = Path(__file__).parent / "cases" / "valid" / "minimal-register"
SCHEMAS = Path(__file__).parents[1] / "schemas"
AWARD = "records/awards/AW-2025-001.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "Officer", "GIT_AUTHOR_EMAIL": "officer@example.org", "GIT_COMMITTER_NAME": "Officer",
           "GIT_COMMITTER_EMAIL": "officer@example.org", "GIT_AUTHOR_DATE": "2026-03-03T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-03-03T10:00:00+00:00", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "register"
    shutil.copytree(MINIMAL, root)
    shutil.copytree(SCHEMAS, root / "schemas")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Start the register")
    # statuses are computed for 1 June 2026 on both sides
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def diff(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["diff", "--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_added_award_and_supplier_read_as_the_site_shows_them(register: Path) -> None:
    (register / "records/organisations/verdant-environmental-services-ltd.yaml").write_text(
        "id: verdant-environmental-services-ltd\nname: Verdant Environmental Services Ltd\n"
        "organisation_type: company\nroles: [supplier]\n", encoding="utf-8")
    (register / "records/awards/AW-2026-002.yaml").write_text(
        "id: AW-2026-002\nbuyer: greenbridge-council\ntitle: Waste collection\nstatus: active\ndate: 2026-02-20\n"
        "value:\n  amount: 1200000\n  currency: GBP\nsuppliers: [verdant-environmental-services-ltd]\n",
        encoding="utf-8")
    commit(register, "Award the waste collection contract")
    code, output = diff(register, "main~1", "main")
    assert code == 0
    assert output.splitlines() == [
        "Changes from main~1 to main: 2 added",
        "",
        "Award AW-2026-002 (new): Waste collection, £1,200,000 to Verdant Environmental Services Ltd",
        "Organisation verdant-environmental-services-ltd (new): Verdant Environmental Services Ltd",
    ]


def test_value_change_with_percentage(register: Path) -> None:
    edit(register, AWARD, "amount: 1150000", "amount: 1380000")
    commit(register, "Contract variation")
    code, output = diff(register, "HEAD~1", "HEAD", "--no-figures")
    assert code == 0
    # 1,380,000 / 1,150,000 = 1.2 exactly: +20%
    assert output.splitlines()[-1] == "Award AW-2025-001: value £1,150,000 → £1,380,000 (+20%)"


def test_removed_outcome_and_the_commitment_status_it_changes(register: Path) -> None:
    git(register, "rm", "-q", "records/outcomes/OC-2025-002.yaml")
    commit(register, "Withdraw the second report")
    code, output = diff(register, "HEAD~1", "HEAD")
    assert code == 0
    # without the October-March report, that period (ended 31 March 2026) is more than 30 days late on 1 June 2026
    assert output.splitlines() == [
        "Changes from HEAD~1 to HEAD: 1 removed",
        "",
        "Outcome OC-2025-002 (removed): 6 fte delivered against commitment C1 of award AW-2025-001 for "
        "1 October 2025 to 31 March 2026",
        "",
        "Computed figures:",
        "  - commitment C1 of award AW-2025-001: On track → Report overdue",
    ]


def test_renamed_tender_and_the_reference_to_it(register: Path) -> None:
    git(register, "mv", "records/tenders/T-2025-001.yaml", "records/tenders/T-2025-009.yaml")
    edit(register, "records/tenders/T-2025-009.yaml", "id: T-2025-001", "id: T-2025-009")
    edit(register, AWARD, "tender: T-2025-001", "tender: T-2025-009")
    commit(register, "Renumber the tender")
    code, output = diff(register, "HEAD~1", "HEAD", "--no-figures")
    assert code == 0
    assert output.splitlines() == [
        "Changes from HEAD~1 to HEAD: 1 renamed, 1 changed",
        "",
        "Tender T-2025-009 (renamed from T-2025-001): Grounds maintenance 2025-2029",
        "Award AW-2025-001: tender T-2025-001 → T-2025-009",
    ]


def test_nested_commitment_changes(register: Path) -> None:
    edit(register, AWARD, "      quantity: 6\n", "      quantity: 9\n")
    edit(register, AWARD, "    reporting_frequency: six-monthly\n", "    reporting_frequency: annual\n")
    commit(register, "Raise the jobs target")
    code, output = diff(register, "HEAD~1", "HEAD", "--no-figures")
    assert code == 0
    assert output.splitlines()[2:] == [
        "Award AW-2025-001: Grounds maintenance 2025-2029",
        "  - commitment C1 target quantity 6 → 9 (+50%)",
        "  - commitment C1 reporting frequency Every six months → Annually",  # labels from codelists.schema.json
    ]


def test_field_added_and_removed_and_list_items(register: Path) -> None:
    edit(register, AWARD, "status: active\n", "status: active\nnumber_of_tenderers: 3\n")
    edit(register, "records/tenders/T-2025-001.yaml", "social_value_weighting_pct: 15\n", "")
    edit(register, "records/tenders/T-2025-001.yaml", 'cpv: ["77313000"]', 'cpv: ["77313000", "77311000"]')
    commit(register, "More detail")
    code, output = diff(register, "HEAD~1", "HEAD", "--no-figures")
    assert code == 0
    assert output.splitlines()[2:] == [
        "Tender T-2025-001: Grounds maintenance 2025-2029",
        "  - cpv added: 77311000",
        "  - social value weighting pct removed (was 15)",
        "Award AW-2025-001: number of tenderers added: 3",
    ]


def test_working_tree_is_the_default_head_and_no_change_says_so(register: Path) -> None:
    code, output = diff(register, "main")
    assert (code, output) == (0, "No record changes from main to the working tree.\n")
    edit(register, AWARD, "date: 2025-03-14", "date: 2025-03-21")
    code, output = diff(register, "main", "--no-figures")
    assert output.splitlines()[-1] == "Award AW-2025-001: date 14 March 2025 → 21 March 2025"


def test_markdown_escapes_record_text(register: Path) -> None:
    edit(register, AWARD, "title: Grounds maintenance 2025-2029", "title: Grounds <b>care</b> [x](http://e.vil) @team")
    code, output = diff(register, "main", "--format", "markdown", "--no-figures")
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == "### What this pull request changes in the register"
    assert lines[-1] == ("- **Award AW-2025-001**: title “Grounds maintenance 2025-2029” → “Grounds \\<b\\>care\\</b\\> "
                         "\\[x\\](http://e.vil) @\u200bteam”")


def test_json_keeps_raw_values(register: Path) -> None:
    edit(register, AWARD, "amount: 1150000", "amount: 1035000")
    code, output = diff(register, "main", "--format", "json", "--no-figures")
    assert code == 0
    payload = json.loads(output)
    assert payload["counts"] == {"added": 0, "removed": 0, "renamed": 0, "changed": 1}
    [record] = payload["records"]
    assert (record["record_type"], record["record_id"], record["kind"]) == ("award", "AW-2025-001", "changed")
    [change] = record["fields"]
    assert change["path"] == "/value"
    assert change["old"] == {"amount": 1150000, "currency": "GBP"}
    assert change["new"] == {"amount": 1035000, "currency": "GBP"}
    assert change["note"] == "-10%"
    assert record["text"] == ["value £1,150,000 → £1,035,000 (-10%)"]


def test_unknown_revision_is_a_clear_error(register: Path) -> None:
    code, output = diff(register, "no-such-branch")
    assert code == 1
    assert "Traceback" not in output
    assert "no revision 'no-such-branch' in this repository" in output


def test_not_a_repository(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    shutil.copytree(MINIMAL, root)
    code, output = diff(root, "main")
    assert code == 1
    assert "git rev-parse failed" in output or "no revision 'main'" in output


def test_a_file_that_no_longer_parses_is_not_called_removed(register: Path) -> None:
    (register / AWARD).write_text("id: AW-2025-001\ntitle: [unclosed\n", encoding="utf-8")
    code, output = diff(register, "main")
    assert code == 0
    assert output.splitlines() == [
        "No record changes from main to the working tree.",
        "",
        "Note: records/awards/AW-2025-001.yaml cannot be read as YAML at the working tree; run `procure validate`",
        "Note: computed figures were not compared: some record files do not parse",
    ]


def test_a_small_change_is_not_shown_as_zero_percent(register: Path) -> None:
    edit(register, AWARD, "amount: 1150000", "amount: 1152000")
    code, output = diff(register, "main", "--no-figures")
    assert code == 0
    # 2,000 / 1,150,000 = 0.17%: one decimal below 1%
    assert output.splitlines()[-1] == "Award AW-2025-001: value £1,150,000 → £1,152,000 (+0.2%)"
