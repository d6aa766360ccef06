"""OCDS 1.1.5: ``ocds/release-package.json`` and ``ocds/record-package.json``.

One contracting process per ocid: a tender's, or a tender-less award's (records that share an ocid are one process,
so the record package never repeats an ocid). A process's releases are the tender
notice (tag ``tender``), one release per award (``award`` + ``contract``) and one per outcome report
(``implementation``); ``ocdsmerge`` compiles them into each record's ``compiledRelease``.

The field mapping is generated from the schemas' ``x-ocds`` annotations wherever an annotation is a plain path
(``tender.title``, ``awards[].value / contracts[].value``): see :func:`auto_rules`. Everything else (references,
lists, codes that change shape, social value) is built by the functions below, and ``docs/ocds-mapping.md`` /
the /data/ page say which is which. Social-value commitments and outcomes use the OCDS metrics extension
(``awards[].agreedMetrics``, ``contracts[].implementation.metrics``), the tender's themes the sustainability
extension.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ocdsmerge
from ocdsmerge.rules import get_merge_rules

from site_builder import contracts
from site_builder.export._context import ExportContext
from site_builder.export.schema_info import FieldInfo, SchemaSet
from site_builder.model import Record, Registry, process_ocid

_EXT = "https://raw.githubusercontent.com/"
_OCP = _EXT + "open-contracting-extensions/"
#: extensions the packages use, declared in ``extensions`` (what each adds is in the comment). Each URL names the ref
#: the OCDS extension registry lists for it (``1.1`` for metrics and legalBasis, ``v1.1.5`` for bids and lots), or
#: the repository's branch where the registry lists none: a ref the repository lacks makes the package unreadable.
EXTENSIONS = {
    "metrics": _OCP + "ocds_metrics_extension/1.1/extension.json",  # agreedMetrics, implementation.metrics
    "sustainability": _OCP + "ocds_sustainability_extension/master/extension.json",  # tender.sustainability
    "scale": _OCP + "ocds_partyDetails_scale_extension/master/extension.json",  # details.scale
    "legalBasis": _OCP + "ocds_legalBasis_extension/1.1/extension.json",  # tender.legalBasis
    "bids": _OCP + "ocds_bid_extension/v1.1.5/extension.json",  # bids.statistics
    "lots": _OCP + "ocds_lots_extension/v1.1.5/extension.json",  # tender.lots, awards[].relatedLots
    "suitability": _EXT + "Crown-Commercial-Service/ocds_tender_suitability_extension/main/extension.json",  # tender.suitability
    "tenderDatePublished": _EXT + "portaledcahn/ocds_tenderDatePublished_extension/master/extension.json",
    "awardsDatePublished": _EXT + "Crown-Commercial-Service/ocds_awards_datePublished_extension/main/extension.json",
    "uk": _EXT + "cabinetoffice/ocds_uk_extension/main/extension.json",  # details.vcse, documents[].noticeType
    # issue 13: implementation.endDate/endDateDetails for a contract terminated early
    "completion": _OCP + "ocds_contract_completion_extension/master/extension.json",
}
#: the UK extension's own ``dependencies`` (its schema refers to their definitions, e.g. Location): a validator only
#: reads the extensions a package declares, so they are declared too
UK_DEPENDENCIES = tuple(_OCP + f"{name}/extension.json" for name in (
    "ocds_awardCriteria_extension/master", "ocds_bid_extension/v1.1.5", "ocds_communication_extension/master",
    "ocds_location_extension/master", "ocds_otherRequirements_extension/master",
    "ocds_performance_failures_extension/master", "ocds_subcontracting_extension/master",
    "ocds_suitability_extension/master", "ocds_techniques_extension/master"))
DECLARED_EXTENSIONS = list(dict.fromkeys([*EXTENSIONS.values(), *UK_DEPENDENCIES]))

#: Procurement Act notice → OCDS documentType (UK extension codes for UK9/UK11/UK12)
NOTICE_DOCUMENT_TYPES = {"UK4": "tenderNotice", "UK5": "awardNotice", "UK6": "awardNotice", "UK7": "contractNotice",
                         "UK9": "implementationNotice", "UK10": "contractNotice",
                         "UK11": "contractTerminationNotice", "UK12": "tenderCancellationNotice",
                         "UK1": "plannedProcurementNotice", "UK2": "marketEngagementNotice",
                         "UK3": "plannedProcurementNotice"}
DOCUMENT_TYPES = {"specification": "technicalSpecifications", "contract": "contractSigned",
                  "evaluation-report": "evaluationReports", "social-value-plan": "contractSchedule",
                  "kpi-report": "physicalProgressReport", "notice": None, "other": None}
#: the register's legal-basis codes as OCDS classifications: ELI (in the legalBasis extension's scheme codelist) is
#: the European Legislation Identifier, which legislation.gov.uk implements for UK legislation
LEGAL_BASIS = {"PA2023": {"scheme": "ELI", "id": "http://www.legislation.gov.uk/id/ukpga/2023/54",
                          "description": "Procurement Act 2023", "uri": "https://www.legislation.gov.uk/ukpga/2023/54"},
               "PCR2015": {"scheme": "ELI", "id": "http://www.legislation.gov.uk/id/uksi/2015/102",
                           "description": "Public Contracts Regulations 2015",
                           "uri": "https://www.legislation.gov.uk/uksi/2015/102"},
               "other": {"description": "Other or below threshold"}}

_SIMPLE_PATH = re.compile(r"^(tender|awards\[\]|contracts\[\]|parties\[\])\.([A-Za-z]+(?:\.[A-Za-z]+)*)$")
_RELATIVE_PATH = re.compile(r"^[A-Za-z]+(?:\.[A-Za-z]+)*$")


def ocds_datetime(day: str, end_of_day: bool = False) -> str:
    """OCDS dates are date-times; a period's end date covers the whole day. A value that already has its time of
    day (a deadline, ``2019-04-26T12:00:00Z``) is published as it is."""
    if "T" in str(day):
        return str(day)
    return f"{day}T23:59:59Z" if end_of_day else f"{day}T00:00:00Z"


def _is_date(field: FieldInfo) -> bool:
    """A date, or a date that may carry a time (``date_or_time``)."""
    return field.format == "date" or any(alt.get("format") == "date" for alt in field.schema.get("anyOf") or ())


# --- rules generated from x-ocds annotations -------------------------------------------------------------------

@dataclass(frozen=True)
class AutoRule:
    """Copy one field of a record to one OCDS path, generated from its ``x-ocds`` annotation."""

    source: str  # top-level field of the record
    root: str  # "tender", "awards[]", "contracts[]" or "parties[]"
    target: tuple[str, ...]  # path under the root
    convert: Callable[[Any], Any]


def _is_reference(field: FieldInfo) -> bool:
    return field.schema.get("pattern") is not None and "The id of" in field.description


def _object_converter(schemas: SchemaSet, field: FieldInfo, parent_leaf: str) -> Callable[[Any], Any] | None:
    """An object whose every part carries a relative annotation (money, period, identifier, address)."""
    parts = [f for f in schemas.fields[field.record_type] if f.path[:-1] == field.path]
    mapping: list[tuple[str, tuple[str, ...], bool]] = []
    for part in parts:
        note = (part.x_ocds or "").strip()
        if note.startswith("(not in OCDS"):
            continue  # kept in the register's own downloads only (e.g. money.vat_included)
        if not part.is_leaf or not _RELATIVE_PATH.match(note):
            return None
        target = note.split(".")
        if len(target) > 1 and target[0] == parent_leaf:  # "identifier.scheme" inside "...identifier"
            target = target[1:]
        mapping.append((part.path[-1], tuple(target), _is_date(part)))

    def convert(value: Any) -> Any:
        out: dict[str, Any] = {}
        for key, target, is_date in mapping:
            if value.get(key) is None:
                continue
            v = value[key]
            if is_date:
                v = ocds_datetime(v, end_of_day=target[-1] == "endDate")
            _set(out, target, v)
        return out
    return convert


#: targets whose OCDS shape differs from the register's value
CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "tender.legalBasis": lambda code: dict(LEGAL_BASIS.get(code, {"description": str(code)})),
    "tender.awardCriteriaDetails": lambda pct: f"Social value is weighted at {pct}% of the evaluation.",
}


@cache
def _auto_rules_cached(schemas_dir: Path, record_type: str) -> tuple[AutoRule, ...]:
    return tuple(_build_auto_rules(SchemaSet(schemas_dir), record_type))


def auto_rules(schemas: SchemaSet, record_type: str) -> tuple[AutoRule, ...]:
    return _auto_rules_cached(schemas.dir, record_type)


def _build_auto_rules(schemas: SchemaSet, record_type: str) -> Iterator[AutoRule]:
    for field in schemas.fields[record_type]:
        if len(field.path) != 1 or not field.x_ocds or _is_reference(field):
            continue
        for part in (p.strip() for p in field.x_ocds.split(" / ")):
            match = _SIMPLE_PATH.match(part)
            if not match:
                continue
            root, rest = match.group(1), tuple(match.group(2).split("."))
            convert: Callable[[Any], Any] | None
            if f"{root}.{'.'.join(rest)}" in CONVERTERS:
                convert = CONVERTERS[f"{root}.{'.'.join(rest)}"]
            elif field.is_leaf:
                if _is_date(field):
                    end = rest[-1] == "endDate"

                    def convert(v: Any, end: bool = end) -> Any:
                        return ocds_datetime(v, end)
                else:
                    def convert(v: Any) -> Any:
                        return v
            elif field.json_type == "object":
                convert = _object_converter(schemas, field, rest[-1])
            else:
                convert = None  # lists are built by hand below
            if convert is not None:
                yield AutoRule(field.path[0], root, rest, convert)


def apply_auto_rules(rules: tuple[AutoRule, ...], data: Mapping[str, Any], roots: dict[str, dict[str, Any]]) -> None:
    for rule in rules:
        value = data.get(rule.source)
        if value is None or rule.root not in roots:
            continue
        _set(roots[rule.root], rule.target, rule.convert(value))


def _set(obj: dict[str, Any], path: tuple[str, ...] | list[str], value: Any) -> None:
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    existing = obj.get(path[-1])
    if isinstance(existing, dict) and isinstance(value, dict):
        existing.update(value)  # e.g. identifier.legalName set before the identifier itself
    else:
        obj[path[-1]] = value


# --- hand-built parts ------------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def organization(ctx: ExportContext, org: Record, roles: list[str]) -> dict[str, Any]:
    party: dict[str, Any] = {}
    apply_auto_rules(auto_rules(ctx.schemas, "organisation"), org.data, {"parties[]": party})
    party["id"], party["name"] = org.id, org.get("name")
    others = [*(org.get("additional_identifiers") or ()), *(org.get("source_identifiers") or ())]
    if others:
        party["additionalIdentifiers"] = [{"scheme": i["scheme"], "id": i["id"]} for i in others]
    area = org.get("local_authority_area")
    if area:
        party.setdefault("address", {})["region"] = area["name"]
    details = party.setdefault("details", {})
    if org.get("is_sme") is not None:
        details["scale"] = "sme" if org.get("is_sme") else "large"
    if org.get("is_vcse") is not None:
        details["vcse"] = bool(org.get("is_vcse"))
    if not details:
        del party["details"]
    party["roles"] = roles
    return _reorder(party, ("id", "name", "identifier", "additionalIdentifiers", "address", "contactPoint", "roles", "details"))


def _reorder(obj: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    return {**{k: obj[k] for k in first if k in obj}, **{k: v for k, v in obj.items() if k not in first}}


def _reference(reg: Registry, org_id: str) -> dict[str, Any]:
    org = reg.organisations.get(org_id)
    return {"id": org_id, "name": org.get("name") if org else org_id}


def unique_ids(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Make the ``id`` of every object in one OCDS array unique, in place, and return the array.

    OCDS requires ids to be unique within an array, and ocdsmerge keeps only the last object of each id when it
    compiles a release, so a repeated id would silently drop data. The first object keeps its id (a notice keeps
    its platform's notice id); a later repeat gets ``-2``, ``-3``... (the first suffix not already taken), so the
    ids depend only on the order of the record's lists and stay the same from build to build."""
    taken = {str(o["id"]) for o in objects}
    seen: set[str] = set()
    for obj in objects:
        base = str(obj["id"])
        if base in seen:
            n = 2
            while f"{base}-{n}" in taken:
                n += 1
            obj["id"] = f"{base}-{n}"
            taken.add(obj["id"])
        seen.add(str(obj["id"]))
    return objects


def _documents(record: Record, stage_notice: str) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for notice in record.get("notices") or ():
        doc = {"id": notice["id"], "documentType": NOTICE_DOCUMENT_TYPES.get(notice["type"], stage_notice),
               "noticeType": notice["type"], "title": f"{notice['type']} notice"}
        if notice.get("url"):
            doc["url"] = notice["url"]
        if notice.get("published"):
            doc["datePublished"] = ocds_datetime(notice["published"])
        docs.append(doc)
    for n, document in enumerate(record.get("documents") or (), 1):
        doc = {"id": f"{record.id}-doc-{n}", "title": document["title"], "url": document["url"]}
        doc_type = DOCUMENT_TYPES.get(document.get("type") or "other")
        if doc_type:
            doc["documentType"] = doc_type
        if document.get("published"):
            doc["datePublished"] = ocds_datetime(document["published"])
        docs.append(doc)
    return unique_ids(docs)  # the same notice id can be listed twice (e.g. UK6 and UK7 under one number)


def _period(period: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not period:
        return None
    return {"startDate": ocds_datetime(period["start_date"]), "endDate": ocds_datetime(period["end_date"], True)}


class _Builder:
    def __init__(self, ctx: ExportContext):
        self.ctx, self.reg = ctx, ctx.reg
        self.labels = {name: ctx.schemas.codelist(name).get("x-labels", {}) for name in ("sv_unit", "sv_theme")}
        self.goals = ctx.schemas.codelist("sv_theme").get("x-ocds-sustainability-goal", {})
        self.tender_rules = auto_rules(ctx.schemas, "tender")
        self.award_rules = auto_rules(ctx.schemas, "award")
        self.language = "en"
        self.award_ids: dict[str, str] = {}  # register award id → its id in OCDS (unique within its process)

    def ocid_of(self, tender: Record | None, award: Record | None) -> str:
        rec = tender or award
        assert rec is not None
        return str(process_ocid(self.reg, rec))

    def parties(self, buyer_id: str, supplier_ids: list[str]) -> list[dict[str, Any]]:
        roles: dict[str, list[str]] = {buyer_id: ["buyer", "procuringEntity"]}
        for s in supplier_ids:
            roles.setdefault(s, [])
            if "supplier" not in roles[s]:
                roles[s].append("supplier")
        return [organization(self.ctx, self.reg.organisations[oid], r) for oid, r in roles.items()
                if oid in self.reg.organisations]

    def tender_release(self, ocid: str, tender: Record) -> dict[str, Any]:
        t: dict[str, Any] = {}
        apply_auto_rules(self.tender_rules, tender.data, {"tender": t})
        t["id"] = tender.id
        if tender.get("legal_basis_source"):  # as the source published it, not the register's nearest code
            t["legalBasis"] = dict(tender.get("legal_basis_source"))
        t["procuringEntity"] = _reference(self.reg, tender.get("buyer"))
        lots = [self._lot(lot) for lot in tender.get("lots") or ()]
        if lots:
            t["lots"] = lots
        if tender.get("cpv"):
            t["items"] = [{"id": str(n), "classification": {"scheme": "CPV", "id": code}}
                          for n, code in enumerate(tender.get("cpv"), 1)]
        themes = tender.get("social_value_themes") or ()
        goals = list(dict.fromkeys(self.goals.get(theme, "social") for theme in themes))
        if goals or tender.get("social_value_weighting_pct"):
            t["hasSustainability"] = True
        if goals:
            t["sustainability"] = [{"goal": g, "strategies": ["awardCriteria"]} for g in goals]
        plan = tender.get("forward_plan") or {}  # issue 13: what a planned procurement expects
        if plan.get("expected_tender_date") and "tenderPeriod" not in t:
            t["tenderPeriod"] = {"startDate": ocds_datetime(plan["expected_tender_date"])}
        if plan.get("expected_contract_start"):
            t["contractPeriod"] = {"startDate": ocds_datetime(plan["expected_contract_start"])}
        docs = _documents(tender, "tenderNotice")
        docs = self._procedure_and_termination(t, tender.get("justification"), tender.get("termination"), docs)
        if docs:
            t["documents"] = docs
        release = self._release(ocid, f"{tender.id}-tender", tender.get("published"), ["tender"])
        release["parties"] = self.parties(tender.get("buyer"), [])
        release["buyer"] = _reference(self.reg, tender.get("buyer"))
        engagements = tender.get("community_engagement") or ()
        if engagements:
            release["planning"] = self._planning(tender, engagements)
        release["tender"] = _reorder(t, ("id", "title", "description", "status", "procuringEntity", "items", "value"))
        return release

    @staticmethod
    def _lot(lot: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(lot["id"])}
        for key in ("title", "description", "status"):
            if lot.get(key):
                out[key] = lot[key]
        if lot.get("value"):
            out["value"] = {"amount": lot["value"]["amount"], "currency": lot["value"]["currency"]}
        return out

    def _planning(self, tender: Record, engagements: Any) -> dict[str, Any]:
        labels = self.ctx.schemas.codelist("engagement_type").get("x-labels", {})
        milestones, documents = [], []
        for n, e in enumerate(engagements, 1):
            description = e["description"]
            if e.get("participants") is not None:
                description += f" ({e['participants']} participants)"
            if e.get("how_to_take_part"):  # issue 13: an event still to come says how to join it
                description += f" How to take part: {e['how_to_take_part']}"
            milestone = {"id": f"{tender.id}-engagement-{n}", "title": labels.get(e["type"], e["type"]),
                         "type": "engagement", "description": description, "dueDate": ocds_datetime(e["date"])}
            if e["date"] > self.reg.as_of.isoformat():
                milestone["status"] = "scheduled"
            else:
                milestone.update(dateMet=ocds_datetime(e["date"]), status="met")
            milestones.append(milestone)
            if e.get("url"):
                documents.append({"id": f"{tender.id}-engagement-{n}", "title": labels.get(e["type"], e["type"]),
                                  "url": e["url"]})
        planning: dict[str, Any] = {"milestones": milestones}
        if documents:
            planning["documents"] = documents
        return planning

    def _release(self, ocid: str, release_id: str, day: str | None, tag: list[str]) -> dict[str, Any]:
        # an imported record whose source gave no date at all is dated when this register published it
        when = ocds_datetime(day) if day else self.ctx.published_iso
        return {"ocid": ocid, "id": release_id, "date": when, "tag": tag, "initiationType": "tender",
                "language": self.language}

    def has_contract(self, award: Record) -> bool:
        return any(award.get(k) is not None for k in ("contract_status", "date_signed", "contract_period", "kpis")) or \
            any(self.reg.outcomes_by_commitment.get((award.id, str(c["id"]))) for c in award.get("commitments") or ())

    def award_release(self, ocid: str, award: Record, tender: Record | None) -> dict[str, Any]:
        a: dict[str, Any] = {}
        c: dict[str, Any] = {}
        t: dict[str, Any] = {"id": tender.id if tender else award.id}
        apply_auto_rules(self.award_rules, award.data, {"awards[]": a, "contracts[]": c, "tender": t})
        a["id"] = self.award_ids.get(award.id, award.id)
        a["suppliers"] = [_reference(self.reg, s) for s in award.get("suppliers")]
        if award.get("lots"):
            a["relatedLots"] = [str(lot) for lot in award.get("lots")]
        # commitment ids are unique within an award ignoring case (the validator's rule), so this is a safeguard
        metrics = unique_ids([self._commitment_metric(award, cm) for cm in award.get("commitments") or ()])
        if metrics:
            a["agreedMetrics"] = metrics
        docs = _documents(award, "awardNotice")
        if docs:
            a["documents"] = docs
        tag = ["award"]
        release = self._release(ocid, f"{award.id}-award", award.get("published") or award.get("date"), tag)
        release["parties"] = self.parties(award.get("buyer"), list(award.get("suppliers")))
        release["buyer"] = _reference(self.reg, award.get("buyer"))
        if tender is None and award.get("procedure"):  # issue 13: a direct award states its own procedure
            procedure = award.get("procedure")
            if procedure.get("method"):
                t["procurementMethod"] = procedure["method"]
            if procedure.get("legal_basis"):
                t["legalBasis"] = dict(LEGAL_BASIS.get(procedure["legal_basis"], {}))
            t_docs = self._procedure_and_termination(t, procedure.get("justification"), None, [])
            if t_docs:
                t["documents"] = t_docs
        framework = self.reg.awards.get(award.get("framework")) if award.get("framework") else None
        if framework is not None:  # issue 13: a call-off points at the framework's process
            release["relatedProcesses"] = [{
                "id": f"framework-{framework.id}", "relationship": ["framework"], "title": framework.title,
                "scheme": "ocid", "identifier": self.ocid_of(self.reg.tender_of(framework), framework)}]
        if len(t) > 1 or tender is not None:
            release["tender"] = t
        if award.get("number_of_tenderers") is not None:
            release["bids"] = {"statistics": [{"id": f"{award.id}-bids", "measure": "bids",
                                               "value": award.get("number_of_tenderers"),
                                               "notes": f"Bids received for award {award.id}"}]}
        release["awards"] = [_reorder(a, ("id", "title", "description", "status", "date", "value", "suppliers"))]
        if self.has_contract(award):
            tag.append("contract")
            c["id"] = c["awardID"] = a["id"]
            if award.get("title"):
                c["title"] = award.get("title")
            kpis = unique_ids([{"id": str(k["id"]), "title": k["title"],
                                **({"description": k["target"]} if k.get("target") else {})}
                               for k in award.get("kpis") or ()])  # KPI ids are not checked for repeats
            if kpis:
                c["agreedMetrics"] = kpis
            self._contract_after_award(award, c)  # issue 13
            release["contracts"] = [_reorder(c, ("id", "awardID", "title", "status", "period", "value", "dateSigned"))]
        return release

    # -- the contract after award (issue 13) ---------------------------------------------------------------------

    def _notice_document(self, notice: Mapping[str, Any], description: str | None = None) -> dict[str, Any]:
        doc = {"id": notice["id"], "documentType": NOTICE_DOCUMENT_TYPES.get(notice["type"], "awardNotice"),
               "noticeType": notice["type"], "title": f"{notice['type']} notice"}
        if notice.get("url"):
            doc["url"] = notice["url"]
        if notice.get("published"):
            doc["datePublished"] = ocds_datetime(notice["published"])
        if description:
            doc["description"] = description
        return doc

    def _procedure_and_termination(self, t: dict[str, Any], justification: Any, termination: Any,
                                   docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The justification as tender.procurementMethodRationale; the UK5 and UK12 notices as documents (once:
        a notice already listed among the record's notices gets the termination reason as its description)."""
        grounds = self.ctx.schemas.codelist("direct_award_ground").get("x-labels", {})
        if justification:
            ground = grounds.get(justification["ground"], justification["ground"])
            t["procurementMethodRationale"] = f"{ground}. {justification['explanation']}"
            notice = justification.get("transparency_notice")
            if notice and all(d["id"] != notice["id"] for d in docs):
                docs.append(self._notice_document(notice))
        if termination:
            t["finalStatusDate"] = ocds_datetime(termination["date"])  # UK extension
            notice = termination.get("notice")
            if notice:
                listed = [d for d in docs if d["id"] == notice["id"]]
                if listed:
                    listed[0]["description"] = termination["reason"]
                else:
                    docs.append(self._notice_document(notice, termination["reason"]))
        return unique_ids(docs) if docs else docs

    def _contract_after_award(self, award: Record, c: dict[str, Any]) -> None:
        """Changes as amendments with the contract's current value and end date; a termination as the contract
        completion extension's implementation end date; KPI assessments as implementation metrics."""
        terms = contracts.terms_of(award)
        docs: list[dict[str, Any]] = []
        amendments = []
        for change in terms.changes:
            amendment: dict[str, Any] = {"id": str(change["id"]), "date": ocds_datetime(change["date"]),
                                         "description": change["description"], "rationale": change["reason"]
                                         + (f" Allowed by: {change['legal_ground']}." if change.get("legal_ground") else "")}
            if change.get("value_after"):
                amendment["value"] = dict(change["value_after"])  # UK extension: the amended contract's value
            if change.get("end_date_after") and terms.start:
                amendment["period"] = {"startDate": ocds_datetime(terms.start.isoformat()),
                                       "endDate": ocds_datetime(change["end_date_after"], True)}  # UK extension
            amendments.append(amendment)
            if change.get("notice"):
                docs.append(self._notice_document(change["notice"], change["description"]))
        if amendments:
            c["amendments"] = unique_ids(amendments)
            if terms.current_value:
                c["value"] = dict(terms.current_value)
            if terms.current_end and c.get("period"):
                c["period"]["endDate"] = ocds_datetime(terms.current_end.isoformat(), True)
        implementation: dict[str, Any] = {}
        termination = award.get("termination")
        if termination:
            implementation["endDate"] = ocds_datetime(termination["date"], True)
            implementation["endDateDetails"] = f"Terminated early: {termination['reason']}"
            if termination.get("notice"):
                docs.append(self._notice_document(termination["notice"], termination["reason"]))
        metrics = []
        for kpi in award.get("kpis") or ():
            observations = []
            for a in sorted(kpi.get("assessments") or (), key=lambda a: a["period"]["start_date"]):
                observation: dict[str, Any] = {"id": f"{kpi['id']}-{a['period']['start_date']}",
                                               "period": _period(a["period"]), "dimensions": {"rating": a["rating"]}}
                if a.get("narrative"):
                    observation["notes"] = a["narrative"]
                if a.get("notice"):
                    observation["dimensions"]["uk9NoticeId"] = a["notice"]["id"]
                    docs.append(self._notice_document(a["notice"], f"Assessment of {kpi['id']}"))
                observations.append(observation)
            if observations:
                metrics.append({"id": str(kpi["id"]), "title": kpi["title"], "observations": unique_ids(observations)})
        if metrics:
            implementation["metrics"] = metrics
        if implementation:
            c["implementation"] = implementation
        if docs:
            c["documents"] = unique_ids(docs)

    def _unit(self, code: str) -> dict[str, Any]:
        # the unit scheme codelist (UNCEFACT, QUDT) has none of the register's social-value units: name only
        return {"name": self.labels["sv_unit"].get(code, code)}

    def _commitment_metric(self, award: Record, cm: Mapping[str, Any]) -> dict[str, Any]:
        target = cm["target"]
        measure = cm["measure"]
        dimensions = {"theme": cm["theme"], "sdgs": ",".join(str(s) for s in cm["sdgs"]),
                      "measureScheme": measure["scheme"], "measureSchemeVersion": measure["scheme_version"],
                      "measureCode": measure["code"], "basis": target["basis"],
                      "sustainabilityGoal": self.goals.get(cm["theme"], "social")}
        if cm.get("status"):
            dimensions["status"] = cm["status"]
        observation: dict[str, Any] = {"id": f"{cm['id']}-target", "measure": target["quantity"],
                                       "unit": self._unit(target["unit"]), "dimensions": dimensions}
        period = _period(target.get("period") or award.get("contract_period"))
        if period:
            observation["period"] = period
        return {"id": str(cm["id"]), "title": cm["description"][:300],
                "description": f"{self.labels['sv_theme'].get(cm['theme'], cm['theme'])}: {cm['description']}",
                "observations": [observation]}

    def outcome_release(self, ocid: str, outcome: Record) -> dict[str, Any]:
        award = self.reg.awards[outcome.get("award")]
        delivered = outcome.get("delivered")
        observation: dict[str, Any] = {"id": outcome.id, "period": _period(outcome.get("period")),
                                       "measure": delivered["quantity"], "unit": self._unit(delivered["unit"])}
        dimensions = {k: str(outcome.get(k)) for k in ("assurance", "rating", "uk9_notice_id", "reported_by")
                      if outcome.get(k) is not None}
        if dimensions:
            observation["dimensions"] = {_camel(k): v for k, v in dimensions.items()}
        if outcome.get("narrative"):
            observation["notes"] = outcome.get("narrative")
        implementation: dict[str, Any] = {"metrics": [{"id": str(outcome.get("commitment")),
                                                        "observations": [observation]}]}
        evidence = [{"id": f"{outcome.id}-evidence-{n}", "title": e["title"], "documentType": "physicalProgressReport",
                     **({"url": e["url"]} if e.get("url") else {})} for n, e in enumerate(outcome.get("evidence") or (), 1)]
        if evidence:
            implementation["documents"] = evidence
        release = self._release(ocid, outcome.id, outcome.get("reported_on"), ["implementation"])
        award_id = self.award_ids.get(award.id, award.id)
        release["contracts"] = [{"id": award_id, "awardID": award_id, "implementation": implementation}]
        return release

    def iter_processes(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(ocid, releases) per contracting process, in ocid order: exactly one entry per ocid.

        Records that share an ocid (awards without a tender that an import gave their source's ocid, or a tender
        and awards under one ocid) are one process: a package with two records for one ocid is invalid, and a
        reader that keeps one of them loses the other's awards."""
        tenders: dict[str, list[Record]] = {}
        awards: dict[str, list[tuple[Record, Record | None]]] = {}
        for tender_record in self.reg.tenders.values():
            ocid = self.ocid_of(tender_record, None)
            tenders.setdefault(ocid, []).append(tender_record)
            for award in self.reg.awards_by_tender.get(tender_record.id, []):
                awards.setdefault(ocid, []).append((award, tender_record))
        for award in self.reg.awards.values():
            if not award.get("tender"):
                awards.setdefault(self.ocid_of(None, award), []).append((award, None))
        for ocid in sorted(tenders.keys() | awards.keys()):
            # an imported award keeps its source's id; should two awards of one process share it (one imported,
            # one added by hand), the earlier award keeps it and the later its register id, or the compiled
            # release would merge them into one
            taken: set[str] = set()
            for award, _ in sorted(awards.get(ocid, ()), key=lambda pair: (str(pair[0].get("date") or ""), pair[0].id)):
                wanted = _award_id(award)
                self.award_ids[award.id] = wanted if wanted not in taken else award.id
                taken.add(self.award_ids[award.id])
            releases = [self.tender_release(ocid, t) for t in tenders.get(ocid, ())]
            for award, tender in awards.get(ocid, ()):
                releases.append(self.award_release(ocid, award, tender))
                for cm in award.get("commitments") or ():
                    for outcome in self.reg.outcomes_by_commitment.get((award.id, str(cm["id"])), ()):
                        releases.append(self.outcome_release(ocid, outcome))
            releases.sort(key=lambda r: (r["date"], r["id"]))
            yield ocid, releases


def _award_id(award: Record) -> str:
    """An imported award keeps its source's award id in OCDS (its record id is a file name made from it)."""
    return str(award.get("source_id") or award.id)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


@cache
def merge_rules() -> dict[tuple[str, ...], str]:
    schema = json.loads((Path(__file__).parent / "ocds_schema" / "release-schema.json").read_text(encoding="utf-8"))
    rules = get_merge_rules(schema)
    rules[("tender", "sustainability")] = "wholeListMerge"  # sustainability extension: a list without ids
    return rules


def _package_meta(ctx: ExportContext, name: str) -> dict[str, Any]:
    cfg = ctx.reg.config
    base = cfg.site_url or cfg.publisher.uri
    publisher = {"name": cfg.publisher.name, "scheme": cfg.publisher.scheme, "uid": cfg.publisher.uid,
                 "uri": cfg.publisher.uri}
    return {"uri": base.rstrip("/") + f"/data/ocds/{name}", "version": "1.1", "extensions": DECLARED_EXTENSIONS,
            "publishedDate": ctx.published_iso, "publisher": publisher, "license": cfg.licence_url,
            "publicationPolicy": base.rstrip("/") + "/data/"}


def export_ocds(ctx: ExportContext) -> None:
    builder = _Builder(ctx)
    merger = ocdsmerge.Merger(merge_rules=merge_rules())
    releases: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    for ocid, process_releases in builder.iter_processes():
        releases.extend(process_releases)
        records.append({"ocid": ocid, "releases": process_releases,
                        "compiledRelease": merger.create_compiled_release(process_releases)})
    release_package = {**_package_meta(ctx, "release-package.json"), "releases": releases}
    record_package = {**_package_meta(ctx, "record-package.json"), "records": records}
    ctx.write_json("ocds/release-package.json", release_package, "JSON (OCDS 1.1)", "ocds",
                   "Every release of every contracting process (OCDS 1.1.5 release package)", indent=None)
    ctx.write_json("ocds/record-package.json", record_package, "JSON (OCDS 1.1)", "ocds",
                   "One record per contracting process, with its releases and compiled release (OCDS 1.1.5)",
                   indent=None)
