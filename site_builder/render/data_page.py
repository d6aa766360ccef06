"""The /data/ page: every download with its real size, format and contents; the licence, attribution and how to
cite; and the data dictionary generated from the schemas (every field of every type with its description, type,
allowed values, example, CSV column and OCDS mapping).

Sizes are the sizes of the files the build publishes: the export stage runs first and its result (every file's
path, size and checksum) is passed to ``render_data_page``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from site_builder.export import ExportResult
from site_builder.export._context import ExportedFile
from site_builder.export.ocds import EXTENSIONS, UK_DEPENDENCIES, auto_rules
from site_builder.export.schema_info import FieldInfo, SchemaSet
from site_builder.export.tables import Table, build_tables
from site_builder.load import FOLDER_OF_TYPE, RECORD_TYPES
from site_builder.model import Registry
from site_builder.render.page import Page

TEMPLATE = Path(__file__).parent / "templates" / "data_page.html"
DATA_PAGE_URL = "data/"  # stable: journalists link to it

GROUPS = {  # group → (heading, what it is for)
    "bulk": ("Everything in one file", "Every record as YAML, with the schemas, in the repository's folder layout."),
    "csv": ("Spreadsheets (CSV)", "One table per kind of thing, linked by ids. Open in any spreadsheet; the "
            "datapackage.json file describes every column for tools such as Frictionless."),
    "sqlite": ("Database (SQLite)", "All the tables in one file, with keys and full-text search. Open it with "
               "Datasette, DB Browser for SQLite or the sqlite3 command."),
    "jsonl": ("JSON Lines", "One file per record type, one record per line, for programs."),
    "ocds": ("Open Contracting Data Standard (OCDS 1.1)", "The register in the international standard for "
             "procurement data, with social value in the metrics and sustainability extensions."),
    "feeds": ("Feeds (Atom)", "Follow new awards and tenders in a feed reader: the whole register, open tenders, "
              "the pipeline of planned procurements, one buyer or supplier, or one category."),
    "checksums": ("Checksums", "SHA-256 of every file above, to check a download arrived intact."),
}
TYPE_TITLES = {"organisation": "Organisations", "tender": "Tenders", "award": "Awards", "outcome": "Outcomes",
               "measure": "Measures"}


def human_size(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    for unit in ("KB", "MB", "GB"):
        size_f = size / 1000
        if size_f < 1000 or unit == "GB":
            return f"{size_f:.1f} {unit}"
        size = int(size_f)
    return f"{size} bytes"


@dataclass(frozen=True)
class DownloadRow:
    href: str | None  # None for a family of files (per-record files)
    name: str
    format: str
    size: int
    contents: str


_FEED_KEYS = {"buyers": "buyer id", "organisations": "organisation id", "categories": "CPV division"}
_FEED_KINDS = {"buyers": "buyer", "organisations": "organisation, buyer or supplier",
               "categories": "category (CPV division, e.g. 45 for construction)"}


def download_rows(result: ExportResult) -> dict[str, list[DownloadRow]]:
    """Downloads by group; the per-record files and per-buyer feeds are summarised as one row per family."""
    rows: dict[str, list[DownloadRow]] = defaultdict(list)
    families: dict[tuple[str, str], list[ExportedFile]] = defaultdict(list)
    for f in result.files:
        if f.group == "records":
            folder = f.path.split("/")[1]
            families[("records", f"records/{folder}/<id>.{f.path.rsplit('.', 1)[1]}")].append(f)
        elif f.path.startswith("feeds/") and f.path.count("/") == 2:  # feeds/<kind>/<id>.atom: one row per kind
            kind = f.path.split("/")[1]
            families[("feeds", f"feeds/{kind}/<{_FEED_KEYS.get(kind, 'id')}>.atom")].append(f)
        else:
            rows[f.group].append(DownloadRow(f.path, f.path, f.format, f.size, f.description))
    for (group, pattern), files in sorted(families.items()):
        kind = pattern.split("/")[1] if group == "feeds" else ""
        what = (f"One feed per {_FEED_KINDS.get(kind, kind)} ({len(files):,} files)" if group == "feeds"
                else f"One file per record ({len(files):,} files), at a stable address")
        rows[group].append(DownloadRow(None, pattern, files[0].format, sum(f.size for f in files), what))
    return rows


@dataclass(frozen=True)
class DictionaryRow:
    field: FieldInfo
    type: str
    allowed: list[tuple[str, str]]
    example: str
    csv: str
    ocds: str
    ocds_auto: bool


def _type_text(f: FieldInfo, schemas: SchemaSet) -> str:
    if f.json_type == "array":
        items = schemas.items_of(f)
        inner = "object" if items.get("type") == "object" else _type_text_of(items)
        return f"list of {inner}s"
    return _type_text_of(f.schema)


def _type_text_of(schema: dict[str, Any]) -> str:
    t = schema.get("type", "")
    if t == "string" and schema.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if t == "string" and schema.get("format") == "uri":
        return "web address"
    return {"string": "text", "number": "number", "integer": "whole number", "boolean": "true/false",
            "object": "group of fields"}.get(str(t), str(t))


def dictionary_rows(schemas: SchemaSet, tables: list[Table]) -> dict[str, list[DictionaryRow]]:
    csv_of: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for table in tables:
        for column in table.columns:
            if column.field_info is not None:
                csv_of[(column.field_info.record_type, column.field_info.path)].append(f"{table.name}.{column.name}")
    out: dict[str, list[DictionaryRow]] = {}
    for record_type in RECORD_TYPES:
        auto = {(r.source, r.root + "." + ".".join(r.target)) for r in auto_rules(schemas, record_type)}
        rows = []
        for f in schemas.fields[record_type]:
            allowed_schema = schemas.items_of(f) if f.json_type == "array" else f.schema
            labels = {str(k): str(v) for k, v in (allowed_schema.get("x-labels") or {}).items()}
            codes = [str(c) for c in allowed_schema.get("enum") or labels]
            allowed = [(c, labels.get(c, "")) for c in codes]
            example = "" if f.example is None else (f.example if isinstance(f.example, str) else
                                                     json.dumps(f.example, ensure_ascii=False))
            csv = csv_of.get((record_type, f.path), [])
            if not csv and f.path[:-1] and (record_type, f.path[:1]) in csv_of and f.path[1:2] == ("[]",):
                csv = [f"{csv_of[(record_type, f.path[:1])][0]} (JSON)"]
            ocds = f.x_ocds or ""
            is_auto = "[]" not in f.path and any(src == f.path[0] for src, _ in auto)
            rows.append(DictionaryRow(f, _type_text(f, schemas), allowed, example, ", ".join(csv), ocds, is_auto))
        out[record_type] = rows
    return out


def render_data_page(reg: Registry, env: jinja2.Environment, result: ExportResult) -> Page:
    schemas = SchemaSet(reg.config.schemas_dir)
    tables = build_tables(reg, schemas)
    cfg = reg.config
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    site = (cfg.site_url or "").rstrip("/")
    body = template.render(
        cfg=cfg, reg=reg, groups=GROUPS, rows=download_rows(result), human_size=human_size,
        dictionary=dictionary_rows(schemas, tables), type_titles=TYPE_TITLES, folders=FOLDER_OF_TYPE,
        tables=tables, extensions={**EXTENSIONS, **{f"uk dependency: {u.split('/')[4]}": u for u in UK_DEPENDENCIES
                                                  if u not in EXTENSIONS.values()}}, data_url=f"{site}/data/" if site else "data/",
        total=result.total_bytes, as_of=reg.as_of.isoformat(),
        citation=f"{cfg.publisher.name} ({reg.as_of.year}). {cfg.register_name} [data set]. "
                 f"Version of {reg.as_of.isoformat()}. {site + '/data/' if site else ''}".strip(),
    )
    return Page(url=DATA_PAGE_URL, title="Open data", body_html=body, nav_title="Open data",
                description="Download the register: raw records, CSV, SQLite, JSON Lines, OCDS and feeds, "
                            "with a data dictionary and the licence.")


def iter_mapping_markdown(schemas: SchemaSet) -> Iterator[str]:
    """The field-by-field OCDS mapping as Markdown (for docs/ocds-mapping.md), generated from x-ocds annotations."""
    yield "| Record field | OCDS path (x-ocds) | How |"
    yield "|---|---|---|"
    for record_type in RECORD_TYPES:
        auto = {r.source for r in auto_rules(schemas, record_type)}
        for f in schemas.fields[record_type]:
            if not f.x_ocds:
                continue
            how = "copied automatically" if f.path[0] in auto and "[]" not in f.path else "built by the exporter"
            yield f"| `{record_type}.{f.pointer_name}` | `{f.x_ocds}` | {how} |"
