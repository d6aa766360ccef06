"""Registers kept as data: every folder under tests/cases/{valid,invalid,warnings}/ is a tiny register run through
the real CLI.

An invalid case holds ``expected.txt``: the exact lines ``procure validate`` must print (problems, then the summary),
written by hand from the case. A warnings case does too, but validates (exit status 0): CI shows its warnings
without blocking the pull request. Some bad inputs cannot sit in git (a 20 MB file, a link leading outside the
register); a case's ``prepare.json`` says how the test makes them in a temporary copy.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import cli

CASES = Path(__file__).parent / "cases"
REPO_SCHEMAS = Path(__file__).parents[1] / "schemas"


def _case_dirs(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def prepare_register(case: Path, tmp_path: Path) -> Path:
    """Copy the case into tmp (so no cache or link is written into the repository), add the schemas, apply
    prepare.json."""
    root = tmp_path / "register"
    shutil.copytree(case, root, ignore=shutil.ignore_patterns("expected.txt", "prepare.json"))
    if not (root / "schemas").exists():
        shutil.copytree(REPO_SCHEMAS, root / "schemas")
    recipe_path = case / "prepare.json"
    recipe = json.loads(recipe_path.read_text()) if recipe_path.exists() else {}
    if "large_file" in recipe:
        spec = recipe["large_file"]
        with (root / spec["path"]).open("wb") as handle:
            line = b"description: " + b"x" * 985 + b"\n"
            handle.write(b"id: T-2025-002\n")
            for _ in range(spec["bytes"] // len(line)):
                handle.write(line)
    if "symlink" in recipe:
        spec = recipe["symlink"]
        link = root / spec["path"]
        target = (link.parent / spec["target"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(spec["target_text"])
        link.symlink_to(spec["target"])
    for rel_path, text in recipe.get("files", {}).items():  # names git cannot hold everywhere (CON.yaml)
        (root / rel_path).write_text(text, encoding="utf-8")
    if "fifo" in recipe:
        os.mkfifo(root / recipe["fifo"])
    if "linked_folder" in recipe:  # move a record folder aside and leave a link to it in its place
        spec = recipe["linked_folder"]
        folder, aside = root / spec["path"], root / spec["moved_to"]
        aside.parent.mkdir(parents=True, exist_ok=True)
        folder.rename(aside)
        folder.symlink_to(os.path.relpath(aside, folder.parent))
    return root


def run_validate(root: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", "--root", str(root), "--no-cache", *extra], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("case", _case_dirs("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path) -> None:
    code, output = run_validate(prepare_register(case, tmp_path))
    assert "Traceback" not in output
    assert output.startswith("no problems ("), output
    assert code == 0


@pytest.mark.parametrize("case", _case_dirs("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path) -> None:
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    code, output = run_validate(prepare_register(case, tmp_path))
    assert "Traceback" not in output
    assert output.splitlines() == expected
    assert code == 1


@pytest.mark.parametrize("case", _case_dirs("warning"), ids=lambda p: p.name)
def test_warning_case(case: Path, tmp_path: Path) -> None:
    """A register with warnings only (an imported record's gaps, a value far from its estimate): the exact lines,
    and exit code 0."""
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    code, output = run_validate(prepare_register(case, tmp_path))
    assert "Traceback" not in output
    assert output.splitlines() == expected
    assert all("] " in line and ": warning[" in line for line in expected[:-1])
    assert code == 0


def test_there_are_enough_invalid_cases() -> None:
    # issue 6 asks for at least 40 hostile or broken inputs, each with its exact expected lines
    cases = _case_dirs("invalid")
    assert len(cases) >= 40
    assert all((c / "expected.txt").is_file() for c in cases)
