"""Every problem code the library can report is documented in docs/problem-codes.md (a doc-coverage test)."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.schemas import CODE_OF_KEYWORD

ROOT = Path(__file__).parents[1]
AREAS = ("file", "yaml", "schema", "id", "ref", "date", "sv", "commitment", "kpi", "measure", "procedure", "change",
         "termination", "framework")
CODE = re.compile(r"""["'](?P<code>(?:""" + "|".join(AREAS) + r""")/[a-z][a-z-]*)["']""")


def codes_in_source() -> set[str]:
    found = set(CODE_OF_KEYWORD.values())
    for path in (ROOT / "site_builder").rglob("*.py"):
        found.update(m.group("code") for m in CODE.finditer(path.read_text(encoding="utf-8")))
    return found


def test_codes_are_found() -> None:
    # the scan itself must work, or the next test would pass vacuously
    codes = codes_in_source()
    assert {"yaml/duplicate-key", "schema/required", "id/duplicate", "ref/unresolved", "sv/unit-mismatch"} <= codes


def test_every_code_is_documented() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z]+/[a-z-]+)`", page))
    missing = sorted(codes_in_source() - documented)
    assert not missing, f"add these codes to docs/problem-codes.md: {missing}"


def test_every_expected_line_uses_a_documented_code() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    used = set()
    for expected in (ROOT / "tests" / "cases" / "invalid").glob("*/expected.txt"):
        used.update(re.findall(r"error\[([a-z]+/[a-z-]+)\]", expected.read_text(encoding="utf-8")))
    assert used
    assert all(f"`{code}`" in page for code in used), sorted(c for c in used if f"`{c}`" not in page)
