"""How the register writes numbers, money, dates and codes for people: one place for the site's pages, the feeds,
and `procure diff`, so "£1,200,000" and "14 March 2025" read the same everywhere."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).resolve().parents[1] / "schemas"

_CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


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
