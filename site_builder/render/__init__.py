"""Render stage: turn the model into pages (HTML bodies) with autoescaping Jinja templates.

Two kinds of generator, both ``iter_pages(reg, env) -> Iterable[Page]``:

* ``PAGE_GENERATORS`` — section indexes, home, search and the other features' pages (social value, indicators,
  data). There are few of them (hundreds at most), and they go through MkDocs so that they sit in the theme's
  navigation and MkDocs' live reload.
* ``RECORD_PAGE_GENERATORS`` — one page per record (up to 100,000). They are streamed: rendered one at a time and
  written straight into a pre-rendered copy of the theme's page shell (see ``site_builder.plugin``), never held
  in memory all at once and never sent through Markdown.

Every string from a record reaches HTML through Jinja's autoescape; links from records only through ``safe_link``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from site_builder.model import Record
from site_builder.render.page import Page, SearchMeta

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"

PageGenerator = Callable[[Any, jinja2.Environment], Iterable[Page]]

__all__ = ["PAGE_GENERATORS", "RECORD_PAGE_GENERATORS", "Page", "SearchMeta", "build_environment",
           "iter_all_pages", "load_codelist_labels"]

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_LINK_SCHEMES = {"http", "https", "mailto"}


@cache
def load_codelist_labels(schemas_dir: Path = SCHEMAS_DIR) -> dict[str, dict[str, str]]:
    """codelist name → {code: plain-language label}, read once from codelists.schema.json's ``x-labels``."""
    path = schemas_dir / "codelists.schema.json"
    if not path.exists():
        return {}
    defs = json.loads(path.read_text(encoding="utf-8")).get("$defs", {})
    return {name: {str(k): str(v) for k, v in spec.get("x-labels", {}).items()} for name, spec in defs.items()}


def format_number(value: Any, places: int | None = None) -> str:
    """1234567 → '1,234,567'; 2.5 → '2.5' (trailing zeros dropped unless ``places`` is given)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if places is not None:
        return f"{number:,.{places}f}"
    if number == number.to_integral_value():
        return f"{int(number):,}"
    text = f"{number:,f}".rstrip("0").rstrip(".")
    return text


def format_money(value: Any, currency: str | None = None) -> str:
    """A money object (or amount + currency) as people write it: £1,234,567, £1,234.50, €980, 1,000 CHF."""
    if value is None:
        return ""
    if isinstance(value, dict) or hasattr(value, "get"):
        amount, currency = value.get("amount"), value.get("currency", currency)
    else:
        amount = value
    currency = currency or "GBP"
    try:
        number = Decimal(str(amount))
    except ArithmeticError:
        return f"{amount} {currency}"
    text = format_number(number) if number == number.to_integral_value() else format_number(number, 2)
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def format_date(value: Any) -> str:
    """'2025-03-14' → '14 March 2025'; anything that is not an ISO date is shown as it is."""
    if not value:
        return ""
    try:
        d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


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


def build_environment(schemas_dir: Path | None = None, extra_template_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The one Jinja environment every page template renders in: autoescape on, undefined names are errors."""
    labels = load_codelist_labels(schemas_dir or SCHEMAS_DIR)
    loader = jinja2.FileSystemLoader([*map(str, extra_template_dirs), str(TEMPLATES_DIR)])
    env = _Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)

    def label(code: Any, codelist: str) -> str:
        if code is None:
            return ""
        return labels.get(codelist, {}).get(str(code), str(code))

    env.filters.update(money=format_money, date=format_date, label=label, link=safe_link, number=format_number)
    env.globals.update(labels=labels, money=format_money)
    for module in _feature_modules():
        install = getattr(module, "install_template_helpers", None)
        if install is not None:  # a feature's own filters and globals for its templates and partials
            install(env)
    return env


#: other features' render modules: each may define ``iter_pages`` and ``install_template_helpers(env)``
FEATURE_MODULES = ("site_builder.render.social_value", "site_builder.render.indicators", "site_builder.render.data",
                   "site_builder.export.page", "site_builder.render.contracts")


def _feature_modules() -> list[Any]:
    """The feature modules that exist (features are written in parallel; a missing one is simply skipped)."""
    found = []
    for name in FEATURE_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return found


from site_builder.render import records, sections  # noqa: E402  (they import the helpers above)

#: site pages (through MkDocs): home, search, section indexes, then the other features' pages
PAGE_GENERATORS: list[PageGenerator] = [
    sections.iter_pages,
    *(m.iter_pages for m in _feature_modules() if hasattr(m, "iter_pages")),
]
#: record pages (streamed straight to HTML)
RECORD_PAGE_GENERATORS: list[PageGenerator] = [records.iter_pages]


def iter_all_pages(reg: Any, env: jinja2.Environment) -> Iterable[Page]:
    for generator in (*PAGE_GENERATORS, *RECORD_PAGE_GENERATORS):
        yield from generator(reg, env)
