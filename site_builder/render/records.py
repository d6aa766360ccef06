"""Record pages: one page per record of each of the five types, at the stable URL ``<folder>/<id>/``."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2

from site_builder import contracts
from site_builder.cpv import division_label as cpv_division_label
from site_builder.formatting import format_date, format_money
from site_builder.indicators import filter_labels as indicator_filter_labels
from site_builder.model import Record, Registry
from site_builder.render.page import Page, SearchMeta
from site_builder.search_facets import closing_month, value_band

#: record type → what the public calls it
TYPE_LABELS = {
    "award": "Award",
    "tender": "Tender",
    "organisation": "Organisation",
    "outcome": "Outcome report",
    "measure": "Social-value measure",
}
UNDATED = "0001-01-01"  # sort key for records with no date of their own (Pagefind drops pages missing a sort key)


@dataclass(frozen=True)
class RecordLinks:
    """The links every record page carries: raw data, edit, history (absent when the repository is unknown)."""

    yaml: str
    json: str
    edit: str | None
    history: str | None


def raw_data_url(record: Record, ext: str) -> str:
    """Site-relative URL of a record's raw file (the export stage writes it)."""
    return f"data/records/{record.folder}/{record.id}.{ext}"


def repository_links(reg: Registry, record: Record) -> tuple[str | None, str | None]:
    """'Edit this record' and 'history' links from mkdocs.yml's repo_url and edit_uri (GitHub/GitLab style)."""
    cfg = reg.config
    if not cfg.repo_url:
        return None, None
    base = cfg.repo_url.rstrip("/") + "/"
    edit_uri = (cfg.edit_uri or "edit/main/").strip("/") + "/"
    # edit_uri is relative to docs/ in MkDocs; the records live beside docs/, so keep only "edit/<branch>/"
    parts = edit_uri.split("/")
    if "docs" in parts:
        edit_uri = "/".join(parts[: parts.index("docs")]) + "/"
    history_uri = edit_uri.replace("edit/", "commits/", 1).replace("blob/", "commits/", 1)
    return base + edit_uri + record.rel_path, base + history_uri + record.rel_path


def record_date(reg: Registry, record: Record) -> str:
    """The date a record is listed and sorted by."""
    t = record.type
    if t == "award":
        return str(record.get("date") or UNDATED)
    if t == "tender":
        return str(record.get("published") or UNDATED)
    if t == "outcome":
        return str(record.get("reported_on") or UNDATED)
    if t == "organisation":
        dates = [str(a.get("date")) for a in (*reg.awards_by_supplier.get(record.id, ()),
                                              *reg.awards_by_buyer.get(record.id, ())) if a.get("date")]
        return max(dates, default=UNDATED)
    if t == "measure":
        dates = [str(c.award.get("date")) for c in reg.commitments_by_measure.get(record.id, ()) if c.award.get("date")]
        return max(dates, default=UNDATED)
    return UNDATED


def gbp_total(awards: Iterable[Record]) -> tuple[float, int]:
    """Sum of award values in pounds, and how many awards were left out because they are in another currency."""
    total, other = 0.0, 0
    for award in awards:
        money = award.money
        if money is None or money.currency == "GBP":
            total += float(money.amount or 0) if money else 0.0
        else:
            other += 1
    return total, other


def record_value(reg: Registry, record: Record) -> float:
    """The amount a record is sorted by 'value' with (every record has one, 0 where money does not apply)."""
    t = record.type
    if t in ("award", "tender"):
        money = record.money
        return float(money.amount or 0) if money else 0.0
    if t == "organisation":
        won, _ = gbp_total(reg.awards_by_supplier.get(record.id, ()))
        bought, _ = gbp_total(reg.awards_by_buyer.get(record.id, ()))
        return won + bought
    if t == "outcome":
        return float(record.get("monetised_value_gbp") or 0)
    return 0.0


def org_name(reg: Registry, org_id: str | None) -> str:
    org = reg.organisations.get(org_id or "")
    return org.title if org else str(org_id or "")


@dataclass(frozen=True)
class JourneyStep:
    date: str
    text: str
    record: Record | None  # the record this step links to (None: the page's own record)


def journey_of(reg: Registry, record: Record, labels: dict[str, dict[str, str]] | None = None) -> list[JourneyStep]:
    """The procurement journey around a record, tender → award(s) → commitments → outcome reports, by date."""
    tenders: list[Record] = []
    awards: list[Record] = []
    if record.type == "tender":
        tenders = [record]
        awards = list(reg.awards_by_tender.get(record.id, ()))
    elif record.type == "award":
        tender = reg.tender_of(record)
        tenders = [tender] if tender else []
        awards = [record]
    elif record.type == "outcome":
        commitment = reg.commitment_of(record)
        if commitment is not None:
            tender = reg.tender_of(commitment.award)
            tenders = [tender] if tender else []
            awards = [commitment.award]
    own_commitment = str(record.get("commitment")) if record.type == "outcome" else None
    steps: list[JourneyStep] = []

    def own(r: Record) -> Record | None:
        return None if r is record else r

    for t in tenders:
        if t.get("published"):
            steps.append(JourneyStep(str(t.get("published")), f"Tender published: {t.title}", own(t)))
        period = t.get("tender_period")
        if period:
            steps.append(JourneyStep(str(period["end_date"]), "Deadline for bids", own(t)))
    for a in awards:
        if a.get("date"):
            steps.append(JourneyStep(str(a.get("date")), f"Contract awarded: {a.title}", own(a)))
        if a.get("date_signed"):
            steps.append(JourneyStep(str(a.get("date_signed")), "Contract signed", own(a)))
        period = a.get("contract_period")
        if period:
            steps.append(JourneyStep(str(period["start_date"]), "Contract starts", own(a)))
            steps += contract_steps(a, own(a), labels or {})  # issue 13: changes, termination, KPI ratings
        commitments = a.get("commitments") or ()
        if commitments:
            steps.append(JourneyStep(str(a.get("date") or ""), f"{len(commitments)} social-value commitment"
                                     f"{'s' if len(commitments) != 1 else ''} made", own(a)))
        for c in commitments:
            if own_commitment is not None and str(c["id"]) != own_commitment:
                continue  # an outcome page follows its own commitment only: the award page lists the others
            reports = reg.outcomes_by_commitment.get((a.id, str(c["id"])), [])
            shown = _report_window(reports, record)
            for o in shown:
                steps.append(JourneyStep(str(o.get("reported_on")), f"Delivery reported: {c.get('description') or c['id']}",
                                         own(o)))
            if len(shown) < len(reports):
                steps.append(JourneyStep(str(shown[-1].get("reported_on")) if shown else "",
                                         f"{len(reports) - len(shown):,} other delivery reports on this commitment, "
                                         "listed on the award's page", a))
    steps.sort(key=lambda s: s.date)
    return steps


#: how many delivery reports of one commitment a page's timeline lists (the nearest to the page's own report, or
#: the latest): each page stays the same size however many reports a commitment has, so the build stays linear
JOURNEY_REPORTS = 10


def _report_window(reports: list[Record], record: Record) -> list[Record]:
    """The reports around ``record`` (an outcome) in period order, or the latest ones for any other page."""
    if len(reports) <= JOURNEY_REPORTS:
        return reports
    if record.type != "outcome":
        return reports[-JOURNEY_REPORTS:]
    # the list is in (period start, id) order (model.py): find the page's own report without scanning it
    position = bisect.bisect_left(reports, (record.get("period")["start_date"], record.id),
                                  key=lambda o: (o.get("period")["start_date"], o.id))
    start = max(0, min(position - JOURNEY_REPORTS // 2, len(reports) - JOURNEY_REPORTS))
    return reports[start: start + JOURNEY_REPORTS]


def contract_steps(award: Record, link: Record | None, labels: dict[str, dict[str, str]]) -> list[JourneyStep]:
    """The contract's life after award: each change, each KPI rating, a termination, and its (changed) end date."""
    steps = []
    terms = contracts.terms_of(award)
    for change in terms.changes:
        what = ", ".join(labels.get("contract_change_kind", {}).get(k, k) for k in change.get("kinds") or ())
        steps.append(JourneyStep(str(change["date"]), f"Contract changed ({what.lower()}): {change['description']}",
                                 link))
    for rating in contracts.assessments_of(award):
        a = rating.assessment
        steps.append(JourneyStep(str(a["period"]["end_date"]), f"{rating.kpi.get('id')} assessed: "
                                 f"{labels.get('uk9_rating', {}).get(a['rating'], a['rating'])}", link))
    termination = award.get("termination")
    if termination:
        steps.append(JourneyStep(str(termination["date"]), "Contract terminated early", link))
    elif terms.current_end:
        ends = "Contract ends" + (" (after changes)" if terms.end_changed else "")
        steps.append(JourneyStep(terms.current_end.isoformat(), ends, link))
    return steps


def display_title(reg: Registry, record: Record) -> str:
    """A record's heading: its title or name; an outcome report (which has none) is named after its commitment."""
    if record.type == "outcome" and not record.get("title"):
        commitment = reg.commitment_of(record)
        what = (commitment.data.get("description") or commitment.id) if commitment else record.get("commitment")
        period = record.get("period") or {}
        return f"Delivery report {period.get('start_date', '')} to {period.get('end_date', '')}: {what}"
    return record.title


def build_search_meta(reg: Registry, record: Record, labels: dict[str, dict[str, str]]) -> SearchMeta:
    """Filters, sort keys and result metadata Pagefind stores for one record page."""

    def lab(codelist: str, code: Any) -> str:
        return labels.get(codelist, {}).get(str(code), str(code))

    filters: dict[str, list[str]] = {"type": [TYPE_LABELS[record.type]]}
    meta: dict[str, str] = {"type": TYPE_LABELS[record.type]}

    def add(key: str, *values: Any) -> None:
        for value in values:
            if value not in (None, "") and str(value) not in filters.setdefault(key, []):
                filters[key].append(str(value))

    def add_tender(tender: Record | None) -> None:
        if tender is None:
            return
        add("method", lab("procurement_method", tender.get("procurement_method")).split(":")[0])
        cpv = tender.get("cpv") or ()
        add("cpv_division", *(cpv_division_label(c) for c in cpv))  # issue 14: "45: Construction work"

    def add_commitments(commitments: Iterable[Any]) -> None:
        for c in commitments:
            add("theme", lab("sv_theme", c.get("theme")))
            add("sdg", *(f"SDG {n}: {lab('sdg', n)}" for n in c.get("sdgs") or ()))

    date = record_date(reg, record)
    if date != UNDATED:
        add("year", date[:4])
    t = record.type
    if t == "award":
        add("buyer", org_name(reg, record.buyer_id))
        add("supplier", *(org_name(reg, s) for s in record.supplier_ids))
        add("status", contracts.display_status(record, reg.as_of).group)  # issue 13: dates decide, not "active"
        add_tender(reg.tender_of(record))
        if reg.tender_of(record) is None and (record.get("procedure") or {}).get("method"):  # a direct award
            add("method", lab("procurement_method", record.get("procedure")["method"]).split(":")[0])
        add("contract", *contracts.after_award_labels(record))
        add_commitments(record.get("commitments") or ())
        meta["buyer"] = org_name(reg, record.buyer_id)
        meta["supplier"] = ", ".join(org_name(reg, s) for s in record.supplier_ids)
        add("value_band", value_band(record.get("value")))  # issue 14
        meta["value"] = format_money(record.get("value"))
    elif t == "tender":
        add("buyer", org_name(reg, record.buyer_id))
        add("status", lab("tender_status", record.get("status")))
        add_tender(record)
        add("theme", *(lab("sv_theme", th) for th in record.get("social_value_themes") or ()))
        for award in reg.awards_by_tender.get(record.id, ()):
            add("supplier", *(org_name(reg, s) for s in award.supplier_ids))
        meta["buyer"] = org_name(reg, record.buyer_id)
        add("value_band", value_band(record.get("value")))  # issue 14
        add("closing", closing_month(record))
        meta["value"] = format_money(record.get("value")) if record.get("value") else ""
    elif t == "outcome":
        commitment = reg.commitment_of(record)
        if commitment is not None:
            award = commitment.award
            add("buyer", org_name(reg, award.buyer_id))
            add("supplier", *(org_name(reg, s) for s in award.supplier_ids))
            add_tender(reg.tender_of(award))
            add_commitments([commitment.data])
            meta["supplier"] = ", ".join(org_name(reg, s) for s in award.supplier_ids)
        if record.get("rating"):
            add("rating", lab("uk9_rating", record.get("rating")))  # issue 14: a rating is not a status
    elif t == "organisation":
        add("role", *(lab("organisation_role", r) for r in record.get("roles") or ()))  # nor is a role
    elif t == "measure":
        add("theme", lab("sv_theme", record.get("theme")))
        add("sdg", *(f"SDG {n}: {lab('sdg', n)}" for n in record.get("sdgs") or ()))
    add("indicator", *indicator_filter_labels(reg, record))  # integrity indicators (issue 7)
    value = record_value(reg, record)
    meta["date"] = date if date != UNDATED else ""
    meta["when"] = format_date(meta["date"])  # issue 14: "14 March 2025" on the result
    meta["summary"] = " ".join(str(record.get("description") or "").split())[:240]
    sort = {"date": date, "value": str(round(value))}
    meta["sort_date"], meta["sort_value"] = sort["date"], sort["value"]  # lets the search page merge sorted bundles
    return SearchMeta(filters={k: tuple(v) for k, v in filters.items()}, sort=sort, meta=meta)


@dataclass(frozen=True)
class BuyerSocialValueLists:
    """Per buyer, the register-wide "furthest behind" and "overdue report" lists cut down to that buyer's awards.

    Worked out once for every organisation page (one pass over each list) instead of every buyer's page scanning
    the whole register's lists, which grew with buyers × commitments."""

    behind: dict[str, list[Any]]  # buyer id → CommitmentFigures, in sv.most_behind order
    overdue: dict[str, list[Any]]  # buyer id → OverdueReport, in sv.overdue_reports order


def build_buyer_sv_lists(sv: Any) -> BuyerSocialValueLists:
    behind: dict[str, list[Any]] = {}
    overdue: dict[str, list[Any]] = {}
    if sv is None:
        return BuyerSocialValueLists(behind, overdue)
    buyers_of: dict[tuple[str, str], list[str]] = {}  # commitment key → the buyers whose rollup holds it
    for buyer_id, rollup in sv.by_buyer.items():
        for key in rollup.keys:
            buyers_of.setdefault(key, []).append(buyer_id)
    for key in sv.most_behind:
        for buyer_id in buyers_of.get(key, ()):
            behind.setdefault(buyer_id, []).append(sv.by_commitment[key])
    for report in sv.overdue_reports:
        for buyer_id in buyers_of.get(report.key, ()):
            overdue.setdefault(buyer_id, []).append(report)
    return BuyerSocialValueLists(behind, overdue)


def search_metas(reg: Registry, labels: dict[str, dict[str, str]]) -> dict[str, SearchMeta]:
    """Every record's search facets (record url → SearchMeta): the search page's filter lists and the record
    pages both read them, so the build works them out once (``site_builder.pipeline.render_environment``) and
    keeps them in the environment's ``search_metas`` global."""
    return {record.url: build_search_meta(reg, record, labels) for record in reg.all_records()}


def search_metas_of(reg: Registry, env: jinja2.Environment) -> dict[str, SearchMeta]:
    """The build's search facets from the environment, or worked out here for an environment made without them."""
    metas: dict[str, SearchMeta] | None = env.globals.get("search_metas")  # type: ignore[assignment]
    if metas is None:
        metas = search_metas(reg, env.globals["labels"])  # type: ignore[arg-type]
    return metas


def iter_pages(reg: Registry, env: jinja2.Environment, records: Iterable[Record] | None = None) -> Iterator[Page]:
    """One page per record, in type then id order (the order of the registry); only ``records``' pages if given."""
    labels: dict[str, dict[str, str]] = env.globals["labels"]  # type: ignore[assignment]
    templates = {t: env.get_template(f"records/{t}.html") for t in TYPE_LABELS}
    sv = reg.social_value
    flags = reg.indicators
    last_updated: dict[str, str] = env.globals.get("last_updated") or {}  # type: ignore[assignment]
    history_info: Any = env.globals.get("history")  # site_builder.history.log.RegisterHistory, when read
    buyer_sv_lists = build_buyer_sv_lists(sv)
    metas = search_metas_of(reg, env)
    for record in reg.all_records() if records is None else records:
        edit, history = repository_links(reg, record)
        links = RecordLinks(raw_data_url(record, "yaml"), raw_data_url(record, "json"), edit, history)
        search = metas.get(record.url) or build_search_meta(reg, record, labels)
        title = display_title(reg, record)
        body = templates[record.type].render(
            reg=reg, record=record, data=record.data, sv=sv, flags=flags, root="../../", links=links, title=title,
            type_label=TYPE_LABELS[record.type], last_updated=last_updated.get(record.rel_path),
            org_name=lambda oid: org_name(reg, oid), search=search, journey=journey_of(reg, record, labels),
            buyer_sv_lists=buyer_sv_lists, history_info=history_info,
            history=history_info.of(record.rel_path) if history_info else [],
            history_count=history_info.count(record.rel_path) if history_info else 0,
        )
        description = str(record.get("description") or "")[:200]
        yield Page(url=record.url, title=title, body_html=body, description=description, search=search)
