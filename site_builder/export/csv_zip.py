"""``csv.zip``: every CSV table and ``datapackage.json`` in one download (issue 14), for people who want all the
tables at once. Written after the CSV exporter, from the very files it wrote, so the two never differ; as
deterministic as ``records.zip`` (sorted entries, the register's date on every entry).
"""

from __future__ import annotations

import zipfile

from site_builder.export._context import ExportContext
from site_builder.export.bulk_zip import _FILE_MODE

NAME = "csv.zip"


def export_csv_zip(ctx: ExportContext) -> None:
    members = sorted(f.path for f in ctx.files if f.path.startswith("csv/") or f.path == "datapackage.json")
    if not members:
        return
    stamp = ctx.published.timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])  # ZIP dates start in 1980
    with ctx.open_path(NAME, "ZIP", "csv", f"All {len(members) - 1} CSV tables and datapackage.json in one file") \
            as path, zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in members:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _FILE_MODE
            info.create_system = 3
            zf.writestr(info, (ctx.out_dir / name).read_bytes(), compresslevel=6)
