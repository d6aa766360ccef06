"""Map stage of the OCDS import: a merged process → a tender draft and award drafts (plus organisations).

Nothing is invented: a field absent in the OCDS data stays absent. A value that does not fit the register's schema
is converted when that loses nothing (a date-time becomes its date, 1311264.0 becomes 1311264, mojibake is
repaired), otherwise it is left out and the report says which value and why. A record whose required fields cannot
be filled is not created, and the report says which fields were missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from site_builder.import_ocds.merge import MergedProcess
from site_builder.import_ocds.organisations import OrgIndex
from site_builder.import_ocds.register_schema import RegisterSchemas
from site_builder.import_ocds.text import (
    as_dict,
    clean_line,
    clean_text,
    make_id,
    to_date,
    to_date_or_time,
    to_money,
    to_number,
)

TENDER_TAGS = {"planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation"}
AWARD_TAGS = {"award", "awardUpdate", "awardCancellation", "contract", "contractUpdate", "contractAmendment",
              "implementation", "implementationUpdate", "contractTermination"}
_NOTICE_DOCUMENT_TYPES = {"tenderNotice", "awardNotice", "contractNotice", "marketEngagementNotice",
                          "tenderCancellationNotice", "contractTerminationNotice", "implementationNotice"}
#: OCDS documentType → the register's document_type
_DOCUMENT_TYPES = {
    "technicalSpecifications": "specification", "biddingDocuments": "specification",
    "contractSigned": "contract", "contractDraft": "contract", "contractSummary": "contract",
    "contractAnnexe": "contract", "contractSchedule": "contract", "evaluationReports": "evaluation-report",
}
_CONTRACTS_FINDER_PREFIX = "ocds-b5fd17-"
#: legal bases the register's codes stand for exactly. An EU directive (CELEX 32014L0024) is not mapped to PCR 2015:
#: Scotland implements it by its own regulations; it is kept as published (legal_basis_source) instead.
_LEGAL_BASIS = {("UKPGA", "2023/54"): "PA2023", ("ELI", "http://www.legislation.gov.uk/id/ukpga/2023/54"): "PA2023",
                ("UKSI", "2015/102"): "PCR2015", ("ELI", "http://www.legislation.gov.uk/id/uksi/2015/102"): "PCR2015"}
_EXTENDED_CATEGORIES = {"consultingServices": "services"}  # OCDS extendedProcurementCategory → core category
_UK_NOTICE = re.compile(r"^UK\d{1,2}$")

#: required fields an imported record may lack (listed in its import_gaps); a record without its buyer (or an award
#: without a supplier) is still not created: it would not say who bought from whom
TENDER_GAPS = ("title", "status", "procurement_method", "main_category", "cpv", "published")
AWARD_GAPS = ("title", "status", "date", "value")

#: the fields the import writes; on re-import these are replaced, every other field (added by hand) is kept
TENDER_FIELDS = ("id", "ocid", "title", "description", "buyer", "status", "procurement_method",
                 "procurement_method_details", "main_category", "cpv", "legal_basis", "legal_basis_source", "value", "published",
                 "tender_period", "lots", "suitable_for_sme", "suitable_for_vcse", "notices", "documents", "import_gaps")
AWARD_FIELDS = ("id", "tender", "ocid", "source_id", "buyer", "title", "description", "status", "date", "published", "value",
                "suppliers", "lots", "number_of_tenderers", "contract_status", "contract_period", "date_signed", "notices",
                "documents", "import_gaps")



def _put(data: dict[str, Any], key: str, value: Any) -> None:
    """Set a field only when OCDS gave a usable value: the register never holds empty fields."""
    if value:
        data[key] = value

@dataclass
class Omission:
    """A value of the OCDS data that is not in the register, and why."""

    record: str  # "tender ocds-…", "award ocds-…-1", "organisation acme-ltd", "process ocds-…"
    field: str
    reason: str


@dataclass
class Draft:
    """A record ready to be checked against the schema and written."""

    record_type: str
    record_id: str
    data: dict[str, Any]
    ocid: str
    latest_id: str | None
    latest_date: str | None
    publisher: str | None
    org_roles: list[tuple[str, str]] = field(default_factory=list)  # (organisation id, role) used by this record


@dataclass
class ProcessResult:
    tender: Draft | None = None
    awards: list[Draft] = field(default_factory=list)
    omissions: list[Omission] = field(default_factory=list)
    not_mapped: list[Omission] = field(default_factory=list)  # whole tenders/awards/contracts not created


class Mapper:
    """Maps processes against one register (its schemas and organisations)."""

    def __init__(self, schemas: RegisterSchemas, orgs: OrgIndex):
        self.schemas = schemas
        self.orgs = orgs
        self.currencies = schemas.codes("currency")
        self.tender_statuses = schemas.codes("tender_status")
        self.award_statuses = schemas.codes("award_status")
        self.contract_statuses = schemas.codes("contract_status")
        self.methods = schemas.codes("procurement_method")
        self.categories = schemas.codes("procurement_category")
        self.notice_types = schemas.codes("notice_type")
        self.document_types = schemas.codes("document_type")

    # -- helpers -------------------------------------------------------------------------------------------------

    def _party_lookup(self, release: dict[str, Any]) -> dict[str, dict[str, Any]]:
        parties = {}
        for party in release.get("parties") or []:
            if isinstance(party, dict) and party.get("id") is not None:
                parties[str(party["id"])] = party
        return parties

    def _organisation(self, ref: Any, parties: dict[str, dict[str, Any]]) -> tuple[str | None, str]:
        """The organisation id for an OrganizationReference (1.1) or an embedded organisation (1.0)."""
        if not isinstance(ref, dict):
            return None, "not given"
        party = parties.get(str(ref.get("id"))) if ref.get("id") is not None else None
        if party is None:
            party = ref  # OCDS 1.0 embedded the organisation; a 1.1 reference without a party has only the name
        elif not party.get("name") and ref.get("name"):
            party = {**party, "name": ref["name"]}
        org_id, why = self.orgs.resolve(party)
        return org_id, why or ""

    def _title(self, value: Any, where: str, out: ProcessResult) -> str | None:
        title = clean_line(value)
        if title is None:
            return None
        if len(title) < 3:
            out.omissions.append(Omission(where, "title", f"{title!r} is shorter than 3 characters"))
            return None
        limit = self.schemas.max_length("tender", "title")  # the schema's limit (awards share it)
        if len(title) > limit:
            out.omissions.append(Omission(where, "title", f"shortened from {len(title)} to {limit:,} characters"))
            title = title[:limit - 1].rstrip() + "…"
        return title

    def _text(self, value: Any, where: str, name: str, out: ProcessResult) -> str | None:
        text = clean_text(value)
        limit = self.schemas.max_length("tender", "description")  # every long text field shares it
        if text and len(text) > limit:
            out.omissions.append(Omission(where, name, f"shortened from {len(text)} to {limit:,} characters"))
            text = text[:limit - 1] + "…"
        return text

    def _justification(self, tender: dict[str, Any], method: Any, where: str,
                       out: ProcessResult) -> dict[str, Any] | None:
        """OCDS gives the reason for a direct or limited procedure only as free text (procurementMethodRationale),
        so the ground is 'other'; when the publisher gave no reason, the record says so in words."""
        if method not in ("direct", "limited"):
            return None
        rationale = self._text(tender.get("procurementMethodRationale"), where, "justification.explanation", out)
        if not rationale:
            out.omissions.append(Omission(where, "justification", "the OCDS data gives no reason for the "
                                          f"{method} procedure (procurementMethodRationale): the record says so"))
            rationale = "No reason was given in the published OCDS data (procurementMethodRationale is empty)."
        return {"ground": "other", "explanation": rationale}

    def _money(self, value: Any, where: str, name: str, out: ProcessResult) -> dict[str, Any] | None:
        money, why = to_money(value, self.currencies)
        if why:
            out.omissions.append(Omission(where, name, why))
        return money

    def _code(self, value: Any, codes: frozenset[str], where: str, name: str, out: ProcessResult) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str) and value in codes:
            return value
        out.omissions.append(Omission(where, name, f"{value!r} is not one of {', '.join(sorted(codes))}"))
        return None

    def _period(self, start: Any, end: Any, where: str, name: str, out: ProcessResult) -> dict[str, str] | None:
        start_date, end_date = to_date(start), to_date(end)
        if start_date is None and end_date is None:
            return None
        if start_date is None or end_date is None:
            missing = "start" if start_date is None else "end"
            out.omissions.append(Omission(where, name, f"no {missing} date (a period needs both)"))
            return None
        if end_date < start_date:
            out.omissions.append(Omission(where, name, f"ends ({end_date}) before it starts ({start_date})"))
            return None
        return {"start_date": start_date, "end_date": end_date}

    def _bidding_period(self, mp: MergedProcess, tender: dict[str, Any], where: str,
                        out: ProcessResult) -> dict[str, str] | None:
        """The tender period with the deadline's time of day. Bids open when the tender notice is published, so a
        missing start date falls back to tender.datePublished, then to the date of the first release tagged
        ``tender`` (the tender notice): the fallback the indicators methodology describes (Cardinal's R003 makes
        none and skips those tenders). A fallback after the deadline is not used; the deadline is always kept."""
        period = as_dict(tender.get("tenderPeriod"))
        end = to_date_or_time(period.get("endDate"))
        if end is None:
            if period.get("startDate") or period.get("endDate"):
                out.omissions.append(Omission(where, "tender_period", "no usable deadline (tenderPeriod.endDate)"))
            return None
        start = to_date_or_time(period.get("startDate"))
        if start is None:
            # only a *tender* notice says when bidding opened: the first release of an award notice or a call-off
            # is published after the deadline and would make a 0-day or negative "period" (a notice artefact)
            first = next((r for r in mp.releases if isinstance(r.get("tender"), dict)
                          and "tender" in _tags(r)), None)
            for source, value in (("tender.datePublished", tender.get("datePublished")),
                                  ("the tender notice's publication (its release date)", first.get("date") if first else None)):
                candidate = to_date(value)
                if candidate and candidate <= end[:10]:
                    start = candidate
                    out.omissions.append(Omission(where, "tender_period.start_date",
                                                  f"no tenderPeriod.startDate: {source} ({start}) is used"))
                    break
        if start is not None and end[:10] < start[:10]:
            out.omissions.append(Omission(where, "tender_period.start_date",
                                          f"the period ends ({end}) before it starts ({start}): the start is left out"))
            start = None
        if start is None:
            out.omissions.append(Omission(where, "tender_period.start_date", "when bidding opened is not known (no "
                                          "start date and no tender notice before the deadline): only the deadline is kept"))
            return {"end_date": end}
        return {"start_date": start, "end_date": end}

    def _lots(self, lots: Any, where: str, out: ProcessResult) -> list[dict[str, Any]]:
        """The tender's lots with their titles, descriptions, values and statuses; a lot without a usable id cannot
        be referred to by an award and is left out (reported)."""
        result: list[dict[str, Any]] = []
        seen: set[str] = set()
        for n, lot in enumerate(lots if isinstance(lots, list) else [], 1):
            if not isinstance(lot, dict):
                out.omissions.append(Omission(where, "lots", f"lot {n} is not an object"))
                continue
            lot_id = str(lot.get("id") if lot.get("id") is not None else "").strip()[:100]
            lot_where = f"{where} lot {lot_id or n}"
            if not lot_id or lot_id.casefold() in seen:
                out.omissions.append(Omission(where, "lots", f"lot {n} has {'no id' if not lot_id else f'the repeated id {lot_id!r}'}"))
                continue
            seen.add(lot_id.casefold())
            entry: dict[str, Any] = {"id": lot_id}
            _put(entry, "title", self._title(lot.get("title"), lot_where, out))
            _put(entry, "description", self._text(lot.get("description"), lot_where, "description", out))
            _put(entry, "value", self._money(lot.get("value"), lot_where, "value", out))
            _put(entry, "status", self._code(lot.get("status"), self.tender_statuses, lot_where, "status", out))
            result.append(entry)
        return result

    def _related_lots(self, award: dict[str, Any], tender_draft: Draft | None, where: str,
                      out: ProcessResult) -> list[str]:
        """The lots an award covers: relatedLots (OCDS 1.1 lots extension) or lotID (OCDS 1.0-era publishers)."""
        refs = award.get("relatedLots")
        refs = list(refs) if isinstance(refs, list) else []
        if award.get("lotID") is not None:
            refs.append(award["lotID"])
        known = {str(lot["id"]).casefold(): str(lot["id"]) for lot in (tender_draft.data.get("lots") or [])} \
            if tender_draft is not None else {}
        result: list[str] = []
        for ref in refs:
            key = str(ref).strip()
            if key.casefold() in known:
                if known[key.casefold()] not in result:
                    result.append(known[key.casefold()])
            else:
                out.omissions.append(Omission(where, "lots", f"lot {key!r} is not a lot of the imported tender"))
        return result

    @staticmethod
    def _bid_count(release: dict[str, Any]) -> int | None:
        """Bids received, from the bids extension: a 'bids' statistic for the whole process, else the number of
        bids listed in bids.details. None when the data says nothing."""
        bids = as_dict(release.get("bids"))
        for stat in bids.get("statistics") or []:
            if isinstance(stat, dict) and stat.get("measure") == "bids" and not stat.get("relatedLot"):
                value = to_number(stat.get("value"))
                if isinstance(value, int):
                    return value
        details = [d for d in bids.get("details") or [] if isinstance(d, dict)]
        return len(details) if details else None

    def _mark_gaps(self, data: dict[str, Any], fields: tuple[str, ...], where: str, out: ProcessResult) -> None:
        """List the required fields the source did not publish in ``import_gaps``: the record is still created (the
        validator warns, the page says "not published by the source") and the report says what is missing."""
        gaps = [name for name in fields if name not in data]
        if gaps:
            data["import_gaps"] = gaps
            for name in gaps:
                out.omissions.append(Omission(where, name, f"not published by the source (no {_FIELD_WORDS[name]}): "
                                                           "imported with this gap"))

    def _notice_type(self, mp: MergedProcess, documents: list[Any]) -> str:
        for doc in documents:
            if isinstance(doc, dict) and isinstance(doc.get("noticeType"), str) and _UK_NOTICE.match(doc["noticeType"]) \
                    and doc["noticeType"] in self.notice_types:
                return str(doc["noticeType"])
        return "contracts-finder" if mp.ocid.startswith(_CONTRACTS_FINDER_PREFIX) else "ocds-release"

    def _notice(self, mp: MergedProcess, release: dict[str, Any], documents: list[Any]) -> dict[str, Any] | None:
        release_id = release.get("id")
        if release_id is None or not str(release_id).strip():
            return None
        notice: dict[str, Any] = {"type": self._notice_type(mp, documents), "id": str(release_id).strip()[:self.schemas.max_length("tender", "notices", "[]", "id")]}
        published = None
        for doc in documents:
            if isinstance(doc, dict) and doc.get("documentType") in _NOTICE_DOCUMENT_TYPES:
                url = doc.get("url")
                if isinstance(url, str) and self.schemas.is_valid_value("web_link", url.strip()):
                    notice["url"] = url.strip()
                published = to_date(doc.get("datePublished"))
                break
        # the notice document says when the notice first appeared; the release date is when this version did
        published = published or to_date(release.get("date"))
        if published:
            notice["published"] = published
        return notice

    def _documents(self, documents: Any, where: str, out: ProcessResult) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        for doc in documents or []:
            if not isinstance(doc, dict) or doc.get("documentType") in _NOTICE_DOCUMENT_TYPES:
                continue  # notices are kept as notices
            raw_url = doc.get("url")
            url = raw_url.strip() if isinstance(raw_url, str) else None
            title = clean_line(doc.get("title")) or clean_line(doc.get("description"))
            label = title or doc.get("id")
            if not url:
                out.omissions.append(Omission(where, "documents", f"document {label!r} has no web address"))
                continue
            if not self.schemas.is_valid_value("web_link", url):
                out.omissions.append(Omission(where, "documents", f"document {label!r}: {url!r} is not a valid web address"))
                continue
            if not title or len(title) < 3:
                out.omissions.append(Omission(where, "documents", f"document at {url} has no title"))
                continue
            entry: dict[str, Any] = {"title": title if len(title) <= 300 else title[:299] + "…"}
            doc_type = _DOCUMENT_TYPES.get(str(doc.get("documentType")))
            if doc_type in self.document_types:
                entry["type"] = doc_type
            entry["url"] = url
            published = to_date(doc.get("datePublished"))
            if published:
                entry["published"] = published
            if entry not in result:
                result.append(entry)
        return result

    # -- the process ---------------------------------------------------------------------------------------------

    def map_process(self, mp: MergedProcess) -> ProcessResult:
        out = ProcessResult()
        release = mp.compiled
        parties = self._party_lookup(release)
        tender = as_dict(release.get("tender"))
        ocid = mp.ocid
        if not self.schemas.is_valid_value("ocid", ocid):
            out.not_mapped.append(Omission(f"process {ocid}", "ocid", "the ocid is not ocds-, six letters or digits, then an id"))
            return out

        buyer_ref = release.get("buyer") if isinstance(release.get("buyer"), dict) else tender.get("procuringEntity")
        buyer_id, buyer_why = self._organisation(buyer_ref, parties)

        tender_draft = self._map_tender(mp, tender, buyer_id, buyer_why, out)
        out.tender = tender_draft

        awards = [a for a in release.get("awards") or [] if isinstance(a, dict)]
        contracts = [c for c in release.get("contracts") or [] if isinstance(c, dict)]
        award_ids = {str(a.get("id")) for a in awards}
        for contract in contracts:
            if str(contract.get("awardID")) not in award_ids:
                out.not_mapped.append(Omission(f"contract {contract.get('id')} of {ocid}", "awardID",
                                               f"its award {contract.get('awardID')!r} is not in the data"))
        for award in awards:
            own = [c for c in contracts if str(c.get("awardID")) == str(award.get("id"))]
            draft = self._map_award(mp, award, own, tender, tender_draft, buyer_id, buyer_why, parties, out)
            if draft is not None:
                out.awards.append(draft)
        return out

    def _map_tender(self, mp: MergedProcess, tender: dict[str, Any], buyer_id: str | None, buyer_why: str,
                    out: ProcessResult) -> Draft | None:
        ocid = mp.ocid
        where = f"tender {ocid}"
        if not tender:
            out.not_mapped.append(Omission(where, "tender", "the process has no tender section"))
            return None
        data: dict[str, Any] = {"id": make_id(ocid), "ocid": ocid}
        title = self._title(tender.get("title"), where, out)
        if title:
            data["title"] = title
        _put(data, "description", self._text(tender.get("description"), where, "description", out))
        if buyer_id:
            data["buyer"] = buyer_id
        status = self._code(tender.get("status"), self.tender_statuses, where, "status", out)
        if status:
            data["status"] = status
        _put(data, "procurement_method", self._code(tender.get("procurementMethod"), self.methods, where, "procurement_method", out))
        _put(data, "justification", self._justification(tender, data.get("procurement_method"), where, out))  # issue 13
        details = clean_line(tender.get("procurementMethodDetails"))
        raw_method = clean_line(tender.get("procurementMethod"))
        if not details and raw_method and "procurement_method" not in data:
            details = raw_method  # a method outside the codelist (e.g. "Licitaţie publică") is kept in words
            out.omissions.append(Omission(where, "procurement_method_details",
                                          f"the source's own method {raw_method!r} is kept here"))
        if details:
            data["procurement_method_details"] = details[:self.schemas.max_length("tender", "procurement_method_details")]
        category = tender.get("mainProcurementCategory")
        category = _EXTENDED_CATEGORIES.get(category, category) if isinstance(category, str) else category
        _put(data, "main_category", self._code(category, self.categories, where, "main_category", out))
        cpv = self._cpv(tender, where, out)
        if cpv:
            data["cpv"] = cpv
        legal = tender.get("legalBasis")
        if isinstance(legal, dict):
            key = (str(legal.get("scheme", "")).strip().upper(), str(legal.get("id", "")).strip())
            data["legal_basis"] = _LEGAL_BASIS.get(key, "other")
            if key not in _LEGAL_BASIS and key[0] and key[1]:
                source = {"scheme": key[0], "id": key[1]}
                _put(source, "description", clean_line(legal.get("description")))
                uri = legal.get("uri")
                if isinstance(uri, str) and self.schemas.is_valid_value("web_link", uri.strip()):
                    source["uri"] = uri.strip()
                data["legal_basis_source"] = source
        _put(data, "value", self._money(tender.get("value"), where, "value", out))
        published = to_date(tender.get("datePublished"))
        if published is None:
            # the schema maps `published` to tender.datePublished or the release date: the first release that
            # carried this tender is when it was first published in OCDS
            first = next((r for r in mp.releases if isinstance(r.get("tender"), dict)), None)
            published = to_date(first.get("date")) if first else to_date(mp.compiled.get("date"))
            if published:
                out.omissions.append(Omission(where, "published", "no tender.datePublished: the first release's date is used"))
        if published:
            data["published"] = published
        _put(data, "tender_period", self._bidding_period(mp, tender, where, out))
        _put(data, "lots", self._lots(tender.get("lots"), where, out))
        suitability = as_dict(tender.get("suitability"))
        if isinstance(suitability.get("sme"), bool):
            data["suitable_for_sme"] = suitability["sme"]
        if isinstance(suitability.get("vcse"), bool):
            data["suitable_for_vcse"] = suitability["vcse"]
        notices = []
        for release in mp.releases:
            if TENDER_TAGS & set(_tags(release)):
                tender_section = as_dict(release.get("tender"))
                notice = self._notice(mp, release, list(tender_section.get("documents") or []))
                if notice and notice not in notices:
                    notices.append(notice)
        if notices:
            data["notices"] = notices
        _put(data, "documents", self._documents(tender.get("documents"), where, out))

        if "buyer" not in data:
            out.not_mapped.append(Omission(where, "buyer", "no buyer" + (f" ({buyer_why})" if buyer_why else "")))
            return None
        self._mark_gaps(data, TENDER_GAPS, where, out)
        roles = [(data["buyer"], "buyer")]
        return Draft("tender", data["id"], data, ocid, mp.latest_id, mp.latest_date, mp.origin.publisher, roles)

    def _cpv(self, tender: dict[str, Any], where: str, out: ProcessResult) -> list[str]:
        codes: list[str] = []
        other_schemes: set[str] = set()
        classifications = [tender.get("classification")]
        for item in tender.get("items") or []:
            if isinstance(item, dict):
                classifications.append(item.get("classification"))
                classifications.extend(item.get("additionalClassifications") or [])
        for cls in classifications:
            if not isinstance(cls, dict):
                continue
            scheme = str(cls.get("scheme") or cls.get("schema") or "").strip()
            code = str(cls.get("id") or "").strip()
            if not code:
                continue
            if scheme.upper() != "CPV":
                other_schemes.add(scheme or "(no scheme)")
                continue
            if re.fullmatch(r"[0-9]{8}(-[0-9])?", code):
                if code not in codes:
                    codes.append(code)
            else:
                out.omissions.append(Omission(where, "cpv", f"{code!r} is not a CPV code (8 digits)"))
        for scheme in sorted(other_schemes):
            out.omissions.append(Omission(where, "cpv", f"classification scheme {scheme!r} is not CPV"))
        return codes

    def _map_award(self, mp: MergedProcess, award: dict[str, Any], contracts: list[dict[str, Any]],
                   tender: dict[str, Any], tender_draft: Draft | None, buyer_id: str | None, buyer_why: str,
                   parties: dict[str, dict[str, Any]], out: ProcessResult) -> Draft | None:
        ocid = mp.ocid
        raw_id = award.get("id")
        award_key = str(raw_id).strip() if raw_id is not None else ""
        where = f"award {award_key or '(no id)'} of {ocid}"
        if not award_key:
            out.not_mapped.append(Omission(where, "id", "the award has no id"))
            return None
        ocid_id = make_id(ocid)
        own_id = make_id(award_key)
        record_id = own_id if own_id.casefold().startswith(ocid_id.casefold()) else make_id(f"{ocid}-{award_key}")
        where = f"award {record_id}"
        data: dict[str, Any] = {"id": record_id}
        if tender_draft is not None:
            data["tender"] = tender_draft.record_id
        else:
            data["ocid"] = ocid
            # issue 13: an award without a tender record states its procedure, when the OCDS data gives one
            method = self._code(tender.get("procurementMethod"), self.methods, where, "procedure.method", out)
            procedure: dict[str, Any] = {"method": method} if method else {"not_stated": "not-in-source-data"}
            _put(procedure, "justification", self._justification(tender, method, where, out))
            data["procedure"] = procedure
        data["source_id"] = award_key[:200]  # the register's id is a file name; OCDS keeps the source's own
        if buyer_id:
            data["buyer"] = buyer_id
        contract = contracts[0] if len(contracts) == 1 else None
        if len(contracts) > 1:
            out.omissions.append(Omission(where, "contract_status", f"{len(contracts)} contracts for one award: only the award's own fields are kept"))
        title = (self._title(award.get("title"), where, out)
                 or (self._title(contract.get("title"), where, out) if contract else None))
        if title is None:
            title = self._title(tender.get("title"), where, out)
            if title:
                out.omissions.append(Omission(where, "title", "the award has no title: the tender's title is used"))
        if title:
            data["title"] = title
        description = self._text(award.get("description"), where, "description", out) or (
            self._text(contract.get("description"), where, "description", out) if contract else None)
        if description:
            data["description"] = description
        status = self._code(award.get("status"), self.award_statuses, where, "status", out)
        if status:
            data["status"] = status
        _put(data, "date", to_date(award.get("date")))
        published = to_date(award.get("datePublished"))
        if published:
            data["published"] = published
        value = self._money(award.get("value"), where, "value", out)
        if contract is not None and isinstance(contract.get("value"), dict):
            contract_value = self._money(contract.get("value"), where, "value (contract)", out)
            if contract_value:
                if value and value != contract_value:
                    out.omissions.append(Omission(where, "value", f"the contract's value is used; the award's was "
                                                                  f"{value['amount']} {value['currency']}"))
                value = contract_value
        if value:
            data["value"] = value
        suppliers: list[str] = []
        for ref in award.get("suppliers") or []:
            org_id, why = self._organisation(ref, parties)
            if org_id is None:
                name = ref.get("name") if isinstance(ref, dict) else ref
                out.omissions.append(Omission(where, "suppliers", f"supplier {name!r}: {why}"))
            elif org_id not in suppliers:
                suppliers.append(org_id)
        if suppliers:
            data["suppliers"] = suppliers
        _put(data, "lots", self._related_lots(award, tender_draft, where, out))
        tenderers = to_number(tender.get("numberOfTenderers"))
        if tenderers is None:
            tenderers = self._bid_count(mp.compiled)
        if isinstance(tenderers, int) and tenderers >= 0:
            data["number_of_tenderers"] = tenderers
        if contract is not None:
            _put(data, "contract_status", self._code(contract.get("status"), self.contract_statuses, where, "contract_status", out))
        period_source = (contract.get("period") if contract and isinstance(contract.get("period"), dict) else None) \
            or (as_dict(award.get("contractPeriod")))
        _put(data, "contract_period", self._period(period_source.get("startDate"), period_source.get("endDate"), where, "contract_period", out))
        if contract is not None:
            _put(data, "date_signed", to_date(contract.get("dateSigned")))
        notices = []
        for release in mp.releases:
            if not AWARD_TAGS & set(_tags(release)):
                continue
            mine = [a for a in release.get("awards") or [] if isinstance(a, dict) and str(a.get("id")) == award_key]
            theirs = [c for c in release.get("contracts") or [] if isinstance(c, dict) and str(c.get("awardID")) == award_key]
            if not mine and not theirs:
                continue
            documents = [d for a in mine for d in a.get("documents") or []] + [d for c in theirs for d in c.get("documents") or []]
            notice = self._notice(mp, release, documents)
            if notice and notice not in notices:
                notices.append(notice)
        if notices:
            data["notices"] = notices
        _put(data, "documents", self._documents(list(award.get("documents") or []) + list((contract or {}).get("documents") or []), where, out))

        missing = [name for name in ("buyer", "suppliers") if name not in data]
        if missing:  # an award needs to say who bought from whom: without either there is no contract to show
            reasons = [f"no {_FIELD_WORDS[m]}" + (f" ({buyer_why})" if m == "buyer" and buyer_why else "") for m in missing]
            out.not_mapped.append(Omission(where, ", ".join(missing), "; ".join(reasons)))
            return None
        self._mark_gaps(data, AWARD_GAPS, where, out)
        roles = [(data["buyer"], "buyer")] + [(s, "supplier") for s in suppliers]
        return Draft("award", record_id, data, ocid, mp.latest_id, mp.latest_date, mp.origin.publisher, roles)


_FIELD_WORDS = {
    "title": "title", "buyer": "buyer", "status": "status", "procurement_method": "procurement method",
    "main_category": "main procurement category", "cpv": "CPV classification", "published": "publication date",
    "date": "award date", "value": "usable value", "suppliers": "supplier",
}


def _tags(release: dict[str, Any]) -> list[str]:
    tags = release.get("tag")
    if isinstance(tags, str):
        return [tags]
    return [t for t in tags or [] if isinstance(t, str)]
