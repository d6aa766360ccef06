"""The forward view (issue 13): procurements still being planned, for suppliers who want to take part.

A pipeline entry is a tender record whose status is ``planning`` or ``planned`` (pipeline notices UK1, preliminary
market engagement UK2, planned procurement notices UK3). Its deadline is the first date a supplier must act by on
or after the register's reference date: the registration deadline or date of an engagement event still to come,
else the expected tender date, else the date the notice was published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from site_builder.dates import parse_date

if TYPE_CHECKING:
    from site_builder.model import Record, Registry

PIPELINE_STATUSES = ("planning", "planned")
FORWARD_NOTICES = ("UK1", "UK2", "UK3")
#: value bands of the page's filter (upper bounds in pounds; the last is open-ended)
VALUE_BANDS = ((100_000, "Under £100,000"), (2_000_000, "£100,000 to £2 million"), (None, "Over £2 million"))



@dataclass(frozen=True)
class PipelineEntry:
    tender: Record
    deadline: date | None
    deadline_what: str  # what the deadline is for, in words
    upcoming: tuple[Mapping[str, Any], ...]  # engagement events on or after the reference date, soonest first
    notices: tuple[str, ...]  # forward-looking notice types published (UK1, UK2, UK3)
    value_band: str

    @property
    def category(self) -> str:
        return str(self.tender.get("main_category") or "")


def value_band(value: Mapping[str, Any] | None) -> str:
    if not value or value.get("currency") != "GBP":
        return "Value not stated in pounds"
    amount = float(value.get("amount") or 0)
    for upper, label in VALUE_BANDS:
        if upper is None or amount < upper:
            return label
    return VALUE_BANDS[-1][1]  # pragma: no cover


def entries(reg: Registry) -> list[PipelineEntry]:
    """Every pipeline entry, newest deadline first (ties by tender id)."""
    out = []
    for tender in reg.tenders.values():
        if tender.get("status") not in PIPELINE_STATUSES:
            continue
        upcoming = sorted((e for e in tender.get("community_engagement") or ()
                           if (parse_date(e.get("date")) or date.min) >= reg.as_of), key=lambda e: str(e.get("date")))
        plan = tender.get("forward_plan") or {}
        candidates: list[tuple[date, str]] = []
        for event in upcoming:
            register_by, held = parse_date(event.get("register_by")), parse_date(event.get("date"))
            if register_by and register_by >= reg.as_of:
                candidates.append((register_by, "register for the engagement event"))
            elif held:
                candidates.append((held, "engagement event"))
        expected = parse_date(plan.get("expected_tender_date"))
        if expected and expected >= reg.as_of:
            candidates.append((expected, "tender notice expected"))
        deadline: date | None
        if candidates:
            deadline, what = min(candidates)
        else:
            deadline, what = parse_date(tender.get("published")), "notice published"
        notices = tuple(dict.fromkeys(n["type"] for n in tender.get("notices") or () if n["type"] in FORWARD_NOTICES))
        out.append(PipelineEntry(tender, deadline, what, tuple(upcoming), notices, value_band(tender.get("value"))))
    out.sort(key=lambda e: (e.deadline or date.min, e.tender.id), reverse=True)
    return out
