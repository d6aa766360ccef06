"""Model stage: typed, read-only records and the registry of their relations.

Built only from a register that validated, so every reference here resolves. Derived figures (social value,
integrity indicators) are computed once in ``build_model`` and read by every page and export.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

# the model stage's derived figures (they name the model's types only for type checking: no import cycle at run time)
from site_builder import indicators, social_value
from site_builder.dates import parse_date
from site_builder.errors import BuildError
from site_builder.indicators import IndicatorResults
from site_builder.load import FOLDER_OF_TYPE, RECORD_TYPES, SourceFile
from site_builder.social_value import SocialValueFigures

#: the only shape of id that is ever turned into a path or an address (the schemas' id pattern, enforced here too)
SAFE_ID = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\Z")

if TYPE_CHECKING:
    from site_builder.config import RegisterConfig


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Back to plain dict/list (for JSON output)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Money:
    """An amount of money as the record gives it (the number as written: 980000 stays a whole number)."""

    amount: int | float
    currency: str


@dataclass(frozen=True)
class Record:
    """One validated record. ``data`` is a read-only view of the YAML; ``source`` the exact file bytes.

    The fields every stage reads have typed accessors (``buyer_id``, ``supplier_ids``, ``money``, ``date_of``);
    the rest are read with ``get`` (templates read ``record.<field>``)."""

    type: str
    id: str
    rel_path: str
    data: Mapping[str, Any]
    source: bytes = field(repr=False)
    _dates: dict[str, date | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def with_data(self, data: Mapping[str, Any], source: bytes) -> Record:
        """A new version of this record (same type, id and file) from its parsed YAML, frozen as the model holds
        every record (`procure serve` puts it in place of the old one)."""
        return Record(self.type, self.id, self.rel_path, _freeze(data), source)

    @property
    def buyer_id(self) -> str | None:
        """The buyer's organisation id (tenders and awards)."""
        buyer = self.data.get("buyer")
        return str(buyer) if buyer is not None else None

    @property
    def supplier_ids(self) -> tuple[str, ...]:
        """The suppliers' organisation ids (awards), in the order written."""
        return tuple(str(s) for s in self.data.get("suppliers") or ())

    @property
    def tender_id(self) -> str | None:
        """The award's tender, when it names one."""
        tender = self.data.get("tender")
        return str(tender) if tender else None

    @property
    def money(self) -> Money | None:
        """The record's ``value`` (tenders: the estimate; awards: the award value)."""
        value = self.data.get("value")
        return Money(value["amount"], str(value["currency"])) if value else None

    def date_of(self, key: str) -> date | None:
        """A date field (``date``, ``published``, ``reported_on``...) as a date, parsed once per record."""
        if key not in self._dates:
            self._dates[key] = parse_date(self.data.get(key))
        return self._dates[key]

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.data.get("name") or self.id)

    @property
    def folder(self) -> str:
        return FOLDER_OF_TYPE[self.type]

    @property
    def url(self) -> str:
        """Site-relative URL of the record's page (stable: outside links depend on it)."""
        return f"{self.folder}/{self.id}/"


@dataclass(frozen=True)
class Commitment:
    """A social-value commitment, addressed by (award id, commitment id)."""

    award: Record
    data: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return (self.award.id, str(self.data["id"]))

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def uid(self) -> str:
        """Register-wide id, e.g. AW-2025-001/C1."""
        return f"{self.award.id}/{self.data['id']}"

    @property
    def unit(self) -> str:
        return str(self.data["target"]["unit"])


@dataclass
class Registry:
    """Every record by type and id, plus the relations between them (all sorted by id for determinism)."""

    config: RegisterConfig
    as_of: date
    by_type: dict[str, dict[str, Record]]
    awards_by_tender: dict[str, list[Record]] = field(default_factory=dict)
    awards_by_buyer: dict[str, list[Record]] = field(default_factory=dict)
    awards_by_supplier: dict[str, list[Record]] = field(default_factory=dict)
    tenders_by_buyer: dict[str, list[Record]] = field(default_factory=dict)
    commitments: list[Commitment] = field(default_factory=list)
    commitment_by_key: dict[tuple[str, str], Commitment] = field(default_factory=dict)
    outcomes_by_commitment: dict[tuple[str, str], list[Record]] = field(default_factory=dict)
    measure_by_code: dict[tuple[str, str], Record] = field(default_factory=dict)
    commitments_by_measure: dict[str, list[Commitment]] = field(default_factory=dict)
    call_offs_by_framework: dict[str, list[Record]] = field(default_factory=dict)  # issue 13: framework → call-offs
    social_value: SocialValueFigures | None = None
    indicators: IndicatorResults | None = None

    @property
    def organisations(self) -> dict[str, Record]:
        return self.by_type["organisation"]

    @property
    def tenders(self) -> dict[str, Record]:
        return self.by_type["tender"]

    @property
    def awards(self) -> dict[str, Record]:
        return self.by_type["award"]

    @property
    def outcomes(self) -> dict[str, Record]:
        return self.by_type["outcome"]

    @property
    def measures(self) -> dict[str, Record]:
        return self.by_type["measure"]

    def all_records(self) -> list[Record]:
        return [r for t in RECORD_TYPES for r in self.by_type[t].values()]

    def get(self, record_type: str, record_id: str) -> Record | None:
        return self.by_type[record_type].get(record_id)

    def tender_of(self, award: Record) -> Record | None:
        tender_id = award.tender_id
        return self.tenders.get(tender_id) if tender_id else None

    def commitment_of(self, outcome: Record) -> Commitment | None:
        return self.commitment_by_key.get((outcome.get("award"), outcome.get("commitment")))

    def measure_of(self, commitment: Commitment) -> Record | None:
        m = commitment.data["measure"]
        return self.measure_by_code.get((m["scheme"], m["code"]))


def build_registry(files: list[SourceFile], config: RegisterConfig, as_of: date | None = None) -> Registry:
    """Index valid source files into a Registry (no derived figures yet)."""
    by_type: dict[str, dict[str, Record]] = {t: {} for t in RECORD_TYPES}
    for f in files:
        if f.record_type is None or f.data is None:
            continue
        rec = Record(f.record_type, str(f.data["id"]), f.rel_path, _freeze(f.data), f.source)
        if not SAFE_ID.match(rec.id) or rec.id != Path(f.rel_path).stem:
            # never reached while schemas/ keeps its id pattern; this holds even if a change loosens it
            raise BuildError(f"{f.rel_path}: the id {rec.id!r} cannot be used in a web address or a file name "
                             "(letters, digits and single - or _ between them, the same as the file name); "
                             "has the id pattern in schemas/ been changed?")
        by_type[f.record_type][rec.id] = rec
    for t in RECORD_TYPES:
        by_type[t] = dict(sorted(by_type[t].items()))
    reg = Registry(config=config, as_of=as_of or config.reference_date(), by_type=by_type)

    awards_by_tender: dict[str, list[Record]] = defaultdict(list)
    awards_by_buyer: dict[str, list[Record]] = defaultdict(list)
    awards_by_supplier: dict[str, list[Record]] = defaultdict(list)
    tenders_by_buyer: dict[str, list[Record]] = defaultdict(list)
    for tender in reg.tenders.values():
        tenders_by_buyer[tender.buyer_id or ""].append(tender)
    for award in reg.awards.values():
        if award.tender_id:
            awards_by_tender[award.tender_id].append(award)
        awards_by_buyer[award.buyer_id or ""].append(award)
        for supplier in award.supplier_ids:
            awards_by_supplier[supplier].append(award)
        for c in award.get("commitments", ()):
            commitment = Commitment(award, c)
            reg.commitments.append(commitment)
            reg.commitment_by_key[commitment.key] = commitment
    for measure in reg.measures.values():
        reg.measure_by_code[(measure.get("scheme"), measure.get("code"))] = measure
    by_measure: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in reg.commitments:
        catalogued = reg.measure_of(commitment)
        if catalogued is not None:
            by_measure[catalogued.id].append(commitment)
    outcomes: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for outcome in reg.outcomes.values():
        outcomes[(outcome.get("award"), outcome.get("commitment"))].append(outcome)
    for lst in outcomes.values():
        lst.sort(key=lambda o: (o.get("period")["start_date"], o.id))
    reg.awards_by_tender = dict(awards_by_tender)
    reg.awards_by_buyer = dict(awards_by_buyer)
    reg.awards_by_supplier = dict(awards_by_supplier)
    reg.tenders_by_buyer = dict(tenders_by_buyer)
    reg.commitments_by_measure = dict(by_measure)
    call_offs: dict[str, list[Record]] = defaultdict(list)
    for award in reg.awards.values():
        if award.get("framework"):
            call_offs[award.get("framework")].append(award)
    reg.call_offs_by_framework = dict(call_offs)
    reg.outcomes_by_commitment = dict(outcomes)
    return reg


def build_model(files: list[SourceFile], config: RegisterConfig, as_of: date | None = None) -> Registry:
    """The model stage: registry, then the derived figures every page and export shares."""
    reg = build_registry(files, config, as_of)
    reg.social_value = social_value.compute(reg)
    reg.indicators = indicators.compute(reg)
    return reg


def process_ocid(reg: Registry, record: Record) -> str | None:
    """The ocid of the contracting process a tender or award belongs to, as the OCDS export publishes it: an award
    under a tender belongs to its tender's process; a record without an ``ocid`` gets the register's prefix + id."""
    if record.type == "award" and record.get("tender") and record.get("tender") in reg.tenders:
        record = reg.tenders[record.get("tender")]
    elif record.type not in ("tender", "award"):
        return None
    return str(record.get("ocid") or f"{reg.config.ocid_prefix}-{record.id}")
