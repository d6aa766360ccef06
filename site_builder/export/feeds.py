"""Atom feeds (RFC 4287): the latest awards, the latest tenders, and one per buyer (its awards and tenders).

Entries link to the record pages; ``updated`` is the record's own date, so feeds change only when records do.
Feeds need absolute links, so they are written only when mkdocs.yml sets ``site_url``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr as _quoteattr

from site_builder.contracts import display_status
from site_builder.export._context import ExportContext
from site_builder.formatting import format_date, format_money, load_codelist_labels
from site_builder.model import Record

FEED_LENGTH = 50

#: characters XML 1.0 does not allow at all (a feed holding one is not XML and readers reject it whole)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Text for an XML element. Records cannot hold the characters XML forbids (the validator refuses them), but
    the register's settings in mkdocs.yml are not records: whatever reaches a feed, it stays well-formed."""
    return _escape(_NOT_XML.sub("\ufffd", text))


def quoteattr(text: str) -> str:
    return _quoteattr(_NOT_XML.sub("\ufffd", text))


def _entry_date(rec: Record) -> str:
    return str(rec.get("published") or rec.get("date") or "0001-01-01")


def _summary(ctx: ExportContext, rec: Record) -> str:
    reg = ctx.reg
    buyer = reg.organisations.get(rec.buyer_id) if rec.buyer_id else None
    parts = [f"Buyer: {buyer.get('name') if buyer else rec.get('buyer')}."]
    value = rec.get("value")
    if value:
        parts.append(f"{'Value' if rec.type == 'award' else 'Estimated value'}: {format_money(value)}.")
    if rec.type == "award":
        names = [reg.organisations[s].get("name") for s in rec.supplier_ids if s in reg.organisations]
        parts.append(f"Supplier: {', '.join(names)}.")
        status = display_status(rec, reg.as_of).label  # issue 13: from the award, contract and dates, not "active"
    else:
        labels = load_codelist_labels(reg.config.schemas_dir).get("tender_status", {})
        status = labels.get(str(rec.get("status")), str(rec.get("status"))).lower()
        period = rec.get("tender_period") or {}
        if rec.get("status") == "active" and period.get("end_date"):
            parts.append(f"Closes: {format_date(period['end_date'])}.")
    parts.append(f"Status: {status}.")
    if rec.get("description"):
        parts.append(" ".join(str(rec.get("description")).split()))
    return " ".join(parts)


def build_feed(ctx: ExportContext, feed_path: str, title: str, records: Iterable[Record]) -> bytes:
    latest = sorted(records, key=lambda r: (_entry_date(r), r.id), reverse=True)[:FEED_LENGTH]
    feed_url = ctx.absolute_url(f"data/{feed_path}")
    updated = max((_entry_date(r) for r in latest), default=ctx.reg.as_of.isoformat())
    cfg = ctx.reg.config
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<feed xmlns="http://www.w3.org/2005/Atom">',
             f"  <id>{escape(feed_url)}</id>",
             f"  <title>{escape(title)}</title>",
             f"  <updated>{updated}T00:00:00Z</updated>",
             f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(feed_url)}/>",
             f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(ctx.absolute_url(''))}/>",
             f"  <author><name>{escape(cfg.publisher.name)}</name><uri>{escape(cfg.publisher.uri)}</uri></author>",
             f"  <rights>{escape(cfg.attribution)}</rights>"]
    for rec in latest:
        url = ctx.absolute_url(rec.url)
        lines += ["  <entry>",
                  f"    <id>{escape(url)}</id>",
                  f"    <title>{escape(rec.title)}</title>",
                  f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
                  f"    <link rel=\"alternate\" type=\"application/json\" href={quoteattr(ctx.absolute_url(f'data/records/{rec.folder}/{rec.id}.json'))}/>",
                  f"    <updated>{_entry_date(rec)}T00:00:00Z</updated>",
                  f"    <summary>{escape(_summary(ctx, rec))}</summary>",
                  "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_paths(ctx: ExportContext) -> dict[str, str]:
    """feed file (under the data folder) → title; buyers are the organisations that buy something."""
    name = ctx.reg.config.register_name
    paths = {"feeds/awards.atom": f"{name}: latest awards", "feeds/tenders.atom": f"{name}: latest tenders"}
    buyers = sorted(set(ctx.reg.awards_by_buyer) | set(ctx.reg.tenders_by_buyer))
    for buyer in buyers:
        org = ctx.reg.organisations.get(buyer)
        paths[f"feeds/buyers/{buyer}.atom"] = f"{name}: {org.get('name') if org else buyer}"
    return paths


def export_feeds(ctx: ExportContext) -> None:
    if not ctx.reg.config.site_url:
        return  # Atom needs absolute links; the /data/ page says feeds need site_url
    reg = ctx.reg
    for path, title in feed_paths(ctx).items():
        if path == "feeds/awards.atom":
            records: list[Record] = list(reg.awards.values())
        elif path == "feeds/tenders.atom":
            records = list(reg.tenders.values())
        else:
            buyer = path.removeprefix("feeds/buyers/").removesuffix(".atom")
            records = [*reg.awards_by_buyer.get(buyer, ()), *reg.tenders_by_buyer.get(buyer, ())]
        ctx.write_bytes(path, build_feed(ctx, path, title, records), "Atom", "feeds", title)
