"""The render stage's unit of output: one page of the site, as data (no I/O here).

Page generators are functions ``iter_pages(reg, env) -> Iterable[Page]`` listed in
``site_builder.render.PAGE_GENERATORS``; each feature (records, social value, indicators, data page) owns one.
``body_html`` is the page's main content, rendered from autoescaping Jinja templates, so record text can never
inject markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchMeta:
    """What Pagefind learns about a page: filters (facets), sort keys and result metadata."""

    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # e.g. {"type": ("Award",), "sdg": ("8", "13")}
    sort: dict[str, str] = field(default_factory=dict)  # e.g. {"date": "2025-03-14", "value": "0000980000"}
    meta: dict[str, str] = field(default_factory=dict)  # e.g. {"buyer": "Greenbridge Borough Council"}


@dataclass(frozen=True)
class Page:
    url: str  # site-relative directory URL with trailing slash, e.g. "awards/AW-2025-001/" ("" = home)
    title: str
    body_html: str
    description: str = ""
    search: SearchMeta | None = None  # None: not indexed by Pagefind
    nav_title: str | None = None  # set for section indexes and other pages that belong in the navigation
