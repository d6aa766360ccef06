"""Integrity indicators ("red flags") computed from the model.

Each indicator is a documented, threshold-based check in the spirit of the Open Contracting Partnership's red flags
(Cardinal's R003 and R018, and the non-competitive-procedure indicator of indicatortoolbox.eu), plus checks on
publication delay, repeat direct awards and Procurement Act 2023 s.52 KPIs. A flag means "worth a closer look", never
"wrong": every indicator says what it can innocently mean (see docs/indicators.md).

``compute(reg) -> IndicatorResults``; ``IndicatorResults.by_record[(record_type, record_id)] -> list[Flag]``. Each
flag sits on exactly one record: process-wide checks (procedure, tender period) on the tender, the others on the award.
Thresholds come from ``reg.config.thresholds`` (the ``thresholds:`` block of the procure plugin in mkdocs.yml).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from site_builder import contracts
from site_builder.dates import parse_date

if TYPE_CHECKING:
    from site_builder.model import Record, Registry

#: procedures that invite competition (Cardinal R018's default) and those that do not
COMPETITIVE_METHODS = frozenset({"open", "selective"})
NON_COMPETITIVE_METHODS = frozenset({"direct", "limited"})
#: the Procurement Act 2023 (and its s.52 KPI duty) applies to procurements started from this date
PA2023_COMMENCEMENT = date(2025, 2, 24)


@dataclass(frozen=True)
class Indicator:
    """What one indicator is, for the methodology page, the record pages and the data dictionary."""

    code: str
    title: str
    record_type: str  # where its flags sit
    definition: str
    innocent: str  # what it can mean when nothing is wrong
    source: str
    threshold_keys: tuple[str, ...] = ()


INDICATORS: dict[str, Indicator] = {i.code: i for i in (
    Indicator("single-bid", "Single bid in a competitive procedure", "award",
              "Only one bid was received although the procedure was open or selective.",
              "A specialised market with few suppliers, a small or unattractive contract, or a short, local need.",
              "OCP red flags / Cardinal R018"),
    Indicator("short-tender-period", "Short time to bid", "tender",
              "Fewer days than the threshold between the opening of the tender and the deadline for bids.",
              "An urgent need, a simple requirement, a call-off from a framework whose suppliers are ready, or a "
              "tender that was advertised earlier in another way.",
              "OCP red flags / Cardinal R003", ("short_tender_period_days",)),
    Indicator("non-competitive", "No open competition", "record",  # on the tender, or on an award without one
              "The procedure was direct (one supplier chosen) or limited (the buyer chose whom to invite).",
              "The law allows it for urgency, a single capable supplier, small values or call-offs; the notice "
              "should give the reason.",
              "indicatortoolbox.eu, OCP red flags (non-competitive procedure)"),
    Indicator("above-estimate", "Award above the estimate", "award",
              "The award's value is more than the threshold percentage above the tender's estimated value.",
              "The estimate was out of date or rough, the scope grew, or prices rose between estimate and award.",
              "OCP red flags (contract value higher than estimated)", ("value_above_estimate_pct", "min_estimate_compared")),
    Indicator("late-publication", "Award published late", "award",
              "The award was published more than the threshold number of days after the award decision.",
              "A standstill period, a delayed contract signature, or a notice published on time elsewhere.",
              "Procurement Act 2023 (contract details notice within 30 days); OCP red flags",
              ("late_publication_days",)),
    Indicator("repeat-direct-award", "Repeated direct awards", "award",
              "The same buyer made at least the threshold number of direct awards to the same supplier within "
              "the threshold number of days.",
              "Stages of one project, a sole supplier of a product or service, or call-offs counted as separate "
              "awards. It can also be a sign of splitting a contract to stay below a threshold.",
              "OCP red flags (repeated awards to the same supplier)",
              ("repeat_direct_award_count", "repeat_direct_award_days")),
    Indicator("no-kpis", "Large contract without published KPIs", "award",
              "A contract worth more than the threshold (in pounds) with neither key performance indicators nor "
              "social-value commitments published in the register.",
              "The KPIs exist but are not yet in the register, or the contract is exempt (e.g. a framework "
              "call-off whose KPIs sit in the framework, or a contract not under the Act).",
              "Procurement Act 2023 s.52 (at least three KPIs for contracts over £5m)", ("kpi_required_above_gbp",)),
    # issue 13: the contract after award
    Indicator("value-increased-by-changes", "Value increased through changes", "award",
              "Changes after award raised the contract's value by more than the threshold percentage of its value "
              "at award.",
              "Extra work the contract provided for (options, more sites), inflation clauses, or a scope that grew "
              "for good reasons; the change notice should say which.",
              "OCP red flags (contract amendments increasing value); PCR 2015 reg. 72(5) treats changes under 10% "
              "(goods and services) as minor", ("change_value_increase_pct",)),
    Indicator("term-extended", "Extended well beyond the original term", "award",
              "Changes after award moved the contract's end date by more than the threshold percentage of its "
              "original term.",
              "An extension option written into the contract, a delayed replacement procurement, or a pause in the "
              "work; the change notice should say which.",
              "OCP red flags (contract extensions)", ("change_extension_pct",)),
)}


@dataclass(frozen=True)
class Flag:
    code: str  # e.g. "single-bid" (a key of INDICATORS)
    record_type: str
    record_id: str
    detail: str  # plain-language explanation of why this record is flagged

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.code]


@dataclass
class IndicatorResults:
    by_record: dict[tuple[str, str], list[Flag]] = field(default_factory=dict)

    def flags(self) -> list[Flag]:
        return [f for flags in self.by_record.values() for f in flags]

    def by_code(self) -> dict[str, list[Flag]]:
        """Indicator code → its flags, in the catalogue's order (codes without flags included, empty)."""
        out: dict[str, list[Flag]] = {code: [] for code in INDICATORS}
        for flag in self.flags():
            out[flag.code].append(flag)
        return out

    def codes_for(self, record_type: str, record_id: str) -> tuple[str, ...]:
        """The codes flagged on one record, in the catalogue's order."""
        return tuple(f.code for f in self.by_record.get((record_type, record_id), ()))

    def for_page(self, reg: Registry, record: Record) -> list[Flag]:
        """What a record page shows (see :func:`flags_shown_with`); callable from templates."""
        return flags_shown_with(reg, record)


def _amount(money: Any) -> tuple[float, str] | None:
    if not money or money.get("amount") is None or not money.get("currency"):
        return None
    return float(money["amount"]), str(money["currency"])


def _days(n: float) -> str:
    n = int(n)
    return f"{n} day{'s' if n != 1 else ''}"


def _money(amount: float, currency: str) -> str:
    text = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    return f"£{text}" if currency == "GBP" else f"{text} {currency}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _day(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _threshold_number(value: float) -> str:
    return f"{value:g}"


#: a call-off from a framework or a dynamic purchasing system: its "tender period" is a short mini-competition among
#: suppliers already on the framework, or a notice artefact, not a public bidding window
_CALL_OFF = re.compile(r"call[- ]?off|further competition|mini[- ]competition|from a framework|dynamic purchasing", re.I)


def is_call_off(tender: Record) -> bool:
    return bool(_CALL_OFF.search(str(tender.get("procurement_method_details") or "")))


def procurement_start(award: Record, tender: Record | None) -> date | None:
    """When the procurement began: its tender's publication (or the opening of bids); for an award without a
    tender, the award decision is the best evidence there is."""
    if tender is not None:
        period = tender.get("tender_period") or {}
        starts = [d for d in (parse_date(tender.get("published")), parse_date(period.get("start_date"))) if d]
        return min(starts) if starts else None
    return parse_date(award.get("date"))


def under_pa2023(award: Record, tender: Record | None) -> bool:
    """Whether the Procurement Act 2023 governs the procurement: a procurement begun before 24 February 2025
    stays under the old regulations (the Act's transitional provisions) even when it is awarded later."""
    if tender is not None and tender.get("legal_basis") == "PA2023":
        return True
    if tender is not None and tender.get("legal_basis") in ("PCR2015", "other"):
        return False
    start = procurement_start(award, tender)
    return start is not None and start >= PA2023_COMMENCEMENT


def compute(reg: Registry) -> IndicatorResults:
    thresholds = reg.config.thresholds
    results = IndicatorResults()

    def flag(record: Record, code: str, detail: str) -> None:
        results.by_record.setdefault((record.type, record.id), []).append(Flag(code, record.type, record.id, detail))

    short_days = float(thresholds["short_tender_period_days"])
    for tender in reg.tenders.values():
        method = tender.get("procurement_method")
        if method in NON_COMPETITIVE_METHODS:
            words = {"direct": "a direct award: one supplier was chosen without competition",
                     "limited": "a limited procedure: the buyer chose which suppliers to invite"}[method]
            flag(tender, "non-competitive", f"The procedure was {words}.")
        period = tender.get("tender_period")
        if period and method in COMPETITIVE_METHODS and not is_call_off(tender):
            start, end = parse_date(period.get("start_date")), parse_date(period.get("end_date"))
            if start and end:
                length = (end - start).days
                if length < short_days:
                    flag(tender, "short-tender-period",
                         f"Suppliers had {_days(length)} to bid ({_day(start)} to {_day(end)}); "
                         f"the threshold is {_threshold_number(short_days)} days.")

    above_pct = float(thresholds["value_above_estimate_pct"])
    late_days = float(thresholds["late_publication_days"])
    kpi_above = float(thresholds["kpi_required_above_gbp"])
    for award in reg.awards.values():
        award_tender = reg.tender_of(award)
        method = contracts.procedure_method(reg, award)
        if award_tender is None and method in NON_COMPETITIVE_METHODS:  # a direct award with no tender record
            words = {"direct": "a direct award: one supplier was chosen without competition",
                     "limited": "a limited procedure: the buyer chose which suppliers to invite"}[method]
            flag(award, "non-competitive", f"The procedure was {words}.")
        bids = award.get("number_of_tenderers")
        if bids == 1 and method in COMPETITIVE_METHODS:
            flag(award, "single-bid", f"Only 1 bid was received in a{'n' if method == 'open' else ''} {method} procedure.")

        value, estimate = _amount(award.get("value")), _amount(award_tender.get("value") if award_tender else None)
        min_estimate = float(thresholds["min_estimate_compared"])
        if value and estimate and value[1] == estimate[1] and estimate[0] >= min_estimate and estimate[0] > 0:
            excess_pct = (value[0] - estimate[0]) / estimate[0] * 100
            if excess_pct > above_pct:
                flag(award, "above-estimate",
                     f"Awarded at {_money(*value)}, {excess_pct:.1f}% above the tender's estimate of "
                     f"{_money(*estimate)}; the threshold is {_threshold_number(above_pct)}%.")

        decided, published = award.date_of("date"), award.date_of("published")
        if decided and published and (published - decided).days > late_days:
            flag(award, "late-publication",
                 f"Published {_days((published - decided).days)} after the award decision "
                 f"({_day(decided)} to {_day(published)}); the threshold is {_threshold_number(late_days)} days.")

        if (value and value[1] == "GBP" and value[0] > kpi_above and award.get("status") in ("active", None)
                and under_pa2023(award, award_tender)
                and contracts.legal_basis(reg, award) not in ("PCR2015", "other")  # the tender's or the award's own
                and not award.get("kpis") and not award.get("commitments")):
            flag(award, "no-kpis",
                 f"Worth {_money(*value)}, above {_money(kpi_above, 'GBP')}, with no key performance indicators "
                 "or social-value commitments published in this register.")

    _repeat_direct_awards(reg, thresholds, flag)
    _contract_changes(reg, thresholds, flag)
    for flags in results.by_record.values():
        flags.sort(key=lambda f: list(INDICATORS).index(f.code))
    return results


def _repeat_direct_awards(reg: Registry, thresholds: dict[str, float], flag: Any) -> None:
    """Flag each direct award that is one of ≥ N direct awards by one buyer to one supplier within W days."""
    window = float(thresholds["repeat_direct_award_days"])
    needed = int(thresholds["repeat_direct_award_count"])
    pairs: dict[tuple[str, str], list[tuple[date, Record]]] = defaultdict(list)
    for award in reg.awards.values():
        decided = award.date_of("date")
        if not contracts.is_direct(reg, award) or decided is None:  # the tender's method, or the award's own
            continue
        if award.get("status") in ("cancelled", "unsuccessful"):
            continue
        if award.get("framework"):  # a call-off: the competition was for the framework (issue 13)
            continue
        for supplier in award.supplier_ids:
            pairs[(str(award.buyer_id), supplier)].append((decided, award))
    for (buyer, supplier), awards in sorted(pairs.items()):
        awards.sort(key=lambda item: (item[0], item[1].id))
        for decided, award in awards:
            near = [a for d, a in awards if abs((d - decided).days) <= window]
            if len(near) >= needed:
                others = [a.id for a in near if a.id != award.id]
                buyer_name = _org_name(reg, buyer)
                supplier_name = _org_name(reg, supplier)
                flag(award, "repeat-direct-award",
                     f"{buyer_name} made {len(near)} direct awards to {supplier_name} within "
                     f"{_threshold_number(window)} days of this one, counting it (the others: {', '.join(others)}); "
                     f"the threshold is {needed}.")


def _contract_changes(reg: Registry, thresholds: dict[str, float], flag: Any) -> None:
    """Value creep and long extensions, from each award's changes (see site_builder.contracts.terms_of)."""
    value_pct = float(thresholds["change_value_increase_pct"])
    extension_pct = float(thresholds["change_extension_pct"])
    for award in reg.awards.values():
        if not award.get("changes"):
            continue
        terms = contracts.terms_of(award)
        increase = terms.value_change_pct
        if increase is not None and increase > value_pct and terms.original_value and terms.current_value:
            before, after = _amount(terms.original_value), _amount(terms.current_value)
            assert before and after
            flag(award, "value-increased-by-changes",
                 f"Changes raised the value from {_money(*before)} to {_money(*after)}, {increase:.1f}% more than at "
                 f"award; the threshold is {_threshold_number(value_pct)}%.")
        extension = terms.extension_pct
        if extension is not None and extension > extension_pct and terms.original_end and terms.current_end:
            flag(award, "term-extended",
                 f"Changes moved the end date from {_day(terms.original_end)} to {_day(terms.current_end)}, "
                 f"{extension:.1f}% of the original term; the threshold is {_threshold_number(extension_pct)}%.")


def _org_name(reg: Registry, org_id: Any) -> str:
    org = reg.organisations.get(org_id) if org_id else None
    return org.title if org else str(org_id)


def flags_shown_with(reg: Registry, record: Record) -> list[Flag]:
    """The flags a record's page shows and its search filter carries: its own, plus those of its tender (on an
    award page) or of its awards (on a tender page), so each process can be found from both."""
    if reg.indicators is None:
        return []
    by_record = reg.indicators.by_record
    flags = list(by_record.get((record.type, record.id), ()))
    if record.type == "award":
        tender = reg.tender_of(record)
        if tender is not None:
            flags += by_record.get(("tender", tender.id), ())
    elif record.type == "tender":
        for award in reg.awards_by_tender.get(record.id, ()):
            flags += by_record.get(("award", award.id), ())
    return flags


def filter_labels(reg: Registry, record: Record) -> tuple[str, ...]:
    """The values of the search page's "indicator" filter for one record page."""
    return tuple(dict.fromkeys(INDICATORS[f.code].title for f in flags_shown_with(reg, record)))
