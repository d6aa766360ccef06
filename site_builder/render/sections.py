"""Site pages: the home page, the search page and the paginated section indexes (usable without JavaScript)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from site_builder.model import Record, Registry
from site_builder.render.page import Page, SearchMeta
from site_builder.render.records import (
    TYPE_LABELS,
    gbp_total,
    org_name,
    record_date,
    record_value,
    search_metas_of,
)

ROWS_PER_PAGE = 100


@dataclass(frozen=True)
class Section:
    record_type: str
    folder: str
    title: str
    intro: str
    by_date: bool  # newest first by the record's date; otherwise by name


SECTIONS = (
    Section("award", "awards", "Awards",
            "Every contract awarded, newest first. Each award shows who won it, what it is worth and the social value "
            "the supplier promised.", True),
    Section("tender", "tenders", "Tenders",
            "Every procurement the register holds, newest first: what was bought, how suppliers were invited and "
            "what came of it.", True),
    Section("organisation", "organisations", "Organisations",
            "The buyers and suppliers in the register, in alphabetical order.", False),
    Section("measure", "measures", "Social-value measures",
            "The measures social-value commitments are counted against, by framework and code.", False),
    Section("outcome", "outcomes", "Outcome reports",
            "Reports of social value delivered against each commitment, newest first.", True),
)


def page_url(folder: str, number: int) -> str:
    return f"{folder}/" if number == 1 else f"{folder}/page/{number}/"


def sorted_for_section(reg: Registry, section: Section) -> list[Record]:
    records = list(reg.by_type[section.record_type].values())
    if section.by_date:
        # newest first; ties by id so the order is the same on every build
        records.sort(key=lambda r: r.id)
        records.sort(key=lambda r: record_date(reg, r), reverse=True)
    elif section.record_type == "measure":
        records.sort(key=lambda r: (str(r.get("scheme")), str(r.get("code")), r.id))
    else:
        records.sort(key=lambda r: (r.title.casefold(), r.id))
    return records


def page_numbers(current: int, last: int) -> list[int | None]:
    """Which page links to show: first, last and two either side of the current one; None marks a gap."""
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    shown: list[int | None] = []
    for n in wanted:
        if shown and shown[-1] is not None and n - shown[-1] > 1:  # type: ignore[operator]
            shown.append(None)
        shown.append(n)
    return shown


def iter_section_pages(reg: Registry, env: jinja2.Environment, section: Section) -> Iterator[Page]:
    """A section's index, in pages of ``ROWS_PER_PAGE`` rows; its first page is in the navigation."""
    yield from iter_list_pages(reg, env, section, sorted_for_section(reg, section), in_nav=True)


def iter_list_pages(reg: Registry, env: jinja2.Environment, section: Section, records: list[Record], *,
                    in_nav: bool = False, clean: Callable[[str], str] = str) -> Iterator[Page]:
    """``records`` as a list in pages of ``ROWS_PER_PAGE`` rows (a section's index, or a narrowed list such as one
    buyer's awards). ``clean`` makes a title or description that holds record text safe for MkDocs."""
    template = env.get_template("sections/index.html")
    last = max(1, -(-len(records) // ROWS_PER_PAGE))
    for number in range(1, last + 1):
        url = page_url(section.folder, number)
        root = "../" * url.count("/")
        rows = records[(number - 1) * ROWS_PER_PAGE: number * ROWS_PER_PAGE]
        title = section.title if number == 1 else f"{section.title}, page {number} of {last}"
        body = template.render(
            reg=reg, section=section, rows=rows, number=number, last=last, root=root, title=title,
            total=len(records), first_row=(number - 1) * ROWS_PER_PAGE + 1,
            pages=[(n, page_url(section.folder, n) if n else None) for n in page_numbers(number, last)],
            prev_url=page_url(section.folder, number - 1) if number > 1 else None,
            next_url=page_url(section.folder, number + 1) if number < last else None,
            org_name=lambda oid: org_name(reg, oid), record_date=lambda r: record_date(reg, r),
            record_value=lambda r: record_value(reg, r),
        )
        yield Page(url=url, title=clean(title), body_html=body, description=clean(section.intro),
                   nav_title=section.title if in_nav and number == 1 else None)


@dataclass(frozen=True)
class Headlines:
    counts: dict[str, int]
    total_gbp: float
    other_currency_awards: int


def build_headlines(reg: Registry) -> Headlines:
    """Counts and the total value awarded, for the home page (shares come from the social-value figures)."""
    total, other = gbp_total(reg.awards.values())
    counts = Counter({t: len(reg.by_type[t]) for t in TYPE_LABELS})
    return Headlines(dict(counts), total, other)


def iter_home_and_search(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    headlines = build_headlines(reg)
    latest = sorted_for_section(reg, SECTIONS[0])[:10]
    yield Page(url="", title=reg.config.register_name,
               body_html=env.get_template("sections/home.html").render(
                   reg=reg, sv=reg.social_value, flags=reg.indicators, root="", headlines=headlines, latest=latest,
                   sections=SECTIONS, type_labels=TYPE_LABELS, org_name=lambda oid: org_name(reg, oid)),
               description=f"Every tender, award and social-value commitment in the {reg.config.register_name}.",
               nav_title="Home")
    yield Page(url="search/", title="Search the register",
               body_html=env.get_template("sections/search.html").render(
                   reg=reg, root="../", **search_options(reg, search_metas_of(reg, env))),
               description="Search every award, tender, organisation, outcome report and measure.", nav_title="Search")


def search_options(reg: Registry, metas: dict[str, SearchMeta]) -> dict[str, Any]:
    """The values the search page offers in its filters (known at build time, so no filter index is downloaded).

    From the same search facets the record pages carry (``metas``, worked out once for both)."""
    values: dict[str, set[str]] = {}
    for meta in metas.values():
        for key, vals in meta.filters.items():
            values.setdefault(key, set()).update(vals)
    supplier_counts = Counter(org_name(reg, s) for a in reg.awards.values() for s in a.supplier_ids)
    options = {k: sorted(v, key=_natural) for k, v in values.items() if k not in ("supplier",)}
    options["year"] = sorted(options.get("year", []), reverse=True)
    return {"options": options, "type_labels": TYPE_LABELS,
            "suppliers": sorted(name for name, _ in supplier_counts.most_common(1000))}


def _natural(text: str) -> tuple[Any, ...]:
    """'SDG 2: ...' before 'SDG 10: ...'; 'Division 03' before 'Division 45'."""
    import re

    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    yield from iter_home_and_search(reg, env)
    for section in SECTIONS:
        yield from iter_section_pages(reg, env, section)
