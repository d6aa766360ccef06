"""Award and tender lists narrowed by buyer or by year, as static pages (issue 14): usable without JavaScript,
with the choice in the address. ``awards/buyer/<buyer id>/``, ``awards/year/<year>/`` and the same for tenders,
paginated like the full lists (``.../page/2/``). The full lists link to them; the search page narrows further
(value, status, procedure) with JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import jinja2

from site_builder.model import Record, Registry
from site_builder.render.page import Page
from site_builder.render.rankings import plain_title
from site_builder.render.records import org_name, record_date
from site_builder.render.sections import (
    SECTIONS,
    Section,
    iter_list_pages,
    sorted_for_section,
)

NARROWED = ("award", "tender")


@dataclass(frozen=True)
class Choice:
    label: str
    url: str  # site-relative


@dataclass(frozen=True)
class ListChoices:
    buyers: list[Choice]
    years: list[Choice]


def _groups(reg: Registry, section: Section) -> tuple[dict[str, list[Record]], dict[str, list[Record]]]:
    by_buyer: dict[str, list[Record]] = {}
    by_year: dict[str, list[Record]] = {}
    for record in sorted_for_section(reg, section):  # newest first, as the full list
        by_buyer.setdefault(str(record.get("buyer")), []).append(record)
        date = record_date(reg, record)
        if not date.startswith("0001"):
            by_year.setdefault(date[:4], []).append(record)
    return by_buyer, by_year


def list_choices(reg: Registry, record_type: str) -> ListChoices | None:
    """The buyer and year lists a full list links to (None for the types that have none)."""
    if record_type not in NARROWED:
        return None
    section = next(s for s in SECTIONS if s.record_type == record_type)
    by_buyer, by_year = _groups(reg, section)
    buyers = sorted(((org_name(reg, b), b) for b in by_buyer), key=lambda nb: nb[0].casefold())
    return ListChoices([Choice(name, f"{section.folder}/buyer/{b}/") for name, b in buyers],
                       [Choice(y, f"{section.folder}/year/{y}/") for y in sorted(by_year, reverse=True)])


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    for full in SECTIONS:
        if full.record_type not in NARROWED:
            continue
        by_buyer, by_year = _groups(reg, full)
        kind = full.title.lower()
        for buyer, records in sorted(by_buyer.items()):
            name = org_name(reg, buyer)
            section = Section(full.record_type, f"{full.folder}/buyer/{buyer}", f"{full.title} by {name}",
                              f"Every {kind[:-1]} of {name}, newest first. The full list of {kind} has every buyer.",
                              True)
            yield from iter_list_pages(reg, env, section, records, clean=plain_title)
        for year, records in sorted(by_year.items()):
            section = Section(full.record_type, f"{full.folder}/year/{year}", f"{full.title} in {year}",
                              f"Every {kind[:-1]} dated {year}, newest first.", True)
            yield from iter_list_pages(reg, env, section, records, clean=plain_title)


def install_template_helpers(env: jinja2.Environment) -> None:
    env.globals["list_choices"] = list_choices

