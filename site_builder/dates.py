"""Dates, in one place: reading a record's date, month arithmetic, reporting periods and financial years.

The validator, the social-value figures, the integrity indicators and `procure new` all use these, so a reporting
period is the same everywhere. Periods are counted from their first start, with the day clamped to the month's end:
quarters from 31 January run 31 Jan–29 Apr, 30 Apr–30 Jul, 31 Jul–30 Oct.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

#: reporting frequency → months per period
MONTHS_BY_FREQUENCY = {"quarterly": 3, "six-monthly": 6, "annual": 12}


def parse_date(value: Any) -> date | None:
    """A record's date ('2025-04-01', as the schema's ``format: date`` asks), the calendar date of a date-time (a
    deadline with its time of day, '2025-04-01T12:00:00Z') or a ``date``; None if absent or not a date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10] if len(value) > 10 and value[10] == "T" else value)
    except ValueError:
        return None


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def years_between(start: date, end: date) -> float:
    """Length of ``start``..``end`` (both included) in years: whole calendar months ÷ 12, a part month by its days.

    1 Apr 2025 – 31 Mar 2029 is exactly 4.0; 1 Apr – 30 Jun is exactly 0.25. Empty spans are 0.
    """
    stop = end + timedelta(days=1)  # the day after the span
    if stop <= start:
        return 0.0
    months = (stop.year - start.year) * 12 + (stop.month - start.month)
    while months > 0 and add_months(start, months) > stop:
        months -= 1
    while add_months(start, months + 1) <= stop:
        months += 1
    base = add_months(start, months)
    month_days = (add_months(start, months + 1) - base).days
    return (months + (stop - base).days / month_days) / 12


def financial_year(d: date) -> str:
    """UK public-sector financial year (1 April – 31 March) as '2025/26'."""
    first = d.year if d.month >= 4 else d.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def financial_year_span(label: str) -> tuple[date, date]:
    first = int(label[:4])
    return date(first, 4, 1), date(first + 1, 3, 31)


def iter_reporting_periods(start: date, end: date | None, frequency: str, as_of: date) -> Iterator[tuple[date, date]]:
    """Back-to-back periods from ``start``, each ``frequency`` long counted from ``start`` (so they never drift);
    the last is cut at ``end``. Open-ended commitments stop at the first period not yet ended on ``as_of``."""
    step = MONTHS_BY_FREQUENCY[frequency]
    i = 0
    while True:
        p_start = add_months(start, i * step)
        if end is not None and p_start > end:
            return
        p_end = add_months(start, (i + 1) * step) - timedelta(days=1)
        if end is not None:
            p_end = min(p_end, end)
        yield p_start, p_end
        if end is None and p_end >= as_of:
            return
        i += 1
