"""Counts over every real sample: what the source publishes is what the register holds and what its OCDS publishes.

For each file in ../shared/ocds-samples/ (alone) and each folder in more/ (all its releases together), the test
works out from the source JSON itself: contracting processes with a tender, lots, awards, tender deadlines and
usable values (an amount that is a number ≥ 0 with a three-letter currency). It imports the sample, checks the
register's records against those counts (and each deadline's instant, and each value), then exports the
register and checks the record package the same way: source → register → our OCDS keeps each of them.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from ocds_helpers import SAMPLES_DIR, errors_of, last_value, make_register, run_import

from site_builder.config import load_config
from site_builder.export import export_all
from site_builder.model import build_model
from site_builder.validate import validate_register


def _samples() -> list[tuple[str, list[Path]]]:
    files = [(p.name, [p]) for p in sorted(SAMPLES_DIR.glob("*.json"))]
    folders = [(f"more/{d.name}", sorted(d.glob("*.json"))) for d in sorted((SAMPLES_DIR / "more").glob("*"))
               if d.is_dir()] if (SAMPLES_DIR / "more").is_dir() else []
    return files + folders


SAMPLES = _samples()


def _releases(path: Path) -> list[dict[str, Any]]:
    """Every release (or compiled release) a file holds: release package, record package, bare record or release."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data.get("releases"), list) and "ocid" not in data:
        return data["releases"]
    records = data.get("records") or ([data] if "ocid" in data and "releases" in data else [])
    if records:
        out: list[dict[str, Any]] = []
        for record in records:
            out.extend([record["compiledRelease"]] if "compiledRelease" in record else record.get("releases") or [])
        return out
    return [data]


def _usable(value: Any) -> tuple[float, str] | None:
    if not isinstance(value, dict):
        return None
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
        return None
    if not isinstance(currency, str) or len(currency.strip()) != 3:
        return None
    return float(amount), currency.strip().upper()


def _instant(text: str) -> datetime | str:
    """A deadline as a point in time when it has a zone, else its date."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else text[:10]



def source_facts(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Per ocid (lower-cased prefix, as OCDS ids are compared): what the source publishes."""
    by_ocid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in paths:
        for release in _releases(path):
            ocid = str(release["ocid"])
            by_ocid[ocid[:12].lower() + ocid[12:]].append(release)
    facts = {}
    for ocid, releases in by_ocid.items():
        has_tender = any(isinstance(r.get("tender"), dict) for r in releases)
        lots = {str(lot["id"]) for r in releases for lot in (r.get("tender") or {}).get("lots") or []}
        awards: dict[str, dict[str, Any]] = {}
        contracts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for release in sorted(releases, key=lambda r: str(r.get("date") or "")):
            for award in release.get("awards") or []:
                awards[str(award["id"])] = {**awards.get(str(award["id"]), {}), **award}
            for contract in release.get("contracts") or []:
                contracts[str(contract.get("awardID"))].append(contract)
        award_values = {}
        for award_id, award in awards.items():
            own = {str(c.get("id")): c for c in contracts.get(award_id, [])}
            value = _usable(next(iter(own.values())).get("value")) if len(own) == 1 else None
            value = value or _usable(award.get("value"))  # the register keeps a single contract's value first
            if value:
                award_values[award_id] = value
        end = last_value(releases, "tender", "tenderPeriod", "endDate")
        facts[ocid] = {"tender": has_tender, "lots": lots, "awards": set(awards), "award_values": award_values,
                       "deadline": _instant(end) if end else None,
                       "tender_value": _usable(last_value(releases, "tender", "value")) if has_tender else None}
    return facts


def _register_facts(root: Path) -> dict[str, dict[str, Any]]:
    def read(folder: str) -> list[dict[str, Any]]:
        return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / "records" / folder).glob("*.yaml"))]
    tenders = {t["id"]: t for t in read("tenders")}
    facts: dict[str, dict[str, Any]] = defaultdict(lambda: {"tender": False, "lots": set(), "awards": set(),
                                                            "award_values": {}, "deadline": None, "tender_value": None})
    for tender in tenders.values():
        f = facts[tender["ocid"]]
        end = (tender.get("tender_period") or {}).get("end_date")
        f.update(tender=True, lots={lot["id"] for lot in tender.get("lots") or []},
                 deadline=_instant(str(end)) if end else None,
                 tender_value=(float(tender["value"]["amount"]), tender["value"]["currency"]) if tender.get("value") else None)
    for award in read("awards"):
        f = facts[tenders[award["tender"]]["ocid"] if award.get("tender") else award["ocid"]]
        f["awards"].add(award["source_id"])
        if award.get("value"):
            f["award_values"][award["source_id"]] = (float(award["value"]["amount"]), award["value"]["currency"])
    return dict(facts)


def _published_facts(record_package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    facts = {}
    for record in record_package["records"]:
        compiled = record["compiledRelease"]
        tender = compiled.get("tender") or {}
        end = (tender.get("tenderPeriod") or {}).get("endDate")
        facts[record["ocid"]] = {
            "tender": any("tender" in r["tag"] for r in record["releases"]),
            "lots": {lot["id"] for lot in tender.get("lots") or []},
            "awards": {a["id"] for a in compiled.get("awards") or []},
            "award_values": {a["id"]: (float(a["value"]["amount"]), a["value"]["currency"])
                             for a in compiled.get("awards") or [] if "value" in a},
            "deadline": _instant(end) if end else None,
            "tender_value": (float(tender["value"]["amount"]), tender["value"]["currency"]) if "value" in tender else None,
        }
    return facts


def _totals(facts: dict[str, dict[str, Any]]) -> dict[str, int]:
    return {"tenders": sum(f["tender"] for f in facts.values()),
            "lots": sum(len(f["lots"]) for f in facts.values() if f["tender"]),
            "awards": sum(len(f["awards"]) for f in facts.values()),
            "deadlines": sum(f["deadline"] is not None for f in facts.values() if f["tender"]),
            "values": sum(len(f["award_values"]) + (f["tender_value"] is not None) for f in facts.values())}


def _comparable(facts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The facts of processes that have a tender or an award (a lone contract without its award is no process)."""
    return {ocid: {**f, "lots": f["lots"] if f["tender"] else set()} for ocid, f in facts.items()
            if f["tender"] or f["awards"]}


@pytest.fixture(scope="module", params=[name for name, _ in SAMPLES] or ["(none)"])
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    paths = dict(SAMPLES).get(request.param)
    if not paths:
        if os.environ.get("REQUIRE_OCDS_SAMPLES"):
            pytest.fail(f"REQUIRE_OCDS_SAMPLES is set but there are no OCDS samples in {SAMPLES_DIR}")
        pytest.skip(f"OCDS samples not found in {SAMPLES_DIR} (set OCDS_SAMPLES_DIR)")
    root = make_register(tmp_path_factory.mktemp("counts") / "register")
    report = run_import(root, *paths)
    config = load_config(root)
    result = validate_register(config, keep_data=True, use_cache=False)
    out = tmp_path_factory.mktemp("counts-export") / "data"
    export_all(build_model(result.files, config), out)
    record_package = json.loads((out / "ocds" / "record-package.json").read_text(encoding="utf-8"))
    return request.param, paths, root, report, record_package


def test_register_holds_what_the_source_publishes(imported) -> None:
    name, paths, root, _report, _ = imported
    source = _comparable(source_facts(paths))
    register = _register_facts(root)
    assert errors_of(root) == [], name
    assert _totals(register) == _totals(source), name
    assert register == source, name  # per process: the same lots, award ids, deadline instants and values


def test_our_ocds_keeps_what_the_register_holds(imported) -> None:
    name, paths, _root, _report, record_package = imported
    source = _comparable(source_facts(paths))
    published = _published_facts(record_package)
    assert _totals(published) == _totals(source), name
    assert published == source, name


def test_expected_counts_of_the_more_folders() -> None:
    """The three more/ folders, counted by hand from the README and the files: PCS Scotland 90 tender notices with
    341 lots and no award; ProZorro 11 processes (13 awards, 3 lots); Moldova 51 processes (18 awards)."""
    counts = {name: _totals(_comparable(source_facts(paths))) for name, paths in SAMPLES if name.startswith("more/")}
    if not counts:
        pytest.skip("no more/ folders")
    assert counts["more/pcs-scotland"]["tenders"] == 90 and counts["more/pcs-scotland"]["lots"] == 341
    assert counts["more/pcs-scotland"]["awards"] == 0 and counts["more/pcs-scotland"]["deadlines"] == 90
    assert (counts["more/ukraine"]["tenders"], counts["more/ukraine"]["awards"], counts["more/ukraine"]["lots"]) == (11, 13, 3)
    assert (counts["more/moldova"]["tenders"], counts["more/moldova"]["awards"]) == (51, 18)
