"""Export stage: the register as open data, written under one folder (``site/data/`` in a build).

Every exporter is a function ``export_<format>(ctx)`` in its own module, listed in ``EXPORTERS`` in the order they
run; each writes through the :class:`ExportContext`, which records every file's size and SHA-256 for
``SHA256SUMS`` and the /data/ page. Nothing here prints.

    result = export_all(reg, Path("site/data"))
    for f in result.files: print(f.path, f.size)
"""

from __future__ import annotations

import atexit
import gzip
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.export._context import ExportContext, ExportedFile
from site_builder.export.bulk_zip import export_zip
from site_builder.export.csv_zip import export_csv_zip
from site_builder.export.feeds import export_feeds
from site_builder.export.feeds_more import export_more_feeds
from site_builder.export.jsonl import export_jsonl
from site_builder.export.ocds import export_ocds
from site_builder.export.raw import export_records
from site_builder.export.sitemap import write_sitemaps
from site_builder.export.sqlite import export_sqlite
from site_builder.export.tabular import export_csv
from site_builder.model import Registry

__all__ = ["EXPORTERS", "ExportContext", "ExportResult", "ExportedFile", "export_all", "iter_site_page_urls", "stage_exports"]

Exporter = Callable[[ExportContext], None]

#: name → exporter, in the order they run (SHA256SUMS is written last, over all of them)
EXPORTERS: dict[str, Exporter] = {
    "records": export_records,
    "zip": export_zip,
    "csv": export_csv,  # also datapackage.json
    "csv zip": export_csv_zip,  # issue 14: all the CSV tables in one file
    "jsonl": export_jsonl,
    "sqlite": export_sqlite,
    "ocds": export_ocds,
    "feeds": export_feeds,
    "more feeds": export_more_feeds,  # issue 14: per organisation, open tenders, pipeline, per category
}

CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    files: tuple[ExportedFile, ...]  # every file written, in the order written (SHA256SUMS last)
    sitemaps: tuple[Path, ...] = ()
    seconds: float = 0.0  # time the exporters took (the benchmark's "export" figure)

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def by_path(self) -> dict[str, ExportedFile]:
        return {f.path: f for f in self.files}


def export_all(reg: Registry, out_dir: Path, *, page_urls: Iterable[str] | None = None,
               sitemap_dir: Path | None = None) -> ExportResult:
    """Write every download under ``out_dir`` (created if needed), then ``SHA256SUMS``.

    When the /data/ page already exported this registry into a staging folder (to show real sizes), that folder
    is moved into place instead of exporting twice. The sitemap needs every page's URL: pass ``page_urls``
    (site-relative) when the build knows them, else they are worked out from the page generators. It is written
    to ``sitemap_dir`` (the site's root in a build; ``out_dir`` by default), only when mkdocs.yml sets ``site_url``.
    """
    staged = _STAGED.pop(id(reg), None)
    if staged is not None and staged[0] is reg:
        result = _move_into_place(staged[1], out_dir)
    else:
        result = export_files(reg, out_dir)
    if reg.config.site_url:
        urls = list(page_urls) if page_urls is not None else list(iter_site_page_urls(reg))
        target = sitemap_dir or out_dir
        sitemaps = write_sitemaps(target, urls, reg.config.site_url)
        gz = target / "sitemap.xml.gz"  # MkDocs publishes one too: keep it the same list, reproducibly
        gz.write_bytes(gzip.compress((target / "sitemap.xml").read_bytes(), mtime=0))
        result = replace(result, sitemaps=(*sitemaps, gz))
    return result


def export_files(reg: Registry, out_dir: Path, only: Iterable[str] | None = None) -> ExportResult:
    """Run the exporters (all, or those named in ``only``) into ``out_dir``, then write ``SHA256SUMS``."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = ExportContext(reg, out_dir)
    wanted = set(only) if only is not None else set(EXPORTERS)
    for name, exporter in EXPORTERS.items():
        if name in wanted:
            exporter(ctx)
    sums = "".join(f"{f.sha256}  {f.path}\n" for f in sorted(ctx.files, key=lambda f: f.path))
    ctx.write_bytes(CHECKSUMS, sums.encode("utf-8"), "Text", "checksums", "SHA-256 checksum of every download")
    return ExportResult(out_dir, tuple(ctx.files), seconds=time.perf_counter() - started)


#: id(registry) → (registry, export already written to a staging folder by the /data/ page)
_STAGED: dict[int, tuple[Registry, ExportResult]] = {}


def stage_exports(reg: Registry) -> ExportResult:
    """Export once into a temporary folder (for pages that need the real sizes); export_all moves it into place."""
    cached = _STAGED.get(id(reg))
    if cached is not None and cached[0] is reg:
        return cached[1]
    staging = Path(tempfile.mkdtemp(prefix="procure-export-"))
    atexit.register(shutil.rmtree, staging, True)
    result = export_files(reg, staging)
    _STAGED[id(reg)] = (reg, result)
    return result


def _move_into_place(staged: ExportResult, out_dir: Path) -> ExportResult:
    """Rename the staged files into ``out_dir`` (which may already hold the /data/ page's index.html)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in sorted(staged.out_dir.iterdir()):
        target = out_dir / entry.name
        if target.exists():  # only when exporting over an earlier export: merge, then drop the staged copy
            if entry.is_dir():
                shutil.copytree(entry, target, dirs_exist_ok=True)
            else:
                shutil.copy2(entry, target)
            continue
        shutil.move(str(entry), str(target))  # a rename when both are on the same file system
    shutil.rmtree(staged.out_dir, ignore_errors=True)
    return replace(staged, out_dir=out_dir)


def iter_site_page_urls(reg: Registry) -> Iterable[str]:
    """Every page of the site: the record pages (known from the model) and the other generators' pages.

    The data page itself is listed without being rendered (it needs the export's sizes)."""
    from site_builder.render import PAGE_GENERATORS, build_environment

    for rec in reg.all_records():
        yield rec.url
    env = build_environment(reg.config.schemas_dir)
    for generator in PAGE_GENERATORS:
        if generator.__module__ == "site_builder.export.page":
            yield "data/"
            continue
        for page in generator(reg, env):
            yield page.url
