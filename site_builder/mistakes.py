"""Checks for the mistakes officers really make, beyond what the schemas can say (issue 15).

* a placeholder left from ``procure new`` (error): the skeleton's made-up values start with :data:`PLACEHOLDER`,
  so a forgotten one can never publish;
* an award linked to a tender that was still taking bids when it was awarded, or is still open for bids (error);
* an award ``published`` before its ``date`` (error);
* a tender still "open for bids" after its deadline although it has been awarded (warning);
* an award's value far from its tender's estimate, usually a digit too many or too few (warning);
* "did you mean" for references that name no record, from ids and organisation names (:func:`suggest`).

The cross-record checks read the same compact facts as the rest of :mod:`site_builder.validate`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from site_builder.errors import Severity

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
            yield from placeholders(item, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
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


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _amount(value: Any) -> tuple[float, str] | None:
    if not isinstance(value, Mapping):
        return None
    amount = value.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount <= 0:
        return None  # missing, text or negative: the schema reports it; zero says nothing about a slip
    return float(amount), str(value.get("currency") or "GBP")


def _money(amount: float, currency: str) -> str:
    from site_builder.render import format_money

    return format_money(amount, currency)


def award_checks(tenders: Mapping[str, Any], awards: Mapping[str, Any], today: date) -> list[Any]:
    """The award ↔ tender checks. ``tenders``/``awards`` map id → validate._Rec (rel_path, id, facts)."""
    from site_builder.validate import RuleProblem

    problems: list[RuleProblem] = []
    add = problems.append
    awarded: dict[str, list[tuple[date | None, Any]]] = {}
    for rec in awards.values():
        facts = rec.facts
        award_date, published = _date(facts.get("date")), _date(facts.get("published"))
        if award_date and published and published < award_date:
            add(RuleProblem(rec.rel_path, "/published", "date/published-before-date",
                            f"published {published} is before the award's date {award_date}",
                            "an award is published on or after the day it is made: check both dates"))
        tender = tenders.get(facts.get("tender")) if isinstance(facts.get("tender"), str) else None
        if tender is None:
            continue
        awarded.setdefault(tender.id, []).append((award_date, rec))
        deadline = _date((tender.facts.get("tender_period") or {}).get("end_date")
                         if isinstance(tender.facts.get("tender_period"), Mapping) else None)
        status = tender.facts.get("status")
        if award_date and deadline and deadline > award_date:
            add(RuleProblem(rec.rel_path, "/tender", "award/before-tender-deadline",
                            f"the award is dated {award_date}, but its tender '{tender.id}' took bids until {deadline}",
                            "check the award names the right tender, and the award's date"))
        elif status == "active" and (deadline is None or deadline >= today):
            until = f"until {deadline}" if deadline else "with no deadline given"
            add(RuleProblem(rec.rel_path, "/tender", "award/tender-open",
                            f"its tender '{tender.id}' is still open for bids ({until})",
                            "check the award names the right tender; once bidding has closed, set that tender's "
                            "status to complete"))
        estimate, value = _amount(tender.facts.get("value")), _amount(facts.get("value"))
        if estimate and value and estimate[1] == value[1] and estimate[0] > 0 and value[0] > ABOVE_ESTIMATE * estimate[0]:
            add(RuleProblem(rec.rel_path, "/value/amount", "award/value-far-from-estimate",
                            f"the award's value {_money(*value)} is more than {ABOVE_ESTIMATE} times its tender's "
                            f"estimate of {_money(*estimate)}",
                            "check for a digit too many; if the value is right, no change is needed",
                            severity=Severity.WARNING))
    for tender_id, made in sorted(awarded.items()):
        tender = tenders[tender_id]
        estimate = _amount(tender.facts.get("value"))
        values = [_amount(rec.facts.get("value")) for _, rec in made]
        if estimate and estimate[0] > 0 and values and all(v and v[1] == estimate[1] for v in values):
            total = sum(v[0] for v in values if v)
            if total * BELOW_ESTIMATE < estimate[0]:
                for _, rec in made:
                    add(RuleProblem(rec.rel_path, "/value/amount", "award/value-far-from-estimate",
                                    f"the awards of tender '{tender_id}' add up to {_money(total, estimate[1])}, less "
                                    f"than 1/{BELOW_ESTIMATE} of its estimate of {_money(*estimate)}",
                                    "check for a digit too few; if the value is right, no change is needed",
                                    severity=Severity.WARNING))
        if tender.facts.get("status") != "active":
            continue
        deadline = _date((tender.facts.get("tender_period") or {}).get("end_date")
                         if isinstance(tender.facts.get("tender_period"), Mapping) else None)
        if deadline is not None and deadline < today:
            first = min(made, key=lambda item: (item[0] or date.max, item[1].id))[1]
            add(RuleProblem(tender.rel_path, "/status", "tender/open-after-award",
                            f"the tender is still marked open for bids, but bidding closed on {deadline} and award "
                            f"'{first.id}' has been made", "set its status to complete, or to cancelled",
                            severity=Severity.WARNING))
    return problems
