"""More Atom feeds (issue 14), so people can follow what they care about without searching again:

* ``feeds/organisations/<id>.atom``: one per organisation, buyer or supplier (the awards it made or won and the
  tenders it runs). Every organisation has one, so every organisation page can link to it.
* ``feeds/open-tenders.atom``: tenders open for bids now (status ``active``), closing soonest first in the reader.
* ``feeds/pipeline.atom``: planned procurements (status ``planning`` or ``planned``), the entries of the /pipeline/
  page (``forward_plan.entries``, issue 13).
* ``feeds/categories/<division>.atom``: awards and tenders per CPV division, the static stand-in for "a feed of
  this search" (a static site cannot answer arbitrary queries).

Entries and summaries are built by ``feeds.build_feed``, like the register's other feeds.
"""

from __future__ import annotations

from site_builder import forward_plan
from site_builder.cpv import division_label
from site_builder.export._context import ExportContext
from site_builder.export.feeds import build_feed
from site_builder.model import Record

OPEN_STATUSES = ("active",)


def organisation_feed_path(org_id: str) -> str:
    return f"feeds/organisations/{org_id}.atom"


def category_feed_path(division: str) -> str:
    return f"feeds/categories/{division}.atom"


def more_feed_paths(ctx: ExportContext) -> dict[str, tuple[str, list[Record]]]:
    """feed file (under the data folder) → (title, records)."""
    reg = ctx.reg
    name = reg.config.register_name
    paths: dict[str, tuple[str, list[Record]]] = {
        "feeds/open-tenders.atom": (f"{name}: tenders open for bids",
                                    [t for t in reg.tenders.values() if t.get("status") in OPEN_STATUSES]),
        "feeds/pipeline.atom": (f"{name}: planned procurements (pipeline)",
                                [entry.tender for entry in forward_plan.entries(reg)]),
    }
    for org in reg.organisations.values():
        records = [*reg.awards_by_buyer.get(org.id, ()), *reg.awards_by_supplier.get(org.id, ()),
                   *reg.tenders_by_buyer.get(org.id, ())]
        paths[organisation_feed_path(org.id)] = (f"{name}: {org.title}", list({r.url: r for r in records}.values()))
    divisions: dict[str, list[Record]] = {}
    for tender in reg.tenders.values():
        for code in tender.get("cpv") or ():
            division = str(code)[:2]
            divisions.setdefault(division, []).append(tender)
            divisions[division].extend(reg.awards_by_tender.get(tender.id, ()))
    for division, records in sorted(divisions.items()):
        unique = list({r.url: r for r in records}.values())
        paths[category_feed_path(division)] = (f"{name}: {division_label(division)}", unique)
    return paths


def export_more_feeds(ctx: ExportContext) -> None:
    if not ctx.reg.config.site_url:
        return  # Atom needs absolute links, as for the other feeds
    for path, (title, records) in more_feed_paths(ctx).items():
        ctx.write_bytes(path, build_feed(ctx, path, title, records), "Atom", "feeds", title)
