"""The render stage's Jinja environment and the filters every template shares (money, dates, labels, links).

Every string from a record reaches HTML through Jinja's autoescape; links from records only through ``safe_link``.
Features add their own filters in ``site_builder.render.build_environment``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from site_builder.formatting import SCHEMAS_DIR, format_date, format_money, format_number, load_codelist_labels
from site_builder.model import Record

__all__ = ["SCHEMAS_DIR", "TEMPLATES_DIR", "base_environment", "format_date", "format_money", "format_number",
           "load_codelist_labels", "safe_link"]

TEMPLATES_DIR = Path(__file__).parent / "templates"


_LINK_SCHEMES = {"http", "https", "mailto"}


def safe_link(url: Any, text: Any = None) -> Markup:
    """An <a> only for http(s) and mailto addresses; anything else (javascript:, data:, ...) is shown as text."""
    label = url if text is None or text == "" else text
    if not isinstance(url, str):
        return escape(label if label is not None else "")
    candidate = url.strip()
    scheme = urlsplit(candidate).scheme.lower() if candidate else ""
    if scheme not in _LINK_SCHEMES or any(ord(ch) < 33 for ch in candidate) or candidate != url:
        return escape(label)
    return Markup('<a href="{}" rel="noopener">{}</a>').format(candidate, label)


#: attributes of the mapping types record data comes in (anything else a template reads from them is a key)
_MAPPING_ATTRIBUTES = frozenset(dir(dict)) | frozenset(dir(MappingProxyType))


class _Environment(jinja2.Environment):
    """``record.field`` in a template reads the record's data when Record itself has no such attribute."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Fast paths with Jinja's own order (attribute first, then item), for the record data every page reads
        # hundreds of times: Jinja's generic path raises and catches an AttributeError for each mapping key.
        cls = type(obj)
        if cls is MappingProxyType or cls is dict:
            if attribute in _MAPPING_ATTRIBUTES:
                return getattr(obj, attribute)
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if cls is Record:
            try:
                return getattr(obj, attribute)
            except AttributeError:
                if attribute in obj.data:
                    return obj.data[attribute]
                return self.undefined(obj=obj, name=attribute)
        value = super().getattr(obj, attribute)
        if isinstance(value, jinja2.Undefined) and isinstance(obj, Record) and attribute in obj.data:
            return obj.data[attribute]
        return value


def base_environment(schemas_dir: Path | None = None, extra_template_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The one Jinja environment every page template renders in: autoescape on, undefined names are errors."""
    labels = load_codelist_labels(schemas_dir or SCHEMAS_DIR)
    loader = jinja2.FileSystemLoader([*map(str, extra_template_dirs), str(TEMPLATES_DIR)])
    env = _Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)

    def label(code: Any, codelist: str) -> str:
        if code is None:
            return ""
        return labels.get(codelist, {}).get(str(code), str(code))

    def newest_first(records: Iterable[Record]) -> list[Record]:
        """Records by their date, newest first; an imported record without a date comes last."""
        return sorted(records, key=lambda r: str(r.get("date") or ""), reverse=True)

    env.filters.update(money=format_money, date=format_date, label=label, link=safe_link, number=format_number,
                       newest_first=newest_first)
    env.globals.update(labels=labels, money=format_money)
    return env
