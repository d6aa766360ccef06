"""`procure serve`'s one-record updates: which pages an edit touches, when a full build is needed instead, and that
the new version replaces the old one everywhere the model holds it. Expected records read off
tests/cases/valid/minimal-register by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.load import parse_yaml
from site_builder.model import Record, Registry, _freeze, build_model, thaw
from site_builder.serve import patch_registry, related_records, relations_of
from site_builder.validate import validate_register

MINIMAL = Path(__file__).parent / "cases" / "valid" / "minimal-register"
SCHEMAS = Path(__file__).parents[1] / "schemas"


@pytest.fixture()
def reg(tmp_path: Path) -> Registry:
    root = tmp_path / "register"
    shutil.copytree(MINIMAL, root)
    shutil.copytree(SCHEMAS, root / "schemas")
    config = load_config(root)
    result = validate_register(config, keep_data=True, use_cache=False)
    assert result.ok
    return build_model(result.files, config)


def test_an_award_touches_its_tender_buyer_supplier_and_reports(reg: Registry) -> None:
    award = reg.awards["AW-2025-001"]
    assert sorted((r.type, r.id) for r in related_records(reg, award)) == [
        ("organisation", "green-spaces-ltd"), ("organisation", "greenbridge-council"),
        ("outcome", "OC-2025-001"), ("outcome", "OC-2025-002"), ("tender", "T-2025-001")]
    outcome = reg.outcomes["OC-2025-001"]
    assert sorted((r.type, r.id) for r in related_records(reg, outcome)) == [
        ("award", "AW-2025-001"), ("organisation", "green-spaces-ltd")]


def test_a_changed_reference_needs_a_full_build(reg: Registry) -> None:
    award = thaw(reg.awards["AW-2025-001"].data)
    same = dict(award, title="Another title", value={"amount": 1, "currency": "GBP"})
    assert relations_of("award", same) == relations_of("award", award)
    assert relations_of("award", dict(award, suppliers=["greenbridge-council"])) != relations_of("award", award)
    assert relations_of("award", dict(award, tender="T-2025-009")) != relations_of("award", award)
    renamed = dict(award, commitments=[dict(award["commitments"][0], id="C9")])
    assert relations_of("award", renamed) != relations_of("award", award)


def test_patch_replaces_the_award_everywhere(reg: Registry) -> None:
    old = reg.awards["AW-2025-001"]
    source = old.source.replace(b"amount: 1150000", b"amount: 1380000")
    data, _ = parse_yaml(source)
    new = Record("award", old.id, old.rel_path, _freeze(data), source)
    patch_registry(reg, new)
    assert reg.awards["AW-2025-001"] is new
    assert reg.awards_by_tender["T-2025-001"] == [new]
    assert reg.awards_by_buyer["greenbridge-council"] == [new]
    assert reg.awards_by_supplier["green-spaces-ltd"] == [new]
    commitment = reg.commitment_by_key[("AW-2025-001", "C1")]
    assert commitment.award is new and reg.commitments == [commitment]
    assert all(c.award is new for cs in reg.commitments_by_measure.values() for c in cs)
    assert reg.awards["AW-2025-001"].get("value")["amount"] == 1380000
