"""`procure import-ocds`: the real sample files, and hand-made OCDS for the rules the samples do not reach.

Expected numbers are worked out in each test from the raw JSON (or by hand, with the reasoning written down), never
taken from the importer.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import REPO_ROOT as REPO
from ocds_helpers import (
    SCHEMA_DIR,
    load_model,
    make_register,
    problems_of,
    run_import,
    sample,
    sample_files,
    snapshot,
    write_package,
)

from site_builder.cli import cli
from site_builder.import_ocds.merge import BUNDLED_MERGE_RULES_1_1_5, build_merger
from site_builder.load import parse_yaml

CF_100 = "uk_contracts-finder_release-package_2025-01-20to23_100-releases.json"
CF_ONE = "uk_contracts-finder_release-package_2025-01_single-award.json"
CF_2014 = "uk_contracts-finder_release-package_2014-12_ocds-1.0.json"
MX_RECORDS = "mx_federal-sfp-shcp_record-package_2-records.json"
MX_CDMX = "mx_cdmx-sefin_release-package_4-releases.json"
PY = "py_dncp_release-package_1-contract_ocds-1.0.json"
PORTLAND = "us_portland_record_full-lifecycle.json"

TENDER_STATUSES = {"planning", "planned", "active", "cancelled", "unsuccessful", "complete", "withdrawn"}
METHODS = {"open", "selective", "limited", "direct"}
CATEGORIES = {"goods", "works", "services"}


def read_yaml(path: Path) -> dict[str, Any]:
    data, _ = parse_yaml(path.read_bytes())  # the register's own reader: dates stay text
    return data  # type: ignore[no-any-return]


def records_of(root: Path, folder: str) -> dict[str, dict[str, Any]]:
    return {p.stem: read_yaml(p) for p in sorted((root / "records" / folder).glob("*.yaml"))}


def raw_releases(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["releases"]


def last_value(releases: list[dict[str, Any]], *path: str) -> Any:
    """Field-level "newest release wins" (the essence of an OCDS merge for a single field)."""
    found = None
    for release in sorted(releases, key=lambda r: r["date"]):
        node: Any = release
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            found = node
    return found


def same_name(a: str, b: str) -> bool:
    def key(name: str) -> str:
        name = " ".join(name.casefold().split())
        return name.removeprefix("the ")
    return key(a) == key(b)


# --- every sample file -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def all_samples_register(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    files = sample_files()
    root = make_register(tmp_path_factory.mktemp("all-samples") / "register")
    return root, run_import(root, *files)


def test_every_sample_imports_into_a_register_that_validates(all_samples_register: tuple[Path, Any]) -> None:
    root, report = all_samples_register
    assert problems_of(root) == []
    assert report.problems == []  # every file was readable OCDS
    assert len(report.files) == len(sample_files())
    assert report.created and not report.updated


@pytest.mark.parametrize("name", [CF_100, CF_ONE, CF_2014, MX_RECORDS, MX_CDMX, PY, PORTLAND])
def test_each_sample_alone_imports_and_validates(tmp_path: Path, name: str) -> None:
    root = make_register(tmp_path / "register")
    report = run_import(root, sample(name))
    assert problems_of(root) == []
    assert report.problems == []


def test_every_award_in_the_samples_is_created_or_explained(all_samples_register: tuple[Path, Any]) -> None:
    root, report = all_samples_register
    awards_in_files: set[tuple[str, str]] = set()
    for path in sample_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        releases = data.get("releases") or []
        for record in data.get("records") or ([data] if "compiledRelease" in data else []):
            releases = [*releases, record["compiledRelease"], *list(record.get("releases") or [])]
        for release in releases:
            for award in release.get("awards") or []:
                awards_in_files.add((release["ocid"].lower(), str(award["id"])))
    created = len(records_of(root, "awards"))
    explained = [o for o in report.not_mapped if o.record.startswith("award ")]
    assert created + len(explained) == len(awards_in_files)


def test_contracts_finder_page_counts_match_the_file(tmp_path: Path) -> None:
    path = sample(CF_100)
    releases = raw_releases(path)
    by_ocid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for release in releases:
        by_ocid[release["ocid"]].append(release)
    expected_tenders = 0
    for group in by_ocid.values():
        cpv = (last_value(group, "tender", "classification", "scheme") == "CPV")
        if (last_value(group, "tender", "procurementMethod") in METHODS
                and last_value(group, "tender", "mainProcurementCategory") in CATEGORIES
                and last_value(group, "tender", "status") in TENDER_STATUSES and cpv
                and len(last_value(group, "tender", "title") or "") >= 3):
            expected_tenders += 1
    # every Contracts Finder award has a status, a date, a GBP value and suppliers (README: "59 awards, all
    # active"); an award repeated in an awardUpdate release is still one award
    expected_awards = {(r["ocid"], a["id"]) for r in releases for a in r.get("awards") or []}
    assert len(by_ocid) == 94  # README: 100 releases for 94 ocids

    root = make_register(tmp_path / "register")
    report = run_import(root, path)
    assert report.processes == len(by_ocid)
    tenders, awards = records_of(root, "tenders"), records_of(root, "awards")
    assert len(tenders) == expected_tenders
    assert len(awards) == len(expected_awards)
    assert {a["id"] for a in awards.values()} == {aid for _, aid in expected_awards}  # CF award ids = ocid-n
    assert {t["ocid"] for t in tenders.values()} <= set(by_ocid)
    # organisations: every buyer and supplier named in an imported record exists, and no other
    used = {a["buyer"] for a in awards.values()} | {s for a in awards.values() for s in a["suppliers"]} | {
        t["buyer"] for t in tenders.values()}
    assert set(records_of(root, "organisations")) == used
    assert problems_of(root) == []


def test_key_values_survive_the_import(tmp_path: Path) -> None:
    path = sample(CF_100)
    root = make_register(tmp_path / "register")
    run_import(root, path)
    awards, orgs = records_of(root, "awards"), records_of(root, "organisations")
    tenders = records_of(root, "tenders")
    newest: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
    for release in sorted(raw_releases(path), key=lambda r: r["date"]):
        for award in release.get("awards") or []:
            newest[(release["ocid"], award["id"])] = (release, award)
    for (ocid, award_id), (release, award) in newest.items():
        mine = awards[award_id]
        assert mine["value"] == award["value"], award_id
        assert mine["date"] == award["date"][:10]
        assert mine["status"] == award["status"]
        assert mine["title"] == " ".join(release["tender"]["title"].split())  # CF awards have no title of their own
        names = {orgs[s]["name"] for s in mine["suppliers"]}
        assert names == {" ".join(s["name"].split()) for s in award["suppliers"]}
        # "The North Yorkshire Council" and "North Yorkshire Council" are one organisation (names normalised)
        assert same_name(orgs[mine["buyer"]]["name"], release["buyer"]["name"])
        tender_id = mine.get("tender")
        if tender_id:
            assert tenders[tender_id]["ocid"] == ocid
            assert tenders[tender_id]["cpv"][0] == release["tender"]["classification"]["id"]
        else:
            assert mine["ocid"] == ocid
        assert mine["notices"][-1]["id"] == release["id"]


def test_single_award_sample_by_hand(tmp_path: Path) -> None:
    """The one-release sample, read by eye: a direct award by Merton to Marstons, £93,007, decided 22 Dec 2024."""
    root = make_register(tmp_path / "register")
    report = run_import(root, sample(CF_ONE))
    assert [a.record_type for a in report.created] == ["organisation", "organisation", "tender", "award"]
    award = records_of(root, "awards")["ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1"]
    tender = records_of(root, "tenders")["ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30"]
    orgs = records_of(root, "organisations")
    assert award["value"] == {"amount": 93007, "currency": "GBP"}
    assert (award["date"], award["published"]) == ("2024-12-22", "2025-01-23")
    assert award["contract_period"] == {"start_date": "2025-01-23", "end_date": "2025-04-23"}
    assert orgs[award["suppliers"][0]]["name"] == "Marstons holdings plc"
    assert orgs[award["suppliers"][0]]["is_sme"] is False  # details.scale = large
    assert orgs[award["buyer"]]["address"] == {"street": "Civic Centre, London Rd", "town": "Morden",
                                               "postcode": "SM4 5DX", "country": "GB"}
    assert tender["procurement_method"] == "direct" and tender["cpv"] == ["63712400"]
    assert tender["value"] == {"amount": 372032, "currency": "GBP"}
    assert tender["suitable_for_sme"] is True and tender["suitable_for_vcse"] is False
    # mojibake in the description ("framework.â€¯ The") is repaired to the narrow no-break space it was
    assert "â€" not in tender["description"] and "framework.\u202f The" in tender["description"]
    assert award["notices"] == [{
        "type": "contracts-finder", "id": "2a1e3359-87a0-4fdd-ac61-20d5e6520a13-819950",
        "url": "https://www.contractsfinder.service.gov.uk/Notice/2a1e3359-87a0-4fdd-ac61-20d5e6520a13",
        "published": "2025-01-23"}]
    text = (root / "records/awards/ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1.yaml").read_text()
    assert text.startswith("# Imported from OCDS (Cabinet Office)") and "null" not in text
    assert "\ndate: 2024-12-22\n" in text  # dates written as an officer would, unquoted


def test_other_publishers_by_hand(tmp_path: Path) -> None:
    """What the non-UK and OCDS 1.0 samples give, worked out by reading them:

    * Dorset 2014 (1.0): one tender with procurementMethod null and no mainProcurementCategory → nothing;
    * Mexico federal record package: no category and no CPV (no tender); its 3 awards have no date or status;
    * Mexico City (1.0, upper-case OCDS-87SD3T prefix): 2 processes × 1 award each (release 02 repeats award
      "1"), no tender (no category, no CPV); one buyer for both;
    * Paraguay (1.0): a contract whose award is not in the file → nothing;
    * Portland: tender has no procurementMethod and NIGP items (no tender); 1 award whose contract value
      (487,280 USD) replaces the award value (391,600), contract terminated.
    """
    expectations = {CF_2014: (0, 0), MX_RECORDS: (0, 0), MX_CDMX: (0, 2), PY: (0, 0), PORTLAND: (0, 1)}
    for name, (n_tenders, n_awards) in expectations.items():
        root = make_register(tmp_path / name)
        report = run_import(root, sample(name))
        assert (len(records_of(root, "tenders")), len(records_of(root, "awards"))) == (n_tenders, n_awards), name
        assert report.not_mapped, f"{name}: what could not be mapped is reported"
        if name == MX_RECORDS:
            reasons = [o.reason for o in report.not_mapped if o.record.startswith("award")]
            assert len(reasons) == 3 and all("no award date" in r for r in reasons)
        if name == MX_CDMX:
            awards = records_of(root, "awards")
            assert {a["ocid"] for a in awards.values()} == {"ocds-87sd3t-AD-SF-DRM-063-2015",
                                                             "ocds-87sd3t-AD-SF-DRM-065-2015"}
            assert len({a["buyer"] for a in awards.values()}) == 1
            assert {a["value"]["currency"] for a in awards.values()} == {"MXN", "USD"}
        if name == PORTLAND:
            award = records_of(root, "awards")["ocds-ptecst-118001-30004792"]
            assert award["value"] == {"amount": 487280, "currency": "USD"}
            assert award["contract_status"] == "terminated" and award["title"] == "SAP HCM P&F SVCS"
            assert any("391600" in o.reason for o in report.omissions)
        if name == PY:
            assert any("is not in the data" in o.reason for o in report.not_mapped)
        assert problems_of(root) == []


def test_import_is_idempotent_byte_for_byte(tmp_path: Path) -> None:
    files = sample_files()
    root = make_register(tmp_path / "register")
    run_import(root, *files)
    before = snapshot(root)
    again = run_import(root, *files)
    assert snapshot(root) == before
    assert again.created == [] and again.updated == []
    assert len(again.unchanged) == len(before)


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    report = run_import(root, sample(CF_ONE), dry_run=True)
    assert len(report.created) == 4
    assert not (root / "records").exists()


def _cf_release() -> dict[str, Any]:
    return json.loads(sample(CF_ONE).read_text(encoding="utf-8"))["releases"][0]


def test_a_newer_release_updates_the_record_and_an_older_one_does_not(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    first = write_package(tmp_path / "first.json", [_cf_release()])
    run_import(root, first)
    award_path = root / "records/awards/ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1.yaml"
    # an officer adds what OCDS does not carry: it must survive re-imports
    award_path.write_text(award_path.read_text() + "kpis:\n  - id: KPI1\n    title: Penalty charge notices issued\n")

    newer = _cf_release()
    newer["id"] = newer["id"].replace("819950", "820001")
    newer["date"] = "2025-02-01T09:00:00Z"
    newer["tag"] = ["awardUpdate"]
    newer["awards"][0]["value"]["amount"] = 95000
    report = run_import(root, write_package(tmp_path / "newer.json", [newer]))
    assert {a.rel_path for a in report.updated} == {award_path.relative_to(root).as_posix(),
                                                   "records/tenders/ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30.yaml"}
    award = read_yaml(award_path)
    assert award["value"]["amount"] == 95000
    assert award["kpis"] == [{"id": "KPI1", "title": "Penalty charge notices issued"}]
    assert "latest release 2a1e3359-87a0-4fdd-ac61-20d5e6520a13-820001 of 2025-02-01T09:00:00Z" in award_path.read_text()
    assert problems_of(root) == []

    before = snapshot(root)
    stale = run_import(root, first)
    assert snapshot(root) == before
    assert stale.updated == [] and any("newer release" in a.note for a in stale.unchanged)


def test_releases_of_one_process_are_merged_in_date_order(tmp_path: Path) -> None:
    """Two releases given newest first, with different UTC offsets: the later one (by instant) wins."""
    early = _cf_release()
    early["date"] = "2025-01-23T23:30:00+02:00"  # 21:30Z
    late = _cf_release()
    late["id"] = "late"
    late["date"] = "2025-01-23T22:00:00Z"  # sorts before the other as text, but is later
    late["awards"][0]["value"]["amount"] = 1234
    root = make_register(tmp_path / "register")
    run_import(root, write_package(tmp_path / "p.json", [late, early]))
    award = records_of(root, "awards")["ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1"]
    assert award["value"]["amount"] == 1234
    assert [n["id"] for n in award["notices"]] == [early["id"], "late"]


def _party(pid: str, name: str, scheme: str | None = None, ident: str | None = None) -> dict[str, Any]:
    party: dict[str, Any] = {"id": pid, "name": name, "roles": ["supplier"]}
    if scheme:
        party["identifier"] = {"scheme": scheme, "id": ident}
    return party


def _award_release(ocid: str, suppliers: list[dict[str, Any]], **award: Any) -> dict[str, Any]:
    return {
        "ocid": ocid, "id": f"{ocid}-r1", "date": "2025-03-01T10:00:00Z", "tag": ["award"], "initiationType": "tender",
        "buyer": {"id": "B", "name": "Greenbridge Borough Council"},
        "parties": [{"id": "B", "name": "Greenbridge Borough Council", "roles": ["buyer"]}, *suppliers],
        "tender": {"id": "t", "title": "Grounds maintenance", "status": "complete", "procurementMethod": "open",
                   "mainProcurementCategory": "services", "classification": {"scheme": "CPV", "id": "77313000"}},
        "awards": [{"id": "1", "status": "active", "date": "2025-02-20T00:00:00Z",
                    "value": {"amount": 1000, "currency": "GBP"},
                    "suppliers": [{"id": s["id"], "name": s["name"]} for s in suppliers], **award}],
    }


def test_organisations_are_deduplicated_by_identifier_then_by_name(tmp_path: Path) -> None:
    releases = [
        _award_release("ocds-abc123-1", [_party("S1", "Acme Grounds Ltd", "GB-COH", "01234567")]),
        _award_release("ocds-abc123-2", [_party("S9", "ACME GROUNDS LIMITED (trading)", "GB-COH", "01234567")]),
        _award_release("ocds-abc123-3", [_party("X", "Bright Futures & Co.")]),
        _award_release("ocds-abc123-4", [_party("Y", "bright futures and company")]),
        _award_release("ocds-abc123-5", [_party("Z", "Acme Grounds Ltd", "GB-COH", "07654321")]),
    ]
    root = make_register(tmp_path / "register")
    run_import(root, write_package(tmp_path / "p.json", releases))
    awards = records_of(root, "awards")
    supplier_of = {a["id"].removesuffix("-1"): a["suppliers"][0] for a in awards.values()}
    assert supplier_of["ocds-abc123-1"] == supplier_of["ocds-abc123-2"]  # same Companies House number
    assert supplier_of["ocds-abc123-3"] == supplier_of["ocds-abc123-4"]  # same name once normalised
    assert supplier_of["ocds-abc123-5"] != supplier_of["ocds-abc123-1"]  # same name, a different company number
    orgs = records_of(root, "organisations")
    assert len(orgs) == 4  # buyer + three suppliers
    assert orgs[supplier_of["ocds-abc123-1"]]["identifier"] == {"scheme": "GB-COH", "id": "01234567"}
    assert problems_of(root) == []


def test_data_quality_faults_are_left_out_and_reported(tmp_path: Path) -> None:
    bad_value = _award_release("ocds-abc123-neg", [_party("S", "Acme Ltd")], value={"amount": -5, "currency": "GBP"})
    odd_currency = _award_release("ocds-abc123-cur", [_party("S", "Acme Ltd")], value={"amount": 5, "currency": "XYZ"})
    nulls = _award_release("ocds-abc123-nul", [_party("S", "Acme Ltd")], title=None, description=None)
    nulls["tender"]["value"] = {"amount": None, "currency": "GBP"}
    nulls["tender"]["items"] = [{"id": 1, "classification": {"scheme": "NIGP", "id": "123"}}]  # integer item id
    nulls["tender"]["tenderPeriod"] = {"startDate": "2025-01-10T09:00:00Z", "endDate": "2025-01-01T00:00:00Z"}
    no_date = _award_release("ocds-abc123-nod", [_party("S", "Acme Ltd")])
    del no_date["date"]
    root = make_register(tmp_path / "register")
    report = run_import(root, write_package(tmp_path / "p.json", [bad_value, odd_currency, nulls, no_date]))
    awards = records_of(root, "awards")
    assert set(awards) == {"ocds-abc123-nul-1"}
    reasons = " | ".join(f"{o.record}: {o.reason}" for o in report.not_mapped + report.omissions)
    assert "award ocds-abc123-neg-1: no usable value" in reasons and "the amount -5 is negative" in reasons
    assert "'XYZ' is not an ISO 4217 currency code" in reasons
    assert "process ocds-abc123-nod: no release with a usable date" in reasons
    assert "ends (2025-01-01) before it starts (2025-01-10)" in reasons
    assert "classification scheme 'NIGP' is not CPV" in reasons
    tender = records_of(root, "tenders")["ocds-abc123-nul"]
    assert "value" not in tender and "tender_period" not in tender and tender["cpv"] == ["77313000"]
    assert problems_of(root) == []


def test_formats_json_lines_bare_release_and_bare_record(tmp_path: Path) -> None:
    one = _award_release("ocds-abc123-1", [_party("S", "Acme Ltd")])
    two = _award_release("ocds-abc123-2", [_party("S", "Acme Ltd")])
    three = _award_release("ocds-abc123-3", [_party("S", "Acme Ltd")])
    lines = tmp_path / "releases.jsonl"
    lines.write_text(json.dumps(one) + "\n" + json.dumps(two) + "\n", encoding="utf-8")
    bare_release = tmp_path / "release.json"
    bare_release.write_text(json.dumps(three), encoding="utf-8")
    record = tmp_path / "record.json"
    compiled = _award_release("ocds-abc123-4", [_party("S", "Acme Ltd")])
    record.write_text(json.dumps({"ocid": "ocds-abc123-4", "releases": [{"url": "https://x.org/r.json",
                                  "date": "2025-03-01T10:00:00Z", "tag": ["award"]}], "compiledRelease": compiled}))
    root = make_register(tmp_path / "register")
    report = run_import(root, lines, bare_release, record)
    assert report.files == {"releases.jsonl": "JSON Lines: 2 × release", "release.json": "release",
                            "record.json": "record"}
    assert set(records_of(root, "awards")) == {f"ocds-abc123-{n}-1" for n in (1, 2, 3, 4)}


def test_unreadable_input_is_reported_without_a_traceback(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    broken = tmp_path / "broken.json"
    broken.write_text('{"releases": [', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import-ocds", "--root", str(root), str(broken)])
    assert result.exit_code == 1
    assert "could not read broken.json: not valid JSON" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_prints_the_report(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    result = CliRunner().invoke(cli, ["import-ocds", "--root", str(root), str(sample(CF_ONE))])
    assert result.exit_code == 0, result.output
    assert "Created: 1 award, 2 organisations, 1 tender" in result.output
    assert "records/awards/ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1.yaml" in result.output


def test_bundled_merge_rules_match_the_ocds_schema(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    schema = SCHEMA_DIR / "release-schema.json"
    if not schema.is_file():
        if os.environ.get("REQUIRE_OCDS_SCHEMA"):
            pytest.fail(f"REQUIRE_OCDS_SCHEMA is set but {schema} is missing")
        pytest.skip(f"OCDS schema not found in {SCHEMA_DIR} (set OCDS_SCHEMA_DIR)")
    from ocdsmerge.rules import get_merge_rules

    assert get_merge_rules(str(schema)) == BUNDLED_MERGE_RULES_1_1_5
    monkeypatch.setenv("OCDS_SCHEMA_DIR", str(SCHEMA_DIR))
    assert "merge rules from" in build_merger(tmp_path)[1]
    monkeypatch.setenv("OCDS_SCHEMA_DIR", str(tmp_path))  # no schema there, and none above tmp_path
    merger, note = build_merger(tmp_path)
    assert "bundled" in note and merger.merge_rules == BUNDLED_MERGE_RULES_1_1_5


def test_import_never_reaches_the_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import requests

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the import tried to use the network")

    monkeypatch.setattr(requests, "get", refuse)
    monkeypatch.setattr(requests.Session, "request", refuse)
    root = make_register(tmp_path / "register")
    report = run_import(root, sample(CF_ONE))
    assert len(report.created) == 4


def test_import_then_ocds_export_keeps_key_values(tmp_path: Path) -> None:
    from site_builder.export import export_all

    path = sample(CF_100)
    root = make_register(tmp_path / "register")
    run_import(root, path)
    reg = load_model(root)
    out = tmp_path / "out"
    export_all(reg, out)
    package = json.loads((out / "ocds" / "record-package.json").read_text(encoding="utf-8"))
    compiled = {r["ocid"]: r["compiledRelease"] for r in package["records"]}
    newest: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
    for release in sorted(raw_releases(path), key=lambda r: r["date"]):
        for award in release.get("awards") or []:
            newest[(release["ocid"], award["id"])] = (release, award)
    for (ocid, award_id), (release, award) in newest.items():
        exported = compiled[ocid]
        [mine] = [a for a in exported["awards"] if a["id"] == award_id or a["id"].endswith(award_id)]
        assert mine["value"] == award["value"]
        assert mine["date"][:10] == award["date"][:10]
        title = " ".join(release["tender"]["title"].split())
        assert (exported.get("tender") or {}).get("title", mine.get("title")) == title
        parties = {p["id"]: p["name"] for p in exported["parties"]}
        assert {parties[s["id"]] for s in mine["suppliers"]} == {" ".join(s["name"].split()) for s in award["suppliers"]}


@pytest.mark.slow
def test_the_imported_samples_build_into_a_site(all_samples_register: tuple[Path, Any]) -> None:
    root, _ = all_samples_register
    (root / "docs" / "indicators").mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    site = root / "site"
    award = site / "awards" / "ocds-b5fd17-e3b5f385-5989-4cf1-8849-01c247fc9c30-1" / "index.html"
    html = award.read_text(encoding="utf-8")
    assert "Parking Pilot - CEO" in html and "No open competition" in html  # a direct award: flagged on its tender
    assert (site / "indicators" / "index.html").is_file()


def test_text_limits_come_from_the_schemas() -> None:
    """The import shortens text exactly as far as the register's schemas allow (no copies of the limits)."""
    from site_builder.import_ocds.register_schema import RegisterSchemas

    schemas = RegisterSchemas(REPO / "schemas")
    shared = json.loads((REPO / "schemas" / "definitions.schema.json").read_text(encoding="utf-8"))["$defs"]
    assert schemas.max_length("tender", "title") == shared["title"]["maxLength"] == 300
    assert schemas.max_length("award", "description") == shared["text"]["maxLength"] == 20000
    assert schemas.max_length("organisation", "address", "town") == 100
    assert schemas.max_length("tender", "notices", "[]", "id") == 200
