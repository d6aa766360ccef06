"""Totals and rankings of value awarded: per buyer and per supplier, by calendar and financial year (issue 14).

The questions these answer are "which companies got the biggest contracts from my council this year?" and "how
much has this buyer awarded, year by year?". The rules, stated once here and on the pages that show the figures:

* an award counts when its status is ``active`` or ``pending`` (awarded, perhaps still in standstill); cancelled
  and unsuccessful awards never transferred a contract and are left out;
* it counts in the year of its award decision (``date``); the UK public sector's financial year runs from
  1 April to 31 March, so an award on 2025-03-31 is in 2024-25 and one on 2025-04-01 in 2025-26;
* sums are in pounds, exact (``Decimal``); awards in another currency are counted, not converted;
* where an award went to several suppliers, its whole value counts for each of them (as on the organisation
  pages): shares of a joint contract are not published, and splitting it evenly would invent figures.

Pure functions of the registry: no I/O, no HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from site_builder.model import Record, Registry

COUNTED_STATUSES = frozenset({"active", "pending"})
ALL = "all"  # the "no filter" value of the buyer and year filters


def calendar_year(iso_date: str) -> str:
    """'2025-03-31' → '2025'."""
    return iso_date[:4]


def financial_year(iso_date: str) -> str:
    """The April-to-March year a date falls in, written as people do: '2025-03-31' → '2024-25'."""
    year, month = int(iso_date[:4]), int(iso_date[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_label(key: str) -> str:
    """'2024-25' → '2024 to 2025 financial year'."""
    start = int(key[:4])
    return f"{start} to {start + 1} financial year"


def counted(award: Record) -> bool:
    return award.get("status") in COUNTED_STATUSES and bool(award.get("date"))


def gbp_amount(award: Record) -> Decimal | None:
    """The award's value in pounds, or None when it is in another currency (or has no value)."""
    value = award.get("value") or {}
    if value.get("amount") is None or value.get("currency", "GBP") != "GBP":
        return None
    return Decimal(str(value["amount"]))


@dataclass(frozen=True)
class Total:
    """A number of awards and their value in pounds (plus how many were in another currency)."""

    awards: int = 0
    value_gbp: Decimal = Decimal(0)
    other_currency: int = 0

    def plus(self, award: Record) -> Total:
        amount = gbp_amount(award)
        if amount is None:
            return Total(self.awards + 1, self.value_gbp, self.other_currency + 1)
        return Total(self.awards + 1, self.value_gbp + amount, self.other_currency)


def total_of(awards: Iterable[Record]) -> Total:
    total = Total()
    for award in awards:
        total = total.plus(award)
    return total


@dataclass(frozen=True)
class YearTotal:
    key: str  # '2025' or '2024-25'
    label: str  # '2025' or '2024 to 2025 financial year'
    total: Total


@dataclass(frozen=True)
class OrgTotals:
    """One organisation's awards in one role (buyer or supplier): overall and year by year (oldest first)."""

    org_id: str
    role: str
    total: Total
    by_calendar_year: tuple[YearTotal, ...]
    by_financial_year: tuple[YearTotal, ...]


def _by_year(awards: list[Record], kind: str) -> tuple[YearTotal, ...]:
    keyed: dict[str, Total] = {}
    key_of = calendar_year if kind == "calendar" else financial_year
    for award in awards:
        key = key_of(str(award.get("date")))
        keyed[key] = keyed.get(key, Total()).plus(award)
    label_of = (lambda k: k) if kind == "calendar" else financial_year_label
    return tuple(YearTotal(k, label_of(k), keyed[k]) for k in sorted(keyed))


def org_totals(reg: Registry, org_id: str, role: str) -> OrgTotals:
    """``role``: 'buyer' (awards it made) or 'supplier' (awards it won)."""
    source = reg.awards_by_buyer if role == "buyer" else reg.awards_by_supplier
    awards = [a for a in source.get(org_id, ()) if counted(a)]
    return OrgTotals(org_id, role, total_of(awards), _by_year(awards, "calendar"), _by_year(awards, "financial"))


@dataclass(frozen=True)
class Period:
    """A year filter: all years, a calendar year or a financial year."""

    kind: str  # 'all' | 'calendar' | 'financial'
    key: str  # 'all', '2025' or '2024-25'

    @property
    def slug(self) -> str:
        return ALL if self.kind == ALL else (self.key if self.kind == "calendar" else f"fy{self.key}")

    @property
    def label(self) -> str:
        if self.kind == ALL:
            return "all years"
        return self.key if self.kind == "calendar" else financial_year_label(self.key)

    def contains(self, award: Record) -> bool:
        if self.kind == ALL:
            return True
        date = str(award.get("date"))
        return (calendar_year(date) if self.kind == "calendar" else financial_year(date)) == self.key


ALL_YEARS = Period(ALL, ALL)


def periods(awards: Iterable[Record]) -> list[Period]:
    """Every year the awards fall in: all years, then financial years and calendar years, newest first."""
    dates = [str(a.get("date")) for a in awards if counted(a)]
    financial = sorted({financial_year(d) for d in dates}, reverse=True)
    calendar = sorted({calendar_year(d) for d in dates}, reverse=True)
    return [ALL_YEARS, *(Period("financial", k) for k in financial), *(Period("calendar", k) for k in calendar)]


@dataclass(frozen=True)
class Ranked:
    """One organisation's place in a ranking."""

    rank: int
    org_id: str
    name: str
    total: Total
    counterparts: int  # how many different buyers (for a supplier) or suppliers (for a buyer) these awards involve
    joint_awards: int  # awards shared with other suppliers (their whole value is counted)


def _rank(reg: Registry, totals: dict[str, Total], counterparts: dict[str, set[str]],
          joint: dict[str, int]) -> list[Ranked]:
    def name(org_id: str) -> str:
        org = reg.organisations.get(org_id)
        return org.title if org else org_id

    order = sorted(totals, key=lambda o: (-totals[o].value_gbp, -totals[o].awards, name(o).casefold(), o))
    ranked: list[Ranked] = []
    for position, org_id in enumerate(order, 1):
        ranked.append(Ranked(position, org_id, name(org_id), totals[org_id], len(counterparts[org_id]),
                             joint.get(org_id, 0)))
    return ranked


def supplier_ranking(reg: Registry, buyer: str | None = None, period: Period = ALL_YEARS) -> list[Ranked]:
    """Suppliers by value awarded (largest first; ties by number of awards, then name), for one buyer or all
    (``buyer=None``) and one year or all."""
    awards = reg.awards_by_buyer.get(buyer, []) if buyer else list(reg.awards.values())
    totals: dict[str, Total] = {}
    buyers: dict[str, set[str]] = {}
    joint: dict[str, int] = {}
    for award in awards:
        if not counted(award) or not period.contains(award):
            continue
        suppliers = list(dict.fromkeys(award.get("suppliers") or ()))
        for supplier in suppliers:
            totals[supplier] = totals.get(supplier, Total()).plus(award)
            buyers.setdefault(supplier, set()).add(str(award.get("buyer")))
            if len(suppliers) > 1:
                joint[supplier] = joint.get(supplier, 0) + 1
    return _rank(reg, totals, buyers, joint)


def buyer_ranking(reg: Registry, period: Period = ALL_YEARS) -> list[Ranked]:
    """Buyers by value awarded (largest first)."""
    totals: dict[str, Total] = {}
    suppliers: dict[str, set[str]] = {}
    for award in reg.awards.values():
        if not counted(award) or not period.contains(award):
            continue
        buyer = str(award.get("buyer"))
        totals[buyer] = totals.get(buyer, Total()).plus(award)
        suppliers.setdefault(buyer, set()).update(award.get("suppliers") or ())
    return _rank(reg, totals, suppliers, {})


def buyers_with_awards(reg: Registry) -> list[Record]:
    """Buyers that made at least one counted award, by name."""
    found = [reg.organisations[b] for b, awards in reg.awards_by_buyer.items()
             if b in reg.organisations and any(counted(a) for a in awards)]
    return sorted(found, key=lambda r: (r.title.casefold(), r.id))
