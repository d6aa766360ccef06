"""CSV, one file per table (RFC 4180: comma, double quotes, CRLF; UTF-8 without BOM; one header row), and a
Frictionless Data Package v2 descriptor whose table schemas are generated from the JSON Schemas (see tables.py)."""

from __future__ import annotations

import csv
import json
import re
from typing import Any

from site_builder.export._context import ExportContext
from site_builder.export.tables import LIST_DELIMITER, Column, Table

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"


#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): =, +, -, @, tab and carriage return
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Text that a spreadsheet would run as a formula (``=HYPERLINK(...)``) gets a leading ``'``, as the OWASP CSV
    injection guidance says, so it is shown as text. The JSON, JSON Lines and SQLite downloads keep the raw value."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(column: Column, value: Any) -> str:
    """A value as written in a CSV cell; ``tables.Column.type`` says how it reads back."""
    if value is None:
        return ""
    if column.type == "list":
        items = [json.dumps(v) if isinstance(v, bool) else str(v) for v in value]
        if any(LIST_DELIMITER in item for item in items):
            raise ValueError(f"{column.name}: a list item contains '{LIST_DELIMITER}'")
        return neutralise_formula(LIST_DELIMITER.join(items))
    if isinstance(value, str):
        return neutralise_formula(value)
    if column.type == "array":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_path(table: Table) -> str:
    return f"csv/{table.name}.csv"


def export_csv(ctx: ExportContext) -> None:
    for table in ctx.tables:
        columns = table.columns
        with ctx.open_text(csv_path(table), "CSV", "csv", table.description) as fh:
            writer = csv.writer(fh, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(table.column_names)
            for row in table.iter_rows(ctx.reg):
                writer.writerow([csv_cell(c, v) for c, v in zip(columns, row, strict=True)])
    export_datapackage(ctx)


def field_descriptor(column: Column) -> dict[str, Any]:
    out: dict[str, Any] = {"name": column.name, "type": column.type, "description": column.description}
    if column.type == "list":
        out["delimiter"] = LIST_DELIMITER
        out["itemType"] = column.item_type or "string"
    info = column.field_info
    if info is not None:
        if info.example is not None and column.type not in ("list", "array"):
            out["example"] = info.example
        if info.labels:
            out["categories"] = [{"value": code, "label": label} for code, label in info.labels.items()
                                 if code in (info.enum or ())] or None
            if out["categories"] is None:
                del out["categories"]
    if column.constraints:
        out["constraints"] = dict(column.constraints)
    return out


def table_schema(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": TABLESCHEMA_PROFILE,
        "fields": [field_descriptor(c) for c in table.columns],
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = []
        for fk in table.foreign_keys:
            reference: dict[str, Any] = {"fields": list(fk.table_columns)}
            if fk.table != table.name:  # a self-reference names no resource
                reference = {"resource": fk.table, **reference}
            schema["foreignKeys"].append({"fields": list(fk.columns), "reference": reference})
    return schema


def package_name(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "procurement-register"


def export_datapackage(ctx: ExportContext) -> None:
    cfg = ctx.reg.config
    by_path = {f.path: f for f in ctx.files}
    resources = []
    for table in ctx.tables:
        written = by_path[csv_path(table)]
        resources.append({
            "name": table.name,
            "title": table.title,
            "description": table.description,
            "type": "table",
            "path": written.path,
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": written.size,
            "hash": f"sha256:{written.sha256}",
            "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
                        "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "header": True},
            "schema": table_schema(table),
        })
    descriptor: dict[str, Any] = {
        "$schema": DATAPACKAGE_PROFILE,
        "name": package_name(cfg.register_name),
        "title": cfg.register_name,
        "description": (f"Tenders, awards, social-value commitments and delivery reports published by "
                        f"{cfg.publisher.name}, as linked CSV tables. Each table's fields, types, allowed values and "
                        f"keys are generated from the register's JSON Schemas."),
        "version": ctx.reg.as_of.isoformat(),
        "created": ctx.published_iso,
        "licenses": [{"name": _licence_id(cfg.licence_name), "path": cfg.licence_url, "title": cfg.licence_name}],
        "contributors": [{"title": cfg.publisher.name, "path": cfg.publisher.uri, "roles": ["publisher"]}],
        "keywords": ["procurement", "contracts", "social value", "open contracting"],
        "resources": resources,
    }
    if cfg.site_url:
        descriptor["homepage"] = cfg.site_url
    ctx.write_json("datapackage.json", descriptor, "JSON", "csv",
                   "Frictionless Data Package v2 descriptor: the CSV tables, their fields and keys")


def _licence_id(name: str) -> str:
    if "Open Government Licence" in name and "3" in name:
        return "OGL-UK-3.0"
    return re.sub(r"[^A-Za-z0-9.\-_]+", "-", name).strip("-")
