"""Integrity indicators on hand-made OCDS data, imported with `procure import-ocds` (so the whole path is tested).

Every case sits on one side of a threshold; the expected flags are worked out by hand in each comment. Default
thresholds (config.DEFAULT_THRESHOLDS): short period < 15 days; award > 20% above estimate; published > 30 days after
the award date; ≥ 2 direct awards buyer→supplier within 365 days; no KPIs above £5,000,000 (procurements begun from
24 Feb 2025); estimates below 1,000 not compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ocds_helpers import load_model, make_register, run_import, write_package

from site_builder.indicators import INDICATORS
from site_builder.model import Registry

BUYER = {"id": "B", "name": "Greenbridge Borough Council", "roles": ["buyer"]}


def process(key: str, *, method: str = "open", bids: int | None = None, period: tuple[str, str] | None = None,
            estimate: float | None = 100_000, value: float = 90_000, currency: str = "GBP",
            decided: str = "2025-03-01", published: str | None = None, supplier: str = "S1",
            award: bool = True, tender_published: str = "2025-01-02", details: str | None = None,
            tag: tuple[str, ...] = ("tender", "award"), with_tender: bool = True) -> dict[str, Any]:
    ocid = f"ocds-abc123-{key}"
    tender: dict[str, Any] = {
        "id": key, "title": f"Process {key}", "status": "complete", "procurementMethod": method,
        "mainProcurementCategory": "services", "classification": {"scheme": "CPV", "id": "77313000"},
        "datePublished": f"{tender_published}T09:00:00Z",
    }
    if details:
        tender["procurementMethodDetails"] = details
    if estimate is not None:
        tender["value"] = {"amount": estimate, "currency": "GBP"}
    if bids is not None:
        tender["numberOfTenderers"] = bids
    if period:
        tender["tenderPeriod"] = {"startDate": f"{period[0]}T09:00:00Z", "endDate": f"{period[1]}T12:00:00Z"}
        if not period[0]:  # an award notice that repeats the deadline only, with no start and no publication date
            tender["tenderPeriod"] = {"endDate": f"{period[1]}T12:00:00Z"}
            del tender["datePublished"]
    release: dict[str, Any] = {
        "ocid": ocid, "id": f"{key}-r1", "date": "2025-06-01T00:00:00Z", "tag": list(tag),
        "initiationType": "tender", "buyer": {"id": "B", "name": BUYER["name"]},
        "parties": [BUYER, {"id": supplier, "name": f"Supplier {supplier} Ltd", "roles": ["supplier"]}],
        "tender": tender,
    }
    if award:
        entry: dict[str, Any] = {"id": "1", "status": "active", "date": f"{decided}T00:00:00Z",
                                 "value": {"amount": value, "currency": currency},
                                 "suppliers": [{"id": supplier, "name": f"Supplier {supplier} Ltd"}]}
        if published:
            entry["datePublished"] = f"{published}T10:00:00Z"
        release["awards"] = [entry]
    if not with_tender:
        del release["tender"]
    return release


def flags_by_process(reg: Registry) -> dict[str, set[str]]:
    """'key' → codes flagged on its tender or its award."""
    out: dict[str, set[str]] = {}
    assert reg.indicators is not None
    for (record_type, record_id), flags in reg.indicators.by_record.items():
        key = record_id.removeprefix("ocds-abc123-").removesuffix("-1") if record_type == "award" else \
            record_id.removeprefix("ocds-abc123-")
        out.setdefault(key, set()).update(f.code for f in flags)
        for flag in flags:
            where = INDICATORS[flag.code].record_type  # "record": on a tender, or on an award without one
            assert flag.record_type == where or (where == "record" and flag.record_type in ("tender", "award"))
            assert flag.detail
    return out


@pytest.fixture(scope="module")
def flagged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    tmp = tmp_path_factory.mktemp("indicators")
    releases = [
        # single bid (R018): 1 bid in an open or selective procedure; 2 bids, or 1 bid in a direct award, is not
        process("bid1open", bids=1),
        process("bid1sel", method="selective", bids=1),
        process("bid2open", bids=2),
        process("bid1direct", method="direct", bids=1, supplier="D0"),
        # short tender period (R003): 1–15 March = 14 days < 15 → flagged; 1–16 March = 15 days → not
        process("short14", period=("2025-03-01", "2025-03-15"), award=False),
        process("short15", period=("2025-03-01", "2025-03-16"), award=False),
        # non-competitive: direct and limited are flagged, open/selective are not (bid1open, bid1sel above)
        process("limited", method="limited", supplier="L1"),
        # above the estimate: 120,000 on 100,000 is exactly 20% → not; 120,001 is 20.001% → flagged;
        # 200,000 USD against a GBP estimate is not compared
        process("est20", value=120_000),
        process("est20plus", value=120_001),
        process("estusd", value=200_000, currency="USD"),
        # late publication: decided 1 March; 31 March is 30 days later → not; 1 April is 31 days → flagged
        process("late30", decided="2025-03-01", published="2025-03-31"),
        process("late31", decided="2025-03-01", published="2025-04-01"),
        # repeat direct awards, buyer B → supplier R1: 1 Jan and 1 Jan next year are 365 days apart → both flagged;
        # supplier R2: 1 Jan 2025 and 2 Jan 2026 are 366 days apart → neither
        process("rep1a", method="direct", supplier="R1", decided="2025-01-01"),
        process("rep1b", method="direct", supplier="R1", decided="2026-01-01"),
        process("rep2a", method="direct", supplier="R2", decided="2025-01-01"),
        process("rep2b", method="direct", supplier="R2", decided="2026-01-02"),
        # no KPIs (PA 2023 s.52), by when the procurement began (the tender's publication; the Act applies to
        # procurements begun on or after 24 Feb 2025): tender published 24 Feb 2025, £5,000,001 → flagged;
        # £5,000,000 → not (not *over* £5m); tender published 23 Feb 2025 and awarded in April → not (begun under
        # the old rules); £6m with KPIs added by hand → not; no tender: the award date decides (1 Mar 2025 →
        # flagged, 10 Jan 2025 → not)
        process("kpi5m1", value=5_000_001, estimate=None, tender_published="2025-02-24", decided="2025-04-01"),
        process("kpi5m", value=5_000_000, estimate=None, tender_published="2025-02-24", decided="2025-04-01"),
        process("kpibegunbefore", value=6_000_000, estimate=None, tender_published="2025-02-23", decided="2025-04-01"),
        process("kpihand", value=6_000_000, estimate=None, tender_published="2025-03-01", decided="2025-04-01"),
        process("kpinotender", value=6_000_000, decided="2025-03-01", with_tender=False, tag=("award",)),
        process("kpioldnotender", value=6_000_000, decided="2025-01-10", with_tender=False, tag=("award",)),
        # estimate plausibility floor (min_estimate_compared, default 1,000): a £0.01 or £999.99 placeholder
        # estimate is not compared; £1,000 is, and 1,201 is 20.1% above it → flagged
        process("estpenny", estimate=0.01, value=90_000),
        process("est999", estimate=999.99, value=2_000),
        process("est1000", estimate=1000, value=1_201),
        # notice artefacts are not short bidding windows: a framework call-off with a 2-day period → not; an
        # award notice giving only the deadline (no start, no tender notice) → not; an open 2-day period → flagged
        process("calloff", method="selective", details="Call-off from a framework agreement",
                period=("2025-03-01", "2025-03-03"), award=False),
        process("awardnotice", period=("", "2025-03-03"), tag=("award",)),
        process("open2days", period=("2025-03-01", "2025-03-03"), award=False),
    ]
    root = make_register(tmp / "register")
    run_import(root, write_package(tmp / "cases.json", releases))
    kpi_file = root / "records/awards/ocds-abc123-kpihand-1.yaml"
    kpi_file.write_text(kpi_file.read_text() + "kpis:\n  - id: KPI1\n    title: Sites maintained to standard\n")
    return flags_by_process(load_model(root))


@pytest.mark.parametrize(("key", "expected"), [
    ("bid1open", {"single-bid"}),
    ("bid1sel", {"single-bid"}),
    ("bid2open", set()),
    ("bid1direct", {"non-competitive"}),
    ("short14", {"short-tender-period"}),
    ("short15", set()),
    ("limited", {"non-competitive"}),
    ("est20", set()),
    ("est20plus", {"above-estimate"}),
    ("estusd", set()),
    ("late30", set()),
    ("late31", {"late-publication"}),
    ("rep1a", {"non-competitive", "repeat-direct-award"}),
    ("rep1b", {"non-competitive", "repeat-direct-award"}),
    ("rep2a", {"non-competitive"}),
    ("rep2b", {"non-competitive"}),
    ("kpi5m1", {"no-kpis"}),
    ("kpi5m", set()),
    ("kpibegunbefore", set()),
    ("kpihand", set()),
    ("kpinotender", {"no-kpis"}),
    ("kpioldnotender", set()),
    ("estpenny", set()),
    ("est999", set()),
    ("est1000", {"above-estimate"}),
    ("calloff", set()),
    ("awardnotice", set()),
    ("open2days", {"short-tender-period"}),
])
def test_indicator_thresholds(flagged: dict[str, set[str]], key: str, expected: set[str]) -> None:
    assert flagged.get(key, set()) == expected


def test_thresholds_come_from_mkdocs_yml(tmp_path: Path) -> None:
    """With short_tender_period_days: 10 and value_above_estimate_pct: 50, the 14-day period and the 20.001%
    excess are no longer flagged, and a 9-day period and a 50.5% excess are."""
    releases = [process("p14", period=("2025-03-01", "2025-03-15"), award=False),
                process("p9", period=("2025-03-01", "2025-03-10"), award=False),
                process("e20", value=120_001), process("e50", value=150_500)]
    root = make_register(tmp_path / "register", "      thresholds:\n        short_tender_period_days: 10\n"
                                                "        value_above_estimate_pct: 50\n")
    run_import(root, write_package(tmp_path / "cases.json", releases))
    flagged = flags_by_process(load_model(root))
    assert flagged.get("p14", set()) == set() and flagged["p9"] == {"short-tender-period"}
    assert flagged.get("e20", set()) == set() and flagged["e50"] == {"above-estimate"}


def test_flag_wording_is_neutral_and_explained(tmp_path: Path) -> None:
    root = make_register(tmp_path / "register")
    run_import(root, write_package(tmp_path / "c.json", [process("x", bids=1, value=150_000)]))
    reg = load_model(root)
    assert reg.indicators is not None
    flags = reg.indicators.by_record[("award", "ocds-abc123-x-1")]
    details = {f.code: f.detail for f in flags}
    assert details["single-bid"] == "Only 1 bid was received in an open procedure."
    assert details["above-estimate"] == ("Awarded at £150,000, 50.0% above the tender's estimate of £100,000; "
                                         "the threshold is 20%.")
    for indicator in INDICATORS.values():
        assert indicator.innocent and indicator.source
        for word in ("fraud", "corrupt", "suspicious", "illegal"):
            assert word not in (indicator.definition + indicator.innocent).lower()
    # the award page filter carries its tender's flags too (none here: open procedure) and its own
    from site_builder.indicators import filter_labels

    assert set(filter_labels(reg, reg.awards["ocds-abc123-x-1"])) == {"Single bid in a competitive procedure",
                                                                      "Award above the estimate"}
    assert json.dumps(filter_labels(reg, reg.tenders["ocds-abc123-x"]))  # the tender shows its award's flags
    assert set(filter_labels(reg, reg.tenders["ocds-abc123-x"])) == set(filter_labels(reg, reg.awards["ocds-abc123-x-1"]))


def test_indicators_page_and_record_partial(tmp_path: Path) -> None:
    from site_builder.render import build_environment
    from site_builder.render.indicators import iter_pages

    root = make_register(tmp_path / "register")
    run_import(root, write_package(tmp_path / "c.json", [process("x", bids=1), process("y", method="direct")]))
    reg = load_model(root)
    env = build_environment(reg.config.schemas_dir)
    [page] = list(iter_pages(reg, env))
    assert page.url == "indicators/"
    html = page.body_html
    assert '<h3 id="single-bid">Single bid in a competitive procedure (1)</h3>' in html
    assert '<h3 id="non-competitive">No open competition (1)</h3>' in html
    assert 'href="../awards/ocds-abc123-x-1/">Process x</a>' in html
    assert 'href="../tenders/ocds-abc123-y/">Process y</a>' in html
    assert "short-tender-period" not in html.split('id="by-indicator"')[1]  # no section for an unraised indicator
    by_buyer = html.split('id="by-buyer"')[1]
    assert "Greenbridge Borough Council</a></th><td>1</td><td>1</td><td>2</td><td>4</td>" in by_buyer

    partial = env.get_template("partials/record_indicators.html")
    award_html = partial.render(reg=reg, record=reg.awards["ocds-abc123-y-1"], flags=reg.indicators, root="../../")
    assert "No open competition" in award_html and "(on its tender" in award_html
    assert "It can also mean:" in award_html and "not a finding of wrongdoing" in award_html
    clean = partial.render(reg=reg, record=reg.organisations["greenbridge-borough-council"], flags=reg.indicators,
                           root="../../")
    assert clean.strip() == ""
