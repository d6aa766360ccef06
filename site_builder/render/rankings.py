"""The supplier ranking (/suppliers/) and each organisation's totals by year, with spend-over-time charts (issue 14).

The ranking is one static page per (buyer, year) pair that has awards: ``suppliers/`` for every buyer and every
year, ``suppliers/<buyer id or all>/<year>/`` otherwise, where ``<year>`` is ``all``, a calendar year (``2025``)
or a financial year (``fy2025-26``). Filters are links between these pages, so the state is in the URL and the
page works without JavaScript. The figures come from ``site_builder.rankings``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from site_builder import rankings
from site_builder.model import Record, Registry
from site_builder.render import charts
from site_builder.render.page import Page

URL = "suppliers/"
SHOWN = 200  # suppliers listed on one ranking page; the CSV download has every one
SPEND = charts.Series("value", "Value awarded", "#1d70b8")


def plain_title(text: str) -> str:
    """A page title or description MkDocs can take as it is: MkDocs writes them into the HTML unescaped, and the
    theme's ``striptags`` would undo any escaping, so record text loses the characters that mean markup there
    ('&' is written 'and'). The page's own heading shows the text exactly."""
    return " ".join(text.replace("&", "and").translate({ord(c): None for c in '<>"'}).split())


def ranking_url(buyer: str | None, period: rankings.Period = rankings.ALL_YEARS) -> str:
    if buyer is None and period.kind == rankings.ALL:
        return URL
    return f"{URL}{buyer or rankings.ALL}/{period.slug}/"


@dataclass(frozen=True)
class FilterLink:
    label: str
    url: str
    current: bool


def _money(value: Any) -> str:
    from site_builder.formatting import format_money

    return format_money(value, "GBP")


def spend_chart(prefix: str, title: str, years: tuple[rankings.YearTotal, ...]) -> Markup:
    """Value awarded per year as bars, with the table of numbers (award counts included) beside it."""
    rows = [charts.Row(y.key, (float(y.total.value_gbp),),
                       (f"{_money(y.total.value_gbp)} ({y.total.awards} award{'s' if y.total.awards != 1 else ''})",))
            for y in years]
    return charts.grouped_bars(prefix, title, rows, [SPEND], _money, ["Year", "Value awarded (awards)"])


@dataclass(frozen=True)
class HomeScope:
    """The home page's figures, for one stated scope: every buyer, every year."""

    total: rankings.Total
    buyers: list[rankings.Ranked]
    first: str
    last: str


def home_scope(reg: Registry) -> HomeScope:
    counted = [a for a in reg.awards.values() if rankings.counted(a)]
    dates = sorted(str(a.get("date")) for a in counted)
    return HomeScope(rankings.total_of(counted), rankings.buyer_ranking(reg), dates[0] if dates else "",
                     dates[-1] if dates else "")


def install_template_helpers(env: jinja2.Environment) -> None:
    env.globals.update(org_totals=rankings.org_totals, spend_chart=spend_chart, ranking_url=ranking_url,
                       financial_year_label=rankings.financial_year_label, home_scope=home_scope)


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    template = env.get_template("rankings/suppliers.html")
    buyers = rankings.buyers_with_awards(reg)
    all_periods = rankings.periods(reg.awards.values())
    buyer_choices: list[Record | None] = [None, *buyers]
    # each buyer's years, worked out once (every page links to every buyer's page for the same year)
    periods_of = {b.id: set(rankings.periods(reg.awards_by_buyer.get(b.id, []))) for b in buyers}
    for buyer in buyer_choices:
        buyer_id = buyer.id if buyer is not None else None
        scope_awards = reg.awards_by_buyer.get(buyer_id, []) if buyer_id else list(reg.awards.values())
        own_periods = rankings.periods(scope_awards)
        for period in own_periods:
            url = ranking_url(buyer_id, period)
            ranked = rankings.supplier_ranking(reg, buyer_id, period)
            total = rankings.total_of(a for a in scope_awards if rankings.counted(a) and period.contains(a))
            buyer_links = [FilterLink("All buyers", ranking_url(None, period if period in all_periods else
                                                               rankings.ALL_YEARS), buyer is None)]
            for b in buyers:
                target = period if period in periods_of[b.id] else rankings.ALL_YEARS
                buyer_links.append(FilterLink(b.title, ranking_url(b.id, target), b is buyer))
            year_links = {kind: [FilterLink(p.key if kind != rankings.ALL else "All years", ranking_url(buyer_id, p),
                                            p == period) for p in own_periods if p.kind == kind]
                          for kind in (rankings.ALL, "financial", "calendar")}
            who = buyer.title if buyer is not None else "all buyers"
            when = period.label if period.kind != rankings.ALL else "all years"
            title = "Suppliers by value awarded" if url == URL else f"Suppliers by value awarded: {who}, {when}"
            root = "../" * url.count("/")
            body = template.render(
                reg=reg, root=root, title=title, ranked=ranked[:SHOWN], more=max(0, len(ranked) - SHOWN),
                total=total, buyer=buyer, period=period, who=who, when=when, buyer_links=buyer_links,
                year_links=year_links, buyer_ranking=rankings.buyer_ranking(reg, period) if buyer is None else [],
                statuses=sorted(rankings.COUNTED_STATUSES))
            # MkDocs writes a page's title and description into the HTML as they are: record text must be escaped
            yield Page(url=url, title=plain_title(title), body_html=body,
                       description=plain_title(f"Which suppliers won the most, by value of contracts awarded: {who}, "
                                               f"{when}."),
                       nav_title="Suppliers by value" if url == URL else None)
