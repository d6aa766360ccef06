"""Search stage: Pagefind indexes of the built site, one bundle per record type (split further when large).

Pagefind needs memory in proportion to the words it indexes (about 140 KB a record page here) and has been
reported to run out of memory past about 30,000 pages in one index, so a 100,000-record register is indexed as
several bundles of at most ``MAX_PAGES_PER_BUNDLE`` pages, under ``pagefind/<folder>/`` (``pagefind/<folder>-2/``
...). The search page merges the bundles it needs at query time with Pagefind's ``mergeIndex``, into an empty
index (``pagefind/engine/``) it loads Pagefind from; a search of one record type only loads that type's bundles.
A search by relevance loads each bundle's page list without the sort orders; a sorted search the one with them
(see ``search_stable``).

Each bundle is indexed from a folder of its own (``work_dir/pagefind-src-<bundle>/``) laid out like the site, so
the URLs Pagefind records are the real ones. Record pages are written there by the render stage as they are
rendered, as the page's searchable content only (no theme around it: Pagefind would read the whole file, and the
theme is two thirds of it). A :class:`SearchIndexer` runs Pagefind on each bundle, one at a time in a background
thread, as soon as all its pages are written, so indexing overlaps rendering on a two-core machine.
"""

from __future__ import annotations

import html
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.errors import BuildError
from site_builder.search_stable import (
    UnsupportedPagefind,
    check_pagefind_version,
    pagefind_version_of,
    stabilise_bundle,
    write_engine,
)

MAX_PAGES_PER_BUNDLE = 25_000
OTHER_BUNDLE = "pages"  # indexed pages that are not records (e.g. social-value theme pages)

#: Parts of a page left out of the index: they repeat what other indexed pages say (a commitment's figures and
#: delivery reports are the outcome pages' own content; the journey repeats the related records' titles) or are
#: numbers, charts and boilerplate nobody searches for. Indexing them doubled Pagefind's memory and the index's size
#: for no better results. The record's own text, names, ids and commitment descriptions stay searchable.
EXCLUDE_SELECTORS = (
    'section[aria-labelledby="journey"]',  # partials/timeline.html
    ".procure-chart",  # SVG charts and the tables of their numbers
    ".procure-sv-commitment table",  # one commitment's figures: promised, delivered, measure, theme, SDGs
    ".procure-sv-warning",  # "report overdue" notices
    ".procure-sv-reports",  # delivery reports (each outcome report has its own indexed page)
    ".procure-sv-story",  # the reports' narratives, likewise
    ".procure-sv-units",  # totals by unit
    ".procure-sv-commitments",  # an organisation's or theme's table of commitments (the awards' content)
    ".procure-flags .procure-hint",  # what an integrity indicator can innocently mean (the same text everywhere)
    # issue 14: table captions and the summary's row labels are template text ("Summary of this award Buyer ..."),
    # which made every result's excerpt read the same
    "caption", '.procure-summary th[scope="row"]',
)


@dataclass(frozen=True)
class Bundle:
    name: str  # folder under pagefind/, e.g. "awards" or "awards-2"
    type_label: str  # value of the "type" filter its pages carry ("" for the mixed bundle of other pages)
    urls: tuple[str, ...]  # site-relative page URLs, e.g. "awards/AW-1/"


def plan_bundles(urls_by_type: Mapping[tuple[str, str], Iterable[str]]) -> list[Bundle]:
    """Split indexed pages into bundles: {(folder, type label): urls} → bundles of at most MAX_PAGES_PER_BUNDLE."""
    bundles: list[Bundle] = []
    for (folder, label), urls in urls_by_type.items():
        ordered = sorted(urls)
        if not ordered:
            continue
        for part, start in enumerate(range(0, len(ordered), MAX_PAGES_PER_BUNDLE), start=1):
            name = folder if part == 1 else f"{folder}-{part}"
            bundles.append(Bundle(name, label, tuple(ordered[start:start + MAX_PAGES_PER_BUNDLE])))
    return bundles


def bundle_map(bundles: Iterable[Bundle]) -> dict[str, list[str]]:
    """type label → bundle folders, for the search page ("" holds the bundles that are not one record type)."""
    result: dict[str, list[str]] = {}
    for b in bundles:
        result.setdefault(b.type_label, []).append(f"pagefind/{b.name}/")
    return result


def pagefind_command() -> list[str]:
    return [sys.executable, "-m", "pagefind"]


def check_installed_pagefind() -> None:
    """Raise BuildError, before any page is indexed, when the installed Pagefind is not a version the build knows."""
    try:
        done = subprocess.run([*pagefind_command(), "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"Pagefind could not be run: {exc}") from exc
    try:
        check_pagefind_version(pagefind_version_of(done.stdout))
    except UnsupportedPagefind as exc:
        raise BuildError(str(exc)) from None


def pagefind_argv(source: Path, output: Path) -> list[str]:
    return [*pagefind_command(), "--site", str(source), "--output-path", str(output), "--force-language", "en",
            "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--quiet"]


#: The largest excluded parts, cut out of the index sources before Pagefind reads them: Pagefind's time goes with
#: the bytes it parses, excluded or not (a quarter less for award pages). Each pattern runs from an element's
#: opening tag to the first closing tag of its kind, which can only end the match early (if such an element ever
#: nests one of its own kind), never late; whatever a pattern misses is still excluded by EXCLUDE_SELECTORS.
_CUT_FROM_SOURCES = re.compile("|".join((
    r'<section aria-labelledby="journey">.*?</section>',
    r'<figure class="procure-chart".*?</figure>',
    r'<table class="procure-summary">\s*<caption class="procure-visually-hidden">.*?</table>',
    r'<table class="procure-sv-(?:reports|commitments|units)">.*?</table>',
)), re.S)


def index_source_html(title: str, content_html: str) -> str:
    """What Pagefind reads for one page: its searchable content and Pagefind attributes, without the theme."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body>\n{_CUT_FROM_SOURCES.sub('', content_html)}\n</body></html>\n")


@dataclass
class BundleRun:
    """One Pagefind run: how long it took and its peak memory (its own, not the build's)."""

    bundle: str
    pages: int
    seconds: float
    peak_mb: float


@dataclass
class SearchIndexer:
    """Indexes bundles with the Pagefind binary as their pages become ready, one bundle at a time, in a thread.

    ``add_page`` writes a page's index source (from the render stage). A bundle is indexed once all its pages are in; ``finish`` waits for the
    last one, writes ``pagefind/bundles.json`` and raises BuildError if Pagefind failed on any bundle.
    """

    site_dir: Path
    bundles: list[Bundle]
    work_dir: Path
    progress: Callable[[str, int, int], None] | None = None
    runs: list[BundleRun] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._bundle_of = {url: b for b in self.bundles for url in b.urls}
        self._missing = {b.name: len(b.urls) for b in self.bundles}
        self._queue: queue.Queue[Bundle | None] = queue.Queue()
        self._errors: list[str] = []
        self._thread: threading.Thread | None = None
        self._made_dirs: set[str] = set()
        self._running: subprocess.Popen[bytes] | None = None
        self.out_root = self.site_dir / "pagefind"

    def source_of(self, bundle: Bundle) -> Path:
        return self.work_dir / f"pagefind-src-{bundle.name}"

    def start(self) -> SearchIndexer:
        check_installed_pagefind()
        if self.out_root.exists():
            shutil.rmtree(self.out_root)
        self.out_root.mkdir(parents=True)
        for bundle in self.bundles:
            if self.source_of(bundle).exists():
                shutil.rmtree(self.source_of(bundle))
        self._thread = threading.Thread(target=self._work, name="pagefind", daemon=True)
        self._thread.start()
        return self

    def wants(self, url: str) -> bool:
        return url in self._bundle_of

    def add_page(self, url: str, title: str, content_html: str) -> None:
        """Write the index source of a page of a bundle (``content_html``: its ``data-pagefind-body`` part)."""
        bundle = self._bundle_of[url]
        folder = os.path.join(self.source_of(bundle), url)
        if folder not in self._made_dirs:
            os.makedirs(folder, exist_ok=True)
            self._made_dirs.add(folder)
        with open(os.path.join(folder, "index.html"), "wb") as out:
            out.write(index_source_html(title, content_html).encode("utf-8"))
        self._page_done(bundle)

    def _page_done(self, bundle: Bundle) -> None:
        self._missing[bundle.name] -= 1
        if self._missing[bundle.name] == 0:
            self._queue.put(bundle)

    def _work(self) -> None:
        done = 0
        total = sum(len(b.urls) for b in self.bundles)
        while (bundle := self._queue.get()) is not None:
            if self._errors:
                continue  # one failure fails the build: do not spend time on the rest
            started = time.perf_counter()
            source = self.source_of(bundle)
            try:
                proc = subprocess.Popen(pagefind_argv(source, self.out_root / bundle.name), stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
                self._running = proc
                output = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = os.waitstatus_to_exitcode(status)
                if proc.stdout:
                    proc.stdout.close()
            except OSError as exc:
                self._errors.append(f"Pagefind could not be run on the {bundle.name} bundle: {exc}")
                continue
            finally:
                self._running = None
                shutil.rmtree(source, ignore_errors=True)
            if proc.returncode != 0:
                detail = output.strip().splitlines()[-5:]
                self._errors.append(f"Pagefind failed on the {bundle.name} bundle (exit {proc.returncode}): "
                                    + " | ".join(detail))
                continue
            try:
                stabilise_bundle(self.out_root / bundle.name)  # same pages → same bytes (filter order is random)
            except (OSError, ValueError) as exc:
                self._errors.append(f"the {bundle.name} search bundle could not be made reproducible: {exc}")
                continue
            self.runs.append(BundleRun(bundle.name, len(bundle.urls), time.perf_counter() - started,
                                       usage.ru_maxrss / 1024))
            done += len(bundle.urls)
            if self.progress:
                self.progress("search index", done, total)

    def finish(self) -> list[BundleRun]:
        """Wait for every bundle; raise BuildError if a bundle failed or never had all its pages."""
        incomplete = [name for name, missing in self._missing.items() if missing]
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join()
        for bundle in self.bundles:
            shutil.rmtree(self.source_of(bundle), ignore_errors=True)
        if self._errors:
            raise BuildError(self._errors[0])
        if incomplete:
            raise BuildError(f"the search index is missing pages of the bundles {', '.join(incomplete)}")
        if self.bundles:
            try:
                write_engine(self.out_root, self.out_root / self.bundles[0].name)
            except (OSError, ValueError) as exc:
                raise BuildError(f"the search page's copy of Pagefind could not be written: {exc}") from exc
        # the search page reads which bundles hold which record type from here
        (self.out_root / "bundles.json").write_text(
            json.dumps(bundle_map(self.bundles), sort_keys=True, indent=1) + "\n", encoding="utf-8")
        return self.runs

    def abandon(self) -> None:
        """Stop after the bundle being indexed (the build failed elsewhere) and remove the index sources."""
        self._errors.append("abandoned")
        self._queue.put(None)
        running = self._running
        if running is not None and running.poll() is None:
            running.kill()  # the Pagefind this build started, by its own handle
        if self._thread is not None:
            self._thread.join()
        for bundle in self.bundles:
            shutil.rmtree(self.source_of(bundle), ignore_errors=True)

