"""The data dictionary on its own pages (issue 14), so /data/ fits on a few screens:

* ``data/dictionary/``: the tables and record types, with links;
* ``data/dictionary/<table>/``: every column of one CSV/SQLite table, computed columns included, with where each
  comes from and, for columns copied from a record field, the field's meaning, allowed codes and OCDS path;
* ``data/dictionary/fields/<record type>/``: every field of one record type (nested fields too), as in the schemas.

Everything comes from the schemas and the table definitions the exporters use, so the pages cannot drift from
the files.
"""

from __future__ import annotations

from collections.abc import Iterator

import jinja2

from site_builder.export.schema_info import SchemaSet
from site_builder.export.tables import build_tables
from site_builder.load import FOLDER_OF_TYPE
from site_builder.model import Registry
from site_builder.render.data_page import TYPE_TITLES, dictionary_rows
from site_builder.render.page import Page

URL = "data/dictionary/"


def table_url(name: str) -> str:
    return f"{URL}{name}/"


def fields_url(record_type: str) -> str:
    return f"{URL}fields/{record_type}/"


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    schemas = SchemaSet(reg.config.schemas_dir)
    tables = build_tables(reg, schemas)
    fields = dictionary_rows(schemas, tables)
    by_path = {(rt, row.field.path): row for rt, rows in fields.items() for row in rows}
    yield Page(url=URL, title="Data dictionary",
               body_html=env.get_template("dictionary/index.html").render(
                   root="../../", tables=tables, fields=fields, type_titles=TYPE_TITLES, table_url=table_url,
                   fields_url=fields_url),
               description="What every table, column and field of the register's open data means.")
    for table in tables:
        columns = []
        for column in table.columns:
            info = column.field_info
            row = by_path.get((info.record_type, info.path)) if info is not None else None
            columns.append((column, row))
        yield Page(url=table_url(table.name), title=f"Data dictionary: the {table.name} table",
                   body_html=env.get_template("dictionary/table.html").render(
                       root="../../../", table=table, columns=columns, fields_url=fields_url, table_url=table_url),
                   description=f"Every column of the {table.name} table: {table.description}")
    for record_type, rows in fields.items():
        yield Page(url=fields_url(record_type), title=f"Data dictionary: every field of {TYPE_TITLES[record_type].lower()}",
                   body_html=env.get_template("dictionary/fields.html").render(
                       root="../../../../", record_type=record_type, rows=rows, title=TYPE_TITLES[record_type],
                       folder=FOLDER_OF_TYPE[record_type]),
                   description=f"Every field of a record in records/{FOLDER_OF_TYPE[record_type]}/.")
