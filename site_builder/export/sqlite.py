"""``register.sqlite``: the CSV tables in one SQLite database, with primary and foreign keys and an FTS5 index per
table over its titles and descriptions (the layout Datasette and sqlite-utils recognise: ``<table>_fts`` with
``content=<table>``), ready for ``datasette register.sqlite``.

Lists are stored as JSON arrays (query them with ``json_each``), booleans as 0/1.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from site_builder.export._context import ExportContext
from site_builder.export.tables import SQLITE_TYPES, Column, Table


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: Table) -> str:
    lines = []
    for c in table.columns:
        not_null = " NOT NULL" if c.constraints.get("required") else ""
        lines.append(f"  {_quote(c.name)} {SQLITE_TYPES[c.type]}{not_null}")
    lines.append(f"  PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    for fk in table.foreign_keys:
        lines.append(f"  FOREIGN KEY ({', '.join(map(_quote, fk.columns))}) REFERENCES {_quote(fk.table)} "
                     f"({', '.join(map(_quote, fk.table_columns))})")
    return f"CREATE TABLE {_quote(table.name)} (\n" + ",\n".join(lines) + "\n)"


def sqlite_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.type in ("list", "array"):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return int(value)
    return value


def export_sqlite(ctx: ExportContext) -> None:
    with ctx.open_path("register.sqlite", "SQLite", "sqlite",
                       "Every table in one SQLite database with keys and full-text search (for Datasette)") as path:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = OFF")  # a fresh file written once: no rollback journal needed
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN")
            for table in ctx.tables:
                conn.execute(create_table_sql(table))
                placeholders = ", ".join("?" * len(table.columns))
                columns = table.columns
                conn.executemany(
                    f"INSERT INTO {_quote(table.name)} VALUES ({placeholders})",
                    ([sqlite_value(c, v) for c, v in zip(columns, row, strict=True)] for row in table.iter_rows(ctx.reg)),
                )
                text = [c for c in table.text_columns if c in table.column_names]
                if text:
                    fts = _quote(f"{table.name}_fts")
                    cols = ", ".join(map(_quote, text))
                    conn.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content={_quote(table.name)})")
                    conn.execute(f"INSERT INTO {fts} (rowid, {cols}) SELECT rowid, {cols} FROM {_quote(table.name)}")
            conn.execute("COMMIT")
        finally:
            conn.close()
