"""Social-value figures: what each commitment promised, what has been delivered, and whether it is on track.

Computed once in the model stage (``build_model`` calls :func:`compute`) and read by every page and export, so a
figure never differs between the award page, the overview and the CSV. The rules are written down for the public
in ``docs/methodology.md``; the constants below are the ones that page quotes. In short:

* **Full target**: a ``per-year`` target × the years of the commitment period (``target.period``, else the award's
  ``contract_period``); a ``whole-contract`` target as written.
* **Delivered to date**: the sum of the reported quantities of every outcome that has not been superseded by a
  correction, each × its attribution % (the outcome's, else the commitment's, else 100). ``cumulative_to_date``
  is only a cross-check: when the latest report's running total disagrees with the sum we say so, we never
  replace the sum with it.
* **Reporting periods** run back to back from the start of the commitment period, every 3, 6 or 12 months by
  ``reporting_frequency``. One is *due* once it ended more than :data:`GRACE_DAYS` days before the reference date;
  a report *covers* it when the report's period includes the reporting period's last day.
* **Status**, first rule that applies: withdrawn → delivered (full target reached) → overdue (a due period has no
  report) → not yet due (no period due and none reported) → reported (inconspicuous benefits, which are described
  rather than counted) → on track (at least :data:`ON_TRACK_SHARE` of the pro-rata target by the end of the latest
  due or reported period) → behind.
* **Money**: a commitment is valued in £ only with a declared proxy (its own ``valuation``, else its measure's
  ``proxy``) or when its unit is already £. Different units are never added together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from site_builder.dates import (
    financial_year,
    financial_year_span,
    iter_reporting_periods,
    parse_date,
    years_between,
)

if TYPE_CHECKING:
    from site_builder.model import Commitment, Record, Registry

GRACE_DAYS = 30  # a report is overdue this many days after its period ends (the UK8/UK7 habit of "within 30 days")
ON_TRACK_SHARE = 0.9  # delivering at least 90% of the pro-rata target counts as on track
MOST_BEHIND_LIMIT = 10

STATUSES = ("delivered", "on-track", "behind", "overdue", "not-yet-due", "reported", "withdrawn")
#: plain-language labels, shown on badges and in tables (never colour alone)
STATUS_LABELS = {
    "delivered": "Delivered",
    "on-track": "On track",
    "behind": "Behind target",
    "overdue": "Report overdue",
    "not-yet-due": "Not yet due",
    "reported": "Reported (described, not counted)",
    "withdrawn": "Withdrawn (not counted)",
}
STATUS_EXPLANATIONS = {
    "delivered": "The full target has been reached.",
    "on-track": f"Delivery is at least {round(ON_TRACK_SHARE * 100)}% of what was due by the latest report.",
    "behind": f"Delivery is below {round(ON_TRACK_SHARE * 100)}% of what was due by the latest report.",
    "overdue": f"A reporting period ended more than {GRACE_DAYS} days ago and no report has been published for it.",
    "not-yet-due": "The first reporting period has not ended yet (or ended less than "
    f"{GRACE_DAYS} days ago) and nothing has been reported.",
    "reported": "A benefit that is described rather than counted; its reports are up to date.",
    "withdrawn": "The commitment was withdrawn. It is shown for the record but left out of every total.",
}
ASSURANCE_LEVELS = ("independently-verified", "buyer-validated", "self-reported")


# --- the figures -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proxy:
    """The £ value of one unit and where it comes from (``origin``: commitment, measure, or pounds = already £)."""

    value_gbp_per_unit: float
    source: str
    version: str
    licence: str | None
    origin: str


@dataclass(frozen=True)
class ReportingPeriod:
    start: date
    end: date
    due: date  # end + GRACE_DAYS: a report missing after this date is overdue
    is_due: bool  # the due date has passed on the reference date
    reported: bool  # a counted report covers this period's last day
    outcome_ids: tuple[str, ...]

    @property
    def is_overdue(self) -> bool:
        return self.is_due and not self.reported


@dataclass(frozen=True)
class OutcomeFigures:
    """One delivery report as the figures see it."""

    id: str
    key: tuple[str, str]
    counted: bool  # False when superseded by a correction (or, defensively, in another unit)
    superseded_by: str | None
    quantity: float  # as reported
    attribution_pct: float
    attributed_quantity: float  # quantity × attribution, what is added to delivered_to_date
    delivered_gbp: float | None  # attributed quantity × proxy, when the commitment has one
    assurance: str
    financial_year: str  # of the period's end date
    note: str | None = None


@dataclass(frozen=True)
class CommitmentFigures:
    key: tuple[str, str]
    unit: str
    target_quantity: float  # the full target over the commitment period
    delivered_to_date: float
    pct_of_target: float | None  # delivered ÷ full target × 100, one decimal; None when the target is 0
    status: str
    # --- more detail for pages and exports
    uid: str = ""
    award_id: str = ""
    commitment_id: str = ""
    status_label: str = ""
    counted: bool = True  # False for withdrawn commitments: shown but left out of every total
    conspicuous: bool = True  # False for inconspicuous (described, not counted) benefits
    basis: str = "whole-contract"
    target_per_year: float | None = None
    years: float | None = None
    period_start: date | None = None
    period_end: date | None = None
    reporting_frequency: str = "annual"
    expected_to_date: float | None = None  # pro-rata target by the end of the latest due or reported period
    assessed_through: date | None = None
    pct_of_expected: float | None = None
    reporting_periods: tuple[ReportingPeriod, ...] = ()
    outcome_ids: tuple[str, ...] = ()  # counted reports, in period order
    superseded_ids: tuple[str, ...] = ()
    latest_outcome_id: str | None = None
    latest_rating: str | None = None
    latest_assurance: str | None = None
    delivered_by_assurance: Mapping[str, float] = field(default_factory=dict)
    reported_cumulative: float | None = None  # the latest report's own running total, if it gave one
    reported_sum: float = 0.0  # the counted reports' quantities as reported (before attribution), to compare with it
    cumulative_mismatch: bool = False
    proxy: Proxy | None = None
    committed_gbp: float | None = None
    delivered_gbp: float | None = None
    theme: str = ""
    sdgs: tuple[int, ...] = ()
    measure_id: str | None = None  # the catalogue record, or None for an external scheme
    measure_key: str = ""  # "scheme:code", also for external schemes
    buyer: str = ""
    suppliers: tuple[str, ...] = ()

    @property
    def overdue_periods(self) -> tuple[ReportingPeriod, ...]:
        return tuple(p for p in self.reporting_periods if p.is_overdue)

    @property
    def monetised(self) -> bool:
        return self.proxy is not None


@dataclass
class UnitTotal:
    """Committed and delivered in one unit (never mixed with another unit)."""

    unit: str
    commitments: int = 0
    target: float = 0.0
    expected_to_date: float = 0.0
    delivered: float = 0.0

    @property
    def pct_of_target(self) -> float | None:
        return round(100 * self.delivered / self.target, 1) if self.target else None


@dataclass
class Rollup:
    """Totals over a group of commitments (an award, supplier, buyer, theme, SDG or measure).

    ``by_unit`` and the £ totals cover counted, conspicuous commitments only; ``status_counts`` covers every
    commitment in the group, withdrawn included, so nothing disappears from view.
    """

    group: str
    key: str
    keys: list[tuple[str, str]] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    by_unit: dict[str, UnitTotal] = field(default_factory=dict)
    committed_gbp: float = 0.0
    delivered_gbp: float = 0.0
    monetised: int = 0  # counted, conspicuous commitments valued in £
    not_monetised: int = 0  # counted, conspicuous commitments with no £ value (shown in their own units)

    @property
    def total(self) -> int:
        return len(self.keys)

    @property
    def has_money(self) -> bool:
        return self.monetised > 0

    def add(self, f: CommitmentFigures) -> None:
        self.keys.append(f.key)
        self.status_counts[f.status] += 1
        if not (f.counted and f.conspicuous):
            return
        t = self.by_unit.setdefault(f.unit, UnitTotal(f.unit))
        t.commitments += 1
        t.target += f.target_quantity
        t.delivered += f.delivered_to_date
        t.expected_to_date += f.expected_to_date or 0.0
        if f.proxy is not None:
            self.monetised += 1
            self.committed_gbp += f.committed_gbp or 0.0
            self.delivered_gbp += f.delivered_gbp or 0.0
        else:
            self.not_monetised += 1


@dataclass
class YearTotal:
    """One financial year: the share of targets falling in it (pro rata) and what was reported for it."""

    year: str
    by_unit: dict[str, UnitTotal] = field(default_factory=dict)
    committed_gbp: float = 0.0
    delivered_gbp: float = 0.0


@dataclass
class AssuranceTotal:
    """Delivered figures grouped by how far they were checked."""

    assurance: str
    reports: int = 0
    by_unit: dict[str, float] = field(default_factory=dict)
    delivered_gbp: float = 0.0


@dataclass(frozen=True)
class OverdueReport:
    key: tuple[str, str]
    period: ReportingPeriod
    days_overdue: int


@dataclass
class SpendShare:
    """Awarded value (GBP, active awards) and how much of it went to local suppliers, SMEs and VCSEs.

    A joint award's value is split equally among its suppliers. A supplier whose SME/VCSE flag or local authority
    area is not recorded adds to ``unknown_*``, never to either side of the share.
    """

    total_gbp: float = 0.0
    awards: int = 0
    local_gbp: float = 0.0
    sme_gbp: float = 0.0
    vcse_gbp: float = 0.0
    unknown_local_gbp: float = 0.0
    unknown_sme_gbp: float = 0.0
    unknown_vcse_gbp: float = 0.0
    excluded_awards: int = 0  # active awards left out because their value is not in GBP

    def pct(self, part: float) -> float | None:
        return round(100 * part / self.total_gbp, 1) if self.total_gbp else None

    @property
    def local_pct(self) -> float | None:
        return self.pct(self.local_gbp)

    @property
    def sme_pct(self) -> float | None:
        return self.pct(self.sme_gbp)

    @property
    def vcse_pct(self) -> float | None:
        return self.pct(self.vcse_gbp)


@dataclass
class SocialValueFigures:
    as_of: date | None = None
    by_commitment: dict[tuple[str, str], CommitmentFigures] = field(default_factory=dict)
    by_outcome: dict[str, OutcomeFigures] = field(default_factory=dict)
    overall: Rollup = field(default_factory=lambda: Rollup("register", ""))
    by_award: dict[str, Rollup] = field(default_factory=dict)
    by_supplier: dict[str, Rollup] = field(default_factory=dict)
    by_buyer: dict[str, Rollup] = field(default_factory=dict)
    by_theme: dict[str, Rollup] = field(default_factory=dict)
    by_sdg: dict[int, Rollup] = field(default_factory=dict)
    by_measure: dict[str, Rollup] = field(default_factory=dict)  # keyed by measure_key "scheme:code"
    by_year: dict[str, YearTotal] = field(default_factory=dict)
    by_assurance: dict[str, AssuranceTotal] = field(default_factory=dict)
    most_behind: list[tuple[str, str]] = field(default_factory=list)
    overdue_reports: list[OverdueReport] = field(default_factory=list)
    spend: SpendShare = field(default_factory=SpendShare)
    spend_by_buyer: dict[str, SpendShare] = field(default_factory=dict)

    def for_keys(self, keys: Iterable[tuple[str, str]]) -> list[CommitmentFigures]:
        return [self.by_commitment[k] for k in keys if k in self.by_commitment]


# --- computation -------------------------------------------------------------------------------------------------


def commitment_period(c: Commitment) -> tuple[date, date | None]:
    """``target.period``, else the award's ``contract_period``; with neither, from the award date, open-ended."""
    period = c.data["target"].get("period") or c.award.get("contract_period")
    if period:
        return date.fromisoformat(period["start_date"]), date.fromisoformat(period["end_date"])
    return date.fromisoformat(c.award.get("date")), None


def proxy_of(c: Commitment, measure: Record | None) -> Proxy | None:
    valuation = c.data.get("valuation")
    if valuation:
        return Proxy(float(valuation["proxy_value_gbp_per_unit"]), str(valuation["proxy_source"]),
                     str(valuation["proxy_version"]), None, "commitment")
    proxy = measure.get("proxy") if measure is not None else None
    if proxy:
        return Proxy(float(proxy["value_gbp_per_unit"]), str(proxy["source"]), str(proxy["version"]),
                     proxy.get("licence"), "measure")
    if c.unit == "gbp":
        return Proxy(1.0, "The figure is already in pounds", "", None, "pounds")
    return None


def _round(x: float) -> float:
    return round(x, 6)  # keeps sums of decimals such as 0.1 + 0.2 readable and comparable


def compute(reg: Registry) -> SocialValueFigures:
    """Every social-value figure of the register, for the reference date ``reg.as_of``."""
    as_of = reg.as_of
    figures = SocialValueFigures(as_of=as_of)
    superseded_by = {str(o.get("supersedes")): o.id for o in reg.outcomes.values() if o.get("supersedes")}

    for c in reg.commitments:
        f, outcome_figures = _commitment_figures(reg, c, superseded_by, as_of)
        figures.by_commitment[c.key] = f
        for of in outcome_figures:
            figures.by_outcome[of.id] = of

    _rollups(reg, figures)
    _years(figures)
    _assurance(figures)
    _lists(figures, as_of)
    figures.spend, figures.spend_by_buyer = _spend_shares(reg)
    return figures


def _commitment_figures(reg: Registry, c: Commitment, superseded_by: dict[str, str],
                        as_of: date) -> tuple[CommitmentFigures, list[OutcomeFigures]]:
    data = c.data
    target = data["target"]
    measure = reg.measure_of(c)
    proxy = proxy_of(c, measure)
    counted = data.get("status") != "withdrawn"
    conspicuous = data.get("benefit_type", "conspicuous") != "inconspicuous"
    start, end = commitment_period(c)
    years = years_between(start, end) if end is not None else None
    quantity = float(target["quantity"])
    basis = str(target["basis"])
    # a per-year promise × the years; without an end date we can only hold it to one year's worth
    full_target = quantity * years if basis == "per-year" and years is not None else quantity

    # --- outcomes: drop superseded reports, apply attribution
    default_attribution = float(data.get("attribution_pct", 100))
    outcome_figures: list[OutcomeFigures] = []
    counted_outcomes: list[Record] = []
    superseded_ids: list[str] = []
    delivered = 0.0
    by_assurance: dict[str, float] = defaultdict(float)
    for o in reg.outcomes_by_commitment.get(c.key, []):
        reported = o.get("delivered")
        attribution = float(o.get("attribution_pct", default_attribution))
        qty = float(reported["quantity"])
        attributed = _round(qty * attribution / 100)
        replaced_by = superseded_by.get(o.id)
        wrong_unit = reported["unit"] != c.unit
        is_counted = replaced_by is None and not wrong_unit
        note = None
        if replaced_by:
            note = f"Corrected by report {replaced_by}; not counted."
            superseded_ids.append(o.id)
        elif wrong_unit:
            note = f"Reported in {reported['unit']}, but the commitment is counted in {c.unit}; not counted."
        period_end = date.fromisoformat(o.get("period")["end_date"])
        outcome_figures.append(OutcomeFigures(
            id=o.id, key=c.key, counted=is_counted, superseded_by=replaced_by, quantity=qty,
            attribution_pct=attribution, attributed_quantity=attributed,
            delivered_gbp=_round(attributed * proxy.value_gbp_per_unit) if proxy and conspicuous else None,
            assurance=str(o.get("assurance")), financial_year=financial_year(period_end), note=note))
        if is_counted:
            counted_outcomes.append(o)
            delivered += attributed
            by_assurance[str(o.get("assurance"))] += attributed
    delivered = _round(delivered)

    # --- reporting periods: which are due, which are covered by a report
    periods: list[ReportingPeriod] = []
    for p_start, p_end in iter_reporting_periods(start, end, str(data["reporting_frequency"]), as_of):
        covering = tuple(o.id for o in counted_outcomes
                         if parse_date(o.get("period")["start_date"]) <= p_end <= parse_date(o.get("period")["end_date"]))  # type: ignore[operator]
        due = p_end + timedelta(days=GRACE_DAYS)
        periods.append(ReportingPeriod(p_start, p_end, due, due < as_of, bool(covering), covering))
    assessed = [p.end for p in periods if p.is_due or p.reported]
    assessed_through = max(assessed) if assessed else None
    expected: float | None = None
    if assessed_through is not None:
        if years:
            expected = _round(full_target * min(1.0, years_between(start, assessed_through) / years))
        elif end is None and basis == "per-year":
            expected = _round(quantity * years_between(start, assessed_through))
    pct = round(100 * delivered / full_target, 1) if full_target else None
    pct_expected = round(100 * delivered / expected, 1) if expected else None

    if not counted:
        status = "withdrawn"
    elif conspicuous and full_target > 0 and delivered >= full_target:
        status = "delivered"
    elif any(p.is_overdue for p in periods):
        status = "overdue"
    elif assessed_through is None:
        status = "not-yet-due"
    elif not conspicuous:
        status = "reported"
    elif expected is None or delivered >= ON_TRACK_SHARE * expected:
        status = "on-track"
    else:
        status = "behind"

    latest = counted_outcomes[-1] if counted_outcomes else None
    reported_cumulative = None
    mismatch = False
    raw_sum = _round(sum(float(o.get("delivered")["quantity"]) for o in counted_outcomes))
    if latest is not None and latest.get("delivered").get("cumulative_to_date") is not None:
        reported_cumulative = float(latest.get("delivered")["cumulative_to_date"])
        mismatch = abs(reported_cumulative - raw_sum) > 1e-6

    valued = proxy is not None and conspicuous
    measure_ref = data["measure"]
    f = CommitmentFigures(
        key=c.key, unit=c.unit, target_quantity=_round(full_target), delivered_to_date=delivered,
        pct_of_target=pct, status=status,
        uid=c.uid, award_id=c.award.id, commitment_id=c.id, status_label=STATUS_LABELS[status],
        counted=counted, conspicuous=conspicuous, basis=basis,
        target_per_year=quantity if basis == "per-year" else None, years=years,
        period_start=start, period_end=end, reporting_frequency=str(data["reporting_frequency"]),
        expected_to_date=expected, assessed_through=assessed_through, pct_of_expected=pct_expected,
        reporting_periods=tuple(periods), outcome_ids=tuple(o.id for o in counted_outcomes),
        superseded_ids=tuple(superseded_ids),
        latest_outcome_id=latest.id if latest else None,
        latest_rating=latest.get("rating") if latest else None,
        latest_assurance=latest.get("assurance") if latest else None,
        delivered_by_assurance={k: _round(v) for k, v in by_assurance.items()},
        reported_cumulative=reported_cumulative, reported_sum=raw_sum, cumulative_mismatch=mismatch,
        proxy=proxy if conspicuous else None,
        committed_gbp=_round(full_target * proxy.value_gbp_per_unit) if valued and proxy else None,
        delivered_gbp=_round(delivered * proxy.value_gbp_per_unit) if valued and proxy else None,
        theme=str(data["theme"]), sdgs=tuple(int(s) for s in data["sdgs"]),
        measure_id=measure.id if measure is not None else None,
        measure_key=f"{measure_ref['scheme']}:{measure_ref['code']}",
        buyer=str(c.award.buyer_id), suppliers=c.award.supplier_ids,
    )
    return f, outcome_figures


def _rollups(reg: Registry, figures: SocialValueFigures) -> None:
    def add(table: dict[Any, Rollup], group: str, key: Any, f: CommitmentFigures) -> None:
        if key not in table:
            table[key] = Rollup(group, str(key))
        table[key].add(f)

    for f in figures.by_commitment.values():
        figures.overall.add(f)
        add(figures.by_award, "award", f.award_id, f)
        add(figures.by_buyer, "buyer", f.buyer, f)
        # a joint commitment belongs wholly to each of its suppliers (so supplier totals must not be added up)
        for supplier in f.suppliers:
            add(figures.by_supplier, "supplier", supplier, f)
        add(figures.by_theme, "theme", f.theme, f)
        for sdg in f.sdgs:
            add(figures.by_sdg, "sdg", sdg, f)
        add(figures.by_measure, "measure", f.measure_key, f)
    figures.by_sdg = dict(sorted(figures.by_sdg.items()))
    figures.by_theme = dict(sorted(figures.by_theme.items()))


def _years(figures: SocialValueFigures) -> None:
    """Per financial year: each counted target shared out pro rata over its period, and delivery by report period."""
    years: dict[str, YearTotal] = {}
    for f in figures.by_commitment.values():
        if not (f.counted and f.conspicuous) or f.period_start is None:
            continue
        if f.period_end is not None and f.years:
            fy = financial_year(f.period_start)
            while financial_year_span(fy)[0] <= f.period_end:
                fy_start, fy_end = financial_year_span(fy)
                share = years_between(max(fy_start, f.period_start), min(fy_end, f.period_end)) / f.years
                year = years.setdefault(fy, YearTotal(fy))
                unit_total = year.by_unit.setdefault(f.unit, UnitTotal(f.unit))
                unit_total.commitments += 1
                unit_total.target = _round(unit_total.target + f.target_quantity * share)
                if f.committed_gbp is not None:
                    year.committed_gbp = _round(year.committed_gbp + f.committed_gbp * share)
                fy = financial_year(fy_end + timedelta(days=1))
    for o in figures.by_outcome.values():
        f = figures.by_commitment[o.key]
        if not (o.counted and f.counted and f.conspicuous):
            continue
        year = years.setdefault(o.financial_year, YearTotal(o.financial_year))
        unit_total = year.by_unit.setdefault(f.unit, UnitTotal(f.unit))
        unit_total.delivered = _round(unit_total.delivered + o.attributed_quantity)
        if o.delivered_gbp is not None:
            year.delivered_gbp = _round(year.delivered_gbp + o.delivered_gbp)
    figures.by_year = dict(sorted(years.items()))


def _assurance(figures: SocialValueFigures) -> None:
    table = {level: AssuranceTotal(level) for level in ASSURANCE_LEVELS}
    for o in figures.by_outcome.values():
        f = figures.by_commitment[o.key]
        if not (o.counted and f.counted and f.conspicuous):
            continue
        t = table.setdefault(o.assurance, AssuranceTotal(o.assurance))
        t.reports += 1
        t.by_unit[f.unit] = _round(t.by_unit.get(f.unit, 0.0) + o.attributed_quantity)
        if o.delivered_gbp is not None:
            t.delivered_gbp = _round(t.delivered_gbp + o.delivered_gbp)
    figures.by_assurance = table


def _lists(figures: SocialValueFigures, as_of: date) -> None:
    behind = [f for f in figures.by_commitment.values() if f.status in ("behind", "overdue") and f.conspicuous
              and f.expected_to_date]
    # furthest behind first: lowest share of what was due, then the bigger shortfall against the full target
    behind.sort(key=lambda f: ((f.delivered_to_date / f.expected_to_date) if f.expected_to_date else 0.0,
                               -(f.target_quantity - f.delivered_to_date) / (f.target_quantity or 1), f.uid))
    figures.most_behind = [f.key for f in behind[:MOST_BEHIND_LIMIT]]
    overdue = [OverdueReport(f.key, p, (as_of - p.due).days)
               for f in figures.by_commitment.values() if f.counted for p in f.overdue_periods]
    overdue.sort(key=lambda r: (-r.days_overdue, r.key))
    figures.overdue_reports = overdue


def _spend_shares(reg: Registry) -> tuple[SpendShare, dict[str, SpendShare]]:
    local_codes = set(reg.config.local_area_codes)
    overall = SpendShare()
    by_buyer: dict[str, SpendShare] = {}
    for award in reg.awards.values():
        if award.get("status") != "active":
            continue
        buyer_share = by_buyer.setdefault(str(award.buyer_id), SpendShare())
        money = award.money
        if money is None or money.currency != "GBP":
            overall.excluded_awards += 1
            buyer_share.excluded_awards += 1
            continue
        suppliers = list(award.supplier_ids)
        part = float(money.amount) / len(suppliers)
        for share in (overall, buyer_share):
            share.awards += 1
            share.total_gbp += float(money.amount)
            for supplier_id in suppliers:
                org = reg.organisations.get(supplier_id)
                org_data: Mapping[str, Any] = org.data if org is not None else {}
                area = (org_data.get("local_authority_area") or {}).get("local_authority_code")
                if area is None:
                    share.unknown_local_gbp += part
                elif area in local_codes:
                    share.local_gbp += part
                for flag, attr in (("is_sme", "sme"), ("is_vcse", "vcse")):
                    if org_data.get(flag) is None:
                        setattr(share, f"unknown_{attr}_gbp", getattr(share, f"unknown_{attr}_gbp") + part)
                    elif org_data.get(flag):
                        setattr(share, f"{attr}_gbp", getattr(share, f"{attr}_gbp") + part)
    return overall, by_buyer
