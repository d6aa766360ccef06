"""`procure new <type>`: write a schema-valid skeleton record with the next free id, explained field by field.

The skeleton is meant to be edited by an officer, not a developer, so every field carries the plain-language
``description`` and an example from the schema as a comment, required fields come first, and optional fields are
written commented out, ready to uncomment. Values only the officer can know (a title, an amount, a supplier, a
quantity delivered) are placeholders starting with :data:`site_builder.mistakes.PLACEHOLDER`, which the validator
refuses (``placeholder/unreplaced``), so a forgotten one can never be published; the rest are working values
(references point at organisations, tenders and awards that already exist). The first line tells editors with the YAML language server which schema to use.

Ids follow the pattern the register already uses for that type (``T-2026-061``, ``AW-2026-051``, ``GSV-22``,
``OC-2025-034-C1-FY2026-27``); nothing is ever overwritten.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from site_builder.config import RegisterConfig
from site_builder.dates import MONTHS_BY_FREQUENCY, iter_reporting_periods, parse_date
from site_builder.errors import ConfigError, SiteBuilderError
from site_builder.load import FOLDER_OF_TYPE, YamlProblem, iter_record_paths, parse_yaml, record_type_of
from site_builder.mistakes import PLACEHOLDER
from site_builder.schemas import load_documents

RECORD_KINDS = ("tender", "award", "outcome", "organisation", "measure")
#: skeletons that are a record type written a particular way (issue 13: a direct award states its procedure)
SKELETON_KINDS = (*RECORD_KINDS, "direct-award")
KIND_TYPE = {"direct-award": "award"}


class NewRecordError(SiteBuilderError):
    """The skeleton cannot be written (e.g. an outcome with no award to report against)."""


@dataclass
class Register:
    """What the skeletons need from the existing records: ids per type and the parsed data that parsed."""

    ids: dict[str, list[str]]
    data: dict[str, dict[str, dict[str, Any]]]


def load_register(config: RegisterConfig) -> Register:
    ids: dict[str, list[str]] = {t: [] for t in RECORD_KINDS}
    data: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in RECORD_KINDS}
    if not config.records_dir.is_dir():
        return Register(ids, data)
    for path in iter_record_paths(config.records_dir):
        record_type = record_type_of(("records", *path.relative_to(config.records_dir).parts))
        if record_type is None:
            continue
        stem = path.name.rsplit(".", 1)[0]
        ids[record_type].append(stem)  # the file name is the id, even when the file itself is broken
        try:
            record, _ = parse_yaml(path.read_bytes())
        except (YamlProblem, OSError):
            continue
        if isinstance(record, dict):
            data[record_type][stem] = record
    return Register(ids, data)


# --- ids ----------------------------------------------------------------------------------------------------------

def next_year_seq_id(prefix: str, existing: list[str], year: int) -> str:
    """``PREFIX-YEAR-NNN``: the sequence runs on across years (AW-2025-050 → AW-2026-051), as in the register."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d{{4}})-(\d+)\Z", re.IGNORECASE)
    matches = [m for m in (pattern.match(i) for i in existing) if m]
    last = max((int(m.group(2)) for m in matches), default=0)
    width = max((len(m.group(2)) for m in matches), default=3)
    return _free(f"{prefix}-{year}-{last + 1:0{width}d}", existing)


def next_numbered_id(existing: list[str], default_prefix: str) -> str:
    """``PREFIX-NN`` after the highest number of the most common prefix (GSV-21 → GSV-22)."""
    pattern = re.compile(r"([A-Za-z][A-Za-z0-9]*-)(\d+)\Z")
    matches = [m for m in (pattern.match(i) for i in existing) if m]
    if not matches:
        return _free(f"{default_prefix}01", existing)
    prefix = Counter(m.group(1) for m in matches).most_common(1)[0][0]
    same = [m for m in matches if m.group(1) == prefix]
    last = max(int(m.group(2)) for m in same)
    width = max(len(m.group(2)) for m in same)
    return _free(f"{prefix}{last + 1:0{width}d}", existing)


def _free(candidate: str, existing: list[str]) -> str:
    """The candidate, or candidate-2, -3, ... if the id is taken (ids are unique regardless of case)."""
    taken = {i.lower() for i in existing}
    if candidate.lower() not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}".lower() in taken:
        n += 1
    return f"{candidate}-{n}"


# --- reporting periods (for the outcome skeleton) --------------------------------------------------------------


def _periods(start: date, end: date, frequency: str) -> list[tuple[date, date]]:
    """The reporting periods of ``start``..``end``, as the overdue rule counts them (site_builder.dates)."""
    known = frequency if frequency in MONTHS_BY_FREQUENCY else "annual"
    return list(itertools.islice(iter_reporting_periods(start, end, known, end), 400))


def _period_label(start: date, end: date, frequency: str) -> str:
    if frequency == "quarterly":
        return f"{end.year}Q{(end.month - 1) // 3 + 1}"
    if frequency == "six-monthly":
        return f"{end.year}H{1 if end.month <= 6 else 2}"
    if start.month == 4 and start.day == 1:
        return f"FY{start.year}-{str(start.year + 1)[2:]}"
    return f"{start.year}" if (start.month, start.day) == (1, 1) else start.isoformat().replace("-", "")


@dataclass
class NextReport:
    award: dict[str, Any]
    commitment: dict[str, Any]
    period: tuple[date, date]
    cumulative: float | None


def next_report(register: Register, today: date) -> NextReport | None:
    """The first commitment (by award id) whose next unreported period has ended; else the first with any period."""
    reported: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for outcome in register.data["outcome"].values():
        reported.setdefault((str(outcome.get("award")), str(outcome.get("commitment"))), []).append(outcome)
    fallback: NextReport | None = None
    for award_id in sorted(register.data["award"]):
        award = register.data["award"][award_id]
        contract = award.get("contract_period")
        if not isinstance(contract, dict):
            continue
        start, end = parse_date(contract.get("start_date")), parse_date(contract.get("end_date"))
        if not (start and end and start <= end):
            continue
        for commitment in award.get("commitments") or []:
            if not isinstance(commitment, dict) or commitment.get("status") == "withdrawn":
                continue
            done = reported.get((award_id, str(commitment.get("id"))), [])
            last_end = max((d for o in done if (d := parse_date((o.get("period") or {}).get("end_date")))), default=None)
            periods = [p for p in _periods(start, end, str(commitment.get("reporting_frequency")))
                       if last_end is None or p[0] > last_end]
            if not periods:
                continue
            totals = [o["delivered"]["cumulative_to_date"] for o in done
                      if isinstance(o.get("delivered"), dict) and "cumulative_to_date" in o["delivered"]]
            found = NextReport(award, commitment, periods[0], max(totals) if totals else None)
            if periods[0][1] <= today:
                return found
            fallback = fallback or found
    return fallback


# --- skeletons ----------------------------------------------------------------------------------------------------


def _first(register: Register, record_type: str, role: str | None = None, prefer_name: str | None = None) -> str | None:
    """The first record (by id) with the role; the one named ``prefer_name`` (the publisher) if there is one."""
    candidates = [(record_id, record) for record_id, record in sorted(register.data[record_type].items())
                  if role is None or role in (record.get("roles") or [])]
    preferred = [record_id for record_id, record in candidates if prefer_name and record.get("name") == prefer_name]
    ordered = preferred or [record_id for record_id, _ in candidates]
    return ordered[0] if ordered else None


def _common(values: list[Any], default: Any) -> Any:
    return Counter(values).most_common(1)[0][0] if values else default


def build_skeleton(record_type: str, register: Register, today: date,
                   publisher: str | None = None) -> tuple[str, dict[str, Any], list[str]]:
    """(id, required fields with working values, optional fields shown commented out) for one record type."""
    ids = register.ids[KIND_TYPE.get(record_type, record_type)]
    if record_type == "tender":
        buyer = _first(register, "organisation", "buyer", publisher)
        if buyer is None:
            raise NewRecordError("a tender needs a buyer: add an organisation with roles: [buyer] first "
                                 "(procure new organisation)")
        record_id = next_year_seq_id("T", ids, today.year)
        return record_id, {"id": record_id, "title": f"{PLACEHOLDER} the tender's title", "buyer": buyer,
                           "status": "planning", "procurement_method": "open", "main_category": "services",
                           "cpv": [f"{PLACEHOLDER} a CPV code of eight digits, e.g. 77313000"], "published": today}, [
            "ocid", "description", "procurement_method_details", "legal_basis", "value", "tender_period",
            "suitable_for_sme", "suitable_for_vcse", "social_value_weighting_pct", "social_value_themes",
            "community_engagement", "forward_plan", "justification", "termination", "notices", "documents"]
    if record_type == "award":
        buyer = _first(register, "organisation", "buyer", publisher)
        supplier = _first(register, "organisation", "supplier")
        if buyer is None or supplier is None:
            raise NewRecordError("an award needs a buyer and a supplier: add organisations with roles [buyer] and "
                                 "[supplier] first (procure new organisation)")
        record_id = next_year_seq_id("AW", ids, today.year)
        # an award names its tender or states its procedure: the buyer's newest tender whose bidding has closed (an
        # award for a tender still open for bids is refused: award/tender-open), or an open procedure to correct
        tenders = [tid for tid, t in sorted(register.data["tender"].items())
                   if t.get("buyer") == buyer and _bidding_closed(t, today)]
        award: dict[str, Any] = {"id": record_id}
        if tenders:
            award["tender"] = tenders[-1]
        else:
            award["procedure"] = {"method": "open", "legal_basis": "PA2023"}
        award.update({"buyer": buyer, "title": f"{PLACEHOLDER} the contract's title",
                      "status": "pending", "date": today,
                      "value": {"amount": f"{PLACEHOLDER} the amount in pounds, digits only", "currency": "GBP"},
                      "suppliers": [f"{PLACEHOLDER} the supplier's id from records/organisations/"]})
        return record_id, award, [
            "ocid", "framework", "framework_agreement", "description", "published", "number_of_tenderers",
            "evaluation_weights", "contract_status", "contract_period", "date_signed", "termination", "changes", "kpis",
            "commitments", "notices", "documents"]
    if record_type == "direct-award":
        record_id, award, optional = build_skeleton("award", register, today, publisher)
        direct = {"id": record_id, "procedure": {
            "method": "direct", "legal_basis": "PA2023",
            "justification": {"ground": "pa23-single-supplier",
                              "explanation": "Replace with why no other supplier could be asked, in plain words. "
                                             "Add the UK5 transparency notice as transparency_notice (type, id, "
                                             "url) if one was published."}},
            **{k: v for k, v in award.items() if k not in ("id", "procedure", "tender")}, "number_of_tenderers": 1}
        return record_id, direct, [name for name in optional if name != "number_of_tenderers"]
    if record_type == "outcome":
        found = next_report(register, today)
        if found is None:
            raise NewRecordError("an outcome reports on a commitment: no award has a commitment with a contract "
                                 "period to report against yet (add one to an award first)")
        award_id, commitment = str(found.award["id"]), found.commitment
        frequency = str(commitment.get("reporting_frequency"))
        start, end = found.period
        short = award_id[3:] if award_id.upper().startswith("AW-") else award_id
        record_id = _free(f"OC-{short}-{commitment['id']}-{_period_label(start, end, frequency)}", ids)
        unit = (commitment.get("target") or {}).get("unit", "count")
        delivered: dict[str, Any] = {"quantity": f"{PLACEHOLDER} the quantity delivered in the period",
                                     "unit": unit}
        if found.cumulative is not None:
            delivered["cumulative_to_date"] = found.cumulative
        fields: dict[str, Any] = {"id": record_id, "award": award_id, "commitment": commitment["id"],
                                  "period": {"start_date": start, "end_date": end},
                                  "reported_on": max(today, end)}
        suppliers = found.award.get("suppliers") or []
        if suppliers:
            fields["reported_by"] = suppliers[0]
        fields["delivered"] = delivered
        fields["assurance"] = "self-reported"
        return record_id, fields, ["rating", "uk9_notice_id", "evidence", "attribution_pct", "beneficiaries_count",
                                   "monetised_value_gbp", "narrative", "stakeholder_voice", "variance_explanation",
                                   "supersedes"]
    if record_type == "organisation":
        record_id = _free("new-organisation", ids)
        return record_id, {"id": record_id, "name": f"{PLACEHOLDER} the organisation's name", "roles": ["supplier"]}, [
            "legal_name", "identifier", "additional_identifiers", "organisation_type", "is_sme", "is_vcse", "address",
            "local_authority_area", "website", "description"]
    if record_type == "measure":
        record_id = next_numbered_id(ids, "M-")
        local = [m for m in register.data["measure"].values() if m.get("scheme") == "local"]
        version = str(_common([m.get("scheme_version") for m in local if m.get("scheme_version")], today.year))
        return record_id, {"id": record_id, "scheme": "local", "scheme_version": version, "code": record_id,
                           "title": f"{PLACEHOLDER} what is counted", "unit": "count", "theme": "social",
                           "sdgs": [11]}, ["description", "counting_guidance", "proxy", "url"]
    raise NewRecordError(f"unknown record type '{record_type}': choose one of {', '.join(SKELETON_KINDS)}")


#: tender statuses under which no contract has been awarded yet, or never will be
_NOT_AWARDABLE = frozenset({"planning", "planned", "cancelled", "unsuccessful", "withdrawn"})


def _bidding_closed(tender: dict[str, Any], today: date) -> bool:
    """Whether an award can name this tender: bidding has closed (the validator's award/tender-open rule)."""
    status = tender.get("status")
    if status in _NOT_AWARDABLE:
        return False
    deadline = parse_date((tender.get("tender_period") or {}).get("end_date"))
    return not (status == "active" and (deadline is None or deadline >= today))


# --- writing YAML with comments --------------------------------------------------------------------------------

_RESERVED = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
             "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"}
_NUMBER_LIKE = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_:]*(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z"
                          r"|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)\Z")
_UNSAFE = re.compile(r"[\n\r\t\x85\u2028\u2029]|: | #|:\Z")
# characters YAML does not allow raw or reads as line breaks: escaped inside double quotes
_NOT_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def format_scalar(value: Any) -> str:
    """A scalar as YAML that the register's loader reads back as the same value (dates unquoted, as people write)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if (text in _RESERVED or text != text.strip() or text[0] in "-?:,[]{}#&*!|>'\"%@`" or _NUMBER_LIKE.match(text)
            or _UNSAFE.search(text) or _NOT_RAW.search(text)):
        return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))
    return text


def _flow_scalar(value: Any) -> str:
    """A scalar inside ``[...]``, where a comma or bracket would end it: such text is quoted."""
    text = format_scalar(value)
    if isinstance(value, str) and not text.startswith('"') and any(c in text for c in ",[]{}"):
        return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
    return text


def yaml_lines(value: Any, key: str, pad: str = "") -> list[str]:
    """``key: value`` in block style (short scalar lists in flow style, as people write ``sdgs: [8, 10]``)."""
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{key}: {{}}"]
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines += yaml_lines(v, k, pad + "  ")
        return lines
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []"]
        if all(not isinstance(v, (dict, list)) for v in value):
            return [f"{pad}{key}: [{', '.join(_flow_scalar(v) for v in value)}]"]
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                inner: list[str] = []
                for k, v in item.items():
                    inner += yaml_lines(v, k, pad + "    ")
                inner[0] = f"{pad}  - " + inner[0][len(pad) + 4:]
                lines += inner
            else:
                lines.append(f"{pad}  - {format_scalar(item)}")
        return lines
    return [f"{pad}{key}: {format_scalar(value)}"]


class SchemaHints:
    """Descriptions and examples of a record type's fields, following $ref into the shared definitions."""

    def __init__(self, schemas_dir: Path, record_type: str):
        self.schemas_dir = schemas_dir
        self.base = f"{record_type}.schema.json"
        try:
            self.documents = load_documents(schemas_dir)
            self.root = self.documents.schema(self.base)
        except (ConfigError, KeyError) as exc:
            raise NewRecordError(f"{schemas_dir / self.base}: cannot read the schema ({exc})") from None

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        return self.documents.resolve(node, self.base)[0]

    def field(self, name: str) -> dict[str, Any]:
        return self._resolve(self.root.get("properties", {}).get(name, {}))

    @property
    def title(self) -> str:
        return str(self.root.get("description") or self.root.get("title") or "")

    def comment(self, name: str) -> list[str]:
        spec = self.field(name)
        text = str(spec.get("description") or "").strip()
        choices = spec.get("enum")
        if choices and len(choices) <= 20:
            text += f" One of: {', '.join(str(c) for c in choices)}."
        return [f"# {line}" for line in _wrap(text, 110)] if text else []

    def example(self, name: str) -> Any:
        spec = self.field(name)
        examples = spec.get("examples") or []
        if examples:
            return examples[0]
        items = spec.get("items")
        if isinstance(items, dict):
            item = self._resolve(items)
            if item.get("examples"):
                return [item["examples"][0]]
            if item.get("type") == "object":
                return [{k: self._example_of(v) for k, v in item.get("properties", {}).items()
                         if k in item.get("required", [])}]
        return None

    def _example_of(self, node: dict[str, Any]) -> Any:
        spec = self._resolve(node)
        if spec.get("examples"):
            return spec["examples"][0]
        if spec.get("enum"):
            return spec["enum"][0]
        return None


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return lines + ([current] if current else [])


def render_skeleton(record_type: str, fields: dict[str, Any], optional: list[str], hints: SchemaHints) -> str:
    folder = FOLDER_OF_TYPE[record_type]
    lines = [f"# yaml-language-server: $schema=../../schemas/{record_type}.schema.json",
             f"# A new {record_type}. {hints.title}",
             f"# Written by `procure new {record_type}`. Replace the values below, uncomment the optional fields you",
             "# need (remove the leading '# '), delete the rest, then check the file with `procure validate`.",
             f"# The file name must stay equal to the id: records/{folder}/<id>.yaml.", ""]
    for name, value in fields.items():
        lines += hints.comment(name)
        lines += yaml_lines(value, name)
        lines.append("")
    lines.append("# --- optional fields " + "-" * 80)
    lines.append("")
    for name in optional:
        example = hints.example(name)
        lines += hints.comment(name)
        shown = yaml_lines(example, name) if example is not None else [f"{name}:"]
        lines += [f"# {line}" for line in shown]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def new_record(config: RegisterConfig, kind: str, today: date | None = None) -> Path:
    """Write the skeleton of a new record (``kind``: a record type, or direct-award); return its path. Never
    overwrites an existing file."""
    if kind not in SKELETON_KINDS:
        raise NewRecordError(f"unknown record type '{kind}': choose one of {', '.join(SKELETON_KINDS)}")
    record_type = KIND_TYPE.get(kind, kind)
    today = today or date.today()
    register = load_register(config)
    record_id, fields, optional = build_skeleton(kind, register, today, config.publisher.name)
    text = render_skeleton(record_type, fields, optional, SchemaHints(config.schemas_dir, record_type))
    path = config.records_dir / FOLDER_OF_TYPE[record_type] / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
            handle.write(text)
    except FileExistsError:
        raise NewRecordError(f"{path} already exists; nothing was written") from None
    return path
