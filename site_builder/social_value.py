"""Social-value figures: per commitment (delivered to date, % of target, status) and roll-ups.

PLACEHOLDER INTERFACE — the social-value work (issue 5) replaces the computation; the field names of
CommitmentFigures are the contract with render and export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.model import Registry

STATUSES = ("delivered", "on-track", "behind", "overdue", "not-yet-due")


@dataclass(frozen=True)
class CommitmentFigures:
    key: tuple[str, str]
    unit: str
    target_quantity: float
    delivered_to_date: float
    pct_of_target: float | None
    status: str


@dataclass
class SocialValueFigures:
    by_commitment: dict[tuple[str, str], CommitmentFigures] = field(default_factory=dict)


def compute(reg: Registry) -> SocialValueFigures:
    figures = SocialValueFigures()
    for c in reg.commitments:
        outcomes = reg.outcomes_by_commitment.get(c.key, [])
        delivered = float(sum(o.get("delivered")["quantity"] for o in outcomes))
        target = float(c.data["target"]["quantity"])
        pct = round(100 * delivered / target, 1) if target else None
        figures.by_commitment[c.key] = CommitmentFigures(c.key, c.unit, target, delivered, pct,
                                                         "delivered" if pct is not None and pct >= 100 else "on-track")
    return figures
