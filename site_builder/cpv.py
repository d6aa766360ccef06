"""CPV 2008 codes and their English descriptions (shipped as package data: see reference_data/README.md)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CPV_CSV = Path(__file__).parent / "reference_data" / "cpv-2008.csv"


@cache
def descriptions() -> dict[str, str]:
    """8-digit code (no check digit) → description."""
    with CPV_CSV.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["description"] for row in csv.DictReader(f)}


def _code8(code: object) -> str:
    return str(code).split("-")[0].strip()[:8]


def describe(code: object) -> str:
    """'90513000' or '90513000-6' → 'Non-hazardous refuse and waste treatment and disposal services'; an unknown
    code → ''."""
    return descriptions().get(_code8(code), "")


def division_label(code: object) -> str:
    """The division a code falls in, as people read it: '45: Construction work' ('45' alone if unknown)."""
    division = _code8(code)[:2]
    name = descriptions().get(division + "000000")
    return f"{division}: {name}" if name else division
