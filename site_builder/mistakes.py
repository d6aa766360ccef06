"""Checks for the mistakes officers really make, beyond what the schemas can say (issue 15).

* a placeholder left from ``procure new`` (error): the skeleton's made-up values start with :data:`PLACEHOLDER`,
  so a forgotten one can never publish;
* an award linked to a tender that was still taking bids when it was awarded, or is still open for bids (error);
* an award ``published`` before its ``date`` (error);
* a tender still "open for bids" after its deadline although it has been awarded (warning);
* an award's value far from its tender's estimate, usually a digit too many or too few (warning);
* "did you mean" for references that name no record, from ids and organisation names (:func:`suggest`).

This module holds what those checks share with the schema check and ``procure new`` (the placeholder, the
"did you mean" and date-order hints, the thresholds); the cross-record rules themselves are small functions over
the ``RuleContext`` in :mod:`site_builder.validate` (``check_awards_against_tenders``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from site_builder.load import escape_pointer_token

#: every made-up value `procure new` writes starts with this; the validator refuses it anywhere in a record
PLACEHOLDER = "Replace with"
#: an award more than ABOVE_ESTIMATE times its tender's estimate, or all its tender's awards together less than
#: the estimate divided by BELOW_ESTIMATE, is most likely a typing slip (a zero too many or too few; lots and
#: frameworks make low totals more common than high ones); smaller gaps are the business of the "award above the
#: estimate" indicator, not of the validator
ABOVE_ESTIMATE = 5
BELOW_ESTIMATE = 10
_DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})\Z")


def is_placeholder(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PLACEHOLDER)


def placeholders(value: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(JSON Pointer, text) of every placeholder in a record."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from placeholders(item, f"{pointer}/{escape_pointer_token(str(key))}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from placeholders(item, f"{pointer}/{index}")
    elif is_placeholder(value):
        yield pointer, value


def under(pointer: str, parents: set[str]) -> bool:
    """Whether ``pointer`` is one of ``parents`` or inside one of them."""
    return any(pointer == p or pointer.startswith(p + "/") for p in parents)


def date_format_hint(value: Any) -> str | None:
    """For '01/12/2025': say it is the order of the parts, and what to write (UK day-first reading)."""
    if not isinstance(value, str):
        return None
    match = _DAY_FIRST.match(value.strip())
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        meant = date(year, month, day)
    except ValueError:
        return "write dates as year-month-day, e.g. 2025-12-01 for 1 December 2025"
    return (f"write dates as year-month-day: {meant.isoformat()} if you mean {meant.day} "
            f"{meant.strftime('%B')} {meant.year}")


def suggest(wanted: str, ref: str, candidates: Mapping[str, str]) -> str | None:
    """The id an officer most likely meant: from ids, and from names (candidates: id → name, or id → id)."""
    by_key: dict[str, str] = {}
    for record_id, name in candidates.items():
        by_key.setdefault(record_id.lower(), record_id)
        if name:
            by_key.setdefault(_slug(name), record_id)
    keys = list(by_key)
    close = [match for target in (ref.lower(), _slug(ref))
             for match in difflib.get_close_matches(target, keys, n=1, cutoff=0.75)]
    if not close:
        return None
    found = by_key[close[0]]
    known_as = candidates.get(found)
    shown = f"'{found}' ({known_as})" if known_as and known_as != found else f"'{found}'"
    return f"did you mean {shown}? ids are matched exactly"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def estimate_amount(value: Any) -> tuple[float, str] | None:
    """(amount, currency) of a value that says something about a slip: positive; None otherwise (a missing, text or
    negative amount is the schema's to report; zero says nothing)."""
    if not isinstance(value, Mapping):
        return None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
        return None
    return float(amount), str(value.get("currency") or "GBP")
