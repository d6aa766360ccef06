"""``records.zip``: every YAML record, the schemas and a README with the licence, in the repository's layout.

Deterministic: entries sorted by name, every timestamp set to the register's reference date, fixed permissions and
compression level, so the same register always gives the same bytes (and the same checksum).
"""

from __future__ import annotations

import zipfile

from site_builder.export._context import ExportContext

_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--


def readme_text(ctx: ExportContext) -> str:
    cfg = ctx.reg.config
    counts = ", ".join(f"{len(recs):,} {rtype}s" for rtype, recs in ctx.reg.by_type.items())
    return f"""# {cfg.register_name}: every record

Published by {cfg.publisher.name} ({cfg.publisher.uri}).
Register date: {ctx.reg.as_of.isoformat()}. Contents: {counts}.

- `records/<type>/<id>.yaml`: one file per record, exactly as kept in the register's repository.
- `schemas/*.schema.json`: the JSON Schemas (2020-12) the records follow; descriptions explain every field.

## Licence

{cfg.licence_name}: {cfg.licence_url}

When you use this data, say where it came from:

> {cfg.attribution}

Personal data is not covered by the licence; the register does not publish any.
{f"{chr(10)}Site: {cfg.site_url}{chr(10)}" if cfg.site_url else ""}"""


def export_zip(ctx: ExportContext) -> None:
    entries: dict[str, bytes] = {"README.md": readme_text(ctx).encode("utf-8")}
    for name, data in ctx.schemas.raw_bytes.items():
        entries[f"schemas/{name}"] = data
    for rec in ctx.reg.all_records():
        entries[rec.rel_path] = rec.source
    stamp = ctx.published.timetuple()[:6]
    stamp = (max(stamp[0], 1980), *stamp[1:])  # ZIP dates start in 1980
    with ctx.open_path("records.zip", "ZIP", "bulk", "Every YAML record, the schemas and a README with the licence") as path, \
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = _FILE_MODE
            info.create_system = 3  # Unix, whatever machine builds it
            zf.writestr(info, entries[name], compresslevel=6)
