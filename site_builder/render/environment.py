"""The render stage's Jinja environment and the filters every template shares (money, dates, labels, links).

Every string from a record reaches HTML through Jinja's autoescape; links from records only through ``safe_link``.
Features add their own filters in ``site_builder.render.build_environment``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
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

TEMPLATES_DIR = Path(__file__).parent / "templates"
SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"


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


_TIME_OF_DAY = re.compile(r"^T([0-9]{2}:[0-9]{2})(?::[0-9]{2}(?:\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$")


def format_date(value: Any) -> str:
    """'2025-03-14' → '14 March 2025'; anything that is not an ISO date is shown as it is."""
    if not value:
        return ""
    try:
        d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    text = f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
    time = _TIME_OF_DAY.match(str(value)[10:]) if not isinstance(value, date) else None
    if time:  # a deadline keeps its time of day, with its zone as published
        zone = time.group(2)
        text += f", {time.group(1)}" + (" UTC" if zone in ("Z", "+00:00") else f" (UTC{zone})")
    return text


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
