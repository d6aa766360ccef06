"""The contract after award: procedure, changes, terminations, display status and KPI assessments.

Read-only helpers over validated award (and tender) records; pages, exports and indicators all call these, so a
direct award is a direct award everywhere, whether its procedure is stated on a tender record or on the award.

Why changes, terminations and KPI assessments live inside the award record rather than as records of their own: each
belongs to exactly one contract and only makes sense in order with the others (a change's "value before" is the
previous change's "value after"), so keeping them in one file lets the validator check the chain in one place, lets an
officer see the contract's whole history while editing it, and makes ``git log`` of the file the contract's history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from site_builder.dates import parse_date
from site_builder.formatting import format_date

if TYPE_CHECKING:
    from site_builder.model import Record, Registry

#: procedures that do not invite open competition (the integrity indicators' "non-competitive")
NON_COMPETITIVE = frozenset({"direct", "limited"})





# --- procedure ---------------------------------------------------------------------------------------------------

def procedure_method(reg: Registry, award: Record) -> str | None:
    """How the award's supplier was chosen: its tender's method, or the award's own ``procedure`` when it has no
    tender in the register. None only for records that predate the rule (the validator now requires one)."""
    tender = reg.tender_of(award)
    if tender is not None:
        return tender.get("procurement_method")
    procedure = award.get("procedure") or {}
    return procedure.get("method")


def legal_basis(reg: Registry, award: Record) -> str | None:
    tender = reg.tender_of(award)
    if tender is not None:
        return tender.get("legal_basis")
    return (award.get("procedure") or {}).get("legal_basis")


def justification(reg: Registry, award: Record) -> Mapping[str, Any] | None:
    """Why there was no open competition: from the tender, or from the award's own procedure."""
    tender = reg.tender_of(award)
    if tender is not None:
        return tender.get("justification")
    return (award.get("procedure") or {}).get("justification")


def is_direct(reg: Registry, award: Record) -> bool:
    return procedure_method(reg, award) == "direct"


# --- changes -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContractTerms:
    """The contract's value and end date as awarded and as they stand after every change."""

    original_value: Mapping[str, Any] | None
    current_value: Mapping[str, Any] | None
    original_end: date | None
    current_end: date | None
    start: date | None
    changes: tuple[Mapping[str, Any], ...]

    @property
    def value_change_pct(self) -> float | None:
        """Percentage change of the value through changes (same currency only), None when it cannot be said."""
        before, after = self.original_value, self.current_value
        if not before or not after or before.get("currency") != after.get("currency"):
            return None
        base = float(before.get("amount") or 0)
        if base <= 0:
            return None
        return (float(after["amount"]) - base) / base * 100

    @property
    def extension_pct(self) -> float | None:
        """How far the end date moved, as a percentage of the original term (start to original end)."""
        if not (self.start and self.original_end and self.current_end):
            return None
        term = (self.original_end - self.start).days
        if term <= 0:
            return None
        return (self.current_end - self.original_end).days / term * 100

    @property
    def value_changed(self) -> bool:
        return self.current_value is not None and self.current_value != self.original_value

    @property
    def end_changed(self) -> bool:
        return self.current_end != self.original_end


def terms_of(award: Record) -> ContractTerms:
    """Fold the award's changes, oldest first, into its current value and end date."""
    period = award.get("contract_period") or {}
    value = award.get("value")
    end = parse_date(period.get("end_date"))
    original_value, original_end = value, end
    changes = tuple(sorted(award.get("changes") or (), key=lambda c: (str(c.get("date")), str(c.get("id")))))
    for change in changes:
        if change.get("value_after"):
            value = change["value_after"]
        if change.get("end_date_after"):
            end = parse_date(change["end_date_after"])
    return ContractTerms(original_value, value, original_end, end, parse_date(period.get("start_date")), changes)


# --- display status ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DisplayStatus:
    """What a reader should be told about where an award stands. ``group`` is the search facet's value (no date),
    ``label`` the sentence shown in lists and on the page."""

    code: str
    group: str
    label: str


#: facet groups, in the order a reader scans them
STATUS_GROUPS = {
    "pending": "Award pending",
    "not-signed": "Awarded, contract not yet signed",
    "not-started": "Contract not yet started",
    "in-progress": "In progress",
    "ended": "Contract ended",
    "terminated-early": "Terminated early",
    "cancelled": "Cancelled",
    "unsuccessful": "Not awarded",
}


def display_status(award: Record, as_of: date) -> DisplayStatus:
    """An honest status from the award status, contract status, termination and (changed) dates on ``as_of``.

    OCDS's ``terminated`` contract status means "has come to a close", early or not, so the recorded dates decide
    whether a contract ended on time or early."""
    def status(code: str, label: str | None = None) -> DisplayStatus:
        return DisplayStatus(code, STATUS_GROUPS[code], label or STATUS_GROUPS[code])

    award_status = award.get("status")
    contract_status = award.get("contract_status")
    if award_status == "cancelled":
        return status("cancelled", "Award cancelled")
    if award_status == "unsuccessful":
        return status("unsuccessful")
    if award_status == "pending":
        return status("pending", "Award pending (standstill or not yet confirmed)")
    if contract_status == "cancelled":
        return status("cancelled", "Contract cancelled before signature")
    terms = terms_of(award)
    termination = award.get("termination")
    if termination:
        ended = parse_date(termination.get("date"))
        return status("terminated-early", f"Terminated early on {format_date(ended)}" if ended else None)
    if contract_status == "pending" or (contract_status is None and not award.get("date_signed")):
        return status("not-signed")
    end = terms.current_end
    if contract_status == "terminated" and end is not None and end > as_of:
        return status("terminated-early", "Terminated early (date not published)")
    if end is not None and end < as_of:
        return status("ended", f"Contract ended {format_date(end)}")
    if contract_status == "terminated":
        return status("ended")
    if terms.start is not None and terms.start > as_of:
        return status("not-started", f"Contract starts {format_date(terms.start)}")
    return status("in-progress", f"In progress until {format_date(end)}" if end else None)


# --- KPI assessments ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiRating:
    kpi: Mapping[str, Any]
    assessment: Mapping[str, Any]


def assessments_of(award: Record) -> list[KpiRating]:
    """Every KPI assessment of the award, KPI by KPI, each KPI's oldest first."""
    out = []
    for kpi in award.get("kpis") or ():
        ordered = sorted(kpi.get("assessments") or (), key=lambda a: str(a["period"]["start_date"]))
        out += [KpiRating(kpi, a) for a in ordered]
    return out


def latest_ratings(award: Record) -> list[KpiRating]:
    """Each assessed KPI's most recent assessment (what the contract is rated now)."""
    latest: dict[str, KpiRating] = {}
    for rating in assessments_of(award):
        latest[str(rating.kpi.get("id"))] = rating
    return list(latest.values())


def rated_inadequate(award: Record) -> bool:
    """True when any KPI's most recent assessment is 'inadequate' (the per-supplier and per-buyer roll-up)."""
    return any(r.assessment.get("rating") == "inadequate" for r in latest_ratings(award))


@dataclass(frozen=True)
class PerformanceSummary:
    """KPI performance of a set of awards (one supplier's or one buyer's)."""

    assessed: int  # awards with at least one KPI assessment
    inadequate: tuple[Record, ...]  # awards whose latest rating of some KPI is inadequate
    ratings: Mapping[str, int]  # latest ratings by UK9 code, across all the awards' KPIs


def performance_of(awards: list[Record]) -> PerformanceSummary:
    counts: dict[str, int] = {}
    assessed = 0
    inadequate = []
    for award in awards:
        latest = latest_ratings(award)
        if not latest:
            continue
        assessed += 1
        for r in latest:
            code = str(r.assessment.get("rating"))
            counts[code] = counts.get(code, 0) + 1
        if rated_inadequate(award):
            inadequate.append(award)
    return PerformanceSummary(assessed, tuple(inadequate), counts)


# --- frameworks and call-offs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FrameworkUse:
    """How much of a framework agreement's maximum value its call-offs have used (same currency only)."""

    call_offs: tuple[Record, ...]
    maximum: Mapping[str, Any]
    total: float  # current values (after changes) of the call-offs in the maximum's currency
    other_currency: int  # call-offs in another currency, not added

    @property
    def used_pct(self) -> float | None:
        amount = float(self.maximum.get("amount") or 0)
        return self.total / amount * 100 if amount > 0 else None


def framework_use(reg: Registry, framework: Record) -> FrameworkUse | None:
    terms = framework.get("framework_agreement")
    if not terms:
        return None
    call_offs = tuple(sorted(reg.call_offs_by_framework.get(framework.id, ()),
                             key=lambda a: (str(a.get("date")), a.id)))
    currency = terms["maximum_value"].get("currency")
    total, other = 0.0, 0
    for call_off in call_offs:
        if call_off.get("status") in ("cancelled", "unsuccessful"):
            continue
        value = terms_of(call_off).current_value or {}
        if value.get("currency") == currency:
            total += float(value.get("amount") or 0)
        else:
            other += 1
    return FrameworkUse(call_offs, terms["maximum_value"], total, other)


def after_award_labels(award: Record) -> list[str]:
    """The values of the search page's "After award" filter for one award."""
    labels = []
    terms = terms_of(award)
    if terms.changes:
        labels.append("Changed after award")
    if award.get("termination"):
        labels.append("Terminated early")
    if award.get("framework_agreement"):
        labels.append("Framework agreement")
    if award.get("framework"):
        labels.append("Call-off under a framework")
    if assessments_of(award):
        labels.append("KPIs assessed")
    if rated_inadequate(award):
        labels.append("A KPI rated inadequate")
    return labels
