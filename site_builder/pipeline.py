"""The build's stages, in the order they run: read and validate → model → export → render → search → (publish).

``site_builder.build.build_site`` runs them for `procure build`; the MkDocs plugin (``site_builder.plugin``) calls
the same functions from its hooks for `mkdocs build` and `mkdocs serve`. MkDocs itself sits between ``prepare`` and
``finish``: it renders the theme and the site pages that ``prepare`` made.

Data flows one way: each stage gets what the earlier ones produced, as arguments, and hands back a value. Nothing
here prints (progress goes to an optional callback) or keeps state between builds.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from site_builder.config import RegisterConfig
from site_builder.errors import BuildError, InvalidRegisterError, Problem, Severity
from site_builder.export import ExportResult, export_files, write_sitemap
from site_builder.history.log import RegisterHistory, read_history
from site_builder.load import RECORD_FOLDERS
from site_builder.model import Record, Registry, build_model
from site_builder.render import SITE_PAGE_GENERATORS, build_environment, iter_record_pages, iter_site_pages
from site_builder.render.data_page import DATA_PAGE_URL
from site_builder.render.page import Page
from site_builder.render.records import TYPE_LABELS, search_metas
from site_builder.search import OTHER_BUNDLE, Bundle, BundleRun, SearchIndexer, plan_bundles
from site_builder.validate import validate_register

Progress = Callable[[str, int, int], None]
#: writes record pages into the site and hands each to the search indexer (when there is one); returns how many
RecordPageWriter = Callable[["BuildState", Path, Iterable[Page], "SearchIndexer | None"], int]


@dataclass(frozen=True)
class BuildSettings:
    """How to build, as `procure build` passes it to the MkDocs plugin (the plugin's defaults suit `mkdocs build`)."""

    progress: Progress | None = None  # stage, done, total: a progress line on a terminal
    search: bool = True  # run Pagefind


@dataclass
class BuildState:
    """One build's products, from ``prepare`` to ``finish``."""

    config: RegisterConfig
    settings: BuildSettings
    reg: Registry
    warnings: list[Problem]
    exported: ExportResult  # written into export_dir; ``finish`` moves it to <site>/data/
    env: jinja2.Environment
    pages: dict[str, Page]  # site pages by MkDocs source path ("awards/index.md")
    bundles: list[Bundle]  # Pagefind bundles, and which bundle each URL is in
    bundle_of: dict[str, str]
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds, in pipeline order
    counts: dict[str, int] = field(default_factory=dict)
    search_runs: list[BundleRun] = field(default_factory=list)
    history: RegisterHistory | None = None  # every record's changes, from one pass over the git log
    #: the theme's page for each record folder, split at its markers (made once per build by the MkDocs plugin)
    record_shells: dict[str, list[str]] = field(default_factory=dict)
    #: how ``finish`` wrote the record pages: ``rewrite_record_pages`` writes updated ones the same way
    record_page_writer: RecordPageWriter | None = None

    def report(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self.settings.progress:
            self.settings.progress(stage, done, total)

    def timed(self, stage: str, started: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


def src_uri_of(url: str) -> str:
    """The MkDocs source path of a generated page at ``url`` ('' = home)."""
    return f"{url}index.md" if url else "index.md"


def prepare(cfg: RegisterConfig, settings: BuildSettings, export_dir: Path) -> BuildState:
    """Everything before MkDocs: read and validate every record, build the model, export, render the site pages.

    Raises InvalidRegisterError (with every problem) before anything is written."""
    timings: dict[str, float] = {}

    def report(stage: str) -> float:
        if settings.progress:
            settings.progress(stage, 0, 0)
        return time.perf_counter()

    started = report("validate")
    checked = validate_register(cfg, keep_data=True)
    timings["validate"] = time.perf_counter() - started
    if not checked.ok:
        raise InvalidRegisterError(list(checked.problems))
    warnings = [p for p in checked.problems if p.severity is not Severity.ERROR]

    started = report("model")
    reg = build_model(checked.files, cfg)
    del checked  # the parsed files are in the model now
    timings["model"] = time.perf_counter() - started

    started = report("export")
    exported = export_files(reg, export_dir)
    timings["export"] = time.perf_counter() - started

    started = report("record history")
    history = read_history(cfg.root, cfg.records_dir, cfg.schemas_dir,
                           {oid: org.title for oid, org in reg.organisations.items()})
    timings["record history"] = time.perf_counter() - started

    started = report("render site pages")
    env = render_environment(cfg, reg, history)
    pages: dict[str, Page] = {}
    for page in iter_site_pages(reg, env, exported):
        uri = src_uri_of(page.url)
        if uri in pages:
            raise BuildError(f"two generated pages claim the URL /{page.url}")
        pages[uri] = page
    bundles = search_bundles(reg, pages.values())
    timings["render site pages"] = time.perf_counter() - started
    counts = {t: len(v) for t, v in reg.by_type.items()}
    return BuildState(cfg, settings, reg, warnings, exported, env, pages, bundles,
                      {url: b.name for b in bundles for url in b.urls}, timings, counts, history=history)


def render_environment(cfg: RegisterConfig, reg: Registry, history: RegisterHistory | None = None) -> jinja2.Environment:
    """The Jinja environment of one build, with what every page shares worked out once: each record's history of
    changes and last-updated date (from the git log), search facets."""
    env = build_environment(cfg.schemas_dir)
    env.globals["history"] = history
    env.globals["last_updated"] = history.last_updated() if history is not None else {}
    env.globals["search_metas"] = search_metas(reg, env.globals["labels"])  # type: ignore[arg-type]
    return env


def search_bundles(reg: Registry, pages: Iterable[Page]) -> list[Bundle]:
    """Pagefind bundles: one per record type (split when large), and one for the searchable site pages."""
    urls: dict[tuple[str, str], list[str]] = {}
    for folder, record_type in RECORD_FOLDERS.items():
        urls[(folder, TYPE_LABELS[record_type])] = [r.url for r in reg.by_type[record_type].values()]
    others = [p.url for p in pages if p.search is not None]
    if others:
        urls[(OTHER_BUNDLE, "")] = others
    return plan_bundles(urls)


def finish(state: BuildState, site_dir: Path, site_page_urls: Iterable[str], write_record_pages: RecordPageWriter,
           page_html: Callable[[Page], str]) -> None:
    """After MkDocs wrote the theme and the site pages: the record pages, the downloads into <site>/data/, the
    sitemap, and the search index (Pagefind indexes each bundle in the background as its pages are written)."""
    indexer = None
    work_dir = site_dir.parent / f".{site_dir.name}.pagefind-work"
    if state.settings.search:
        indexer = SearchIndexer(site_dir, state.bundles, work_dir, state.settings.progress).start()
    try:
        if indexer is not None:
            for page in state.pages.values():  # their content as MkDocs placed it in the theme
                if indexer.wants(page.url):
                    indexer.add_page(page.url, page.title, page_html(page))
        started = time.perf_counter()
        state.record_page_writer = write_record_pages
        state.counts["record pages"] = write_record_pages(state, site_dir, iter_record_pages(state.reg, state.env),
                                                          indexer)
        state.counts["site pages"] = len(state.pages)
        state.timed("render record pages", started)

        started = time.perf_counter()
        state.exported = place_exports(state.exported, site_dir / "data")
        # every page for the sitemap, at the site root (replacing MkDocs' one, which lacks the record pages)
        write_sitemap(state.reg, site_dir, [*site_page_urls, *(r.url for r in state.reg.all_records())])
        state.timed("export", started)

        if indexer is not None:
            started = time.perf_counter()
            state.search_runs = indexer.finish()
            state.timed("search index (after the pages)", started)
    except BaseException:
        if indexer is not None:
            indexer.abandon()
        raise
    finally:  # nothing may be left beside the output folder
        shutil.rmtree(work_dir, ignore_errors=True)


def place_exports(exported: ExportResult, data_dir: Path) -> ExportResult:
    """Move the exported files into ``data_dir`` (which holds the /data/ page's index.html by now)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for entry in sorted(exported.out_dir.iterdir()):
        os.rename(entry, data_dir / entry.name)  # the export folder is beside the site: same file system
    exported.out_dir.rmdir()
    return replace(exported, out_dir=data_dir)


def rewrite_record_pages(state: BuildState, site_dir: Path, records: Iterable[Record]) -> int:
    """`procure serve`: these records' pages again, from the model as it is now, into the site ``finish`` wrote,
    through the same writer and theme shells. Site pages, search index and downloads stay as the build left them."""
    if state.record_page_writer is None:
        raise BuildError("no record pages were written by this build, so none can be written again")
    return state.record_page_writer(state, site_dir, iter_record_pages(state.reg, state.env, records), None)


def export_register(reg: Registry, out_dir: Path) -> ExportResult:
    """`procure export`: the downloads into ``out_dir``, with a sitemap of the pages a build would make from them
    (record pages and generated site pages; hand-written docs pages are only known to MkDocs)."""
    exported = export_files(reg, out_dir)
    env = build_environment(reg.config.schemas_dir)
    urls = [*(r.url for r in reg.all_records()), *(p.url for g in SITE_PAGE_GENERATORS for p in g(reg, env)),
            DATA_PAGE_URL]  # the /data/ page's address is fixed: no need to render it here
    return replace(exported, sitemaps=write_sitemap(reg, out_dir, urls))
