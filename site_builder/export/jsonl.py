"""JSON Lines: one file per record type, one record per line (the YAML data as compact JSON)."""

from __future__ import annotations

from site_builder.export._context import ExportContext, dump_json
from site_builder.load import RECORD_TYPES


def export_jsonl(ctx: ExportContext) -> None:
    for record_type in RECORD_TYPES:
        records = ctx.reg.by_type[record_type]
        folder = next(iter(records.values())).folder if records else f"{record_type}s"
        with ctx.open_text(f"jsonl/{folder}.jsonl", "JSON Lines", "jsonl",
                           f"Every {record_type} record, one JSON object per line") as fh:
            for rec in records.values():
                fh.write(dump_json(rec.data, indent=None).decode("utf-8"))
