"""Export stage: the register as open data, written under one folder (``site/data/`` in a build).

Every exporter is a function ``export_<format>(ctx)`` in its own module, listed in ``EXPORTERS`` in the order they
run; each writes through the :class:`ExportContext`, which records every file's size and SHA-256 for
``SHA256SUMS`` and the /data/ page. Nothing here prints.

    result = export_all(reg, Path("site/data"))
    for f in result.files: print(f.path, f.size)
"""

from __future__ import annotations

import gzip
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

__all__ = ["EXPORTERS", "ExportContext", "ExportResult", "ExportedFile", "export_all", "export_files", "write_sitemap"]

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
    """Write every download under ``out_dir`` (created if needed), then ``SHA256SUMS``; with ``page_urls`` (every
    page of the site, site-relative) also the sitemap, into ``sitemap_dir`` (``out_dir`` by default)."""
    result = export_files(reg, out_dir)
    if page_urls is not None:
        result = replace(result, sitemaps=write_sitemap(reg, sitemap_dir or out_dir, page_urls))
    return result


def write_sitemap(reg: Registry, target: Path, page_urls: Iterable[str]) -> tuple[Path, ...]:
    """``sitemap.xml`` (and its gzip copy, which MkDocs publishes too) listing ``page_urls``; only when mkdocs.yml
    sets ``site_url`` (a sitemap needs absolute addresses). The build writes it at the site's root."""
    if not reg.config.site_url:
        return ()
    sitemaps = write_sitemaps(target, page_urls, reg.config.site_url)
    gz = target / "sitemap.xml.gz"  # the same list, reproducibly (no timestamp in the gzip header)
    gz.write_bytes(gzip.compress((target / "sitemap.xml").read_bytes(), mtime=0))
    return (*sitemaps, gz)


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
