"""JSON Lines: one file per record type, one record per line (the YAML data as compact JSON)."""

from __future__ import annotations

import re

from site_builder.export._context import ExportContext, dump_json
from site_builder.load import RECORD_TYPES

#: characters that JSON allows raw inside strings but that many line readers (Python's str.splitlines, editors,
#: JavaScript before ES2019) take as line breaks: escaped, so one record is always exactly one line
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def json_line(data: object) -> str:
    """One record as one line of compact JSON (ending in a newline), equal as data to ``data``."""
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", dump_json(data, indent=None).decode("utf-8"))


def export_jsonl(ctx: ExportContext) -> None:
    for record_type in RECORD_TYPES:
        records = ctx.reg.by_type[record_type]
        folder = next(iter(records.values())).folder if records else f"{record_type}s"
        with ctx.open_text(f"jsonl/{folder}.jsonl", "JSON Lines", "jsonl",
                           f"Every {record_type} record, one JSON object per line") as fh:
            for rec in records.values():
                fh.write(json_line(rec.data))
