"""The /indicators/ page: every flagged tender and award, by indicator and by buyer (issue 7).

The flags come from ``reg.indicators`` (computed once in the model stage); this module only arranges them. The
record pages show them through ``partials/record_indicators.html``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from site_builder.indicators import INDICATORS, Flag
from site_builder.model import Record, Registry
from site_builder.render.page import Page, SearchMeta

URL = "indicators/"
METHODOLOGY_URL = "indicators/methodology/"
LIST_LIMIT = 200  # rows per indicator on the page; the search filter finds the rest


@dataclass(frozen=True)
class FlaggedItem:
    flag: Flag
    record: Record | None
    buyer: Record | None
    date: str
    value: Any


def _threshold_text(reg: Registry, code: str) -> str:
    t = reg.config.thresholds
    texts = {
        "short_tender_period_days": lambda v: f"under {v:g} days (short_tender_period_days)",
        "value_above_estimate_pct": lambda v: f"more than {v:g}% (value_above_estimate_pct)",
        "min_estimate_compared": lambda v: f"estimates of at least {v:,.0f} (min_estimate_compared)",
        "late_publication_days": lambda v: f"more than {v:g} days (late_publication_days)",
        "repeat_direct_award_count": lambda v: f"{v:g} or more awards (repeat_direct_award_count)",
        "repeat_direct_award_days": lambda v: f"within {v:g} days (repeat_direct_award_days)",
        "kpi_required_above_gbp": lambda v: f"over £{v:,.0f} (kpi_required_above_gbp)",
        "change_value_increase_pct": lambda v: f"more than {v:g}% (change_value_increase_pct)",
        "change_extension_pct": lambda v: f"more than {v:g}% of the term (change_extension_pct)",
    }
    return "; ".join(texts[key](float(t[key])) for key in INDICATORS[code].threshold_keys)


def iter_pages(reg: Registry, env: jinja2.Environment) -> Iterator[Page]:
    results = reg.indicators
    if results is None:
        return
    by_code = results.by_code()
    summary = [
        {"code": code, "title": ind.title, "definition": ind.definition, "threshold": _threshold_text(reg, code),
         "count": len(by_code[code]), "record_type": ind.record_type}
        for code, ind in INDICATORS.items()
    ]
    sections = []
    for code, flags in by_code.items():
        if not flags:
            continue
        items = [_item(reg, f) for f in flags]
        items.sort(key=lambda i: (i.date, i.flag.record_id), reverse=True)
        ind = INDICATORS[code]
        sections.append({"code": code, "title": ind.title, "definition": ind.definition, "innocent": ind.innocent,
                         "record_type": ind.record_type, "flags": items})
    buyers: dict[str, dict[str, Any]] = {}
    for flag in results.flags():
        record = reg.get(flag.record_type, flag.record_id)
        buyer_id = record.buyer_id if record else None
        if not buyer_id:
            continue
        entry = buyers.setdefault(buyer_id, {"id": buyer_id, "org": reg.organisations.get(buyer_id),
                                             "counts": Counter(), "total": 0})
        entry["counts"][flag.code] += 1
        entry["total"] += 1
    for buyer_id, entry in buyers.items():
        entry["records"] = len(reg.tenders_by_buyer.get(buyer_id, ())) + len(reg.awards_by_buyer.get(buyer_id, ()))
    buyer_rows = sorted(buyers.values(), key=lambda b: (-b["total"], b["org"].title if b["org"] else b["id"]))
    body = env.get_template("indicators/overview.html").render(
        reg=reg, root="../", summary=summary, sections=sections, buyers=buyer_rows, limit=LIST_LIMIT)
    yield Page(
        url=URL, title="Integrity indicators", body_html=body,
        description="Tenders and awards that automatic integrity checks (single bids, short bidding times, direct "
                    "awards and others) point at, by indicator and by buyer, with what each check can mean.",
        search=SearchMeta(filters={"type": ("Integrity indicators",)}, meta={"type": "Integrity indicators"}),
        nav_title="Integrity indicators",
    )


def _item(reg: Registry, flag: Flag) -> FlaggedItem:
    record = reg.get(flag.record_type, flag.record_id)
    buyer = reg.organisations.get(record.buyer_id) if record and record.buyer_id else None
    date = ""
    value = None
    if record is not None:
        date = str(record.get("date") or record.get("published") or "")
        value = record.get("value")
    return FlaggedItem(flag, record, buyer, date, value)
