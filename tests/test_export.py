"""The export stage loses nothing: every record reaches every format with the same values.

Expected values are worked out here, independently of the exporters: the test flattens the YAML itself, reads the
CSVs back with the csv module, queries SQLite directly and validates OCDS with plain jsonschema.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO_ROOT, load_model

from site_builder.export import export_all
from site_builder.model import Registry

FIXTURE = Path(__file__).parent / "fixtures" / "export_register"
FOLDERS = {"organisation": "organisations", "tender": "tenders", "award": "awards", "outcome": "outcomes",
           "measure": "measures"}


@pytest.fixture(scope="module")
def register_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("register")
    copy_fixture(root)
    return root


def copy_fixture(root: Path) -> None:
    """The fixture register with its own copy of the schemas (so the CLI can be pointed at it)."""
    shutil.copytree(FIXTURE / "records", root / "records")
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    text = (FIXTURE / "mkdocs.yml").read_text("utf-8").replace("schemas_dir: ../../../schemas", "schemas_dir: schemas")
    (root / "mkdocs.yml").write_text(text, "utf-8")


@pytest.fixture(scope="module")
def reg(register_root: Path) -> Registry:
    return load_model(register_root)


@pytest.fixture(scope="module")
def out(reg: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("export") / "data"
    export_all(reg, target, page_urls=["", "data/", *(r.url for r in reg.all_records())])
    return target


def source_data(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record as PyYAML reads it (dates turned back into the text written), by type and id."""
    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    data: dict[str, dict[str, dict[str, Any]]] = {}
    for rtype, folder in FOLDERS.items():
        data[rtype] = {}
        for path in sorted((root / "records" / folder).glob("*.yaml")):
            record = plain(yaml.safe_load(path.read_text(encoding="utf-8")))
            data[rtype][record["id"]] = record
    return data


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """How a record should look as one CSV row: objects joined with '_', code lists with ';', object lists as JSON."""
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            flat[name] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, list):
            flat[name] = ";".join(str(v) for v in value)
        elif isinstance(value, bool):
            flat[name] = "true" if value else "false"
        else:
            flat[name] = str(value)
    return flat


def read_csv(out: Path, table: str) -> list[dict[str, str]]:
    raw = (out / "csv" / f"{table}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    assert b"\r\n" in raw and raw.count(b"\n") >= raw.count(b"\r\n"), "RFC 4180 line ends"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


# --- every record, every format ---------------------------------------------------------------------------------

def test_raw_records_are_byte_identical_and_json_equal_as_data(reg: Registry, out: Path, register_root: Path) -> None:
    expected = source_data(register_root)
    assert sum(len(v) for v in expected.values()) == 14
    for rtype, records in expected.items():
        for rid, data in records.items():
            source = (register_root / "records" / FOLDERS[rtype] / f"{rid}.yaml").read_bytes()
            assert (out / "records" / FOLDERS[rtype] / f"{rid}.yaml").read_bytes() == source
            assert json.loads((out / "records" / FOLDERS[rtype] / f"{rid}.json").read_text("utf-8")) == data
    # the comment in the source survives in the raw download
    assert b"# A small firm" in (out / "records/organisations/greenway-grounds-ltd.yaml").read_bytes()


def test_json_lines_hold_every_record(out: Path, register_root: Path) -> None:
    expected = source_data(register_root)
    for rtype, records in expected.items():
        lines = (out / "jsonl" / f"{FOLDERS[rtype]}.jsonl").read_text("utf-8").splitlines()
        assert [json.loads(line) for line in lines] == list(records.values())


def test_zip_holds_records_schemas_and_licence_in_repository_layout(out: Path, register_root: Path) -> None:
    with zipfile.ZipFile(out / "records.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names)
        for path in sorted((register_root / "records").rglob("*.yaml")):
            rel = path.relative_to(register_root).as_posix()
            assert zf.read(rel) == path.read_bytes()
        for schema in (REPO_ROOT / "schemas").glob("*.json"):
            assert zf.read(f"schemas/{schema.name}") == schema.read_bytes()
        readme = zf.read("README.md").decode("utf-8")
        assert "Open Government Licence v3.0" in readme and "Contains public sector information" in readme
        assert {info.date_time for info in zf.infolist()} == {(2026, 6, 30, 0, 0, 0)}  # as_of in mkdocs.yml


#: computed award columns of issue 13 (their values are tested in tests/test_contracts.py)
CONTRACT_COLUMNS = {"procedure", "is_direct_award", "display_status", "current_value_amount", "current_value_currency",
                    "current_end_date", "kpis_rated_inadequate"}

def test_root_tables_read_back_into_the_same_flat_values(out: Path, register_root: Path) -> None:
    expected = source_data(register_root)
    skip = {"award": {"commitments", "kpis", "evaluation_weights", "changes"}}
    for rtype, table in FOLDERS.items():
        rows = {row["id"]: row for row in read_csv(out, table)}
        assert list(rows) == sorted(expected[rtype]), table
        for rid, record in expected[rtype].items():
            flat = flatten({k: v for k, v in record.items() if k not in skip.get(rtype, set())})
            row = rows[rid]
            for column, value in flat.items():
                assert row[column] == value, (table, rid, column)
            schema_columns = set(row) - {"page_url"} - {c for c in row if c.startswith(("flag_", "commitment_"))}
            schema_columns -= {"measure_id", "delivered_to_date", "pct_of_target", "delivery_status", "ocid"}
            schema_columns -= CONTRACT_COLUMNS
            for column in schema_columns - set(flat):
                assert row[column] == "", (table, rid, column)
            assert row["page_url"] == f"https://register.testshire.example/{table}/{rid}/"


def test_ocid_column_is_filled_with_the_process_ocid(out: Path, register_root: Path) -> None:
    """Every tender and award row has the ocid its OCDS process is published under (issue 12): the record's own,
    else (for an award) its tender's, else the register's prefix (ocds-tst001, in mkdocs.yml) + the record id."""
    expected = source_data(register_root)
    tenders = expected["tender"]

    def own(record: dict) -> str:
        return record.get("ocid") or f"ocds-tst001-{record['id']}"
    for row in read_csv(out, "tenders"):
        assert row["ocid"] == own(tenders[row["id"]])
    awards = read_csv(out, "awards")
    assert awards
    for row in awards:
        award = expected["award"][row["id"]]
        assert row["ocid"] == (award.get("ocid") or (own(tenders[award["tender"]]) if award.get("tender") else own(award)))


def test_flag_columns_are_the_same_whichever_indicators_fired(out: Path) -> None:
    """awards.csv has one flag column per award indicator even when none fired (stable columns, issue 12)."""
    header = next(csv.reader((out / "csv" / "awards.csv").open(encoding="utf-8")))
    flags = sorted(c for c in header if c.startswith("flag_"))
    # issue 13 adds its two award indicators, and non-competitive now also sits on an award without a tender
    assert flags == ["flag_above_estimate", "flag_late_publication", "flag_no_kpis", "flag_non_competitive",
                     "flag_repeat_direct_award", "flag_single_bid", "flag_term_extended",
                     "flag_value_increased_by_changes"]
    header = next(csv.reader((out / "csv" / "tenders.csv").open(encoding="utf-8")))
    assert sorted(c for c in header if c.startswith("flag_")) == ["flag_non_competitive", "flag_short_tender_period"]


def test_child_tables_read_back_into_the_same_flat_values(out: Path, register_root: Path) -> None:
    awards = source_data(register_root)["award"]
    suppliers = [(r["award_id"], int(r["position"]), r["organisation_id"]) for r in read_csv(out, "award_suppliers")]
    assert suppliers == [(aid, n, s) for aid, a in awards.items() for n, s in enumerate(a["suppliers"], 1)]

    commitments = read_csv(out, "commitments")
    expected = [(aid, flatten(c)) for aid, a in awards.items() for c in a.get("commitments", [])]
    assert len(commitments) == len(expected) == 2
    for row, (aid, flat) in zip(commitments, expected, strict=True):
        assert row["award_id"] == aid
        assert {k: row[k] for k in flat} == flat

    weights = read_csv(out, "evaluation_weights")
    assert [(r["award_id"], r["position"], r["name"], r["kind"], r["weight_pct"]) for r in weights] == [
        ("AW-2025-001", "1", "Price", "price", "60"), ("AW-2025-001", "2", "Quality", "quality", "25"),
        ("AW-2025-001", "3", "Social value", "social-value", "15")]
    kpis = read_csv(out, "kpis")
    assert [(r["award_id"], r["id"], r["title"], r["target"]) for r in kpis] == [
        ("AW-2025-001", "KPI1", "Percentage of sites maintained to standard", "95% of inspections pass")]


def test_commitments_and_outcomes_carry_the_computed_figures(reg: Registry, out: Path) -> None:
    rows = {(r["award_id"], r["id"]): r for r in read_csv(out, "commitments")}
    # worked out by hand from the fixture: C1 reports 2 + 1.5 FTE of 6; C2 reports 4 tCO2e of 12
    assert float(rows[("AW-2025-001", "C1")]["delivered_to_date"]) == 3.5
    assert float(rows[("AW-2025-001", "C2")]["delivered_to_date"]) == 4
    assert rows[("AW-2025-001", "C1")]["measure_id"] == "GB-SV-01"
    assert rows[("AW-2025-001", "C2")]["measure_id"] == ""  # national-toms is an external scheme
    assert reg.social_value is not None
    for key, row in rows.items():
        figures = reg.social_value.by_commitment[key]
        assert row["delivery_status"] == figures.status
        assert row["pct_of_target"] == ("" if figures.pct_of_target is None else repr(float(figures.pct_of_target)))
    for row in read_csv(out, "outcomes"):
        figures = reg.social_value.by_commitment[(row["award"], row["commitment"])]
        assert row["commitment_delivery_status"] == figures.status


def test_datapackage_validates_with_frictionless(out: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is a test dependency ([test] extra)")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    # generated from the schemas: description, enum as a constraint, required, keys
    assert fields["tenders"]["status"]["constraints"]["enum"][:2] == ["planning", "planned"]
    assert fields["tenders"]["title"]["description"] == "A short, plain-language title."
    assert fields["awards"]["value_amount"]["type"] == "number"
    assert fields["tenders"]["published"]["type"] == "date"
    commitments = next(r for r in descriptor["resources"] if r["name"] == "commitments")
    assert commitments["schema"]["primaryKey"] == ["award_id", "id"]


def test_frictionless_catches_a_broken_link(out: Path, tmp_path: Path) -> None:
    """The foreign keys are real: an outcome pointing at a missing commitment fails validation."""
    frictionless = pytest.importorskip("frictionless", reason="frictionless is a test dependency ([test] extra)")
    copy = tmp_path / "data"
    shutil.copytree(out / "csv", copy / "csv")
    descriptor = json.loads((out / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        resource.pop("hash"), resource.pop("bytes")
    (copy / "datapackage.json").write_text(json.dumps(descriptor))
    path = copy / "csv" / "outcomes.csv"
    path.write_text(path.read_text("utf-8").replace(",AW-2025-001,C2,", ",AW-2025-001,C9,"), "utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


def test_sqlite_matches_the_csv_tables_and_finds_titles(out: Path) -> None:
    conn = sqlite3.connect(out / "register.sqlite")
    try:
        descriptor = json.loads((out / "datapackage.json").read_text("utf-8"))
        for resource in descriptor["resources"]:
            rows = read_csv(out, resource["name"])
            keys = resource["schema"]["primaryKey"]
            db_keys = conn.execute(f"SELECT {', '.join(keys)} FROM {resource['name']} ORDER BY rowid").fetchall()
            assert [tuple(str(v) for v in k) for k in db_keys] == [tuple(r[k] for k in keys) for r in rows]
            pk = [r[1] for r in sorted(conn.execute(f"PRAGMA table_info({resource['name']})"), key=lambda r: r[5]) if r[5]]
            assert pk == keys
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        fks = conn.execute("PRAGMA foreign_key_list(outcomes)").fetchall()
        assert {(r[2], r[3], r[4]) for r in fks} >= {("commitments", "award", "award_id"), ("commitments", "commitment", "id")}
        found = conn.execute("SELECT t.id FROM tenders_fts JOIN tenders t ON t.rowid = tenders_fts.rowid "
                             "WHERE tenders_fts MATCH 'verges'").fetchall()
        assert found == [("T-2025-001",)]
        found = conn.execute("SELECT a.id FROM awards_fts JOIN awards a ON a.rowid = awards_fts.rowid "
                             "WHERE awards_fts MATCH 'depot'").fetchall()
        assert found == [("AW-2025-003",)]
        assert conn.execute("SELECT suppliers FROM awards WHERE id = 'AW-2025-001'").fetchone() == (
            '["greenway-grounds-ltd","northgate-community-trust"]',)
    finally:
        conn.close()


# --- OCDS ------------------------------------------------------------------------------------------------------

def ocds_schema_dir() -> Path | None:
    for candidate in (os.environ.get("OCDS_SCHEMA_DIR"), REPO_ROOT.parent / "shared" / "ocds-schema"):
        if candidate and (Path(candidate) / "release-package-schema.json").exists():
            return Path(candidate)
    return None


@pytest.mark.parametrize("package", ["release-package", "record-package"])
def test_ocds_packages_validate_against_the_official_schemas(out: Path, package: str) -> None:
    schema_dir = ocds_schema_dir()
    if schema_dir is None:
        if os.environ.get("REQUIRE_OCDS_SCHEMA"):
            pytest.fail("REQUIRE_OCDS_SCHEMA is set but no OCDS schema folder was found ($OCDS_SCHEMA_DIR)")
        pytest.skip("the official OCDS 1.1.5 schemas are not available (set OCDS_SCHEMA_DIR)")
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry as RefRegistry
    from referencing import Resource
    from referencing.jsonschema import DRAFT4

    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in schema_dir.glob("*-schema.json")}
    registry = RefRegistry().with_resources(
        (s["id"], Resource(s, specification=DRAFT4)) for s in schemas.values())
    checker = FormatChecker()
    assert {"date-time", "uri"} <= set(checker.checkers), "rfc3339-validator and rfc3987 must be installed"
    validator = Draft4Validator(schemas[f"{package}-schema.json"], registry=registry, format_checker=checker)
    data = json.loads((out / "ocds" / f"{package}.json").read_text("utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []
    # the validator does see mistakes: a release without a date fails
    broken = json.loads(json.dumps(data))
    releases = broken["releases"] if package == "release-package" else broken["records"][0]["releases"]
    del releases[0]["date"]
    assert list(validator.iter_errors(broken))


def test_each_ocds_process_carries_its_tender_and_awards(out: Path, register_root: Path) -> None:
    src = source_data(register_root)
    package = json.loads((out / "ocds" / "record-package.json").read_text("utf-8"))
    records = {r["ocid"]: r for r in package["records"]}
    # one process per tender and per award without a tender; ocid = own ocid, else prefix + id
    assert sorted(records) == sorted(["ocds-tst001-T-2025-001", "ocds-b5fd17-2a1e3359", "ocds-tst001-direct-2",
                                      "ocds-tst001-AW-2025-003"])
    assert set(EXTENSION_NAMES) <= {u.split("/")[4] for u in package["extensions"]}
    assert package["publisher"] == {"name": "Testshire County Council", "scheme": "GB-LAE", "uid": "TST",
                                    "uri": "https://www.testshire.example"}
    for ocid, tender_id in (("ocds-tst001-T-2025-001", "T-2025-001"), ("ocds-b5fd17-2a1e3359", "T-2025-002")):
        tender = src["tender"][tender_id]
        compiled = records[ocid]["compiledRelease"]
        t = compiled["tender"]
        assert (t["id"], t["title"], t["status"], t["procurementMethod"], t["mainProcurementCategory"]) == (
            tender_id, tender["title"], tender["status"], tender["procurement_method"], tender["main_category"])
        assert [i["classification"]["id"] for i in t["items"]] == tender["cpv"]
        assert t.get("value") == tender.get("value")
        assert compiled["buyer"]["id"] == tender["buyer"]
        assert t.get("description") == tender.get("description")
    awards_by_ocid = {"ocds-tst001-T-2025-001": ["AW-2025-001"], "ocds-tst001-direct-2": ["AW-2025-002"],
                      "ocds-tst001-AW-2025-003": ["AW-2025-003"], "ocds-b5fd17-2a1e3359": []}
    for ocid, award_ids in awards_by_ocid.items():
        compiled = records[ocid]["compiledRelease"]
        assert [a["id"] for a in compiled.get("awards", [])] == award_ids
        for a in compiled.get("awards", []):
            award = src["award"][a["id"]]
            assert (a["title"], a["status"], a["value"], a["date"][:10]) == (
                award["title"], award["status"], award["value"], award["date"])
            assert [s["id"] for s in a["suppliers"]] == award["suppliers"]
            parties = {p["id"]: p for p in compiled["parties"]}
            assert all("supplier" in parties[s]["roles"] for s in award["suppliers"])
            assert "buyer" in parties[award["buyer"]]["roles"]
            targets = {m["id"]: m["observations"][0]["measure"] for m in a.get("agreedMetrics", [])}
            assert targets == {c["id"]: c["target"]["quantity"] for c in award.get("commitments", [])}
    aw1 = records["ocds-tst001-T-2025-001"]["compiledRelease"]
    contract = aw1["contracts"][0]
    assert (contract["awardID"], contract["status"], contract["dateSigned"][:10]) == ("AW-2025-001", "active", "2025-03-28")
    assert contract["period"] == {"startDate": "2025-04-01T00:00:00Z", "endDate": "2029-03-31T23:59:59Z"}
    observed = {(m["id"], o["id"]): o["measure"] for m in contract["implementation"]["metrics"] for o in m["observations"]}
    assert observed == {(o["commitment"], oid): o["delivered"]["quantity"] for oid, o in src["outcome"].items()}
    parties = {p["id"]: p for p in aw1["parties"]}
    # no description: neither core OCDS nor a declared extension has one for an organisation (issue 12)
    assert parties["greenway-grounds-ltd"]["details"] == {"scale": "sme", "vcse": False}
    assert parties["greenway-grounds-ltd"]["identifier"] == {"scheme": "GB-COH", "id": "01234567",
                                                             "legalName": "Greenway Grounds Limited"}
    assert aw1["tender"]["sustainability"] == [
        {"goal": "social.disadvantagedEmploymentOpportunities", "strategies": ["awardCriteria"]},
        {"goal": "environmental.carbonEmissionsReduction", "strategies": ["awardCriteria"]}]
    # the release package holds exactly the records' releases
    releases = json.loads((out / "ocds" / "release-package.json").read_text("utf-8"))["releases"]
    assert releases == [r for rec in package["records"] for r in rec["releases"]]
    assert len({(r["ocid"], r["id"]) for r in releases}) == len(releases)


EXTENSION_NAMES = ["ocds_metrics_extension", "ocds_sustainability_extension"]


# --- feeds, sitemap, checksums, determinism --------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feeds(out: Path) -> None:
    awards = ElementTree.parse(out / "feeds" / "awards.atom").getroot()
    entries = [e.find(f"{ATOM}id").text for e in awards.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    # newest first: AW-003 (2026-01-10), AW-002 (2025-06-02), AW-001 (published 2025-03-20)
    base = "https://register.testshire.example/awards/"
    assert entries == [f"{base}AW-2025-003/", f"{base}AW-2025-002/", f"{base}AW-2025-001/"]
    buyer = ElementTree.parse(out / "feeds" / "buyers" / "testshire-county-council.atom").getroot()
    titles = sorted(e.find(f"{ATOM}title").text for e in buyer.iter(f"{ATOM}entry"))  # type: ignore[union-attr,type-var]
    assert titles == sorted(["Grounds maintenance: north area", "Emergency tree works",
                             "Grounds maintenance for parks, verges & open spaces", "School meals"])
    assert (out / "feeds" / "buyers" / "acme-facilities-plc.atom").exists()


def test_sitemap_lists_every_record_page(reg: Registry, out: Path) -> None:
    root = ElementTree.parse(out / "sitemap.xml").getroot()
    urls = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    expected = {f"https://register.testshire.example/{FOLDERS[t]}/{rid}/" for t in FOLDERS for rid in reg.by_type[t]}
    assert expected <= urls
    assert "https://register.testshire.example/data/" in urls


def test_checksums_cover_every_download(out: Path) -> None:
    listed = {}
    for line in (out / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS", "sitemap.xml", "sitemap.xml.gz"}
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


def test_exports_are_deterministic(register_root: Path, out: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    reg = load_model(register_root)  # a fresh model from the same files
    export_all(reg, again, page_urls=["", "data/", *(r.url for r in reg.all_records())])
    first = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


# --- the /data/ page and the command ---------------------------------------------------------------------------

def test_data_page_shows_the_real_sizes_and_the_dictionary(register_root: Path, tmp_path: Path) -> None:
    from site_builder.render import build_environment
    from site_builder.render.data_page import render_data_page

    reg = load_model(register_root)
    result = export_all(reg, tmp_path / "data", page_urls=[])
    html = render_data_page(reg, build_environment(REPO_ROOT / "schemas"), result).body_html
    for name in ("records.zip", "register.sqlite", "datapackage.json", "ocds/record-package.json", "csv/awards.csv"):
        size = (tmp_path / "data" / name).stat().st_size
        assert re.search(rf'href="{re.escape(name)}"[^<]*</a></td><td>[^<]*</td><td data-bytes="{size}">', html), name
    # the dictionary has pages of its own (issue 14), linked from here; they list every field of every type, with
    # labels, examples and OCDS paths from the schemas
    assert 'href="dictionary/"' in html and 'href="dictionary/fields/award/"' in html
    from site_builder.render.dictionary import iter_pages as dictionary_pages

    dictionary = "".join(p.body_html for p in dictionary_pages(reg, build_environment(REPO_ROOT / "schemas")))
    assert "commitments[].target.quantity" in dictionary
    assert "Open: any supplier could bid" in dictionary
    assert "tender.procurementMethod" in dictionary
    assert "Grounds maintenance for parks and open spaces" in dictionary  # a schema example
    assert "Contains public sector information licensed under the Open Government Licence v3.0." in html
    assert "<script" not in html


def test_export_command_writes_the_folder(register_root: Path, tmp_path: Path) -> None:
    from site_builder.cli import cli

    target = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--out", str(target), "--root", str(register_root)])
    assert result.exit_code == 0, result.output
    assert (target / "SHA256SUMS").is_file() and (target / "records.zip").is_file()
    assert not list(tmp_path.glob(".out.*")), "no staging folder left behind"


def test_export_command_refuses_an_invalid_register(register_root: Path, tmp_path: Path) -> None:
    from site_builder.cli import cli

    broken = tmp_path / "register"
    copy_fixture(broken)
    award = broken / "records" / "awards" / "AW-2025-002.yaml"
    award.write_text(award.read_text("utf-8").replace("status: active", "status: finished"), "utf-8")
    target = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", "--out", str(target), "--root", str(broken)])
    assert result.exit_code == 1
    assert "records/awards/AW-2025-002.yaml:" in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_export_command_will_not_replace_an_unrelated_folder(register_root: Path, tmp_path: Path) -> None:
    from site_builder.cli import cli

    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path), "--root", str(register_root)])
    assert result.exit_code == 1
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_ocds_mapping_doc_matches_the_schemas() -> None:
    """docs/ocds-mapping.md carries the table generated from the x-ocds annotations; it must not drift."""
    from site_builder.export.schema_info import SchemaSet
    from site_builder.render.data_page import iter_mapping_markdown

    doc = (REPO_ROOT / "docs" / "ocds-mapping.md").read_text("utf-8")
    generated = doc.split("iter_mapping_markdown -->\n", 1)[1].split("<!-- end generated -->", 1)[0].strip()
    assert generated == "\n".join(iter_mapping_markdown(SchemaSet(REPO_ROOT / "schemas"))), (
        "regenerate the table in docs/ocds-mapping.md from site_builder.render.data_page.iter_mapping_markdown")
