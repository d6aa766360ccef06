"""Search stage: Pagefind indexes of the built site, one bundle per record type (split further when large).

Pagefind needs about 145 MB of memory per 1,000 pages and has been reported to run out of memory past about
30,000 pages in one index, so a 100,000-record register is indexed as several bundles of at most
``MAX_PAGES_PER_BUNDLE`` pages, under ``pagefind/<folder>/`` (``pagefind/<folder>-2/`` ...). The search page merges
the bundles it needs at query time with Pagefind's ``mergeIndex``; a search of one record type only loads that
type's bundles. Each bundle is indexed from a mirror of its pages made of hard links, so the URLs Pagefind records
are the real ones.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import BuildError
from site_builder.search_stable import stabilise_bundle

MAX_PAGES_PER_BUNDLE = 25_000
OTHER_BUNDLE = "pages"  # indexed pages that are not records (e.g. social-value theme pages)


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


def _mirror(site_dir: Path, mirror: Path, urls: Iterable[str]) -> None:
    for url in urls:
        source = site_dir / url / "index.html"
        target = mirror / url / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system or no hard links: a copy works too
            shutil.copyfile(source, target)


def build_search_index(site_dir: Path, bundles: list[Bundle], work_dir: Path,
                       progress: Callable[[str, int, int], None] | None = None) -> dict[str, float]:
    """Index each bundle with the Pagefind binary; returns seconds per bundle. Raises BuildError on failure."""
    timings: dict[str, float] = {}
    out_root = site_dir / "pagefind"
    if out_root.exists():
        shutil.rmtree(out_root)
    out_root.mkdir(parents=True)
    total = sum(len(b.urls) for b in bundles)
    done = 0
    for bundle in bundles:
        started = time.perf_counter()
        mirror = work_dir / f"pagefind-src-{bundle.name}"
        if mirror.exists():
            shutil.rmtree(mirror)
        try:
            _mirror(site_dir, mirror, bundle.urls)
            command = [*pagefind_command(), "--site", str(mirror), "--output-path", str(out_root / bundle.name),
                       "--force-language", "en", "--quiet"]
            result = subprocess.run(command, capture_output=True, text=True, check=False,
                                    env={**os.environ, "NO_COLOR": "1"})
        finally:
            shutil.rmtree(mirror, ignore_errors=True)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
            raise BuildError(f"Pagefind failed on the {bundle.name} bundle (exit {result.returncode}): "
                             + " | ".join(detail))
        stabilise_bundle(out_root / bundle.name)  # same pages → same bytes (Pagefind's filter order is random)
        done += len(bundle.urls)
        timings[bundle.name] = time.perf_counter() - started
        if progress:
            progress("search index", done, total)
    # the search page reads which bundles hold which record type from here
    (out_root / "bundles.json").write_text(json.dumps(bundle_map(bundles), sort_keys=True, indent=1) + "\n",
                                           encoding="utf-8")
    return timings
