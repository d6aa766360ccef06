"""The validate command beyond the case folders: reporters, PATHS, usage errors and the content-hash cache."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import cli
from site_builder.config import load_config
from site_builder.errors import InvalidRegisterError, Problem
from site_builder.report import report_github, summary
from site_builder.validate import load_register, validate_register

CASES = Path(__file__).parent / "cases"
REPO_SCHEMAS = Path(__file__).parents[1] / "schemas"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    root = tmp_path / "register"
    shutil.copytree(CASES / "valid" / "minimal-register", root)
    shutil.copytree(REPO_SCHEMAS, root / "schemas")
    return root


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.output


def break_tender(root: Path) -> None:
    path = root / "records" / "tenders" / "T-2025-001.yaml"
    path.write_text(path.read_text().replace("status: complete", "status: finished"))


def test_json_format(register: Path) -> None:
    break_tender(register)
    code, output = invoke("--root", str(register), "--format", "json", "--no-cache")
    payload = json.loads(output)
    assert code == 1
    assert payload["status"] == "fail"
    assert payload["files_checked"] == 7
    [problem] = payload["problems"]
    # status is the 4th line of the tender; 'status: ' is 8 characters, so the value starts in column 9
    assert (problem["path"], problem["line"], problem["col"]) == ("records/tenders/T-2025-001.yaml", 4, 9)
    assert problem["code"] == "schema/enum" and problem["pointer"] == "/status"


def test_github_format(register: Path) -> None:
    break_tender(register)
    code, output = invoke("--root", str(register), "--format", "github", "--no-cache")
    assert code == 1
    first = output.splitlines()[0]
    assert first.startswith("::error file=records/tenders/T-2025-001.yaml,line=4,col=9,title=schema/enum::/status: ")


def test_github_escapes_and_whole_file_problems() -> None:
    problem = Problem("records/x,y.yaml", 0, 0, "file/too-large", "", "100% too big\nreally")
    line = report_github([problem], 1).splitlines()[0]
    assert line == "::error file=records/x%2Cy.yaml,title=file/too-large::/: 100%25 too big%0Areally"


def test_summary_wording() -> None:
    one = Problem("a.yaml", 1, 1, "x/y", "", "m")
    two = Problem("b.yaml", 1, 1, "x/y", "", "m")
    assert summary([], 10_131) == "no problems (10,131 files checked)"
    assert summary([one, two], 10_131) == "2 errors in 2 files (10,131 files checked)"
    assert summary([one], 1) == "1 error in 1 file (1 file checked)"


def test_paths_limit_the_report_not_the_rules(register: Path) -> None:
    # a second tender whose id collides (by case) with the first: both files get a problem
    tender = register / "records" / "tenders" / "T-2025-001.yaml"
    (register / "records" / "tenders" / "t-2025-001.yaml").write_text(
        tender.read_text().replace("id: T-2025-001", "id: t-2025-001"))
    code, output = invoke("--root", str(register), "--no-cache", str(tender))
    lines = output.splitlines()
    assert code == 1
    assert len(lines) == 2 and lines[0].startswith("records/tenders/T-2025-001.yaml:1:5: error[id/duplicate]")
    code, output = invoke("--root", str(register), "--no-cache", str(register / "records" / "awards"))
    assert code == 0 and output.startswith("no problems")


def test_usage_errors_exit_2(register: Path) -> None:
    assert invoke("--root", str(register), "--format", "xml")[0] == 2
    assert invoke("--root", str(register), str(register / "records" / "nope.yaml"))[0] == 2


def test_cache_is_used_and_notices_changes(register: Path, private_validation_cache: Path) -> None:
    config = load_config(register)
    assert validate_register(config).ok
    assert not (register / ".cache").exists()  # never in the checkout
    cache_files = list(private_validation_cache.glob("*/validate-*.json"))
    assert len(cache_files) == 1
    entries = json.loads(cache_files[0].read_bytes().partition(b"\n")[2])["files"]
    assert len(entries) == 7
    assert validate_register(config).ok  # from the cache
    break_tender(register)
    result = validate_register(config)
    assert [p.code for p in result.problems] == ["schema/enum"]
    # the same bytes in a cached file give the same answer when read from the cache
    assert [p.format() for p in validate_register(config).problems] == [p.format() for p in result.problems]


def test_cache_survives_an_unwritable_cache_folder(register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (register / "not-a-folder").write_text("x")
    monkeypatch.setenv("PROCURE_CACHE_DIR", str(register / "not-a-folder"))  # the cache cannot be created here
    assert validate_register(load_config(register)).ok


def test_load_register_returns_data_or_raises(register: Path) -> None:
    files = load_register(load_config(register), use_cache=False)
    by_path = {f.rel_path: f for f in files}
    tender = by_path["records/tenders/T-2025-001.yaml"]
    assert tender.record_type == "tender" and tender.data is not None
    assert tender.data["tender_period"] == {"start_date": "2025-01-10", "end_date": "2025-02-14"}
    assert tender.source == (register / tender.rel_path).read_bytes()
    break_tender(register)
    with pytest.raises(InvalidRegisterError) as info:
        load_register(load_config(register))
    assert [p.code for p in info.value.problems] == ["schema/enum"]


def test_default_result_does_not_hold_record_data(register: Path) -> None:
    result = validate_register(load_config(register), use_cache=False)
    assert len(result.files) == 7
    assert all(f.data is None and f.source == b"" for f in result.files)


# --------------------------------------------------------------------------------------------------------------------
# issue 16 (High): a pull request cannot switch validation off with a cache file of its own


def _forged_cache(register: Path, folder: Path) -> None:
    """A cache of the old format and of the new one, both blanking every problem: what a hostile PR can compute
    from its own content and force-add."""
    from site_builder.schemas import load_schemas
    from site_builder.validate import _code_version

    schemas = load_schemas(register / "schemas")
    entries = {}
    stats = {}
    for path in sorted((register / "records").rglob("*.yaml")):
        rel = path.relative_to(register).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        rtype = {"tenders": "tender", "awards": "award", "outcomes": "outcome", "organisations": "organisation",
                 "measures": "measure"}[path.parent.name]
        entries[f"{rtype}:{digest}"] = [{"id": path.stem}, []]
        info = path.stat()
        stats[rel] = [info.st_mtime_ns, info.st_size, digest]
    body = json.dumps({"files": entries, "stats": stats, "run": {}}).encode()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"validate-{schemas.digest[:16]}-{_code_version()}.json"
    (folder / name).write_bytes(body)


def test_a_cache_file_in_the_checkout_is_never_read(register: Path) -> None:
    break_tender(register)
    _forged_cache(register, register / ".cache" / "procure")
    code, output = invoke("--root", str(register))
    assert code == 1 and "error[schema/enum]" in output


def test_a_forged_cache_file_in_the_cache_folder_is_ignored(register: Path, private_validation_cache: Path) -> None:
    break_tender(register)
    from site_builder.validate import FileCache

    folder = FileCache(register, "x").folder  # where this register's cache lives: unsigned content is not trusted
    _forged_cache(register, folder)
    code, output = invoke("--root", str(register))
    assert code == 1 and "error[schema/enum]" in output


def test_the_build_runs_every_cross_record_rule_even_with_a_warm_cache(register: Path) -> None:
    # a valid register warms the cache (its cross-record answer: no problems); then a second tender reuses the id
    assert validate_register(load_config(register)).ok
    tender = register / "records" / "tenders" / "T-2025-001.yaml"
    (register / "records" / "tenders" / "t-2025-001.yaml").write_text(
        tender.read_text().replace("id: T-2025-001", "id: t-2025-001"))
    with pytest.raises(InvalidRegisterError) as info:
        load_register(load_config(register))
    assert "id/duplicate" in {p.code for p in info.value.problems}


def test_a_fifo_named_yaml_does_not_hang_validate_with_the_cache_on(register: Path) -> None:
    import os
    import subprocess
    import sys

    os.mkfifo(register / "records" / "tenders" / "T-2025-002.yaml")
    # in a separate process, so that a hang fails this test instead of stopping the run
    run = subprocess.run([sys.executable, "-m", "site_builder", "validate", "--root", str(register)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "records/tenders/T-2025-002.yaml:0:0: error[file/unreadable] /: this is not a regular file" in run.stdout


def test_problems_print_escaped_and_capped(register: Path) -> None:
    tender = register / "records" / "tenders" / "T-2025-001.yaml"
    fields = "".join(f'"\\e[31mfield{i}\\u202e": x\n' for i in range(300))
    tender.write_text(tender.read_text() + fields)
    code, output = invoke("--root", str(register), "--no-cache")
    lines = output.splitlines()
    assert code == 1
    assert "\x1b" not in output and "\u202e" not in output
    assert "/\\x1b[31mfield0\\u202e: unknown field" in output
    # 100 listed, one line counting the other 200, the summary
    assert len(lines) == 102
    assert "error[file/too-many-problems] /: 200 more problems in this file are not listed" in lines[0]


def test_the_json_report_is_safe_to_print_and_still_the_same_data() -> None:
    from site_builder.report import report_json

    message = "field '\x1b[2J\x9b31m\u202eevil' is unknown"
    text = report_json([Problem("records/a.yaml", 1, 1, "schema/additional-property", "/x", message)], 1)
    assert not any(ch in text for ch in "\x1b\x9b\u202e")
    assert json.loads(text)["problems"][0]["message"] == message


def test_a_process_reuses_its_verified_cache_but_never_a_forged_one(register: Path,
                                                                    private_validation_cache: Path) -> None:
    # issue 15: `procure serve` keeps the cache it read (and verified) in memory between runs; issue 16: a cache file
    # changed by anyone else is read again, and its signature checked, so forged content is still ignored
    from site_builder.validate import CacheMemo, FileCache

    memo = CacheMemo()
    config = load_config(register)
    assert validate_register(config, memo=memo).ok
    assert memo.payload is not None and memo.recall(Path(memo.path)) is memo.payload
    assert validate_register(config, memo=memo).ok  # from memory
    break_tender(register)
    _forged_cache(register, FileCache(register, "x").folder)
    assert memo.recall(Path(memo.path)) is None
    problems = validate_register(config, memo=memo).problems
    assert "schema/enum" in {p.code for p in problems}
