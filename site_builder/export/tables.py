"""The register as flat tables (CSV, SQLite, datapackage.json), laid out from the JSON Schemas.

A table is either one row per record (``tenders``) or one row per item of a list inside a record
(``commitments`` = one row per ``award.commitments[]``, keyed by ``award_id`` + ``id``). Columns come from walking
the item's schema: nested objects are flattened with ``_`` (``value.amount`` → ``value_amount``), lists of codes
or ids become ``list`` columns (``;``-separated in CSV, JSON arrays in SQLite), and lists of objects that have no
table of their own become JSON ``array`` columns. Computed figures (social value, integrity flags) are appended
as extra columns, documented like the others.

Adding a column: append a :class:`Column` to ``extra_columns`` in :func:`build_tables` (or, for a new integrity
indicator, nothing at all: flag columns are generated from ``reg.indicators``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from site_builder import contracts
from site_builder.export.schema_info import FieldInfo, SchemaSet
from site_builder.indicators import INDICATORS
from site_builder.model import Record, Registry, process_ocid, thaw

LIST_DELIMITER = ";"

#: Frictionless Table Schema type → SQLite column type
SQLITE_TYPES = {"string": "TEXT", "date": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER",
                "list": "TEXT", "array": "TEXT"}

Getter = Callable[[Record, Mapping[str, Any], int], Any]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Table Schema type: string, date, integer, number, boolean, list, array
    description: str
    get: Getter = field(repr=False, compare=False)
    item_type: str | None = None  # for list columns
    constraints: dict[str, Any] = field(default_factory=dict, compare=False)
    source: str = ""  # where the value comes from, e.g. "award: value.amount" or "computed"
    field_info: FieldInfo | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    table_columns: tuple[str, ...]


@dataclass
class Table:
    name: str
    title: str
    description: str
    record_type: str
    list_path: tuple[str, ...]  # () = one row per record, else one row per item of this list
    primary_key: tuple[str, ...]
    columns: list[Column]
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    text_columns: tuple[str, ...] = ()  # indexed for full-text search in SQLite

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def iter_rows(self, reg: Registry) -> Iterator[tuple[Any, ...]]:
        """Rows in a stable order: records by id, items in their written order."""
        getters = [c.get for c in self.columns]
        for rec in reg.by_type[self.record_type].values():
            if not self.list_path:
                yield tuple(g(rec, rec.data, 0) for g in getters)
                continue
            items: Any = rec.data
            for part in self.list_path:
                items = items.get(part, ()) if isinstance(items, Mapping) else ()
            for position, item in enumerate(items, 1):
                if not isinstance(item, Mapping):
                    item = {"value": item}
                yield tuple(g(rec, item, position) for g in getters)


# --- building columns from the schema --------------------------------------------------------------------------

def _path_getter(path: tuple[str, ...], convert: Callable[[Any], Any] | None = None) -> Getter:
    if len(path) == 1:
        key = path[0]

        def get1(rec: Record, item: Mapping[str, Any], position: int) -> Any:
            value = item.get(key)
            return convert(value) if convert and value is not None else value
        return get1

    def get(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        value: Any = item
        for part in path:
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return convert(value) if convert and value is not None else value
    return get


def _constraints(schema: dict[str, Any], required: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if required:
        out["required"] = True
    if "enum" in schema:
        out["enum"] = list(schema["enum"])
    for key in ("minimum", "maximum", "minLength", "maxLength"):
        if key in schema:
            out[key] = schema[key]
    pattern = schema.get("pattern")
    if pattern and pattern.startswith("^") and pattern.endswith("$"):
        out["pattern"] = pattern  # Table Schema patterns match the whole value; only anchored ones mean the same
    return out


def _scalar_type(schema: dict[str, Any]) -> str:
    t = schema.get("type")
    if t == "string" and schema.get("format") == "date":
        return "date"
    if t in ("integer", "number", "boolean"):
        return str(t)
    return "string"


def _describe(parents: list[FieldInfo], leaf: FieldInfo) -> str:
    """A flattened column's description: its own, prefixed by the objects it sits in when that adds meaning."""
    own = leaf.description
    if not parents:
        return own
    context = parents[-1].description.rstrip(".")
    return f"{context}: {own[0].lower() + own[1:] if own else own}" if context else own


def schema_columns(schemas: SchemaSet, record_type: str, list_path: tuple[str, ...],
                   skip: set[tuple[str, ...]]) -> list[Column]:
    """Columns for the items at ``list_path`` (() = the record itself), generated from the schema."""
    prefix = (*list_path, "[]") if list_path else ()
    by_path = {f.path: f for f in schemas.fields[record_type]}
    # a required field an imported record may lack (import_gaps) can be empty in a row
    gaps_field = by_path.get(("import_gaps",))
    gappable = set(schemas.items_of(gaps_field).get("enum") or ()) if gaps_field and not list_path else set()
    columns: list[Column] = []
    for f in schemas.fields[record_type]:
        if f.path[: len(prefix)] != prefix or len(f.path) == len(prefix):
            continue
        rel = f.path[len(prefix):]
        if "[]" in rel or rel in skip:
            continue
        parents = [by_path[(*prefix, *rel[:i])] for i in range(1, len(rel))]
        required = f.required and all(p.required for p in parents) and rel[0] not in gappable
        name = "_".join(rel)
        source = f"{record_type}: {f.pointer_name}"
        if f.json_type == "object":
            continue  # its parts become columns
        if f.json_type == "array":
            items = schemas.items_of(f)
            if items.get("type") == "object":
                columns.append(Column(name, "array", f"{_describe(parents, f)} (a JSON list of objects)",
                                      _path_getter(rel, thaw), constraints=_constraints({}, required), source=source,
                                      field_info=f))
            else:
                columns.append(Column(name, "list", f"{_describe(parents, f)} (items separated by '{LIST_DELIMITER}')",
                                      _path_getter(rel, list), item_type=_scalar_type(items),
                                      constraints=_constraints({}, required), source=source, field_info=f))
            continue
        columns.append(Column(name, _scalar_type(f.schema), _describe(parents, f), _path_getter(rel),
                              constraints=_constraints(f.schema, required), source=source, field_info=f))
    names = [c.name for c in columns]
    if len(names) != len(set(names)):
        raise ValueError(f"{record_type}{list_path}: flattened column names collide: {sorted(names)}")
    return columns


# --- the register's tables -------------------------------------------------------------------------------------

def _record_id(rec: Record, item: Mapping[str, Any], position: int) -> Any:
    return rec.id


def _position(rec: Record, item: Mapping[str, Any], position: int) -> Any:
    return position


def _page_url(site_url: str | None) -> Getter:
    base = (site_url or "/").rstrip("/") + "/"

    def get(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        return base + rec.url
    return get


def _flag_columns(reg: Registry, record_type: str) -> list[Column]:
    """One boolean column per integrity indicator that sits on this record type, whether or not it fired: a
    file's columns must not change from one release to the next (see the indicators page for each one)."""
    by_record = reg.indicators.by_record if reg.indicators else {}
    columns = []
    # "record": an indicator that sits on a tender, or on an award without one (issue 13's non-competitive)
    types = (record_type, "record") if record_type in ("tender", "award") else (record_type,)
    for code in sorted(c for c, ind in INDICATORS.items() if ind.record_type in types):
        def get(rec: Record, item: Mapping[str, Any], position: int, code: str = code) -> Any:
            return any(f.code == code for f in by_record.get((record_type, rec.id), ()))
        columns.append(Column(f"flag_{code.replace('-', '_')}", "boolean",
                              f"Integrity indicator '{code}' ({INDICATORS[code].title}) raised on this record "
                              "(see the indicators page for what it means).",
                              get, constraints={"required": True}, source="computed: integrity indicators"))
    return columns


def build_tables(reg: Registry, schemas: SchemaSet) -> list[Table]:
    """Every table of the register, in the order they are published."""
    page_url = Column("page_url", "string", "The address of this record's page on the site.",
                      _page_url(reg.config.site_url), constraints={"required": True}, source="computed")

    def root(record_type: str, name: str, title: str, description: str, skip: set[tuple[str, ...]],
             text: tuple[str, ...]) -> Table:
        cols = schema_columns(schemas, record_type, (), skip)
        return Table(name, title, description, record_type, (), ("id",),
                     [*cols, page_url, *_flag_columns(reg, record_type)], text_columns=text)

    def child(record_type: str, list_path: tuple[str, ...], name: str, title: str, description: str,
              parent_col: str, own_key: str | None, text: tuple[str, ...] = (),
              skip: frozenset[tuple[str, ...]] = frozenset()) -> Table:
        parent = Column(parent_col, "string", f"The id of the {record_type} this row belongs to.", _record_id,
                        constraints={"required": True}, source=f"{record_type}: id")
        cols: list[Column] = [parent]
        if own_key is None:
            cols.append(Column("position", "integer", "The row's position in the record's list (1 = first).",
                               _position, constraints={"required": True, "minimum": 1}, source="computed"))
        cols += schema_columns(schemas, record_type, list_path, set(skip))
        key = (parent_col, own_key or "position")
        return Table(name, title, description, record_type, list_path, key, cols,
                     [ForeignKey((parent_col,), FOLDER_TABLE[record_type], ("id",))], text_columns=text)

    organisations = root("organisation", "organisations", "Organisations",
                         "Buyers and suppliers, one row per organisation.", set(), ("name", "legal_name", "description"))
    tenders = root("tender", "tenders", "Tenders", "Procurements (invitations to bid), one row per tender. Lots are "
                   "in their own table.", {("lots",)}, ("title", "description"))
    tenders.foreign_keys.append(ForeignKey(("buyer",), "organisations", ("id",)))
    awards = root("award", "awards", "Awards", "Contracts awarded, one row per award. Suppliers, commitments, KPIs and "
                  "evaluation weights are in their own tables.", {("commitments",), ("kpis",), ("evaluation_weights",),
                                                                  ("changes",)},  # issue 13: own table
                  ("title", "description"))
    awards.columns += contract_columns(reg)  # issue 13: procedure, display status, value and end date after changes
    awards.foreign_keys += [ForeignKey(("tender",), "tenders", ("id",)), ForeignKey(("buyer",), "organisations", ("id",))]
    for table in (tenders, awards):
        _fill_ocid(reg, table)

    lots = child("tender", ("lots",), "lots", "Lots",
                 "The lots each tender is divided into, one row per lot; awards.lots says which lots an award covers.",
                 "tender_id", "id", ("title", "description"))

    suppliers = Table("award_suppliers", "Award suppliers",
                      "Which organisations won each award, one row per award and supplier.", "award", ("suppliers",),
                      ("award_id", "position"), [
                          Column("award_id", "string", "The id of the award.", _record_id,
                                 constraints={"required": True}, source="award: id"),
                          Column("position", "integer", "The supplier's position in the award's list (1 = first).",
                                 _position, constraints={"required": True, "minimum": 1}, source="computed"),
                          Column("organisation_id", "string", "The id of the supplier organisation.",
                                 _path_getter(("value",)), constraints={"required": True},
                                 source="award: suppliers[]"),
                      ], [ForeignKey(("award_id",), "awards", ("id",)),
                          ForeignKey(("organisation_id",), "organisations", ("id",))])

    commitments = child("award", ("commitments",), "commitments", "Social-value commitments",
                        "What each supplier promised, one row per commitment of an award, with the delivery figures "
                        "computed from the outcomes.", "award_id", "id", ("description",))
    commitments.columns += _commitment_figure_columns(reg)
    commitments.foreign_keys.append(ForeignKey(("measure_id",), "measures", ("id",)))
    kpis = child("award", ("kpis",), "kpis", "Key performance indicators",
                 "The contract KPIs of each award, one row per KPI.", "award_id", "id",
                 skip=frozenset({("assessments",)}))  # issue 13: in kpi_assessments
    weights = child("award", ("evaluation_weights",), "evaluation_weights", "Evaluation weights",
                    "How bids were scored, one row per criterion of an award.", "award_id", None)

    outcomes = root("outcome", "outcomes", "Outcomes", "Delivery reports against commitments, one row per report.",
                    set(), ("narrative", "stakeholder_voice", "variance_explanation"))
    outcomes.columns += _outcome_figure_columns(reg)
    outcomes.foreign_keys += [ForeignKey(("award", "commitment"), "commitments", ("award_id", "id")),
                              ForeignKey(("reported_by",), "organisations", ("id",)),
                              ForeignKey(("supersedes",), "outcomes", ("id",))]
    measures = root("measure", "measures", "Measures", "The register's catalogue of social-value measures.",
                    set(), ("title", "description"))
    changes, assessments = contract_tables(reg, schemas)  # issue 13
    return [organisations, tenders, lots, awards, suppliers, commitments, kpis, weights, outcomes, measures, changes,
            assessments]


def _fill_ocid(reg: Registry, table: Table) -> None:
    """The ``ocid`` column holds the contracting process's ocid as the OCDS packages publish it, on every row:
    an award under a tender shares its tender's ocid, and a record without one gets the register's prefix + id."""
    def get(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        return rec.get("ocid") or process_ocid(reg, rec)  # the record's own ocid, as written, wins
    for n, column in enumerate(table.columns):
        if column.name == "ocid":
            table.columns[n] = Column("ocid", "string", "The OCDS id of the contracting process this record belongs "
                                      "to: its own ocid, else (an award under a tender) its tender's, else the "
                                      "register's prefix and the record id, as in the OCDS packages.",
                                      get, constraints={"required": True}, source="computed: ocid, or the tender's",
                                      field_info=column.field_info)


FOLDER_TABLE = {"organisation": "organisations", "tender": "tenders", "award": "awards", "outcome": "outcomes",
                "measure": "measures"}


def _figures(reg: Registry) -> Mapping[tuple[str, str], Any]:
    return reg.social_value.by_commitment if reg.social_value else {}


def _commitment_figure_columns(reg: Registry) -> list[Column]:
    figures = _figures(reg)

    def figure(attr: str) -> Getter:
        def get(rec: Record, item: Mapping[str, Any], position: int) -> Any:
            fig = figures.get((rec.id, str(item.get("id"))))
            return getattr(fig, attr) if fig is not None else None
        return get

    def measure_id(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        m = item.get("measure") or {}
        measure = reg.measure_by_code.get((str(m.get("scheme")), str(m.get("code"))))
        return measure.id if measure else None

    return [
        Column("measure_id", "string", "The id of the measure in the register's catalogue (empty when the measure "
               "comes from an external scheme).", measure_id, source="computed: measure.scheme + measure.code"),
        Column("delivered_to_date", "number", "Total delivered so far, from the outcome reports, in the target's unit.",
               figure("delivered_to_date"), constraints={"minimum": 0}, source="computed: social value"),
        Column("pct_of_target", "number", "Delivered to date as a percentage of the target (empty when the target is 0).",
               figure("pct_of_target"), constraints={"minimum": 0}, source="computed: social value"),
        Column("delivery_status", "string", "Where delivery stands on the register's reference date.",
               figure("status"), constraints=_status_enum(), source="computed: social value"),
    ]


def _status_enum() -> dict[str, Any]:
    statuses = _statuses()
    return {"enum": list(statuses)} if statuses else {}


def _outcome_figure_columns(reg: Registry) -> list[Column]:
    figures = _figures(reg)

    def figure(attr: str) -> Getter:
        def get(rec: Record, item: Mapping[str, Any], position: int) -> Any:
            fig = figures.get((str(item.get("award")), str(item.get("commitment"))))
            return getattr(fig, attr) if fig is not None else None
        return get

    return [
        Column("commitment_delivered_to_date", "number", "The commitment's total delivered so far (all its reports).",
               figure("delivered_to_date"), source="computed: social value"),
        Column("commitment_pct_of_target", "number", "The commitment's delivery as a percentage of its target.",
               figure("pct_of_target"), source="computed: social value"),
        Column("commitment_delivery_status", "string", "Where the commitment's delivery stands.",
               figure("status"), constraints=_status_enum(), source="computed: social value"),
    ]


def _statuses() -> tuple[str, ...]:
    from site_builder import social_value

    return tuple(getattr(social_value, "STATUSES", ()))


# --- the contract after award (issue 13) --------------------------------------------------------------------------

def contract_columns(reg: Registry) -> list[Column]:
    """Computed award columns: the procedure whichever record states it, the honest status, the figures after
    changes."""
    def procedure(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        return contracts.procedure_method(reg, rec)

    def direct(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        return contracts.is_direct(reg, rec)

    def status(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        return contracts.display_status(rec, reg.as_of).code

    last: dict[str, contracts.ContractTerms] = {}  # the row being written: its terms are folded once, not three times

    def terms(rec: Record) -> contracts.ContractTerms:
        if rec.id not in last:
            last.clear()
            last[rec.id] = contracts.terms_of(rec)
        return last[rec.id]

    def current(attr: str, key: str | None = None) -> Getter:
        def get(rec: Record, item: Mapping[str, Any], position: int) -> Any:
            value = getattr(terms(rec), attr)
            if key is not None:
                return value.get(key) if value else None
            return value.isoformat() if value else None
        return get

    def inadequate(rec: Record, item: Mapping[str, Any], position: int) -> Any:
        return contracts.rated_inadequate(rec)

    methods = {"enum": ["open", "selective", "limited", "direct"]}
    return [
        Column("procedure", "string", "How the supplier was chosen: the tender's procurement method, or the award's own "
               "procedure when it has no tender in the register (empty only when the source does not say).",
               procedure, constraints=methods, source="computed: tender.procurement_method or award.procedure.method"),
        Column("is_direct_award", "boolean", "True when the procedure was a direct award (with or without a tender "
               "record).", direct, constraints={"required": True}, source="computed: procedure"),
        Column("display_status", "string", "Where the award stands on the register's reference date, from its status, "
               "contract status, termination and (changed) dates.", status,
               constraints={"required": True, "enum": list(contracts.STATUS_GROUPS)}, source="computed: display status"),
        Column("current_value_amount", "number", "The contract's value after every change (the award's value when "
               "there were none).", current("current_value", "amount"), source="computed: value and changes"),
        Column("current_value_currency", "string", "The currency of current_value_amount.",
               current("current_value", "currency"), source="computed: value and changes"),
        Column("current_end_date", "date", "The contract's end date after every change.", current("current_end"),
               source="computed: contract_period and changes"),
        Column("kpis_rated_inadequate", "boolean", "True when the latest assessment of any of the contract's KPIs is "
               "rated inadequate.", inadequate, constraints={"required": True}, source="computed: KPI assessments"),
    ]


class KpiAssessmentsTable(Table):
    """One row per assessment of a KPI: a list inside a list, so rows are walked here rather than by Table."""

    def iter_rows(self, reg: Registry) -> Iterator[tuple[Any, ...]]:
        getters = [c.get for c in self.columns]
        for rec in reg.awards.values():
            for kpi in rec.get("kpis") or ():
                for position, assessment in enumerate(kpi.get("assessments") or (), 1):
                    item = {**assessment, "_kpi_id": kpi.get("id")}
                    yield tuple(g(rec, item, position) for g in getters)


def contract_tables(reg: Registry, schemas: SchemaSet) -> tuple[Table, Table]:
    award_id = Column("award_id", "string", "The id of the award this row belongs to.", _record_id,
                      constraints={"required": True}, source="award: id")
    changes = Table("contract_changes", "Contract changes",
                    "Changes to each contract after award (modifications, extensions, UK10 notices), one row per "
                    "change, oldest first.", "award", ("changes",), ("award_id", "id"),
                    [award_id, *schema_columns(schemas, "award", ("changes",), set())],
                    [ForeignKey(("award_id",), "awards", ("id",))], text_columns=("description", "reason"))
    kpi_id = Column("kpi_id", "string", "The id of the KPI assessed (unique within its award).",
                    _path_getter(("_kpi_id",)), constraints={"required": True}, source="award: kpis[].id")
    position = Column("position", "integer", "The assessment's position in the KPI's list (1 = first).", _position,
                      constraints={"required": True, "minimum": 1}, source="computed")
    assessments = KpiAssessmentsTable(
        "kpi_assessments", "KPI assessments",
        "How each supplier performed against each KPI, one row per KPI and period, rated on the Procurement Act "
        "UK9 scale.", "award", ("kpis", "[]", "assessments"), ("award_id", "kpi_id", "position"),
        [award_id, kpi_id, position, *schema_columns(schemas, "award", ("kpis", "[]", "assessments"), set())],
        [ForeignKey(("award_id", "kpi_id"), "kpis", ("award_id", "id"))], text_columns=("narrative",))
    return changes, assessments
