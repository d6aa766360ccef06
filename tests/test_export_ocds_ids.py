"""OCDS ids are unique within every array, even when a register repeats a document title or a notice number.

OCDS requires it, and ocdsmerge keeps only the last object of each id when it compiles a release, so a repeat
would silently drop a document from ``compiledRelease``. (Repeated KPI ids are refused by the validator,
``kpi/duplicate-id``; the exporter's safeguard for them is checked on its own below.) The expected ids are worked out by hand here.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import load_model
from ocdsmerge.exceptions import OCDSMergeWarning
from test_export import copy_fixture, ocds_schema_dir

from site_builder.export import export_files
from site_builder.export.ocds import unique_ids


def iter_duplicate_ids(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON path of the array, id) for every id that appears more than once in one array of objects."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from iter_duplicate_ids(item, f"{path}/{key}")
    elif isinstance(value, list):
        counts = Counter(str(item["id"]) for item in value if isinstance(item, dict) and "id" in item)
        yield from ((path, rid) for rid, n in counts.items() if n > 1)
        for n, item in enumerate(value):
            yield from iter_duplicate_ids(item, f"{path}/{n}")


def test_the_duplicate_finder_sees_a_repeat() -> None:
    assert list(iter_duplicate_ids({"a": [{"id": "x"}, {"id": "y"}, {"id": "x"}]})) == [("/a", "x")]
    assert list(iter_duplicate_ids({"a": [{"id": "x", "b": [{"id": 1}, {"id": 2}]}, {"id": "y"}]})) == []


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("dup-register")
    copy_fixture(root)
    tender = root / "records" / "tenders" / "T-2025-001.yaml"
    tender.write_text(tender.read_text("utf-8") + (
        "  - title: Specification\n"  # the same title as the first document, another file
        "    type: other\n"
        "    url: https://www.testshire.example/spec-v2.pdf\n"), "utf-8")
    award = root / "records" / "awards" / "AW-2025-001.yaml"
    text = award.read_text("utf-8")
    text = text.replace("notices:\n  - {type: UK6, id: 014567-2025}\n",
                        "notices:\n  - {type: UK6, id: 014567-2025}\n  - {type: UK7, id: 014567-2025}\n"
                        "documents:\n  - {title: Contract, url: 'https://www.testshire.example/contract.pdf'}\n"
                        "  - {title: Contract, url: 'https://www.testshire.example/contract-annex.pdf'}\n")
    assert text.count("014567-2025") == 2, "the fixture changed: update this test"
    award.write_text(text, "utf-8")

    reg = load_model(root)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OCDSMergeWarning)  # DuplicateIdValueWarning would fail the export
        export_files(reg, root / "out", only=["ocds"])
    return {name: json.loads((root / "out" / "ocds" / f"{name}.json").read_text("utf-8"))
            for name in ("release-package", "record-package")}


def test_no_array_repeats_an_id(packages: dict[str, Any]) -> None:
    for name, package in packages.items():
        assert list(iter_duplicate_ids(package)) == [], name


def test_repeated_titles_and_notices_keep_every_object_with_stable_ids(packages: dict[str, Any]) -> None:
    records = {r["ocid"]: r["compiledRelease"] for r in packages["record-package"]["records"]}
    compiled = records["ocds-tst001-T-2025-001"]
    tender_docs = [(d["id"], d["title"], d.get("url")) for d in compiled["tender"]["documents"]]
    assert tender_docs == [
        ("012345-2025", "UK4 notice", "https://www.find-tender.service.gov.uk/Notice/012345-2025"),
        ("T-2025-001-doc-1", "Specification", "https://www.testshire.example/spec.pdf"),
        ("T-2025-001-doc-2", "Specification", "https://www.testshire.example/spec-v2.pdf")]
    award = compiled["awards"][0]
    assert [(d["id"], d.get("noticeType"), d.get("url")) for d in award["documents"]] == [
        ("014567-2025", "UK6", None), ("014567-2025-2", "UK7", None),
        ("AW-2025-001-doc-1", None, "https://www.testshire.example/contract.pdf"),
        ("AW-2025-001-doc-2", None, "https://www.testshire.example/contract-annex.pdf")]


def test_unique_ids_keeps_first_ids_and_numbers_repeats_past_taken_ones() -> None:
    """The safeguard also used for KPIs and commitments (which the validator already keeps unique)."""
    objects = [{"id": "K1"}, {"id": "K1"}, {"id": "K1-2"}, {"id": "K1"}, {"id": "X"}]
    assert [o["id"] for o in unique_ids(objects)] == ["K1", "K1-3", "K1-2", "K1-4", "X"]
    assert unique_ids([]) == []


@pytest.mark.parametrize("package", ["release-package", "record-package"])
def test_packages_with_repeats_still_validate(packages: dict[str, Any], package: str) -> None:
    schema_dir = ocds_schema_dir()
    if schema_dir is None:
        if os.environ.get("REQUIRE_OCDS_SCHEMA"):
            pytest.fail("REQUIRE_OCDS_SCHEMA is set but no OCDS schema folder was found ($OCDS_SCHEMA_DIR)")
        pytest.skip("the official OCDS 1.1.5 schemas are not available (set OCDS_SCHEMA_DIR)")
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in ocds_validator(schema_dir, package).iter_errors(packages[package])]
    assert errors == []


def ocds_validator(schema_dir: Path, package: str) -> Any:
    """A Draft 4 validator for one official package schema, with format checks (as tests/test_export.py does)."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry as RefRegistry
    from referencing import Resource
    from referencing.jsonschema import DRAFT4

    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in schema_dir.glob("*-schema.json")}
    registry = RefRegistry().with_resources((s["id"], Resource(s, specification=DRAFT4)) for s in schemas.values())
    checker = FormatChecker()
    assert {"date-time", "uri"} <= set(checker.checkers), "rfc3339-validator and rfc3987 must be installed"
    return Draft4Validator(schemas[f"{package}-schema.json"], registry=registry, format_checker=checker)
