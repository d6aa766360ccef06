"""`procure new`: every skeleton validates as written and takes the next free id in the register's own pattern.

The register here is hand-made and tiny, so the expected ids are worked out by hand below.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT

from site_builder.cli import cli
from site_builder.config import load_config
from site_builder.load import parse_yaml
from site_builder.new import NewRecordError, new_record
from site_builder.validate import validate_register

TODAY = date(2026, 11, 21)

MKDOCS = """site_name: Test register
plugins:
  - procure:
      publisher:
        name: Greenbridge Borough Council
      external_schemes: [national-toms]
"""

RECORDS = {
    "organisations/aaa-health-trust.yaml": """id: aaa-health-trust
name: AAA Health Trust
roles: [buyer]
""",
    "organisations/greenbridge-borough-council.yaml": """id: greenbridge-borough-council
name: Greenbridge Borough Council
roles: [buyer]
""",
    "organisations/acme-ltd.yaml": """id: acme-ltd
name: Acme Ltd
roles: [supplier]
""",
    "tenders/T-2025-007.yaml": """id: T-2025-007
title: Grounds maintenance
buyer: greenbridge-borough-council
status: complete
procurement_method: open
main_category: services
cpv: ["77313000"]
published: 2025-01-06
""",
    "tenders/T-2026-012.yaml": """id: T-2026-012
title: School meals
buyer: greenbridge-borough-council
status: active
procurement_method: open
main_category: services
cpv: ["55523100"]
published: 2026-02-02
""",
    "awards/AW-2025-050.yaml": """id: AW-2025-050
tender: T-2025-007
buyer: greenbridge-borough-council
title: Grounds maintenance
status: active
date: 2025-03-01
value:
  amount: 100000
  currency: GBP
suppliers: [acme-ltd]
contract_period:
  start_date: 2025-04-01
  end_date: 2027-03-31
commitments:
  - id: C1
    measure:
      scheme: local
      scheme_version: "2024"
      code: GSV-01
    theme: jobs
    sdgs: [8]
    description: Employ 4 local people.
    target:
      quantity: 4
      unit: fte
      basis: whole-contract
    reporting_frequency: annual
""",
    "outcomes/OC-2025-050-C1-FY2025-26.yaml": """id: OC-2025-050-C1-FY2025-26
award: AW-2025-050
commitment: C1
period:
  start_date: 2025-04-01
  end_date: 2026-03-31
reported_on: 2026-04-20
delivered:
  quantity: 2
  unit: fte
  cumulative_to_date: 2
assurance: self-reported
""",
    "measures/GSV-01.yaml": """id: GSV-01
scheme: local
scheme_version: "2024"
code: GSV-01
title: Local people employed
unit: fte
theme: jobs
sdgs: [8]
""",
    "measures/GSV-09.yaml": """id: GSV-09
scheme: local
scheme_version: "2024"
code: GSV-09
title: Careers talks in schools
unit: hours-x-attendees
theme: skills
sdgs: [4]
""",
    "measures/PPN002-1A.yaml": """id: PPN002-1A
scheme: ppn-002
scheme_version: "2025"
code: 1a
title: Jobs created under the contract
unit: fte
theme: jobs
sdgs: [8]
""",
}


def make_register(root: Path, records: dict[str, str]) -> None:
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    for rel, text in records.items():
        path = root / "records" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def register(tmp_path: Path) -> Path:
    make_register(tmp_path, RECORDS)
    config = load_config(tmp_path)
    assert validate_register(config, use_cache=False).problems == []  # the starting point is valid
    return tmp_path


# Expected ids, by hand: tenders run T-2025-007, T-2026-012 → the sequence goes on in today's year (2026);
# awards AW-2025-050 → AW-2026-051; the award's annual commitment C1 (contract from 1 April 2025) was last
# reported for FY2025-26 → the next report is FY2026-27, 1 Apr 2026 – 31 Mar 2027; no organisation is called
# new-organisation yet; measures GSV-01, GSV-09 (and one PPN002-1A) → the common prefix GSV- goes on at 10.
EXPECTED = {
    "tender": "records/tenders/T-2026-013.yaml",
    "award": "records/awards/AW-2026-051.yaml",
    "outcome": "records/outcomes/OC-2025-050-C1-FY2026-27.yaml",
    "organisation": "records/organisations/new-organisation.yaml",
    "measure": "records/measures/GSV-10.yaml",
}


#: by hand: the values only an officer can know, written as placeholders, and what the test writes instead
PLACEHOLDERS = {
    "tender": {"/title": ("Replace with the tender's title", "Park benches"),
               "/cpv/0": ("Replace with a CPV code of eight digits, e.g. 77313000", "39113600")},
    "award": {"/title": ("Replace with the contract's title", "Park benches"),
              "/value/amount": ("Replace with the amount in pounds, digits only", "48000"),
              "/suppliers/0": ("Replace with the supplier's id from records/organisations/", "acme-ltd")},
    "outcome": {"/delivered/quantity": ("Replace with the quantity delivered in the period", "3")},
    "organisation": {"/name": ("Replace with the organisation's name", "Park Bench Makers Ltd")},
    "measure": {"/title": ("Replace with what is counted", "Benches installed")},
}


@pytest.mark.parametrize("record_type", sorted(EXPECTED))
def test_skeleton_fails_until_its_placeholders_are_replaced(register: Path, record_type: str) -> None:
    config = load_config(register)
    path = new_record(config, record_type, today=TODAY)
    assert path.relative_to(register).as_posix() == EXPECTED[record_type]
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{record_type}.schema.json"
    data, _ = parse_yaml(text.encode())
    assert data["id"] == path.stem
    # untouched, the skeleton is refused: one placeholder problem per made-up value, and nothing else
    result = validate_register(config, use_cache=False)
    assert {(p.path, p.code, p.pointer) for p in result.problems} == {
        (EXPECTED[record_type], "placeholder/unreplaced", pointer) for pointer in PLACEHOLDERS[record_type]}
    assert not result.ok
    # with real values written in, it validates as it is
    for placeholder, real in PLACEHOLDERS[record_type].values():
        assert text.count(placeholder) == 1
        text = text.replace(placeholder, real)
    path.write_text(text, encoding="utf-8")
    result = validate_register(config, use_cache=False)
    assert [p.format() for p in result.problems] == []
    assert path.relative_to(register).as_posix() in {f.rel_path for f in result.files}


def test_skeleton_explains_fields_from_the_schema(register: Path) -> None:
    path = new_record(load_config(register), "tender", today=TODAY)
    text = path.read_text(encoding="utf-8")
    # the description and the example of tender.social_value_weighting_pct, as the schema words them
    assert "# The share of the evaluation given to social value" in text
    assert "# social_value_weighting_pct: 15" in text
    # the publisher is the default buyer, though another buyer sorts first
    assert "\nbuyer: greenbridge-borough-council\n" in text


def test_outcome_skeleton_points_at_the_next_period(register: Path) -> None:
    path = new_record(load_config(register), "outcome", today=TODAY)
    data, _ = parse_yaml(path.read_bytes())
    assert data["award"] == "AW-2025-050" and data["commitment"] == "C1"
    assert data["period"] == {"start_date": "2026-04-01", "end_date": "2027-03-31"}
    # same unit as the commitment; the running total carries on from the last report (2), never goes down
    assert data["delivered"] == {"quantity": "Replace with the quantity delivered in the period", "unit": "fte",
                                 "cumulative_to_date": 2}
    assert data["reported_by"] == "acme-ltd"


def test_second_new_organisation_gets_a_fresh_id(register: Path) -> None:
    config = load_config(register)
    first = new_record(config, "organisation", today=TODAY)
    first.write_text(first.read_text(encoding="utf-8").replace("Replace with the organisation's name", "Kept"))
    before = first.read_bytes()
    second = new_record(config, "organisation", today=TODAY)
    assert (first.name, second.name) == ("new-organisation.yaml", "new-organisation-2.yaml")
    assert first.read_bytes() == before  # the officer's edits to the first file are never overwritten


def test_cli_prints_the_path(register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(register)
    result = CliRunner().invoke(cli, ["new", "measure", "--root", str(register)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "records/measures/GSV-10.yaml"
    assert (register / "records/measures/GSV-10.yaml").exists()


def test_cli_rejects_an_unknown_type(register: Path) -> None:
    result = CliRunner().invoke(cli, ["new", "contract", "--root", str(register)])
    assert result.exit_code == 2
    assert "'contract' is not one of" in result.output


def test_award_without_organisations_is_a_clear_error(tmp_path: Path) -> None:
    make_register(tmp_path, {})
    with pytest.raises(NewRecordError, match="needs a buyer and a supplier"):
        new_record(load_config(tmp_path), "award", today=TODAY)
    result = CliRunner().invoke(cli, ["new", "outcome", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "Error: an outcome reports on a commitment" in result.output
    assert list(tmp_path.glob("records/**/*.yaml")) == []  # nothing half-written


def test_reporting_periods_after_the_28th_match_the_overdue_rule() -> None:
    """`procure new outcome` proposes the periods the overdue rule counts (one dates module): quarters from
    31 January end on the day before 30 April, 31 July and 31 October (each clamped to its month's end), not on
    the 27th as a clamp to the 28th would give."""
    from site_builder.dates import iter_reporting_periods
    from site_builder.new import _periods

    expected = [(date(2025, 1, 31), date(2025, 4, 29)), (date(2025, 4, 30), date(2025, 7, 30)),
                (date(2025, 7, 31), date(2025, 10, 30)), (date(2025, 10, 31), date(2025, 12, 31))]
    assert _periods(date(2025, 1, 31), date(2025, 12, 31), "quarterly") == expected
    as_of = date(2030, 1, 1)
    assert list(iter_reporting_periods(date(2025, 1, 31), date(2025, 12, 31), "quarterly", as_of)) == expected


def test_direct_award_skeleton_states_its_procedure_and_validates(register: Path) -> None:
    """issue 13: an award without a tender must say how the supplier was chosen, and why without competition."""
    config = load_config(register)
    path = new_record(config, "direct-award", today=TODAY)
    assert path.relative_to(register).as_posix() == "records/awards/AW-2026-051.yaml"  # same sequence as awards
    data, _ = parse_yaml(path.read_bytes())
    assert "tender" not in data
    assert data["procedure"]["method"] == "direct"
    assert data["procedure"]["justification"]["ground"] == "pa23-single-supplier"
    text = path.read_text(encoding="utf-8")
    assert "# termination:" in text and "# changes:" in text  # the contract-after-award fields, ready to uncomment
    # issue 15: what only the officer knows is a placeholder, refused until replaced; then the skeleton validates
    placeholders = {"/title": ("Replace with the contract's title", "Tree survey"),
                    "/value/amount": ("Replace with the amount in pounds, digits only", "9500"),
                    "/suppliers/0": ("Replace with the supplier's id from records/organisations/", "acme-ltd"),
                    "/procedure/justification/explanation": ("Replace with why no other supplier could be asked",
                                                             "Only Acme Ltd holds the survey data.")}
    problems = validate_register(config, use_cache=False).problems
    assert {(p.code, p.pointer) for p in problems} == {("placeholder/unreplaced", k) for k in placeholders}
    for placeholder, real in placeholders.values():
        assert text.count(placeholder) == 1
        text = text.replace(placeholder, real)
    path.write_text(text, encoding="utf-8")
    assert [p.format() for p in validate_register(config, use_cache=False).problems] == []


def test_award_skeleton_names_the_buyers_newest_tender_whose_bidding_has_closed(register: Path) -> None:
    # the publisher (greenbridge-borough-council) ran T-2025-007 (complete) and T-2026-012 (active, no deadline:
    # still open for bids, which an award may not name, issue 15): the newest closed one is named
    path = new_record(load_config(register), "award", today=TODAY)
    data, _ = parse_yaml(path.read_bytes())
    assert data["tender"] == "T-2025-007" and "procedure" not in data
