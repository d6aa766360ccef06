"""Social-value figures on a small hand-made register; every expected number is worked out by hand below.

Reference date: 15 May 2026 (``AS_OF``). Grace period: 30 days, so a reporting period is due when it ended on or
before 14 April 2026 (end + 30 days < 15 May 2026).

Register (buyer ``council``; local area code E07000901):

* AW-1 (supplier acme: SME, local; £100,000; contract 1 Apr 2025 – 31 Mar 2027 = 2 years)
  - C1  10 fte whole-contract, quarterly, measure without proxy → not monetised.
        Reports: Q1 2 (independently verified), Q2 3 (buyer validated), Q3 2 at 50% attribution = 1, Q4 2
        (self-reported; running total 9). Q1–Q4 are due (Q4 ends 31 Mar 2026, due 30 Apr 2026) and all reported.
        Delivered 2+3+1+2 = 8, 80.0% of 10. Expected by 31 Mar 2026 = 10 × 1/2 = 5 → 8 ≥ 4.5 → on track.
  - C2  100 hours per year, annual, own valuation £16.93/hour. Full target 100 × 2 = 200 hours.
        Year 1 (to 31 Mar 2026, due 30 Apr) reported: 60 hours, running total wrongly given as 50.
        Expected = 200 × 1/2 = 100; 60 < 90 → behind; 30.0%. Committed £ 200 × 16.93 = 3,386.00;
        delivered £ 60 × 16.93 = 1,015.80.
  - C3  £5,000 whole-contract (unit gbp), six-monthly → valued in pounds as is. H1 £3,000 (independently
        verified); H2 first reported £1,000 (self-reported) then corrected to £2,000 (buyer validated,
        supersedes the first). Delivered 3,000 + 2,000 = 5,000 → delivered, 100.0%.
  - C4  50 tCO2e, withdrawn → shown, never counted.
  - C5  4 community events (count), inconspicuous, annual, external scheme national-toms: year 1 reported 1 →
        "reported" (described, not counted), 25.0%; left out of unit totals.
* AW-2 (joint: bright — VCSE charity, not SME, area E07000999 — and corp — not SME/VCSE, local; £300,000)
  - C1  2 fte per year over its own period 1 Jul 2025 – 30 Jun 2027 (2 years) → full target 4; quarterly;
        measure proxy £1,000 per fte. Reports: Jul–Sep 1, Jan–Mar 1 (both self-reported); Oct–Dec missing
        (due 30 Jan 2026) → overdue, 105 days late on 15 May 2026 (1 + 28 + 31 + 30 + 15).
        Delivered 2, 50.0%; expected by 31 Mar 2026 = 4 × 0.75/2 = 1.5. £ committed 4,000, delivered 2,000.
* AW-3 (supplier dunno: nothing recorded about size, type or area; £100,000; 1 Apr 2026 – 31 Mar 2028)
  - C1  52 weeks whole-contract, quarterly: first quarter ends 30 Jun 2026 → not yet due; not monetised.
* AW-4 (acme; cancelled; £999,999) → not in any share of spend.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO_ROOT as ROOT
from referencing import Registry as SchemaRegistry
from referencing import Resource

from site_builder.config import RegisterConfig
from site_builder.dates import add_months, financial_year, years_between
from site_builder.load import SourceFile
from site_builder.model import build_model

AS_OF = date(2026, 5, 15)
LOCAL = "E07000901"


def org(oid: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": oid, "name": f"Organisation {oid}", "roles": roles, **extra}


def measure(mid: str, unit: str, theme: str, proxy: dict[str, Any] | None = None) -> dict[str, Any]:
    data = {"id": mid, "scheme": "local", "scheme_version": "2024", "code": mid, "title": f"Measure {mid}",
            "unit": unit, "theme": theme, "sdgs": [8]}
    if proxy:
        data["proxy"] = proxy
    return data


def commitment(cid: str, code: str, theme: str, sdgs: list[int], quantity: float, unit: str, basis: str,
               frequency: str, scheme: str = "local", **extra: Any) -> dict[str, Any]:
    return {"id": cid, "measure": {"scheme": scheme, "scheme_version": "2024", "code": code}, "theme": theme,
            "sdgs": sdgs, "description": f"Commitment {cid}",
            "target": {"quantity": quantity, "unit": unit, "basis": basis}, "reporting_frequency": frequency, **extra}


def award(aid: str, suppliers: list[str], amount: float, start: str, end: str, commitments: list[dict[str, Any]],
          status: str = "active") -> dict[str, Any]:
    return {"id": aid, "buyer": "council", "title": f"Award {aid}", "status": status, "date": "2025-03-01",
            "value": {"amount": amount, "currency": "GBP"}, "suppliers": suppliers,
            "contract_period": {"start_date": start, "end_date": end}, "commitments": commitments}


def outcome(oid: str, aid: str, cid: str, start: str, end: str, quantity: float, unit: str,
            assurance: str = "self-reported", **extra: Any) -> dict[str, Any]:
    delivered: dict[str, Any] = {"quantity": quantity, "unit": unit}
    if "cumulative" in extra:
        delivered["cumulative_to_date"] = extra.pop("cumulative")
    data = {"id": oid, "award": aid, "commitment": cid, "period": {"start_date": start, "end_date": end},
            "reported_on": end, "delivered": delivered, "assurance": assurance, **extra}
    if assurance != "self-reported":
        data["evidence"] = [{"type": "report", "title": "Evidence of delivery"}]
    return data


def hand_made_register() -> dict[str, list[dict[str, Any]]]:
    valuation = {"proxy_value_gbp_per_unit": 16.93, "proxy_source": "Test proxy values", "proxy_version": "2024"}
    fte_proxy = {"value_gbp_per_unit": 1000, "source": "Test proxy table", "version": "v1", "licence": "OGL-UK-3.0"}
    return {
        "organisation": [
            org("council", ["buyer"], organisation_type="local-authority"),
            org("acme", ["supplier"], is_sme=True, is_vcse=False,
                local_authority_area={"name": "Greenbridge", "local_authority_code": LOCAL}),
            org("bright", ["supplier"], is_sme=False, is_vcse=True, organisation_type="charity",
                local_authority_area={"name": "Elsewhere", "local_authority_code": "E07000999"}),
            org("corp", ["supplier"], is_sme=False, is_vcse=False,
                local_authority_area={"name": "Greenbridge", "local_authority_code": LOCAL}),
            org("dunno", ["supplier"]),
        ],
        "measure": [
            measure("SV-FTE", "fte", "jobs"),
            measure("SV-FTE-P", "fte", "jobs", proxy=fte_proxy),
            measure("SV-HRS", "hours", "social"),
            measure("SV-GBP", "gbp", "growth"),
            measure("SV-CO2", "tco2e", "environment"),
            measure("SV-WKS", "weeks", "skills"),
        ],
        "award": [
            award("AW-1", ["acme"], 100_000, "2025-04-01", "2027-03-31", [
                commitment("C1", "SV-FTE", "jobs", [8], 10, "fte", "whole-contract", "quarterly"),
                commitment("C2", "SV-HRS", "social", [3, 11], 100, "hours", "per-year", "annual",
                           valuation=valuation),
                commitment("C3", "SV-GBP", "growth", [8], 5000, "gbp", "whole-contract", "six-monthly"),
                commitment("C4", "SV-CO2", "environment", [13], 50, "tco2e", "whole-contract", "annual",
                           status="withdrawn"),
                commitment("C5", "NT99", "social", [11], 4, "count", "whole-contract", "annual",
                           scheme="national-toms", benefit_type="inconspicuous"),
            ]),
            award("AW-2", ["bright", "corp"], 300_000, "2025-04-01", "2027-06-30", [
                commitment("C1", "SV-FTE-P", "jobs", [8, 10], 2, "fte", "per-year", "quarterly",
                           target_period={"start_date": "2025-07-01", "end_date": "2027-06-30"}),
            ]),
            award("AW-3", ["dunno"], 100_000, "2026-04-01", "2028-03-31", [
                commitment("C1", "SV-WKS", "skills", [4], 52, "weeks", "whole-contract", "quarterly"),
            ]),
            award("AW-4", ["acme"], 999_999, "2025-04-01", "2026-03-31", [], status="cancelled"),
        ],
        "outcome": [
            outcome("O-1-1-Q1", "AW-1", "C1", "2025-04-01", "2025-06-30", 2, "fte", "independently-verified"),
            outcome("O-1-1-Q2", "AW-1", "C1", "2025-07-01", "2025-09-30", 3, "fte", "buyer-validated"),
            outcome("O-1-1-Q3", "AW-1", "C1", "2025-10-01", "2025-12-31", 2, "fte", attribution_pct=50),
            outcome("O-1-1-Q4", "AW-1", "C1", "2026-01-01", "2026-03-31", 2, "fte", cumulative=9),
            outcome("O-1-2-Y1", "AW-1", "C2", "2025-04-01", "2026-03-31", 60, "hours", "buyer-validated",
                    cumulative=50),
            outcome("O-1-3-H1", "AW-1", "C3", "2025-04-01", "2025-09-30", 3000, "gbp", "independently-verified"),
            outcome("O-1-3-H2", "AW-1", "C3", "2025-10-01", "2026-03-31", 1000, "gbp"),
            outcome("O-1-3-H2-FIX", "AW-1", "C3", "2025-10-01", "2026-03-31", 2000, "gbp", "buyer-validated",
                    supersedes="O-1-3-H2"),
            outcome("O-1-5-Y1", "AW-1", "C5", "2025-04-01", "2026-03-31", 1, "count",
                    narrative="Residents said the refurbished park made them proud of the estate."),
            outcome("O-2-1-Q1", "AW-2", "C1", "2025-07-01", "2025-09-30", 1, "fte"),
            outcome("O-2-1-Q3", "AW-2", "C1", "2026-01-01", "2026-03-31", 1, "fte"),
        ],
    }


def _fix_target_period(records: dict[str, list[dict[str, Any]]]) -> None:
    """``target.period`` is nested in the schema; the helper above passes it flat for readability."""
    for a in records["award"]:
        for c in a.get("commitments", []):
            if "target_period" in c:
                c["target"]["period"] = c.pop("target_period")


def build(records: dict[str, list[dict[str, Any]]], as_of: date = AS_OF):  # type: ignore[no-untyped-def]
    config = RegisterConfig(root=ROOT, records_dir=ROOT / "records", schemas_dir=ROOT / "schemas",
                            local_area_codes=(LOCAL,), external_schemes=("national-toms",))
    files = []
    folders = {"organisation": "organisations", "measure": "measures", "award": "awards", "outcome": "outcomes"}
    for record_type, items in records.items():
        for data in items:
            files.append(SourceFile(f"records/{folders[record_type]}/{data['id']}.yaml", record_type,
                                    yaml.safe_dump(data).encode(), data))
    return build_model(files, config, as_of=as_of)


@pytest.fixture(scope="module")
def records() -> dict[str, list[dict[str, Any]]]:
    data = hand_made_register()
    _fix_target_period(data)
    return data


@pytest.fixture(scope="module")
def sv(records):  # type: ignore[no-untyped-def]
    reg = build(records)
    assert reg.social_value is not None
    return reg.social_value


def test_hand_made_register_is_schema_valid(records) -> None:  # type: ignore[no-untyped-def]
    """The figures below are only meaningful if the register is one the validator would accept."""
    schemas = {p.name: json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.schema.json")}
    registry = SchemaRegistry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    for record_type, items in records.items():
        validator = jsonschema.Draft202012Validator(schemas[f"{record_type}.schema.json"], registry=registry,
                                                    format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        for data in items:
            errors = [e.message for e in validator.iter_errors(data)]
            assert errors == [], (data["id"], errors)


# --- dates --------------------------------------------------------------------------------------------------------

def test_years_between_counts_calendar_months() -> None:
    assert years_between(date(2025, 4, 1), date(2029, 3, 31)) == 4.0  # spans a leap day: still exactly 4
    assert years_between(date(2025, 4, 1), date(2025, 6, 30)) == 0.25
    assert years_between(date(2025, 7, 1), date(2027, 6, 30)) == 2.0
    assert years_between(date(2025, 4, 1), date(2025, 4, 15)) == pytest.approx(15 / 30 / 12)  # half of April
    assert years_between(date(2025, 4, 1), date(2025, 3, 31)) == 0.0
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert financial_year(date(2026, 3, 31)) == "2025/26"
    assert financial_year(date(2026, 4, 1)) == "2026/27"


# --- per commitment -----------------------------------------------------------------------------------------------

def test_on_track_with_attribution(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-1", "C1")]
    assert f.target_quantity == 10
    assert f.delivered_to_date == 8  # 2 + 3 + 2×50% + 2
    assert f.pct_of_target == 80.0
    assert f.assessed_through == date(2026, 3, 31)
    assert f.expected_to_date == 5  # 10 × 1 year / 2 years
    assert f.status == "on-track"
    assert f.status_label == "On track"
    assert f.proxy is None and f.committed_gbp is None and f.delivered_gbp is None
    assert f.reported_cumulative == 9 and not f.cumulative_mismatch  # 2 + 3 + 2 + 2 as reported
    assert f.delivered_by_assurance == {"independently-verified": 2, "buyer-validated": 3, "self-reported": 3}
    assert [p.end for p in f.reporting_periods if p.is_due] == [
        date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)]
    assert len(f.reporting_periods) == 8  # two years of quarters
    assert sv.by_outcome["O-1-1-Q3"].attributed_quantity == 1


def test_behind_per_year_target_with_own_valuation(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-1", "C2")]
    assert f.basis == "per-year" and f.target_per_year == 100 and f.years == 2.0
    assert f.target_quantity == 200
    assert f.delivered_to_date == 60
    assert f.expected_to_date == 100
    assert f.pct_of_target == 30.0
    assert f.status == "behind"
    assert f.proxy is not None and f.proxy.origin == "commitment" and f.proxy.version == "2024"
    assert f.committed_gbp == pytest.approx(3386.00)
    assert f.delivered_gbp == pytest.approx(1015.80)
    # the running total says 50, the reports add up to 60: shown as a mismatch, the sum is kept
    assert f.reported_cumulative == 50 and f.reported_sum == 60 and f.cumulative_mismatch


def test_delivered_after_a_correction(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-1", "C3")]
    assert f.delivered_to_date == 5000  # 3,000 + the corrected 2,000 (the superseded 1,000 is dropped)
    assert f.pct_of_target == 100.0
    assert f.status == "delivered"
    assert f.superseded_ids == ("O-1-3-H2",)
    assert f.outcome_ids == ("O-1-3-H1", "O-1-3-H2-FIX")
    assert not sv.by_outcome["O-1-3-H2"].counted and sv.by_outcome["O-1-3-H2"].superseded_by == "O-1-3-H2-FIX"
    assert f.proxy is not None and f.proxy.origin == "pounds"
    assert (f.committed_gbp, f.delivered_gbp) == (5000, 5000)


def test_withdrawn_is_shown_not_counted(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-1", "C4")]
    assert f.status == "withdrawn" and not f.counted
    assert "tco2e" not in sv.overall.by_unit
    assert sv.overall.status_counts["withdrawn"] == 1


def test_inconspicuous_benefit_is_described_not_counted(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-1", "C5")]
    assert not f.conspicuous
    assert f.status == "reported"
    assert f.delivered_to_date == 1 and f.pct_of_target == 25.0
    assert f.measure_id is None and f.measure_key == "national-toms:NT99"  # external scheme
    assert "count" not in sv.overall.by_unit
    assert f.proxy is None


def test_overdue_wins_over_pace(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-2", "C1")]
    assert f.period_start == date(2025, 7, 1) and f.period_end == date(2027, 6, 30)  # target.period, not contract
    assert f.target_quantity == 4  # 2 a year × 2 years
    assert f.delivered_to_date == 2 and f.pct_of_target == 50.0
    assert f.expected_to_date == 1.5  # 4 × 0.75 / 2; delivery is ahead, but a report is missing
    assert f.status == "overdue"
    assert [(p.start, p.end, p.due) for p in f.overdue_periods] == [
        (date(2025, 10, 1), date(2025, 12, 31), date(2026, 1, 30))]
    assert f.proxy is not None and f.proxy.origin == "measure" and f.proxy.licence == "OGL-UK-3.0"
    assert (f.committed_gbp, f.delivered_gbp) == (4000, 2000)
    assert f.suppliers == ("bright", "corp")


def test_not_yet_due(sv) -> None:  # type: ignore[no-untyped-def]
    f = sv.by_commitment[("AW-3", "C1")]
    assert f.status == "not-yet-due"
    assert f.delivered_to_date == 0 and f.pct_of_target == 0.0
    assert f.expected_to_date is None and f.assessed_through is None


def test_grace_period_boundary(records) -> None:  # type: ignore[no-untyped-def]
    """AW-2/C1's missing Oct–Dec report is due on 30 Jan 2026: not overdue that day, overdue the day after."""
    on_due_date = build(records, as_of=date(2026, 1, 30)).social_value
    day_after = build(records, as_of=date(2026, 1, 31)).social_value
    assert on_due_date is not None and day_after is not None
    assert on_due_date.by_commitment[("AW-2", "C1")].status == "on-track"  # 1 delivered ≥ 0.9 × (4 × 0.25/2 = 0.5)
    assert day_after.by_commitment[("AW-2", "C1")].status == "overdue"


def test_not_yet_due_until_the_first_report_is_late(records) -> None:  # type: ignore[no-untyped-def]
    """Without AW-1/C1's reports: its first quarter ends 30 Jun 2025 and the report is due by 30 Jul 2025."""
    without = copy.deepcopy(records)
    without["outcome"] = [o for o in without["outcome"] if (o["award"], o["commitment"]) != ("AW-1", "C1")]
    statuses = {}
    for day in (date(2025, 6, 30), date(2025, 7, 30), date(2025, 7, 31)):
        figures = build(without, as_of=day).social_value
        assert figures is not None
        statuses[day.isoformat()] = figures.by_commitment[("AW-1", "C1")].status
    assert statuses == {"2025-06-30": "not-yet-due", "2025-07-30": "not-yet-due", "2025-07-31": "overdue"}


# --- roll-ups -----------------------------------------------------------------------------------------------------

def test_overall_status_counts(sv) -> None:  # type: ignore[no-untyped-def]
    assert sv.overall.total == 7
    assert {k: v for k, v in sv.overall.status_counts.items() if v} == {
        "on-track": 1, "behind": 1, "delivered": 1, "withdrawn": 1, "reported": 1, "overdue": 1, "not-yet-due": 1}


def test_units_are_never_added_together(sv) -> None:  # type: ignore[no-untyped-def]
    units = sv.overall.by_unit
    assert set(units) == {"fte", "hours", "gbp", "weeks"}
    assert (units["fte"].commitments, units["fte"].target, units["fte"].delivered) == (2, 14, 10)  # 10+4, 8+2
    assert (units["hours"].target, units["hours"].delivered) == (200, 60)
    assert (units["gbp"].target, units["gbp"].delivered) == (5000, 5000)
    assert (units["weeks"].target, units["weeks"].delivered) == (52, 0)


def test_money_only_from_declared_proxies(sv) -> None:  # type: ignore[no-untyped-def]
    # monetised: AW-1/C2 (3,386.00 / 1,015.80), AW-1/C3 (5,000 / 5,000), AW-2/C1 (4,000 / 2,000)
    assert sv.overall.monetised == 3
    assert sv.overall.not_monetised == 2  # AW-1/C1 (fte, no proxy) and AW-3/C1 (weeks, no proxy)
    assert sv.overall.committed_gbp == pytest.approx(12_386.00)
    assert sv.overall.delivered_gbp == pytest.approx(8_015.80)


def test_rollups_by_group(sv) -> None:  # type: ignore[no-untyped-def]
    assert sv.by_award["AW-1"].total == 5
    assert sv.by_award["AW-1"].by_unit["fte"].delivered == 8
    # the joint commitment belongs wholly to each joint supplier
    assert sv.by_supplier["bright"].keys == [("AW-2", "C1")] == sv.by_supplier["corp"].keys
    assert sv.by_supplier["acme"].total == 5
    assert sv.by_buyer["council"].total == 7
    assert sv.by_theme["jobs"].by_unit["fte"].target == 14
    assert sv.by_theme["social"].status_counts["behind"] == 1 and sv.by_theme["social"].status_counts["reported"] == 1
    # SDG 8: AW-1/C1, AW-1/C3, AW-2/C1 ; SDG 11: AW-1/C2 and the inconspicuous AW-1/C5
    assert sorted(sv.by_sdg[8].keys) == [("AW-1", "C1"), ("AW-1", "C3"), ("AW-2", "C1")]
    assert set(sv.by_sdg[11].by_unit) == {"hours"}
    assert sv.by_measure["local:SV-FTE-P"].delivered_gbp == 2000
    assert sv.by_measure["national-toms:NT99"].total == 1


def test_rollup_by_financial_year(sv) -> None:  # type: ignore[no-untyped-def]
    y = sv.by_year["2025/26"].by_unit["fte"]
    # AW-1/C1: 10 × 1/2 = 5; AW-2/C1: 4 × (Jul 2025–Mar 2026 = 0.75 year)/2 = 1.5
    assert y.target == pytest.approx(6.5)
    assert y.delivered == 10  # 8 + 2, all periods ending by 31 Mar 2026
    assert sv.by_year["2027/28"].by_unit["fte"].target == pytest.approx(0.5)  # AW-2/C1, Apr–Jun 2027
    assert sv.by_year["2026/27"].by_unit["weeks"].target == 26
    # £ committed in 2025/26: C2 3,386 × 1/2 + C3 5,000 × 1/2 + AW-2/C1 4,000 × 0.375
    assert sv.by_year["2025/26"].committed_gbp == pytest.approx(1693 + 2500 + 1500)


def test_delivery_by_assurance(sv) -> None:  # type: ignore[no-untyped-def]
    verified, validated, selfrep = (sv.by_assurance[k] for k in
                                    ("independently-verified", "buyer-validated", "self-reported"))
    assert (verified.reports, verified.by_unit) == (2, {"fte": 2, "gbp": 3000})
    assert verified.delivered_gbp == 3000
    assert (validated.reports, validated.by_unit) == (3, {"fte": 3, "hours": 60, "gbp": 2000})
    assert validated.delivered_gbp == pytest.approx(1015.80 + 2000)
    # AW-1/C1 Q3 (1 after attribution) and Q4 (2), AW-2/C1 twice (1 + 1); the superseded report and the
    # inconspicuous benefit are not counted
    assert (selfrep.reports, selfrep.by_unit) == (4, {"fte": 5})
    assert selfrep.delivered_gbp == 2000


def test_most_behind_and_overdue_lists(sv) -> None:  # type: ignore[no-untyped-def]
    assert sv.most_behind == [("AW-1", "C2"), ("AW-2", "C1")]  # 60/100 of what was due, then 2/1.5
    assert [(r.key, r.period.end, r.days_overdue) for r in sv.overdue_reports] == [
        (("AW-2", "C1"), date(2025, 12, 31), 105)]


def test_share_of_spend_with_joint_award(sv) -> None:  # type: ignore[no-untyped-def]
    s = sv.spend
    # active awards: AW-1 £100k (acme), AW-2 £300k split £150k bright + £150k corp, AW-3 £100k (dunno);
    # AW-4 is cancelled
    assert (s.awards, s.total_gbp) == (3, 500_000)
    assert s.local_gbp == 250_000 and s.local_pct == 50.0  # acme 100k + corp 150k
    assert s.sme_gbp == 100_000 and s.sme_pct == 20.0  # acme
    assert s.vcse_gbp == 150_000 and s.vcse_pct == 30.0  # bright's half of AW-2
    assert s.unknown_local_gbp == s.unknown_sme_gbp == s.unknown_vcse_gbp == 100_000  # dunno
    assert sv.spend_by_buyer["council"].total_gbp == 500_000


# --- pages and charts (rendered from the same hand-made register, no site build) ---------------------------------

@pytest.fixture(scope="module")
def rendered(records):  # type: ignore[no-untyped-def]
    """Every social-value page and every record page, as url → HTML; one narrative tries to inject markup."""
    from site_builder.render import build_environment
    from site_builder.render import records as record_pages
    from site_builder.render import social_value as sv_pages

    data = copy.deepcopy(records)
    for o in data["outcome"]:
        if o["id"] == "O-1-5-Y1":
            o["stakeholder_voice"] = '<script>alert("x")</script> "We feel proud of the park."'
    reg = build(data)
    env = build_environment()
    pages = {p.url: p.body_html for p in sv_pages.iter_pages(reg, env)}
    pages.update({p.url: p.body_html for p in record_pages.iter_pages(reg, env)})
    return pages


def test_social_value_pages_exist(rendered) -> None:  # type: ignore[no-untyped-def]
    for url in ("social-value/", "social-value/themes/jobs/", "social-value/themes/environment/",
                "social-value/sdgs/8/", "social-value/sdgs/13/"):
        assert url in rendered, url


def test_every_chart_has_a_text_alternative_and_its_numbers(rendered) -> None:  # type: ignore[no-untyped-def]
    import re

    charts_seen = 0
    for url, html in rendered.items():
        for figure in re.findall(r'<figure class="procure-chart".*?</figure>', html, flags=re.S):
            charts_seen += 1
            svg = re.search(r"<svg class=\"procure-chart__svg\"[^>]*>", figure)
            assert svg is not None, url
            assert 'role="img"' in svg.group(0) and "viewBox=" in svg.group(0), url
            assert "width=" not in svg.group(0), "a fixed width would not shrink on a phone"
            title_id, desc_id = re.search(r'aria-labelledby="([^" ]+) ([^"]+)"', svg.group(0)).groups()  # type: ignore[union-attr]
            assert f'<title id="{title_id}">' in figure and f'<desc id="{desc_id}">' in figure
            desc = re.search(rf'<desc id="{desc_id}">(.*?)</desc>', figure, flags=re.S).group(1)  # type: ignore[union-attr]
            assert len(desc) > 10, "the description says what the chart shows"
            assert "<table>" in figure and "<caption>" in figure, f"{url}: the numbers behind the chart"
            assert "<script" not in figure
    assert charts_seen >= 8


def test_overview_lists_overdue_and_behind(rendered) -> None:  # type: ignore[no-untyped-def]
    html = rendered["social-value/"]
    overdue = html[html.index('id="overdue"'):html.index('id="assurance"')]
    assert "October to December 2025" in overdue and "30 January 2026" in overdue and ">105<" in overdue
    behind = html[html.index('id="most-behind"'):html.index('id="overdue"')]
    assert behind.index("Commitment C2") < behind.index("Commitment C1")  # AW-1/C2 (60%) before AW-2/C1
    # money only from declared proxies: £12,386 promised, £8,016 delivered, 2 commitments in their own units
    assert "£12,386" in html and "£8,016" in html and "the other 2 are shown in their own units" in html


def test_award_page_shows_status_figures_and_words(rendered) -> None:  # type: ignore[no-untyped-def]
    html = rendered["awards/AW-1/"]
    assert "On track" in html and "Behind target" in html and "Delivered" in html and "Withdrawn (not counted)" in html
    assert "100 hours a year × 2 years = <strong>200 hours</strong>" in html
    assert "Corrected by report O-1-3-H2-FIX; not counted." in html
    assert "running total of 50 hours, but the reports add up to 60 hours" in html
    assert "Residents said the refurbished park made them proud of the estate." in html  # inconspicuous, shown
    # record text is escaped, never markup
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    award2 = rendered["awards/AW-2/"]
    assert "Report overdue" in award2 and "October to December 2025 (due by 30 January 2026)" in award2


def test_buyer_and_supplier_pages(rendered) -> None:  # type: ignore[no-untyped-def]
    buyer = rendered["organisations/council/"]
    assert "<strong>50%</strong> went to local suppliers" in buyer
    assert "<strong>20%</strong> to small and medium-sized enterprises" in buyer
    assert "<strong>30%</strong> to voluntary, community and social enterprises" in buyer
    supplier = rendered["organisations/bright/"]
    assert "Social value promised and delivered as a supplier" in supplier and "Report overdue" in supplier
