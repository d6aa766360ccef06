"""Per-record downloads at stable URLs: ``records/<folder>/<id>.yaml`` (the source file, byte for byte) and
``records/<folder>/<id>.json`` (the same data as JSON)."""

from __future__ import annotations

from site_builder.export._context import ExportContext, dump_json


def export_records(ctx: ExportContext) -> None:
    for rec in ctx.reg.all_records():
        base = f"records/{rec.folder}/{rec.id}"
        ctx.write_bytes(f"{base}.yaml", rec.source, "YAML", "records", f"{rec.type} {rec.id}, as published in the repository")
        ctx.write_bytes(f"{base}.json", dump_json(rec.data, indent=None), "JSON", "records", f"{rec.type} {rec.id} as JSON")
