"""Integrity indicators (red flags) computed from the model.

PLACEHOLDER INTERFACE — the indicators work (issue 7) fills in the rules; ``Flag`` and
``IndicatorResults.by_record`` are the contract with render and export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_builder.model import Registry


@dataclass(frozen=True)
class Flag:
    code: str  # e.g. "single-bid"
    record_type: str
    record_id: str
    detail: str  # plain-language explanation of why this record is flagged


@dataclass
class IndicatorResults:
    by_record: dict[tuple[str, str], list[Flag]] = field(default_factory=dict)


def compute(reg: Registry) -> IndicatorResults:
    return IndicatorResults()
