"""Render stage: turn the model (and the export's file list) into pages, with autoescaping Jinja templates.

Two kinds of page, both made by generators ``iter_pages(reg, env) -> Iterable[Page]``:

* site pages (``iter_site_pages``) — home, search, section indexes, the social-value and indicator pages, and the
  /data/ page, which is given the export's result (sizes, checksums, file list). There are few of them (hundreds at
  most), and they go through MkDocs so that they sit in the theme's navigation and MkDocs' live reload.
* record pages (``records.iter_pages``) — one page per record (up to 100,000). They are streamed: rendered one at a
  time and written straight into a pre-rendered copy of the theme's page shell (see ``site_builder.plugin``), never
  held in memory all at once and never sent through Markdown.

To add a page: write a generator in a module here and list it in ``SITE_PAGE_GENERATORS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import jinja2

from site_builder.export import ExportResult
from site_builder.model import Record, Registry
from site_builder.render import (
    contracts,
    data_page,
    dictionary,
    indicators,
    lists,
    rankings,
    records,
    search_filters,
    sections,
    social_value,
    speak_up,
)
from site_builder.render.environment import (
    base_environment,
    format_date,
    format_money,
    format_number,
    load_codelist_labels,
    safe_link,
)
from site_builder.render.page import Page, SearchMeta

__all__ = ["SITE_PAGE_GENERATORS", "Page", "SearchMeta", "build_environment", "format_date", "format_money",
           "format_number", "iter_record_pages", "iter_site_pages", "load_codelist_labels", "safe_link"]

PageGenerator = Callable[[Registry, jinja2.Environment], Iterable[Page]]

#: site pages (through MkDocs), in this order: home, search and section indexes, then the features' pages
SITE_PAGE_GENERATORS: tuple[PageGenerator, ...] = (sections.iter_pages, social_value.iter_pages, indicators.iter_pages,
                                                   rankings.iter_pages, lists.iter_pages, dictionary.iter_pages,
                                                   contracts.iter_pages)  # issue 13: /pipeline/


def build_environment(schemas_dir: Path | None = None, extra_template_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The one Jinja environment every page renders in, with each feature's own filters and globals."""
    env = base_environment(schemas_dir, extra_template_dirs)
    for feature in (social_value, rankings, lists, speak_up, search_filters, contracts):
        feature.install_template_helpers(env)
    return env


def iter_site_pages(reg: Registry, env: jinja2.Environment, exported: ExportResult) -> Iterator[Page]:
    """Every page that goes through MkDocs; the /data/ page (last) lists the files the export wrote."""
    for generator in SITE_PAGE_GENERATORS:
        yield from generator(reg, env)
    yield data_page.render_data_page(reg, env, exported)


def iter_record_pages(reg: Registry, env: jinja2.Environment,
                      only: Iterable[Record] | None = None) -> Iterator[Page]:
    """One page per record (only those of ``only`` when given), streamed (never all in memory)."""
    yield from records.iter_pages(reg, env, only)
