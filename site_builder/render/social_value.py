"""Social-value pages: the overview, one page per theme and per SDG, and the helpers the record pages' social-value
sections use (status badges, quantities in their unit, charts).

Every number comes from ``reg.social_value`` (computed once in the model stage); nothing is recomputed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any

import jinja2

from site_builder import social_value as figures_module
from site_builder.model import Registry
from site_builder.render import charts
from site_builder.render.environment import format_date, format_money, format_number
from site_builder.render.page import Page, SearchMeta
from site_builder.social_value import (
    ASSURANCE_LEVELS,
    STATUS_EXPLANATIONS,
    STATUS_LABELS,
    STATUSES,
    CommitmentFigures,
    Rollup,
    SocialValueFigures,
    SpendShare,
)

OVERVIEW_URL = "social-value/"
METHODOLOGY_URL = "methodology/"


def theme_url(theme: str) -> str:
    return f"social-value/themes/{theme}/"


def sdg_url(sdg: int) -> str:
    return f"social-value/sdgs/{sdg}/"


def quantity(value: Any, unit: str, labels: dict[str, dict[str, str]] | None = None) -> str:
    """A quantity in its own unit, as people write it: £5,000 · 12% · 3.5 full-time-equivalent jobs · 82."""
    if value is None:
        return "–"
    if unit == "gbp":
        return format_money(round(float(value)))  # whole pounds: these are targets and reports, not accounts
    number = format_number(round(float(value), 1))  # pro-rata figures such as 146.666… hours read as 146.7
    if unit == "percent":
        return f"{number}%"
    if unit == "count":
        return number  # "82", not "82 number"
    unit_label = (labels or {}).get("sv_unit", {}).get(unit, unit)
    return f"{number} {unit_label}"


def period_text(start: Any, end: Any) -> str:
    """A reporting period in words, short enough for a phone: 'April to June 2025', 'October 2025 to March 2026'."""
    s, e = (v if isinstance(v, date) else date.fromisoformat(str(v)) for v in (start, end))
    whole_months = s.day == 1 and (e + timedelta(days=1)).day == 1
    if not whole_months:
        return f"{format_date(s)} to {format_date(e)}"
    first, last = format_date(s).split(" ", 1)[1], format_date(e).split(" ", 1)[1]  # "June 2025"
    if first == last:
        return first
    if s.year == e.year:
        return f"{first.split()[0]} to {last}"
    return f"{first} to {last}"


def gbp(value: Any) -> str:
    """Money rounded to whole pounds (the proxies are estimates; pence would suggest false precision)."""
    return "–" if value is None else format_money(round(float(value)))


# --- charts the templates call ---------------------------------------------------------------------------------


def progress_chart(sv: SocialValueFigures, items: Iterable[tuple[str, CommitmentFigures, str | None]],
                   prefix: str, title: str) -> Any:
    """Delivered as a share of the full target for each commitment, with a tick at what was due by now."""
    rows = []
    for label, f, href in items:
        if not (f.counted and f.conspicuous) or f.pct_of_target is None:
            continue
        marker = round(100 * f.expected_to_date / f.target_quantity, 1) if (
            f.expected_to_date is not None and f.target_quantity) else None
        rows.append(charts.Row(label, (f.pct_of_target,), (f"{format_number(f.pct_of_target)}%",), marker, href))
    if not rows:
        return ""
    return charts.progress_bars(prefix, title, rows, charts.Series("delivered", "Delivered so far", "#00703c"),
                                marker_label="due by now", table_head=("Commitment", "Delivered, % of target"))


def status_chart(rollups: Sequence[tuple[str, Rollup, str | None]], prefix: str, title: str) -> Any:
    statuses = [s for s in STATUSES if any(r.status_counts.get(s) for _, r, _ in rollups)]
    if not statuses:
        return ""
    series = charts.status_series(STATUS_LABELS, statuses)
    rows = [charts.Row(label, tuple(float(r.status_counts.get(s, 0)) for s in statuses), href=href)
            for label, r, href in rollups]
    return charts.stacked_bars(prefix, title, rows, series)


def money_chart(rollups: Sequence[tuple[str, Rollup, str | None]], prefix: str, title: str) -> Any:
    rows = [charts.Row(label, (r.committed_gbp, r.delivered_gbp), (gbp(r.committed_gbp), gbp(r.delivered_gbp)),
                       href=href) for label, r, href in rollups if r.has_money]
    if not rows:
        return ""
    series = [charts.Series("committed", "Promised", "#505a5f", "outline"),
              charts.Series("delivered", "Delivered", "#1d70b8")]
    return charts.grouped_bars(prefix, title, rows, series, gbp, ["", "Promised (£)", "Delivered so far (£)"])


def assurance_chart(sv: SocialValueFigures, labels: dict[str, dict[str, str]], prefix: str) -> Any:
    rows = []
    for level in ASSURANCE_LEVELS:
        t = sv.by_assurance.get(level)
        if t is None:
            continue
        rows.append(charts.Row(labels.get("assurance", {}).get(level, level), (t.delivered_gbp,),
                               (f"{gbp(t.delivered_gbp)} in {t.reports} report{'s' if t.reports != 1 else ''}",)))
    if not any(r.values[0] for r in rows):
        return ""
    return charts.grouped_bars(prefix, "Value delivered, by how far it was checked", rows,
                               [charts.Series("delivered", "Delivered", "#1d70b8")], gbp,
                               ["How far it was checked", "Delivered (£) and reports"])


def spend_chart(share: SpendShare, prefix: str, title: str) -> Any:
    if not share.total_gbp:
        return ""
    rows = [charts.Row(label, (pct or 0.0,), (f"{format_number(pct or 0)}% ({gbp(part)})",))
            for label, pct, part in (("Local suppliers", share.local_pct, share.local_gbp),
                                     ("Small and medium-sized enterprises (SMEs)", share.sme_pct, share.sme_gbp),
                                     ("Voluntary, community and social enterprises (VCSEs)", share.vcse_pct,
                                      share.vcse_gbp))]
    return charts.progress_bars(prefix, title, rows, charts.Series("share", "Share of the value awarded", "#1d70b8"),
                                table_head=("Suppliers", "Share of the value awarded"))


def install_template_helpers(env: jinja2.Environment) -> None:
    """Filters and globals the social-value templates and partials use (called by ``build_environment``)."""
    labels: dict[str, dict[str, str]] = env.globals.get("labels") or {}  # type: ignore[assignment]
    env.filters["sv_quantity"] = lambda value, unit: quantity(value, unit, labels)
    env.filters["gbp"] = gbp
    env.globals["sv_period"] = period_text
    env.globals.update(
        sv_status_labels=STATUS_LABELS, sv_status_explanations=STATUS_EXPLANATIONS, sv_statuses=STATUSES,
        sv_assurance_levels=ASSURANCE_LEVELS, sv_grace_days=figures_module.GRACE_DAYS,
        sv_on_track_pct=round(figures_module.ON_TRACK_SHARE * 100),
        sv_progress_chart=progress_chart, sv_status_chart=status_chart, sv_money_chart=money_chart,
        sv_spend_chart=spend_chart, sv_assurance_chart=assurance_chart,
        sv_theme_url=theme_url, sv_sdg_url=sdg_url, sv_overview_url=OVERVIEW_URL, sv_methodology_url=METHODOLOGY_URL,
    )


# --- pages -------------------------------------------------------------------------------------------------------


def _narratives(reg: Registry, keys: Iterable[tuple[str, str]], limit: int = 12) -> list[Any]:
    """The latest reports that say in words what changed (narrative or stakeholder voice), newest first."""
    found = []
    for key in keys:
        for o in reg.outcomes_by_commitment.get(key, ()):
            if o.get("narrative") or o.get("stakeholder_voice"):
                found.append(o)
    found.sort(key=lambda o: (str(o.get("reported_on")), o.id), reverse=True)
    return found[:limit]


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    sv = reg.social_value
    if sv is None:
        return
    labels: dict[str, dict[str, str]] = env.globals.get("labels") or {}  # type: ignore[assignment]
    theme_labels = labels.get("sv_theme", {})
    sdg_labels = labels.get("sdg", {})
    common = {"reg": reg, "sv": sv, "narratives": lambda keys, limit=12: _narratives(reg, keys, limit)}

    yield Page(
        url=OVERVIEW_URL, title="Social value: promised and delivered",
        body_html=env.get_template("social_value/overview.html").render(
            **common, root="../", title="Social value: promised and delivered", theme_labels=theme_labels,
            sdg_labels=sdg_labels),
        description="What suppliers promised in social value, what they have delivered so far, and which reports "
                    "are overdue, by theme and by UN Sustainable Development Goal.",
        search=SearchMeta(filters={"type": ("Social value",)}, sort={"date": sv.as_of.isoformat() if sv.as_of else ""},
                          meta={"type": "Social value"}),
        nav_title="Social value",
    )
    group_template = env.get_template("social_value/group.html")
    for theme, rollup in sv.by_theme.items():
        label = theme_labels.get(theme, theme)
        title = f"Social value: {label}"
        yield Page(
            url=theme_url(theme), title=title,
            body_html=group_template.render(**common, root="../../../", title=title, rollup=rollup, kind="theme",
                                            code=theme, label=label),
            description=f"Commitments under the theme {label}: what was promised and what has been delivered.",
            search=SearchMeta(filters={"type": ("Social value",), "theme": (label,)}, meta={"type": "Social value"}),
        )
    for sdg, rollup in sv.by_sdg.items():
        label = f"Goal {sdg}: {sdg_labels.get(str(sdg), '')}".rstrip(": ")
        title = f"Social value for UN Sustainable Development {label}"
        yield Page(
            url=sdg_url(sdg), title=title,
            body_html=group_template.render(**common, root="../../../", title=title, rollup=rollup, kind="sdg",
                                            code=sdg, label=label),
            description=f"Commitments contributing to UN Sustainable Development {label}.",
            search=SearchMeta(filters={"type": ("Social value",), "sdg": (f"SDG {sdg}: {sdg_labels.get(str(sdg), '')}",)},
                              meta={"type": "Social value"}),
        )
