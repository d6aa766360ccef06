"""The contract after award (issue 13): direct awards, changes, terminations, display status, KPI assessments.

Every expected value is worked out by hand in the comment beside it, from the records written in the test (or, for
the demonstration register, from the records in records/)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from ocds_helpers import load_model, make_register

from site_builder import contracts, forward_plan
from site_builder.config import load_config
from site_builder.export import export_all
from site_builder.model import Record, Registry, _freeze, build_model
from site_builder.render import build_environment
from site_builder.render.records import build_search_meta, iter_pages
from site_builder.validate import validate_register

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "tests" / "cases" / "valid" / "contract-after-award"
SHARED = REPO.parent / "shared"

ORGS = {
    "buyer": "id: buyer\nname: Greenbridge Council\nroles: [buyer]\n",
    "s1": "id: s1\nname: Supplier One Ltd\nroles: [supplier]\n",
    "s2": "id: s2\nname: Supplier Two Ltd\nroles: [supplier]\n",
}


def award(award_id: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": award_id, "buyer": "buyer", "title": f"Contract {award_id}", "status": "active",
                            "date": "2025-01-06", "value": {"amount": 100_000, "currency": "GBP"},
                            "suppliers": ["s1"]}
    data.update(fields)
    return data


def record(data: dict[str, Any]) -> Record:
    return Record("award", data["id"], f"records/awards/{data['id']}.yaml", _freeze(data), b"")


def write_register(root: Path, awards: list[dict[str, Any]], tenders: list[dict[str, Any]] = ()) -> Registry:
    make_register(root)
    for folder, items in (("organisations", None), ("awards", awards), ("tenders", tenders)):
        (root / "records" / folder).mkdir(parents=True, exist_ok=True)
        if items is None:
            for oid, text in ORGS.items():
                (root / "records" / folder / f"{oid}.yaml").write_text(text)
            continue
        for item in items:  # JSON is YAML: what is written is exactly what the test built
            (root / "records" / folder / f"{item['id']}.yaml").write_text(json.dumps(item))
    return load_model(root)


DIRECT = {"method": "direct", "legal_basis": "other",
          "justification": {"ground": "below-threshold", "explanation": "Under the single-quotation limit."}}
PERIOD = {"start_date": "2025-02-01", "end_date": "2026-01-31"}  # 364 days


def value_change(new: float, old: float = 100_000, when: str = "2025-06-01") -> dict[str, Any]:
    return {"id": f"CH{int(new)}", "date": when, "kinds": ["value"], "description": "More work.", "reason": "Why.",
            "value_before": {"amount": old, "currency": "GBP"}, "value_after": {"amount": new, "currency": "GBP"}}


def end_change(new: str, old: str = "2026-01-31") -> dict[str, Any]:
    return {"id": "CH1", "date": "2025-06-01", "kinds": ["end-date"], "description": "Longer.", "reason": "Why.",
            "end_date_before": old, "end_date_after": new}


# --- model -------------------------------------------------------------------------------------------------------

def test_terms_fold_the_changes_in_date_order() -> None:
    rec = record(award("A", contract_period=PERIOD, changes=[
        value_change(110_000, when="2025-03-01"),
        {**value_change(125_000, 110_000, when="2025-09-01"), "kinds": ["value", "end-date"],
         "end_date_before": "2026-01-31", "end_date_after": "2026-07-31"}]))
    terms = contracts.terms_of(rec)
    assert terms.original_value == {"amount": 100_000, "currency": "GBP"}
    assert terms.current_value == {"amount": 125_000, "currency": "GBP"}
    assert terms.value_change_pct == pytest.approx(25.0)  # (125,000 - 100,000) / 100,000
    assert (terms.original_end, terms.current_end) == (date(2026, 1, 31), date(2026, 7, 31))
    # 1 Feb 2025 → 31 Jan 2026 is 364 days; 31 Jan → 31 Jul 2026 is 181 days: 181 / 364 = 49.73%
    assert terms.extension_pct == pytest.approx(181 / 364 * 100)


@pytest.mark.parametrize(("fields", "code", "label"), [
    ({"status": "pending"}, "pending", "Award pending (standstill or not yet confirmed)"),
    ({"status": "cancelled"}, "cancelled", "Award cancelled"),
    ({"contract_status": "cancelled"}, "cancelled", "Contract cancelled before signature"),
    ({"contract_status": "pending", "contract_period": PERIOD}, "not-signed", "Awarded, contract not yet signed"),
    ({"contract_period": PERIOD}, "not-signed", "Awarded, contract not yet signed"),  # no status, never signed
    # signed, running on 1 Oct 2025
    ({"contract_status": "active", "contract_period": PERIOD}, "in-progress", "In progress until 31 January 2026"),
    # "active" but its end date (31 Jan 2026) is before the reference date (1 Oct 2025 + ... ) is tested below
    ({"contract_status": "active", "contract_period": {"start_date": "2025-11-01", "end_date": "2026-10-31"}},
     "not-started", "Contract starts 1 November 2025"),
    # OCDS "terminated" with the end date still ahead: ended early, date not published
    ({"contract_status": "terminated", "contract_period": PERIOD}, "terminated-early",
     "Terminated early (date not published)"),
    ({"contract_status": "terminated", "contract_period": PERIOD,
      "termination": {"date": "2025-08-31", "reason": "Agreed."}}, "terminated-early", "Terminated early on 31 August 2025"),
    # extended by a change from 31 Jan 2026 to 31 Dec 2026: still running
    ({"contract_status": "active", "contract_period": {"start_date": "2024-02-01", "end_date": "2025-01-31"},
      "changes": [end_change("2025-12-31", "2025-01-31")]}, "in-progress", "In progress until 31 December 2025"),
])
def test_display_status_on_1_october_2025(fields: dict[str, Any], code: str, label: str) -> None:
    status = contracts.display_status(record(award("A", **fields)), date(2025, 10, 1))
    assert (status.code, status.label) == (code, label)
    assert status.group == contracts.STATUS_GROUPS[code]


def test_an_active_contract_past_its_end_date_reads_ended() -> None:
    rec = record(award("A", contract_status="active", date_signed="2025-01-20", contract_period=PERIOD))
    status = contracts.display_status(rec, date(2026, 3, 1))
    assert (status.code, status.label) == ("ended", "Contract ended 31 January 2026")


def test_latest_ratings_and_the_inadequate_roll_up() -> None:
    def kpi(kid: str, *ratings: str) -> dict[str, Any]:
        years = [("2025-02-01", "2026-01-31"), ("2026-02-01", "2027-01-31")]
        return {"id": kid, "title": f"KPI {kid}", "assessments": [
            {"period": {"start_date": s, "end_date": e}, "rating": r} for (s, e), r in zip(years, ratings, strict=False)]}
    # KPI1 was inadequate, then good: not rated inadequate now; KPI2's latest is inadequate
    a1 = record(award("A1", kpis=[kpi("KPI1", "inadequate", "good")]))
    a2 = record(award("A2", kpis=[kpi("KPI1", "good"), kpi("KPI2", "approaching-target", "inadequate")]))
    a3 = record(award("A3"))
    assert not contracts.rated_inadequate(a1)
    assert contracts.rated_inadequate(a2)
    summary = contracts.performance_of([a1, a2, a3])
    assert summary.assessed == 2  # a3 has no assessments
    assert [a.id for a in summary.inadequate] == ["A2"]
    assert dict(summary.ratings) == {"good": 2, "inadequate": 1}  # A1 KPI1 good; A2 KPI1 good, KPI2 inadequate


# --- indicators --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def flagged(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    awards = [
        # value through changes: 110,000 on 100,000 is exactly 10% → not; 110,001 is 10.001% → flagged
        award("V10", contract_period=PERIOD, procedure={"method": "open"}, changes=[value_change(110_000)]),
        award("V10PLUS", contract_period=PERIOD, procedure={"method": "open"}, changes=[value_change(110_001)]),
        # extension: 364-day term; +91 days = 25.0% → not; +92 days = 25.27% → flagged
        award("E25", contract_period=PERIOD, procedure={"method": "open"}, changes=[end_change("2026-05-02")]),
        award("E25PLUS", contract_period=PERIOD, procedure={"method": "open"}, changes=[end_change("2026-05-03")]),
        # repeated direct awards buyer → s2, one without a tender record and one from a direct tender, 200 days
        # apart → both flagged (the default is 2 within 365 days); both are also "no open competition"
        award("D1", suppliers=["s2"], date="2025-01-06", procedure=DIRECT),
        award("D2", suppliers=["s2"], date="2025-07-25", tender="T-DIRECT"),
        # an open award without a tender record is not a direct award
        award("O1", suppliers=["s2"], date="2025-03-01", procedure={"method": "open"}),
    ]
    tenders = [{"id": "T-DIRECT", "title": "Direct call-off", "buyer": "buyer", "status": "complete",
                "procurement_method": "direct", "main_category": "services", "cpv": ["77313000"],
                "published": "2025-07-01", "justification": {"ground": "framework-call-off", "explanation": "Call-off."}}]
    return write_register(tmp_path_factory.mktemp("contracts") / "register", awards, tenders)


def test_change_indicators_sit_on_either_side_of_their_thresholds(flagged: Registry) -> None:
    assert flagged.indicators is not None
    codes = {rid: set(flagged.indicators.codes_for("award", rid)) for rid in flagged.awards}
    assert codes["V10"] == set()
    assert codes["V10PLUS"] == {"value-increased-by-changes"}
    assert codes["E25"] == set()
    assert codes["E25PLUS"] == {"term-extended"}
    detail = flagged.indicators.by_record[("award", "V10PLUS")][0].detail
    assert "£100,000 to £110,001, 10.0% more" in detail


def test_direct_awards_with_and_without_a_tender_record_are_treated_alike(flagged: Registry) -> None:
    assert flagged.indicators is not None
    codes = {rid: set(flagged.indicators.codes_for("award", rid)) for rid in flagged.awards}
    assert codes["D1"] == {"non-competitive", "repeat-direct-award"}  # no tender: its own non-competitive flag
    assert codes["D2"] == {"repeat-direct-award"}  # its tender carries the non-competitive flag
    assert set(flagged.indicators.codes_for("tender", "T-DIRECT")) == {"non-competitive"}
    assert codes["O1"] == set()
    assert contracts.procedure_method(flagged, flagged.awards["D1"]) == "direct"
    assert contracts.procedure_method(flagged, flagged.awards["D2"]) == "direct"
    # the search filter "How suppliers were invited" finds both
    labels = build_environment().globals["labels"]
    for rid in ("D1", "D2"):
        meta = build_search_meta(flagged, flagged.awards[rid], labels)  # type: ignore[arg-type]
        assert meta.filters["method"] == ("Direct award without competition",)  # the codelist label


def test_the_demo_flags_the_two_direct_awards_to_the_same_consultant() -> None:
    config = load_config(REPO)
    result = validate_register(config, keep_data=True, use_cache=False)
    assert result.ok
    reg = build_model(result.files, config)
    assert reg.indicators is not None
    # records/awards/AW-2024-022.yaml (5 Feb 2024) and AW-2024-029.yaml (2 Sep 2024): both direct, no tender,
    # Greenbridge Borough Council → Sandra Okafor Consulting, 210 days apart
    for rid in ("AW-2024-022", "AW-2024-029"):
        assert reg.awards[rid].get("tender") is None
        assert "repeat-direct-award" in reg.indicators.codes_for("award", rid)
    # AW-2022-006: 930,000 → 1,395,000 is +50%, and its 24-month term (730 days) grew by 365 days (50%)
    assert set(reg.indicators.codes_for("award", "AW-2022-006")) >= {"value-increased-by-changes", "term-extended"}
    # AW-2022-005: 6,950,000 → 8,000,000 is +15.1%; 6 months on 36 is 16.7%, under 25%
    assert "value-increased-by-changes" in reg.indicators.codes_for("award", "AW-2022-005")
    assert "term-extended" not in reg.indicators.codes_for("award", "AW-2022-005")
    # every UK9 grade is used by some KPI assessment
    ratings = {a["rating"] for rec in reg.awards.values() for k in rec.get("kpis") or () for a in k.get("assessments") or ()}
    assert ratings == {"good", "approaching-target", "requires-improvement", "inadequate", "other"}


# --- exports and pages of the valid case -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case_register(tmp_path_factory: pytest.TempPathFactory) -> tuple[Registry, Path]:
    root = make_register(tmp_path_factory.mktemp("case") / "register", "      site_url: https://register.example/\n")
    shutil.copytree(CASE / "records", root / "records")
    reg = load_model(root)
    out = root / "data"
    export_all(reg, out, page_urls=[])
    return reg, out


def read_csv(out: Path, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "csv" / f"{table}.csv").read_text("utf-8"), newline="")))


def test_csv_awards_carry_procedure_status_and_figures_after_changes(case_register: tuple[Registry, Path]) -> None:
    _, out = case_register
    rows = {r["id"]: r for r in read_csv(out, "awards")}
    # AW-2025-001: direct, no tender; 40,000 → 52,000 by CH1; end 31 Mar → 30 Sep 2026; terminated 31 May 2026
    # (reference date 1 Jan 2026 in the test mkdocs.yml); its only KPI's only assessment is inadequate
    a = rows["AW-2025-001"]
    assert (a["procedure"], a["is_direct_award"], a["procedure_justification_ground"]) == (
        "direct", "true", "pa23-single-supplier")
    assert (a["current_value_amount"], a["current_end_date"]) == ("52000", "2026-09-30")
    assert a["display_status"] == "terminated-early"
    assert (a["termination_date"], a["kpis_rated_inadequate"]) == ("2026-05-31", "true")
    # AW-2025-002 comes from the limited tender T-2025-001, never signed
    b = rows["AW-2025-002"]
    assert (b["procedure"], b["is_direct_award"], b["display_status"]) == ("limited", "false", "not-signed")
    assert (b["current_value_amount"], b["kpis_rated_inadequate"]) == ("40000", "false")

    changes = read_csv(out, "contract_changes")
    assert [(r["award_id"], r["id"], r["kinds"], r["value_before_amount"], r["value_after_amount"],
             r["end_date_before"], r["end_date_after"], r["notice_type"]) for r in changes] == [
        ("AW-2025-001", "CH1", "value;end-date", "40000", "52000", "2026-03-31", "2026-09-30", "UK10")]
    assessments = read_csv(out, "kpi_assessments")
    assert [(r["award_id"], r["kpi_id"], r["position"], r["period_start_date"], r["rating"]) for r in assessments] == [
        ("AW-2025-001", "KPI1", "1", "2025-04-01", "inadequate")]
    tenders = {r["id"]: r for r in read_csv(out, "tenders")}
    assert tenders["T-2025-001"]["justification_ground"] == "below-threshold"
    assert tenders["T-2025-002"]["termination_reason"] == "No compliant bids."


def test_ocds_has_amendments_current_value_termination_and_kpi_ratings(case_register: tuple[Registry, Path]) -> None:
    _, out = case_register
    package = json.loads((out / "ocds" / "record-package.json").read_text("utf-8"))
    compiled = {r["compiledRelease"]["ocid"]: r["compiledRelease"] for r in package["records"]}
    direct = next(c for c in compiled.values() if c.get("awards", [{}])[0].get("id") == "AW-2025-001")
    assert direct["tender"]["procurementMethod"] == "direct"
    assert direct["tender"]["procurementMethodRationale"].endswith(
        "Only the original supplier can support the installed system.")
    assert direct["awards"][0]["value"] == {"amount": 40000, "currency": "GBP"}  # as awarded
    contract = direct["contracts"][0]
    assert contract["value"] == {"amount": 52000, "currency": "GBP"}  # after CH1
    assert contract["period"]["endDate"] == "2026-09-30T23:59:59Z"
    assert [(a["id"], a["value"]["amount"], a["period"]["endDate"]) for a in contract["amendments"]] == [
        ("CH1", 52000, "2026-09-30T23:59:59Z")]
    assert contract["status"] == "terminated"
    assert contract["implementation"]["endDate"] == "2026-05-31T23:59:59Z"
    assert contract["implementation"]["endDateDetails"] == "Terminated early: Ended by agreement."
    kpi = next(m for m in contract["implementation"]["metrics"] if m["id"] == "KPI1")
    assert [(o["dimensions"]["rating"], o["notes"]) for o in kpi["observations"]] == [
        ("inadequate", "97% availability after two long outages.")]
    assert {d["noticeType"] for d in contract["documents"]} == {"UK10"}
    stopped = next(c for c in compiled.values() if c.get("tender", {}).get("id") == "T-2025-002")
    assert stopped["tender"]["finalStatusDate"] == "2025-03-01T00:00:00Z"
    assert [(d["noticeType"], d.get("description")) for d in stopped["tender"]["documents"]] == [
        ("UK12", "No compliant bids.")]


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: how OCDS extensions patch the release schema."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = _merge_patch(out.get(key), value)
    return out


def extended_validator(package: dict[str, Any]) -> Any:
    """A Draft 4 validator of one release against the OCDS 1.1.5 release schema patched with every extension the
    package declares and what they depend on, read offline from ../shared (as the Data Review Tool would)."""
    schema_dir, ext_dir = SHARED / "ocds-schema", SHARED / "ocds-extensions"
    if not (schema_dir / "release-schema.json").exists() or not (ext_dir / "manifest.json").exists():
        if os.environ.get("REQUIRE_OCDS_SCHEMA"):
            pytest.fail("REQUIRE_OCDS_SCHEMA is set but ../shared/ocds-schema or ocds-extensions is missing")
        pytest.skip("the OCDS schema and extensions are not on this machine (../shared)")
    from jsonschema import Draft4Validator, FormatChecker

    manifest = json.loads((ext_dir / "manifest.json").read_text("utf-8"))
    schema = json.loads((schema_dir / "release-schema.json").read_text("utf-8"))
    missing = [url for url in package["extensions"] if url not in manifest]
    assert missing == [], "declared extensions that no validator can resolve (wrong ref?)"
    wanted = list(package["extensions"])
    for url in wanted:  # the declared extensions and what they depend on (the UK extension names nine)
        folder = ext_dir / manifest[url]["folder"]
        meta = json.loads((folder / "extension.json").read_text("utf-8"))
        wanted += [dep for dep in meta.get("dependencies", ()) if dep not in wanted]
        if (folder / "release-schema.json").exists():
            schema = _merge_patch(schema, json.loads((folder / "release-schema.json").read_text("utf-8")))
    return Draft4Validator(schema, format_checker=FormatChecker())


def test_ocds_validates_offline_against_the_declared_extensions(case_register: tuple[Registry, Path]) -> None:
    _, out = case_register
    package = json.loads((out / "ocds" / "release-package.json").read_text("utf-8"))
    validator = extended_validator(package)
    errors = [f"{r['id']} {list(e.absolute_path)}: {e.message}" for r in package["releases"]
              for e in validator.iter_errors(r)]
    assert errors == []
    # the patched schema does check the extensions' fields: an amended value must be a Value object
    broken = json.loads(json.dumps(next(r for r in package["releases"] if r.get("contracts", [{}])[0].get("amendments"))))
    broken["contracts"][0]["amendments"][0]["value"] = "52000"
    assert list(validator.iter_errors(broken))


def test_the_demo_ocds_validates_against_the_declared_extensions(demo: Registry, tmp_path: Path) -> None:
    """The demonstration has every part: changes, a termination, KPI ratings, a framework's call-offs, direct awards
    without a tender, planned procurements with events still to come."""
    export_all(demo, tmp_path / "data", page_urls=[])
    package = json.loads((tmp_path / "data" / "ocds" / "release-package.json").read_text("utf-8"))
    validator = extended_validator(package)
    errors = [f"{r['id']} {list(e.absolute_path)}: {e.message}" for r in package["releases"]
              for e in validator.iter_errors(r)]
    assert errors == []
    scheduled = [m for r in package["releases"] for m in (r.get("planning") or {}).get("milestones", ())
                 if m.get("status") == "scheduled"]
    assert [m["dueDate"] for m in scheduled] == ["2026-12-03T00:00:00Z"]  # the leisure supplier day, after 1 Nov 2026


def test_award_page_shows_the_contract_after_award(case_register: tuple[Registry, Path]) -> None:
    reg, _ = case_register
    pages = {p.url: p for p in iter_pages(reg, build_environment())}
    html = pages["awards/AW-2025-001/"].body_html
    assert "Terminated early on 31 May 2026" in html
    assert "Changes to the contract" in html and "£40,000" in html and "£52,000" in html
    assert "Only one supplier can do it (Procurement Act 2023, Schedule 5)" in html
    assert "Inadequate" in html and "97% availability after two long outages." in html
    # the journey: CH1 on 1 Sep 2025, the KPI's year to 31 Mar 2026, the termination on 31 May 2026
    journey = html[html.index('id="journey"'):]
    assert journey.index("1 September 2025") < journey.index("Contract changed (value, end date)")
    assert "KPI1 assessed: Inadequate" in journey and "Contract terminated early" in journey
    assert "Contract ends" not in journey  # it was terminated before its end date
    tender = pages["tenders/T-2025-002/"].body_html
    assert "Procurement stopped" in tender and "No compliant bids." in tender
    org = pages["organisations/s1/"].body_html if "organisations/s1/" in pages else \
        pages["organisations/green-spaces-ltd/"].body_html
    assert "Contracts rated inadequate" in org and "Consultancy support" in org


# --- frameworks and call-offs (the demonstration register) --------------------------------------------------------

@pytest.fixture(scope="module")
def demo() -> Registry:
    config = load_config(REPO)
    result = validate_register(config, keep_data=True, use_cache=False)
    assert result.ok
    return build_model(result.files, config)


def test_the_demo_framework_adds_up_its_call_offs(demo: Registry) -> None:
    framework = demo.awards["AW-2025-040"]  # Roofing repairs framework, maximum £1,200,000
    use = contracts.framework_use(demo, framework)
    assert use is not None
    # records/awards/AW-2026-051..053: £180,000 + £245,000 + £310,000 = £735,000; 735 / 1,200 = 61.25%
    assert [c.id for c in use.call_offs] == ["AW-2026-051", "AW-2026-052", "AW-2026-053"]
    assert use.total == 735_000 and use.other_currency == 0
    assert use.used_pct == pytest.approx(61.25)
    assert demo.indicators is not None
    for call_off in use.call_offs:  # direct call-offs to one supplier, but the competition was for the framework
        assert "repeat-direct-award" not in demo.indicators.codes_for("award", call_off.id)


def test_a_call_off_links_to_its_framework_in_ocds(demo: Registry, tmp_path: Path) -> None:
    export_all(demo, tmp_path / "data", page_urls=[])
    releases = json.loads((tmp_path / "data" / "ocds" / "release-package.json").read_text("utf-8"))["releases"]
    call_off = next(r for r in releases if r["id"] == "AW-2026-052-award")
    # the framework AW-2025-040 came from tender T-2025-036, whose ocid is ocds-gbr001-T-2025-036
    assert call_off["relatedProcesses"] == [{
        "id": "framework-AW-2025-040", "relationship": ["framework"],
        "title": "Roofing repairs framework for council buildings", "scheme": "ocid",
        "identifier": "ocds-gbr001-T-2025-036"}]


# --- the forward view ---------------------------------------------------------------------------------------------

def test_pipeline_entries_and_their_deadlines(demo: Registry) -> None:
    entries = {e.tender.id: e for e in forward_plan.entries(demo)}
    # every tender with status planning or planned in records/tenders/, and nothing else
    assert set(entries) == {t.id for t in demo.tenders.values() if t.get("status") in ("planning", "planned")}
    assert demo.as_of == date(2026, 11, 1)  # mkdocs.yml pins the demo's reference date
    # T-2026-051 (leisure): supplier day 3 Dec 2026, register by 26 Nov; tender expected 1 Mar 2027 → 26 Nov
    leisure = entries["T-2026-051"]
    assert (leisure.deadline, leisure.deadline_what) == (date(2026, 11, 26), "register for the engagement event")
    assert leisure.notices == ("UK1", "UK2") and leisure.value_band == "Over £2 million"
    # T-2026-049 (family units): no event to come; tender expected 7 Dec 2026
    family = entries["T-2026-049"]
    assert (family.deadline, family.deadline_what) == (date(2026, 12, 7), "tender notice expected")
    # newest deadline first
    ordered = [e.deadline for e in forward_plan.entries(demo)]
    assert ordered == sorted(ordered, reverse=True)


def test_pipeline_feed_lists_the_planned_procurements(demo: Registry, tmp_path: Path) -> None:
    export_all(demo, tmp_path / "data", page_urls=[])
    feed = (tmp_path / "data" / "feeds" / "pipeline.atom").read_text("utf-8")
    for entry in forward_plan.entries(demo):
        assert f"<title>{escape(entry.tender.title)}</title>" in feed
    # records/tenders/: planned T-2026-049, T-2026-055, T-2026-057; planning T-2026-051, T-2026-053, T-2026-059
    assert feed.count("<entry>") == len(forward_plan.entries(demo)) == 6
    # the awards feed gives the honest status: AW-2024-032 (print contract) ended early on 30 June 2026
    awards = (tmp_path / "data" / "feeds" / "awards.atom").read_text("utf-8")
    entry = awards[awards.index("awards/AW-2024-032/"):]
    assert "Status: Terminated early on 30 June 2026." in entry[:entry.index("</entry>")]
