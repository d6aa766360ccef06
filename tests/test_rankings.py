"""Totals and rankings of value awarded (issue 14). Expected values are worked out here from the YAML files
themselves (read with PyYAML, not through the register's loader or model) or by hand."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
import yaml
from conftest import REPO_ROOT

from site_builder import rankings


def _awards_from_yaml() -> list[dict]:
    awards = []
    for path in sorted((REPO_ROOT / "records" / "awards").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["date"] = str(data["date"])
        awards.append(data)
    return awards


def _fy(iso: str) -> str:
    y, m = int(iso[:4]), int(iso[5:7])
    start = y - 1 if m < 4 else y
    return f"{start}-{str(start + 1)[2:]}"


def _counts(award: dict) -> bool:
    return award["status"] in ("active", "pending")


@pytest.mark.parametrize(("iso", "expected"), [
    ("2025-03-31", "2024-25"), ("2025-04-01", "2025-26"), ("2025-12-31", "2025-26"), ("2026-01-01", "2025-26"),
    ("1999-04-01", "1999-00"), ("2000-03-31", "1999-00"),
])
def test_financial_years_run_from_april_to_march(iso, expected):
    assert rankings.financial_year(iso) == expected


def test_financial_year_labels_name_both_years():
    assert rankings.financial_year_label("2024-25") == "2024 to 2025 financial year"


def test_supplier_ranking_of_each_buyer_and_financial_year_matches_the_yaml(demo_registry):
    awards = _awards_from_yaml()
    expected: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for a in awards:
        if _counts(a) and a["value"]["currency"] == "GBP":
            for s in a["suppliers"]:
                expected[(a["buyer"], _fy(a["date"]))][s] += Decimal(str(a["value"]["amount"]))
    assert len(expected) > 10  # the demo register has several buyers over several years
    for (buyer, fy), by_supplier in expected.items():
        ranked = rankings.supplier_ranking(demo_registry, buyer, rankings.Period("financial", fy))
        assert {r.org_id: r.total.value_gbp for r in ranked} == dict(by_supplier), (buyer, fy)
        values = [r.total.value_gbp for r in ranked]
        assert values == sorted(values, reverse=True)
        assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))


def _award(record_id: str, buyer: str, suppliers: list[str], amount: int, date: str, status: str = "active"):
    from types import MappingProxyType

    from site_builder.model import Record

    data = {"id": record_id, "buyer": buyer, "suppliers": tuple(suppliers), "status": status, "date": date,
            "value": MappingProxyType({"amount": amount, "currency": "GBP"})}
    return Record("award", record_id, f"records/awards/{record_id}.yaml", MappingProxyType(data), b"")


def test_a_joint_award_counts_in_full_for_each_supplier_and_is_marked():
    from types import SimpleNamespace

    awards = [_award("A1", "b", ["x", "y"], 1000, "2025-05-01"), _award("A2", "b", ["y"], 300, "2025-06-01"),
              _award("A3", "b", ["z"], 5000, "2025-07-01", status="cancelled")]
    reg = SimpleNamespace(awards={a.id: a for a in awards}, awards_by_buyer={"b": awards}, organisations={})
    ranked = rankings.supplier_ranking(reg, "b")  # type: ignore[arg-type]
    # by hand: y has 1000 + 300, x 1000; z's award was cancelled
    assert [(r.org_id, r.total.value_gbp, r.total.awards, r.joint_awards) for r in ranked] == [
        ("y", Decimal(1300), 2, 1), ("x", Decimal(1000), 1, 1)]


def test_organisation_totals_by_calendar_and_financial_year_match_the_yaml(demo_registry):
    awards = _awards_from_yaml()
    for org_id in ("greenbridge-borough-council", "greenbridge-schools-trust"):
        by_year: dict[str, Decimal] = defaultdict(Decimal)
        by_fy: dict[str, Decimal] = defaultdict(Decimal)
        for a in awards:
            if a["buyer"] == org_id and _counts(a):
                by_year[a["date"][:4]] += Decimal(str(a["value"]["amount"]))
                by_fy[_fy(a["date"])] += Decimal(str(a["value"]["amount"]))
        totals = rankings.org_totals(demo_registry, org_id, "buyer")
        assert {y.key: y.total.value_gbp for y in totals.by_calendar_year} == dict(by_year)
        assert {y.key: y.total.value_gbp for y in totals.by_financial_year} == dict(by_fy)
        assert totals.total.value_gbp == sum(by_year.values())
        assert [y.key for y in totals.by_calendar_year] == sorted(by_year)  # oldest first, for a chart over time


def test_buyer_ranking_adds_up_to_every_counted_award(demo_registry):
    awards = [a for a in _awards_from_yaml() if _counts(a)]
    ranked = rankings.buyer_ranking(demo_registry)
    assert sum(r.total.awards for r in ranked) == len(awards)
    assert sum(r.total.value_gbp for r in ranked) == sum(Decimal(str(a["value"]["amount"])) for a in awards)


def test_cancelled_and_other_currency_awards_are_handled(demo_registry):
    from dataclasses import replace
    from types import MappingProxyType

    base = next(iter(demo_registry.awards.values()))
    euro = replace(base, data=MappingProxyType({**base.data, "value": MappingProxyType(
        {"amount": 500, "currency": "EUR"})}))
    cancelled = replace(base, data=MappingProxyType({**base.data, "status": "cancelled"}))
    assert not rankings.counted(cancelled)
    total = rankings.total_of([base, euro])
    assert total.awards == 2 and total.other_currency == 1
    assert total.value_gbp == Decimal(str(base.data["value"]["amount"]))
