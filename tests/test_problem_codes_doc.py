"""Every problem code the library can report is in the catalogue (site_builder/problem_codes.py), and
docs/problem-codes.md is the page generated from that catalogue."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from conftest import REPO_ROOT as ROOT

from site_builder.problem_codes import CODES, SECTIONS, problem_codes_markdown
from site_builder.schemas import CODE_OF_KEYWORD, code_of_keyword

AREAS = ("file", "yaml", "schema", "id", "ref", "date", "sv", "commitment", "kpi", "measure", "text", "number", "lot",
         "import", "placeholder", "award", "tender", "procedure", "change", "termination", "framework")
CODE = re.compile(r"""["'](?P<code>(?:""" + "|".join(AREAS) + r""")/[a-z][a-z-]*)["']""")
#: JSON Schema keywords that constrain a value (the ones whose failure is reported with a code)
ASSERTION_KEYWORDS = {"type", "enum", "const", "required", "additionalProperties", "pattern", "format", "minimum",
                      "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems",
                      "maxItems", "uniqueItems", "minProperties", "maxProperties", "multipleOf", "dependentRequired",
                      "propertyNames", "contains", "anyOf"}


def _keywords(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ASSERTION_KEYWORDS:
                yield key
            if key not in ("properties", "$defs", "x-labels", "examples", "example", "enum", "const", "required"):
                yield from _keywords(value)
            elif isinstance(value, dict) and key in ("properties", "$defs"):
                for sub in value.values():
                    yield from _keywords(sub)
    elif isinstance(node, list):
        for item in node:
            yield from _keywords(item)


def schema_codes() -> set[str]:
    """The codes schema problems can have: one per assertion keyword the register's schemas use."""
    used = {k for path in (ROOT / "schemas").glob("*.json") for k in _keywords(json.loads(path.read_text("utf-8")))}
    assert {"required", "enum", "minimum", "pattern"} <= used  # the walk itself must work
    return {code_of_keyword(k) for k in used} | set(CODE_OF_KEYWORD.values())


MEDIA_TYPES = {"text/csv", "text/html", "text/plain", "text/xml", "text/css", "text/javascript", "text/markdown"}


def codes_in_source() -> set[str]:
    found = schema_codes()
    for path in (ROOT / "site_builder").rglob("*.py"):
        if path.name != "problem_codes.py":
            found.update(m.group("code") for m in CODE.finditer(path.read_text(encoding="utf-8")))
    return found - MEDIA_TYPES  # "text/csv" in the exports is a media type, not a problem code


def test_codes_are_found() -> None:
    # the scan itself must work, or the next test would pass vacuously
    codes = codes_in_source()
    assert {"yaml/duplicate-key", "schema/required", "id/duplicate", "ref/unresolved", "sv/unit-mismatch",
            "schema/min-items", "text/control-character", "number/out-of-range"} <= codes


def test_every_code_is_in_the_catalogue() -> None:
    missing = sorted(codes_in_source() - set(CODES))
    assert not missing, f"add these codes to site_builder/problem_codes.py: {missing}"


def test_every_catalogued_code_can_be_reported() -> None:
    assert sorted(set(CODES) - codes_in_source()) == []


def test_each_code_is_catalogued_once() -> None:
    listed = [code for section in SECTIONS for row in section.rows for code in row.codes]
    assert len(listed) == len(set(listed))
    assert all(row.title and row.hint for section in SECTIONS for row in section.rows)


def test_the_page_is_generated_from_the_catalogue() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    assert page == problem_codes_markdown(), (
        "regenerate docs/problem-codes.md: python -c 'from site_builder.problem_codes import problem_codes_markdown;"
        " print(problem_codes_markdown(), end=\"\")' > docs/problem-codes.md")


def test_every_code_is_documented() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z]+/[a-z-]+)`", page))
    missing = sorted(codes_in_source() - documented)
    assert not missing, f"add these codes to docs/problem-codes.md: {missing}"


def test_every_expected_line_uses_a_documented_code() -> None:
    page = (ROOT / "docs" / "problem-codes.md").read_text(encoding="utf-8")
    used = set()
    for expected in (ROOT / "tests" / "cases").glob("*/*/expected.txt"):
        used.update(re.findall(r"(?:error|warning)\[([a-z]+/[a-z-]+)\]", expected.read_text(encoding="utf-8")))
    assert used
    assert all(f"`{code}`" in page for code in used), sorted(c for c in used if f"`{c}`" not in page)
    assert used <= set(CODES)
