"""Small, lossless conversions of OCDS values into the register's shapes: text, ids, dates, money."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from datetime import date, datetime
from typing import Any

import ftfy

from site_builder.limits import MAX_NUMBER

_NOT_ID_CHARS = re.compile(r"[^A-Za-z0-9]+")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_MAX = 64


def as_dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one (OCDS fields are often null or the wrong type)."""
    return value if isinstance(value, dict) else {}


def repair(text: str) -> str:
    """Undo mojibake (UTF-8 read as Windows-1252: 'Â£' → '£', 'â€™' → '’'); nothing else is changed."""
    if text.isascii():
        return text
    return ftfy.fix_encoding(text)


#: text longer than this is cut before it is repaired (the register keeps at most 20,000 characters of any text,
#: and repairing a 52 MB field first took 13-22 s)
MAX_TEXT_IN = 25_000


def clean_text(value: Any) -> str | None:
    """Multi-line text: mojibake repaired, Windows line ends made plain, outer blanks trimmed; None if empty."""
    if not isinstance(value, str):
        return None
    text = repair(value[:MAX_TEXT_IN]).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return text or None


def clean_line(value: Any) -> str | None:
    """One-line text (names, titles): as clean_text, with runs of white space made single spaces."""
    text = clean_text(value)
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def make_id(source: str, fallback: str = "record") -> str:
    """A record id (letters, digits, single - or _ between them, at most 64) derived only from ``source``.

    Long sources keep their start and end a short hash of the whole, so different sources never share an id.
    """
    ascii_source = "".join(ch for ch in unicodedata.normalize("NFKD", source) if not unicodedata.combining(ch))
    slug = _NOT_ID_CHARS.sub("-", ascii_source).strip("-") or fallback
    if len(slug) <= ID_MAX:
        return slug
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    return slug[: ID_MAX - len(digest) - 1].rstrip("-") + "-" + digest


def to_date(value: Any) -> str | None:
    """'2025-01-23T22:10:19Z' → '2025-01-23' (the date as the publisher wrote it); None if not a date."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    head = text[:10]
    if not _DATE.match(head):
        return None
    try:
        date.fromisoformat(head)
        if len(text) > 10:
            datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return head


def to_date_or_time(value: Any) -> str | None:
    """A date-time with its time of day and zone, as published ('2019-04-26T12:00:00Z'), normalised to seconds
    ('2019-04-26T12:00Z' → '2019-04-26T12:00:00Z'); a bare date stays a date; a date-time without a zone keeps only
    its date (its instant is unknown); None if not a date."""
    day = to_date(value)
    if day is None:
        return None
    text = str(value).strip()
    if len(text) <= 10:
        return day
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        return day
    offset = parsed.utcoffset()
    zone = "Z" if not offset else parsed.strftime("%z")[:3] + ":" + parsed.strftime("%z")[3:]
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") + zone


def to_number(value: Any) -> int | float | None:
    """A JSON number as an officer would write it (1311264.0 → 1311264); None for null, text, NaN or booleans."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def to_money(value: Any, currencies: frozenset[str]) -> tuple[dict[str, Any] | None, str | None]:
    """(money, None) or (None, why not). Negative and null amounts and unknown currencies are refused."""
    if not isinstance(value, dict):
        return None, None
    raw_amount, currency = value.get("amount"), value.get("currency")
    if raw_amount is None and currency is None:
        return None, None
    amount = to_number(raw_amount)
    if amount is None:
        return None, f"the amount is {'missing' if raw_amount is None else repr(raw_amount)[:40]}"
    if amount < 0:
        return None, f"the amount {amount} is negative"
    if amount > MAX_NUMBER:
        return None, f"the amount {amount:.3g} is larger than the register can hold ({MAX_NUMBER:,})"
    if not isinstance(currency, str) or not currency.strip():
        return None, "it has no currency"
    code = currency.strip().upper()
    if code not in currencies:
        return None, f"{currency!r} is not an ISO 4217 currency code"
    money: dict[str, Any] = {"amount": amount, "currency": code}
    if isinstance(value.get("valueAddedTaxIncluded"), bool):
        money["vat_included"] = value["valueAddedTaxIncluded"]
    return money, None
