"""Search filters added by issue 14: value ranges and closing months, worked out at build time.

Pagefind filters match exact values, so a value range is offered as consecutive bands: each award or tender in
pounds carries the one band its value falls in (lower bound included, upper excluded), and the search page turns
"from £X to £Y" into "any of the bands between". Choosing bounds from the band edges makes the range exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: band edges in pounds; the last band has no upper edge
EDGES = (0, 25_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000, 50_000_000)


def pounds(amount: int) -> str:
    if amount >= 1_000_000:
        return f"£{amount // 1_000_000:,} million"
    return f"£{amount:,}"


@dataclass(frozen=True)
class Band:
    lower: int
    upper: int | None  # None: no upper edge

    @property
    def label(self) -> str:
        if self.upper is None:
            return f"{pounds(self.lower)} or more"
        return f"{pounds(self.lower)} to under {pounds(self.upper)}"


BANDS = tuple(Band(lo, hi) for lo, hi in zip(EDGES, (*EDGES[1:], None), strict=True))


def value_band(value: Any) -> str | None:
    """The band label of a money value in pounds; None for other currencies and missing values."""
    if not value or value.get("amount") is None or value.get("currency", "GBP") != "GBP":
        return None
    amount = Decimal(str(value["amount"]))
    for band in BANDS:
        if amount >= band.lower and (band.upper is None or amount < band.upper):
            return band.label
    return None  # a negative amount (the schema does not allow one)


def closing_month(tender: Any) -> str | None:
    """'Closes in November 2026' for a tender open for bids with a deadline; None otherwise."""
    from site_builder.formatting import format_date

    period = tender.get("tender_period") or {}
    end = period.get("end_date")
    if tender.get("status") != "active" or not end:
        return None
    return "Closes in " + format_date(str(end)[:7] + "-01").split(" ", 1)[1]
