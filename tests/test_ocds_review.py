"""The OCDS packages as the Data Review Tool reads them: libcoveocds 0.17, offline, over the demo register's
packages and over a register imported from every real sample in ../shared/ocds-samples/ (and more/).

Expected values come from the YAML files (read here with PyYAML, not through the model) and from libcoveocds."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from ocds_helpers import SAMPLES_DIR, make_register, problems_of, run_import
from ocds_review import EXTENSIONS_DIR, Review, require_offline_material, review

from site_builder.config import load_config
from site_builder.export import export_all
from site_builder.model import build_model
from site_builder.validate import validate_register

REPO = Path(__file__).resolve().parents[1]


def _export(root: Path, out: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    config = load_config(root)
    result = validate_register(config, keep_data=True, use_cache=False)
    assert result.ok, [p.format() for p in result.problems if p.severity.value == "error"][:20]
    export_all(build_model(result.files, config), out)
    ocds = out / "ocds"
    return (json.loads((ocds / "release-package.json").read_text(encoding="utf-8")),
            json.loads((ocds / "record-package.json").read_text(encoding="utf-8")))


def _codelists_of_declared(package: dict[str, Any]) -> set[str]:
    manifest = json.loads((EXTENSIONS_DIR / "manifest.json").read_text(encoding="utf-8"))
    names = set()
    for url in package["extensions"]:
        folder = EXTENSIONS_DIR / manifest[url]["folder"] / "codelists"
        names |= {p.name for p in folder.glob("*.csv") if not p.name.startswith(("+", "-"))}
    return names


def _assert_accepted(package: dict[str, Any], found: Review) -> None:
    report = found.summary()
    assert found.refused_urls == [], report  # every URL the package declares is one the Data Review Tool can fetch
    assert found.validation_errors == [], report
    assert found.duplicate_ocids == [], report
    # libcoveocds 0.17 only lets an extension add codes to a *core* codelist ("+name.csv"); the UK extension adds
    # codes to two codelists of its own dependencies (bid statistics, reserved participation). That is a limit of
    # the library, not of the package: accept exactly that, and only when a declared extension has the codelist.
    own_codelists = _codelists_of_declared(package)
    for url, problem in found.invalid_extensions.items():
        assert isinstance(problem, dict), f"{url}: {problem}\n{report}"
        for name, message in problem["failed_codelists"].items():
            assert message == f"References non-existing codelist {name[1:]}", report
            assert name[1:] in own_codelists, report
    # every field is in core or a declared extension; the metrics extension's observation dimensions are free-form
    # by design (its schema has no properties for them)
    assert [f for f in found.additional_fields if "/observations/dimensions/" not in f] == [], report
    # every code is in its codelist, as extended by the declared extensions (open codelists included)
    assert found.additional_codes == [], report


def _yaml_award_values(root: Path) -> dict[tuple[str, str], tuple[float, str]]:
    """(ocid, OCDS award id) → (amount, currency) of every award file with a value, read from the YAML: the ocid is
    the award's tender's (or its own, or the register's prefix + id); the award id its source's, else its own."""
    prefix = load_config(root).ocid_prefix
    tenders = {}
    for path in sorted((root / "records" / "tenders").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        tenders[str(data["id"])] = data.get("ocid") or f"{prefix}-{data['id']}"
    values = {}
    for path in sorted((root / "records" / "awards").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data.get("value"), dict):
            ocid = tenders[data["tender"]] if data.get("tender") else data.get("ocid") or f"{prefix}-{data['id']}"
            key = (ocid, str(data.get("source_id") or data["id"]))
            values[key] = (float(data["value"]["amount"]), str(data["value"]["currency"]))
    return values


def _record_package_award_values(record_package: dict[str, Any]) -> dict[tuple[str, str], tuple[float, str]]:
    values = {}
    for record in record_package["records"]:
        for award in record["compiledRelease"].get("awards") or []:
            if "value" in award:
                values[(record["ocid"], str(award["id"]))] = (float(award["value"]["amount"]),
                                                               str(award["value"]["currency"]))
    return values


@pytest.fixture(scope="module")
def demo_packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    return _export(REPO, tmp_path_factory.mktemp("demo-export") / "data")


@pytest.fixture(scope="module")
def imported_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = sorted(SAMPLES_DIR.glob("*.json")) + sorted(SAMPLES_DIR.glob("more/*/*.json"))
    if not files:
        if os.environ.get("REQUIRE_OCDS_SAMPLES"):
            pytest.fail(f"REQUIRE_OCDS_SAMPLES is set but {SAMPLES_DIR} has no samples")
        pytest.skip(f"no OCDS samples in {SAMPLES_DIR} (set OCDS_SAMPLES_DIR)")
    root = make_register(tmp_path_factory.mktemp("imported") / "register")
    run_import(root, *files)
    return root


@pytest.fixture(scope="module")
def imported_packages(imported_register: Path, tmp_path_factory: pytest.TempPathFactory):
    return _export(imported_register, tmp_path_factory.mktemp("imported-export") / "data")


@pytest.mark.parametrize("kind", ["release", "record"])
def test_demo_packages_pass_the_data_review_tool(demo_packages, kind):
    require_offline_material()
    package = demo_packages[0] if kind == "release" else demo_packages[1]
    _assert_accepted(package, review(package))


@pytest.mark.parametrize("kind", ["release", "record"])
def test_imported_register_packages_pass_the_data_review_tool(imported_packages, kind):
    require_offline_material()
    package = imported_packages[0] if kind == "release" else imported_packages[1]
    _assert_accepted(package, review(package))


def test_demo_record_package_has_every_award_value_of_the_yaml(demo_packages):
    expected = _yaml_award_values(REPO)
    assert len(expected) > 10
    published = _record_package_award_values(demo_packages[1])
    assert {k: published.get(k) for k in expected} == expected


def test_imported_record_package_has_every_award_value_of_the_yaml(imported_register, imported_packages):
    expected = _yaml_award_values(imported_register)
    assert len(expected) > 10
    published = _record_package_award_values(imported_packages[1])
    assert {k: published.get(k) for k in expected} == expected


def test_imported_register_validates(imported_register):
    assert [p for p in problems_of(imported_register) if ": error[" in p] == []


def test_awards_sharing_an_ocid_without_a_tender_are_one_record(tmp_path):
    """Two tender-less awards with one ocid (as an import writes them) make one record holding both awards."""
    root = make_register(tmp_path / "register")
    release = {"ocid": "ocds-abc123-P1", "id": "r1", "date": "2025-01-10T00:00:00Z", "tag": ["award"],
               "initiationType": "tender",
               "parties": [{"id": "B", "name": "Borough Council", "roles": ["buyer"]},
                           {"id": "S1", "name": "First Supplier Ltd", "roles": ["supplier"]},
                           {"id": "S2", "name": "Second Supplier Ltd", "roles": ["supplier"]}],
               "buyer": {"id": "B", "name": "Borough Council"},
               "awards": [{"id": "A1", "title": "Lot one cleaning", "status": "active", "date": "2025-01-09T00:00:00Z",
                           "value": {"amount": 18800000, "currency": "GBP"}, "suppliers": [{"id": "S1"}]},
                          {"id": "A2", "title": "Lot two cleaning", "status": "active", "date": "2025-01-09T00:00:00Z",
                           "value": {"amount": 250000, "currency": "GBP"}, "suppliers": [{"id": "S2"}]}]}
    from ocds_helpers import write_package
    run_import(root, write_package(tmp_path / "p.json", [release]))
    _, records = _export(root, tmp_path / "out" / "data")
    ocids = [r["ocid"] for r in records["records"]]
    assert ocids.count("ocds-abc123-P1") == 1
    (record,) = [r for r in records["records"] if r["ocid"] == "ocds-abc123-P1"]
    amounts = sorted(a["value"]["amount"] for a in record["compiledRelease"]["awards"])
    assert amounts == [250000, 18800000]
    # the source's award ids are published, not the register's file names
    assert sorted(a["id"] for a in record["compiledRelease"]["awards"]) == ["A1", "A2"]


def test_awards_of_one_process_keep_distinct_ids(tmp_path):
    """An award added by hand that claims an imported award's source id in the same process keeps its register id
    in OCDS, so the compiled release has both (ocdsmerge would merge two awards with one id)."""
    root = make_register(tmp_path / "register")
    release = {"ocid": "ocds-abc123-P2", "id": "r1", "date": "2025-01-10T00:00:00Z", "tag": ["award"],
               "initiationType": "tender",
               "parties": [{"id": "B", "name": "Borough Council", "roles": ["buyer"]},
                           {"id": "S1", "name": "First Supplier Ltd", "roles": ["supplier"]}],
               "buyer": {"id": "B", "name": "Borough Council"},
               "awards": [{"id": "A1", "title": "Cleaning", "status": "active", "date": "2025-01-09T00:00:00Z",
                           "value": {"amount": 1000, "currency": "GBP"}, "suppliers": [{"id": "S1"}]}]}
    from ocds_helpers import write_package
    run_import(root, write_package(tmp_path / "p.json", [release]))
    imported = next((root / "records" / "awards").glob("*.yaml"))
    data = yaml.safe_load(imported.read_text(encoding="utf-8"))
    (root / "records" / "awards" / "HAND-1.yaml").write_text(
        f"id: HAND-1\nocid: ocds-abc123-P2\nsource_id: A1\nbuyer: {data['buyer']}\ntitle: Window cleaning\n"
        f"status: active\ndate: 2025-02-01\nvalue:\n  amount: 500\n  currency: GBP\nsuppliers: [{data['suppliers'][0]}]\n"
        "procedure:\n  method: open\n",  # no tender record: it says how the supplier was chosen (issue 13)
        encoding="utf-8")
    _, records = _export(root, tmp_path / "out" / "data")
    (record,) = [r for r in records["records"] if r["ocid"] == "ocds-abc123-P2"]
    assert sorted((a["id"], a["value"]["amount"]) for a in record["compiledRelease"]["awards"]) == [
        ("A1", 1000), ("HAND-1", 500)]
