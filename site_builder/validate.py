"""Validate stage: every record against its schema, then the rules that span records.

How it stays fast at 100,000 records:

* each file is parsed and schema-screened once, in worker processes, which send back only compact *facts* (the
  handful of fields the cross-record rules read: ids, references, periods, units), not the whole record;
* the facts and per-file problems are cached by the file's SHA-256 (plus the schemas' and this code's hash), so an
  unchanged file is never parsed again (``.cache/procure/``, gitignored);
* the cross-record rules then run over the facts of the whole register in one process.

Every problem is collected; nothing stops the run early. Positions for cross-record problems are worked out only for
the files that have one (``positions_of`` re-reads just those files).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from site_builder.config import RegisterConfig
from site_builder.errors import InvalidRegisterError, Problem, Severity
from site_builder.load import (
    FOLDER_OF_TYPE,
    MAX_FILE_BYTES,
    RECORD_FOLDERS,
    Positions,
    SourceFile,
    YamlProblem,
    escape_pointer_token,
    iter_record_files,
    parse_yaml,
    positions_of,
    read_record_bytes,
)
from site_builder.schemas import SchemaIssue, load_schemas

#: the only fields the cross-record rules read, per record type (None = keep the whole value)
FACT_FIELDS: dict[str, dict[str, Any]] = {
    "organisation": {"id": None, "roles": None},
    "tender": {"id": None, "buyer": None, "tender_period": None,
               "status": None, "procurement_method": None, "legal_basis": None, "justification": None,  # issue 13
               "termination": None, "forward_plan": None, "community_engagement": [{"date": None, "register_by": None}]},
    "award": {
        "id": None, "tender": None, "buyer": None, "suppliers": None, "contract_period": None,
        "commitments": [{"id": None, "measure": None, "target": {"unit": None, "period": None}, "valuation": None}],
        "kpis": [{"id": None, "assessments": [{"period": None}]}],
        # issue 13: procedure, changes, termination (rules in validate_contracts.py)
        "date": None, "value": None, "contract_status": None, "procedure": None, "changes": None, "termination": None,
        "framework": None, "framework_agreement": None,
    },
    "outcome": {
        "id": None, "award": None, "commitment": None, "reported_by": None, "supersedes": None, "period": None,
        "delivered": {"unit": None, "cumulative_to_date": None}, "monetised_value_gbp": None, "assurance": None,
        "evidence": None,
    },
    "measure": {"id": None, "scheme": None, "code": None, "unit": None},
}

PARALLEL_FROM = 400  # below this many files to parse, starting worker processes costs more than it saves
_CHUNK = 250
_ASSURED = ("buyer-validated", "independently-verified")
_LABEL = {"organisation": "organisation", "tender": "tender", "award": "award", "outcome": "outcome",
          "measure": "measure"}


@dataclass
class ValidationResult:
    """What validation found. ``files`` holds every record file; their ``data`` and ``source`` are filled only when
    asked for (``keep_data=True``), so validating 100,000 records does not hold them all in memory."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)


# --------------------------------------------------------------------------------------------------------------------
# per-file work (runs in worker processes)


@dataclass
class FileOutcome:
    """The compact result of checking one file on its own."""

    rel_path: str
    record_type: str | None
    digest: str | None  # sha256 of the bytes; None when the file was not read
    facts: dict[str, Any] | None
    problems: list[tuple[int, int, str, str, str, str | None]]  # line, col, code, pointer, message, hint
    data: dict[str, Any] | None = None
    source: bytes | None = None


def _prune(value: Any, spec: Any) -> Any:
    if spec is None:
        return value
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return value
        return {k: _prune(value[k], sub) for k, sub in spec.items() if k in value}
    if isinstance(spec, list):
        if not isinstance(value, list):
            return value
        return [_prune(item, spec[0]) for item in value]
    return value  # pragma: no cover


def extract_facts(record_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The few fields the cross-record rules need (the rules read facts or full data alike)."""
    return dict(_prune(data, FACT_FIELDS[record_type]))


def _located(issues: Iterable[SchemaIssue], positions: Positions) -> list[tuple[int, int, str, str, str, str | None]]:
    located = []
    for issue in issues:
        if issue.anchor == "key":
            line, col = positions.of_key(issue.pointer)
        else:
            line, col = positions.of_value(issue.pointer)
        located.append((line, col, issue.code, issue.pointer, issue.message, issue.hint))
    return located


def check_file(path: str, rel_path: str, record_type: str | None, records_dir: Path, schemas_dir: Path,
               keep_data: bool) -> FileOutcome:
    """Read, parse and schema-check one file on its own (no other record is looked at)."""
    try:
        source = read_record_bytes(path, records_dir)
    except YamlProblem as exc:
        return FileOutcome(rel_path, record_type, None, None, [(exc.line, exc.col, exc.code, exc.pointer, exc.message,
                                                                 exc.hint)])
    digest = hashlib.sha256(source).hexdigest()
    outcome = FileOutcome(rel_path, record_type, digest, None, [], source=source if keep_data else None)
    try:
        data, _ = parse_yaml(source)
    except YamlProblem as exc:
        outcome.problems.append((exc.line, exc.col, exc.code, exc.pointer, exc.message, exc.hint))
        return outcome
    if record_type is None:
        return outcome
    issues = load_schemas(schemas_dir).check(record_type, data)
    if issues:
        outcome.problems.extend(_located(issues, positions_of(source)))
    outcome.facts = extract_facts(record_type, data)
    if keep_data:
        outcome.data = data
    return outcome


def _check_chunk(jobs: list[tuple[str, str, str | None]], records_dir: Path, schemas_dir: Path,
                 keep_data: bool) -> list[FileOutcome]:
    return [check_file(path, rel, rtype, records_dir, schemas_dir, keep_data) for path, rel, rtype in jobs]


def _worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _run_checks(jobs: list[tuple[str, str, str | None]], records_dir: Path, schemas_dir: Path,
                keep_data: bool) -> Iterator[FileOutcome]:
    workers = _worker_count()
    if len(jobs) < PARALLEL_FROM or workers < 2:
        yield from _check_chunk(jobs, records_dir, schemas_dir, keep_data)
        return
    # fork is cheapest, but unsafe once other threads run (e.g. under `mkdocs serve`)
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "spawn"
    chunks = [jobs[i: i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        for outcomes in pool.map(_check_chunk, chunks, *([x] * len(chunks) for x in (records_dir, schemas_dir,
                                                                                      keep_data))):
            yield from outcomes


# --------------------------------------------------------------------------------------------------------------------
# the content-hash cache


def _code_version() -> str:
    """Changes whenever the checking code changes, so a cache never outlives the rules that filled it."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("load.py", "schemas.py", "validate.py", "validate_contracts.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


class FileCache:
    """What was learnt about each file, keyed by (record type, SHA-256 of its bytes), plus each path's last
    (mtime, size) → SHA-256, and the last run's cross-record problems keyed by every file's hash.

    An unchanged file is then neither parsed nor even read; an unchanged register skips the cross-record rules.
    Failing to read or write the cache is harmless: everything is simply checked again.
    """

    def __init__(self, root: Path, schema_digest: str, enabled: bool = True):
        self.folder = root / ".cache" / "procure"
        self.path = self.folder / f"validate-{schema_digest[:16]}-{_code_version()}.json"
        self.enabled = enabled
        self.entries: dict[str, Any] = {}
        self.stats: dict[str, Any] = {}
        self.run: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.new_stats: dict[str, Any] = {}
        self.new_run: dict[str, Any] = {}
        self.changed = False
        if enabled:
            try:
                loaded = json.loads(self.path.read_bytes())
                self.entries = dict(loaded["files"])
                self.stats = dict(loaded["stats"])
                self.run = dict(loaded["run"])
            except (OSError, ValueError, KeyError, TypeError):
                self.entries, self.stats, self.run = {}, {}, {}

    @staticmethod
    def key(record_type: str | None, digest: str) -> str:
        return f"{record_type}:{digest}"

    def digest_by_stat(self, rel_path: str, info: os.stat_result) -> str | None:
        known = self.stats.get(rel_path)
        if known and known[0] == info.st_mtime_ns and known[1] == info.st_size:
            self.new_stats[rel_path] = known
            return str(known[2])
        return None

    def remember_stat(self, rel_path: str, info: os.stat_result, digest: str) -> None:
        # a file modified within the last seconds could change again within the same mtime tick: don't trust it
        if time.time() - info.st_mtime > 2:
            self.new_stats[rel_path] = [info.st_mtime_ns, info.st_size, digest]
            self.changed = True

    def get(self, record_type: str | None, digest: str) -> Any:
        entry = self.entries.get(self.key(record_type, digest))
        if entry is not None:
            self.used[self.key(record_type, digest)] = entry
        return entry

    def put(self, outcome: FileOutcome) -> None:
        if outcome.digest is not None:
            self.used[self.key(outcome.record_type, outcome.digest)] = [outcome.facts, outcome.problems]
            self.changed = True

    def save(self) -> None:
        """Keep only the entries of files present now (the cache never grows without bound); written atomically."""
        if not self.enabled:
            return
        if not self.changed and self.new_run == self.run and len(self.used) == len(self.entries):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for stale in self.folder.glob("validate-*.json"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
            temp = self.path.with_suffix(f".{os.getpid()}.tmp")
            payload = {"files": self.used, "stats": self.new_stats, "run": self.new_run}
            temp.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
            os.replace(temp, self.path)
        except OSError:
            pass  # a read-only checkout still validates, just without the cache


# --------------------------------------------------------------------------------------------------------------------
# discovery


def _classify(inner: str) -> tuple[str | None, str | None]:
    """(record type, problem) for a file's path inside records/: the folder decides the type."""
    parts = inner.split(os.sep)
    if len(parts) == 2 and parts[0] in RECORD_FOLDERS:
        if parts[1].endswith(".yml"):
            return None, "yml"
        return RECORD_FOLDERS[parts[0]], None
    return None, "folder"


def _stem(rel_path: str) -> str:
    return rel_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


# --------------------------------------------------------------------------------------------------------------------
# cross-record rules


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _period(value: Any) -> tuple[date, date] | None:
    if not isinstance(value, dict):
        return None
    start, end = _date(value.get("start_date")), _date(value.get("end_date"))
    return (start, end) if start and end else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class RuleProblem:
    """A cross-record problem before it is given a line and column."""

    rel_path: str
    pointer: str
    code: str
    message: str
    hint: str | None = None
    anchor: str = "value"


@dataclass
class _Rec:
    rel_path: str
    type: str
    id: str
    facts: dict[str, Any]


_ID_SHAPE = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\Z")


def check_register(facts_by_path: dict[str, tuple[str, dict[str, Any]]], config: RegisterConfig,
                   unreadable: Iterable[tuple[str, str]] = ()) -> list[RuleProblem]:
    """The rules that span records (issue 2 and the social-value rules of issue 5), over every record's facts.

    ``unreadable`` lists (record type, file stem) of record files that could not be parsed: references to them are
    not reported again (the file's own problem is the one to fix).
    """
    broken = set(unreadable)
    problems: list[RuleProblem] = []
    add = problems.append

    records: list[_Rec] = []
    by_lower: dict[str, list[_Rec]] = defaultdict(list)
    for rel_path in sorted(facts_by_path):
        rtype, facts = facts_by_path[rel_path]
        record_id = _text(facts.get("id"))
        if record_id is None:
            continue
        rec = _Rec(rel_path, rtype, record_id, facts)
        records.append(rec)
        by_lower[record_id.lower()].append(rec)
        stem = _stem(rel_path)
        if stem != record_id and _ID_SHAPE.match(record_id):  # a malformed id is reported by the schema
            add(RuleProblem(rel_path, "/id", "id/filename-mismatch",
                            f"the id '{record_id}' does not match the file name '{rel_path.rsplit('/', 1)[-1]}'",
                            f"rename the file to {record_id}.yaml, or change the id to '{stem}'"))

    index: dict[str, dict[str, _Rec]] = {t: {} for t in FOLDER_OF_TYPE}
    for group in by_lower.values():
        if len(group) > 1:
            for rec in group:
                others = ", ".join(o.rel_path for o in group if o is not rec)
                same = all(o.id == rec.id for o in group)
                used = "is also used by" if same else "differs only in upper/lower case from the id in"
                add(RuleProblem(rec.rel_path, "/id", "id/duplicate", f"the id '{rec.id}' {used} {others}",
                                "give each record its own id: its web address and downloads depend on it"))
        for rec in group:
            index[rec.type].setdefault(rec.id, rec)
    lower_index = {rid.lower(): rec for recs in index.values() for rid, rec in recs.items()}
    by_stem = {(rec.type, _stem(rec.rel_path)): rec for rec in records}

    def resolve(rec: _Rec, pointer: str, value: Any, wanted: str) -> _Rec | None:
        """The record ``value`` names, or a ref/* problem saying why not."""
        ref = _text(value)
        if ref is None:
            return None  # missing or wrong type: the schema already reported it
        target = index[wanted].get(ref)
        if target is not None:
            return target
        if (wanted, ref) in broken:
            return None
        if ref == rec.id and wanted == rec.type:
            return rec
        other = lower_index.get(ref.lower())
        if other is not None and other.id == ref:
            add(RuleProblem(rec.rel_path, pointer, "ref/unresolved",
                            f"'{ref}' is {_article(other.type)} {other.type}, not {_article(wanted)} {wanted}",
                            f"name {_article(wanted)} {wanted} from records/{FOLDER_OF_TYPE[wanted]}/"))
        else:
            misnamed = by_stem.get((wanted, ref))
            if other is not None and other.type == wanted:
                hint = f"did you mean '{other.id}'? ids are matched exactly"
            elif misnamed is not None:
                hint = f"{misnamed.rel_path} has the id '{misnamed.id}'"
            else:
                hint = f"add records/{FOLDER_OF_TYPE[wanted]}/{ref}.yaml or correct the id"
            add(RuleProblem(rec.rel_path, pointer, "ref/unresolved", f"no {wanted} '{ref}' in the register", hint))
        return None

    def require_role(rec: _Rec, pointer: str, org: _Rec | None, role: str) -> None:
        if org is None:
            return
        roles = _list(org.facts.get("roles"))
        if roles and role not in roles:
            add(RuleProblem(rec.rel_path, pointer, "ref/role",
                            f"organisation '{org.id}' is not marked as a {role} (its roles: {', '.join(map(str, roles))})",
                            f"add '{role}' to the roles in {org.rel_path}"))

    def check_order(rec: _Rec, pointer: str, value: Any) -> tuple[date, date] | None:
        period = _period(value)
        if period and period[1] < period[0]:
            add(RuleProblem(rec.rel_path, f"{pointer}/end_date", "date/order",
                            f"the period ends ({period[1]}) before it starts ({period[0]})",
                            "check the start_date and end_date are the right way round"))
            return None
        return period

    def inside(inner: tuple[date, date], outer: tuple[date, date]) -> bool:
        return outer[0] <= inner[0] and inner[1] <= outer[1]

    measures: dict[tuple[str, str], _Rec] = {}
    for rec in index["measure"].values():
        key = (str(rec.facts.get("scheme")), str(rec.facts.get("code")))
        if key in measures:
            add(RuleProblem(rec.rel_path, "/code", "measure/duplicate-code",
                            f"the measure code '{key[1]}' of scheme '{key[0]}' is also used by {measures[key].rel_path}",
                            "each pair of scheme and code may appear only once in the measures catalogue"))
        else:
            measures[key] = rec

    from site_builder import validate_contracts  # issue 13 (imports RuleProblem from here)

    for rec in index["tender"].values():
        require_role(rec, "/buyer", resolve(rec, "/buyer", rec.facts.get("buyer"), "organisation"), "buyer")
        check_order(rec, "/tender_period", rec.facts.get("tender_period"))
        problems += validate_contracts.check_tender(rec.rel_path, rec.facts)

    contract_periods: dict[str, tuple[date, date] | None] = {}
    commitments: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in index["award"].values():
        facts = rec.facts
        buyer = resolve(rec, "/buyer", facts.get("buyer"), "organisation")
        require_role(rec, "/buyer", buyer, "buyer")
        if facts.get("tender") is not None:
            tender = resolve(rec, "/tender", facts.get("tender"), "tender")
            tender_buyer = _text(tender.facts.get("buyer")) if tender else None
            if buyer is not None and tender_buyer in index["organisation"] and tender_buyer != buyer.id:
                add(RuleProblem(rec.rel_path, "/buyer", "ref/buyer-mismatch",
                                f"the award's buyer '{buyer.id}' is not the buyer of its tender '{tender.id if tender else ''}'"
                                f" ('{tender_buyer}')", "an award is made by the organisation that ran the tender"))
        for i, supplier in enumerate(_list(facts.get("suppliers"))):
            require_role(rec, f"/suppliers/{i}", resolve(rec, f"/suppliers/{i}", supplier, "organisation"), "supplier")
        contract = check_order(rec, "/contract_period", facts.get("contract_period"))
        contract_periods[rec.id] = contract
        problems += validate_contracts.check_award(rec.rel_path, facts)
        if facts.get("framework") is not None:
            framework = resolve(rec, "/framework", facts.get("framework"), "award")
            if framework is not None:
                problems += validate_contracts.check_call_off(rec.rel_path, facts, framework.id, framework.facts)
        kpi_seen: dict[str, int] = {}  # a KPI's id keys its row in the kpis table and its OCDS metric
        for i, kpi in enumerate(_list(facts.get("kpis"))):
            kid = _text(kpi.get("id")) if isinstance(kpi, dict) else None
            if kid is not None:
                _note_unique_id(kpi_seen, kid, i, rec.rel_path, f"/kpis/{i}/id", "KPI", "KPI1, KPI2, KPI3", add)
            for j, assessment in enumerate(_list(kpi.get("assessments")) if isinstance(kpi, dict) else ()):
                if isinstance(assessment, dict):
                    check_order(rec, f"/kpis/{i}/assessments/{j}/period", assessment.get("period"))
        seen: dict[str, int] = {}
        for i, commitment in enumerate(_list(facts.get("commitments"))):
            if not isinstance(commitment, dict):
                continue
            pointer = f"/commitments/{i}"
            cid = _text(commitment.get("id"))
            if cid is not None and _note_unique_id(seen, cid, i, rec.rel_path, f"{pointer}/id", "commitment",
                                                   "C1, C2, C3", add):
                commitments[(rec.id, cid)] = commitment
            target = _dict(commitment.get("target"))
            period = check_order(rec, f"{pointer}/target/period", target.get("period"))
            if period and contract and not inside(period, contract):
                add(RuleProblem(rec.rel_path, f"{pointer}/target/period", "sv/period-outside-contract",
                                f"the target period {period[0]} to {period[1]} is not inside the contract period "
                                f"{contract[0]} to {contract[1]}", "a commitment is delivered during the contract"))
            measure = _dict(commitment.get("measure"))
            scheme, code = _text(measure.get("scheme")), _text(measure.get("code"))
            if scheme and code and scheme not in config.external_schemes:
                found = measures.get((scheme, code))
                if found is None:
                    add(RuleProblem(rec.rel_path, f"{pointer}/measure/code", "sv/unknown-measure",
                                    f"no measure '{code}' of scheme '{scheme}' in records/measures/",
                                    f"add the measure to records/measures/, or list '{scheme}' under external_schemes "
                                    "in mkdocs.yml if it is catalogued elsewhere"))
                elif _text(target.get("unit")) and found.facts.get("unit") != target.get("unit"):
                    add(RuleProblem(rec.rel_path, f"{pointer}/target/unit", "sv/measure-unit-mismatch",
                                    f"the target is in '{target.get('unit')}' but measure '{found.id}' is counted in "
                                    f"'{found.facts.get('unit')}'", "use the measure's unit so figures can be added up"))

    by_commitment: dict[tuple[str, str], list[tuple[tuple[date, date], _Rec]]] = defaultdict(list)
    superseded: set[str] = set()
    for rec in index["outcome"].values():
        facts = rec.facts
        if _text(facts.get("supersedes")) is not None:
            if facts.get("supersedes") == rec.id:
                add(RuleProblem(rec.rel_path, "/supersedes", "ref/self", f"the outcome '{rec.id}' supersedes itself",
                                "name the earlier outcome this one replaces, or remove 'supersedes'"))
            elif resolve(rec, "/supersedes", facts.get("supersedes"), "outcome") is not None:
                superseded.add(str(facts.get("supersedes")))
        if facts.get("reported_by") is not None:
            resolve(rec, "/reported_by", facts.get("reported_by"), "organisation")
        period = check_order(rec, "/period", facts.get("period"))
        delivered = _dict(facts.get("delivered"))
        assurance = _text(facts.get("assurance"))
        if assurance in _ASSURED and not _list(facts.get("evidence")):
            add(RuleProblem(rec.rel_path, "/assurance", "sv/evidence-required",
                            f"assurance '{assurance}' needs at least one piece of evidence",
                            "add an evidence entry with a type, title and url, or set assurance to self-reported"))
        award = resolve(rec, "/award", facts.get("award"), "award")
        if award is None:
            continue
        cid = _text(facts.get("commitment"))
        if cid is None:
            continue
        commitment = commitments.get((award.id, cid))
        if commitment is None:
            known = [str(c.get("id")) for c in _list(award.facts.get("commitments")) if isinstance(c, dict)]
            add(RuleProblem(rec.rel_path, "/commitment", "ref/unresolved", f"award '{award.id}' has no commitment '{cid}'",
                            f"its commitments are: {', '.join(known)}" if known else "that award lists no commitments"))
            continue
        target = _dict(commitment.get("target"))
        unit, wanted_unit = _text(delivered.get("unit")), _text(target.get("unit"))
        if unit and wanted_unit and unit != wanted_unit:
            add(RuleProblem(rec.rel_path, "/delivered/unit", "sv/unit-mismatch",
                            f"delivered in '{unit}' but commitment '{cid}' of award '{award.id}' is counted in "
                            f"'{wanted_unit}'", "report in the commitment's unit; different units are never added together"))
        contract = contract_periods.get(award.id)
        if period and contract and not inside(period, contract):
            add(RuleProblem(rec.rel_path, "/period", "sv/period-outside-contract",
                            f"the period {period[0]} to {period[1]} is not inside the contract period of award "
                            f"'{award.id}', {contract[0]} to {contract[1]}",
                            "report only for periods while the contract runs"))
        if facts.get("monetised_value_gbp") is not None:
            valuation = _dict(commitment.get("valuation"))
            if not all(valuation.get(k) not in (None, "") for k in ("proxy_value_gbp_per_unit", "proxy_source",
                                                                     "proxy_version")):
                add(RuleProblem(rec.rel_path, "/monetised_value_gbp", "sv/monetised-without-proxy",
                                f"a monetised value is given but commitment '{cid}' of award '{award.id}' declares no "
                                "proxy valuation with a value per unit, source and version",
                                "add a valuation to the commitment, or remove monetised_value_gbp"))
        if period:
            by_commitment[(award.id, cid)].append((period, rec))

    for reports in by_commitment.values():
        previous: tuple[float, _Rec, tuple[date, date]] | None = None
        for period, rec in sorted(reports, key=lambda item: (item[0], item[1].id)):
            if rec.id in superseded:
                continue  # replaced by a correction; the correction is what counts
            cumulative = _dict(rec.facts.get("delivered")).get("cumulative_to_date")
            if not isinstance(cumulative, (int, float)) or isinstance(cumulative, bool):
                continue
            if previous is not None and cumulative < previous[0]:
                add(RuleProblem(rec.rel_path, "/delivered/cumulative_to_date", "sv/cumulative-decrease",
                                f"cumulative_to_date {_num(cumulative)} is less than the {_num(previous[0])} reported "
                                f"for the earlier period {previous[2][0]} to {previous[2][1]} in {previous[1].id}",
                                "a running total never goes down; correct the earlier report with a superseding "
                                "outcome if it was too high"))
            previous = (cumulative, rec, period)
    return problems


def _note_unique_id(seen: dict[str, int], item_id: str, index: int, rel_path: str, pointer: str, noun: str,
                    examples: str, add: Callable[[RuleProblem], None]) -> bool:
    """Record an item id unique within its award (ignoring case); report a repeat. True if the id is new."""
    first = seen.get(item_id.lower())
    if first is None:
        seen[item_id.lower()] = index
        return True
    add(RuleProblem(rel_path, pointer, f"{noun.lower()}/duplicate-id",
                    f"the {noun} id '{item_id}' repeats the id of {noun} {first + 1} of this award; "
                    "ids are compared ignoring upper/lower case",
                    f"give each {noun} of an award its own id, such as {examples}"))
    return False


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------------------------------------------------
# the stage


def _selected(paths: list[Path] | None) -> Callable[[str], bool]:
    """Whether a file (absolute path) is one the caller asked about: named itself, or inside a named folder."""
    if not paths:
        return lambda _path: True
    # resolve the folder part only: a named link is matched as the link, not as what it points to
    wanted = [os.path.join(os.path.realpath(os.path.dirname(os.path.abspath(p))), os.path.basename(os.path.abspath(p)))
              for p in paths]

    def keep(path: str) -> bool:
        return any(path == w or path.startswith(w.rstrip(os.sep) + os.sep) for w in wanted)

    return keep


def validate_register(config: RegisterConfig, paths: list[Path] | None = None, *, keep_data: bool = False,
                      use_cache: bool = True) -> ValidationResult:
    """Check every record file under ``config.records_dir``.

    ``paths`` limits the problems reported to those files or folders; the rules still see the whole register (a
    duplicate id in another file is still a duplicate). ``keep_data`` fills each file's ``data`` and ``source``
    (what the site build needs); otherwise they are left empty to keep memory small.
    """
    schemas = load_schemas(config.schemas_dir)
    cache = FileCache(config.root, schemas.digest, enabled=use_cache)
    records_dir = config.records_dir
    keep = _selected(paths)

    result = ValidationResult()
    per_file: list[Problem] = []
    absolute_of: dict[str, str] = {}
    facts_by_path: dict[str, tuple[str, dict[str, Any]]] = {}
    jobs: list[tuple[str, str, str | None]] = []
    root_prefix = os.fspath(config.root) + os.sep
    records_prefix = os.fspath(records_dir) + os.sep
    outcomes: list[FileOutcome] = []
    if not records_dir.is_dir():
        per_file.append(Problem(_rel(records_dir, config.root), 0, 0, "file/no-records", "",
                                "the records folder does not exist", hint="create records/ with one folder per record type"))

    for path in iter_record_files(records_dir) if records_dir.is_dir() else ():
        rel = path[len(root_prefix):] if path.startswith(root_prefix) else path
        rel = rel.replace(os.sep, "/")
        absolute_of[rel] = path
        record_type, trouble = _classify(path[len(records_prefix):])
        if trouble == "yml":
            per_file.append(Problem(rel, 0, 0, "file/extension", "", "record files end in .yaml, not .yml",
                                    hint=f"rename it to {_stem(rel)}.yaml"))
            continue
        if trouble == "folder":
            folders = ", ".join(f"records/{f}/" for f in RECORD_FOLDERS)
            per_file.append(Problem(rel, 0, 0, "file/unknown-folder", "",
                                    "this file is not in a record folder, so it is not part of the register",
                                    hint=f"move it into one of {folders}"))
            continue
        if not keep_data and cache.enabled and not os.path.islink(path):
            cached_outcome = _from_cache(cache, path, rel, record_type)
            if cached_outcome is not None:
                outcomes.append(cached_outcome)
                continue
        jobs.append((path, rel, record_type))

    for outcome in _run_checks(jobs, records_dir, config.schemas_dir, keep_data):
        cache.put(outcome)
        if outcome.digest is not None and use_cache:
            with contextlib.suppress(OSError):
                cache.remember_stat(outcome.rel_path, os.stat(absolute_of[outcome.rel_path]), outcome.digest)
        outcomes.append(outcome)

    outcomes.sort(key=lambda o: o.rel_path)
    for outcome in outcomes:
        for line, col, code, pointer, message, hint in outcome.problems:
            per_file.append(Problem(outcome.rel_path, line, col, code, pointer, message, hint=hint))
        if outcome.facts is not None and outcome.record_type is not None:
            facts_by_path[outcome.rel_path] = (outcome.record_type, outcome.facts)
        result.files.append(SourceFile(outcome.rel_path, outcome.record_type, outcome.source or b"", outcome.data))

    # the cross-record rules' answer depends only on every file's content and the settings they read
    register_key = None
    if all(o.digest for o in outcomes):
        digest = hashlib.sha256(json.dumps(sorted(config.external_schemes)).encode())
        for o in outcomes:
            digest.update(f"{o.rel_path}\t{o.record_type}\t{o.digest}\n".encode())
        register_key = digest.hexdigest()
    if register_key is not None and cache.run.get("key") == register_key:
        rule_placed = [Problem(row[0], row[1], row[2], row[3], row[4], row[5], hint=row[6])
                       for row in cache.run["problems"]]
    else:
        unreadable = [(o.record_type, _stem(o.rel_path)) for o in outcomes if o.facts is None and o.record_type]
        rule_placed = _place(check_register(facts_by_path, config, unreadable), absolute_of, records_dir)
    if register_key is not None:
        cache.new_run = {"key": register_key, "problems": [
            [p.path, p.line, p.col, p.code, p.pointer, p.message, p.hint] for p in rule_placed]}
    cache.save()

    problems = [p for p in per_file + rule_placed if keep(absolute_of.get(p.path, os.path.join(config.root, p.path)))]
    result.problems = sorted(set(problems))
    return result


def _from_cache(cache: FileCache, path: str, rel: str, record_type: str | None) -> FileOutcome | None:
    """The cached outcome for an unchanged file: by (mtime, size) without reading it, else by its hash."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    digest = cache.digest_by_stat(rel, info)
    if digest is None:
        try:
            with open(path, "rb") as handle:
                source = handle.read(MAX_FILE_BYTES + 1) if info.st_size <= MAX_FILE_BYTES else None
        except OSError:
            return None
        if source is None:
            return None  # too large: check_file reports it without reading it
        digest = hashlib.sha256(source).hexdigest()
        cache.remember_stat(rel, info, digest)
    cached = cache.get(record_type, digest)
    if cached is None:
        return None
    return FileOutcome(rel, record_type, digest, cached[0], [tuple(p) for p in cached[1]])


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _place(rule_problems: list[RuleProblem], absolute_of: dict[str, str], records_dir: Path) -> list[Problem]:
    """Give cross-record problems their line and column (re-reading only the files concerned)."""
    by_file: dict[str, list[RuleProblem]] = defaultdict(list)
    for problem in rule_problems:
        by_file[problem.rel_path].append(problem)
    placed = []
    for rel_path, problems in by_file.items():
        try:
            positions = positions_of(read_record_bytes(absolute_of[rel_path], records_dir))
        except YamlProblem:  # changed or removed while we were checking: place at the top of the file
            positions = Positions()
        for p in problems:
            line, col = positions.of_key(p.pointer) if p.anchor == "key" else positions.of_value(p.pointer)
            placed.append(Problem(rel_path, line, col, p.code, p.pointer, p.message, hint=p.hint))
    return placed


def load_register(config: RegisterConfig, *, use_cache: bool = True) -> list[SourceFile]:
    """Load and validate the whole register for the site build: every record file with its data and source bytes.

    Raises :class:`InvalidRegisterError` (carrying the problems) when anything is wrong, so nothing is built from a
    register that does not validate.
    """
    result = validate_register(config, keep_data=True, use_cache=use_cache)
    if not result.ok:
        raise InvalidRegisterError(result.problems)
    return result.files


def pointer_to(*tokens: str | int) -> str:
    """Build a JSON Pointer from path tokens (used by callers that report against record fields)."""
    return "".join(f"/{escape_pointer_token(t)}" for t in tokens)
