"""Validate stage: every record against its schema, then the rules that span records.

How it stays fast at 100,000 records:

* each file is parsed and schema-screened once, in worker processes, which send back only compact *facts* (the
  handful of fields the cross-record rules read: ids, references, periods, units), not the whole record;
* the facts and per-file problems are cached by the file's SHA-256 (plus the schemas' and this code's hash), so an
  unchanged file is never parsed again (in the user's cache folder, outside the checkout, signed: see FileCache);
* the cross-record rules then run over the facts of the whole register in one process.

Every problem is collected; nothing stops the run early. Positions for cross-record problems are worked out only for
the files that have one (``positions_of`` re-reads just those files).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import multiprocessing
import os
import re
import stat
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from site_builder import validate_contracts  # issue 13: the contract-after-award rules
from site_builder.config import RegisterConfig
from site_builder.dates import parse_date
from site_builder.errors import InvalidRegisterError, Problem, RuleProblem, Severity
from site_builder.formatting import format_money
from site_builder.limits import MAX_NUMBER, value_issues
from site_builder.load import (
    FOLDER_OF_TYPE,
    IMPORTED_MARK,
    MAX_FILE_BYTES,
    RECORD_FOLDERS,
    Positions,
    SourceFile,
    YamlProblem,
    iter_record_files,
    parse_yaml,
    positions_of,
    read_record_bytes,
)
from site_builder.mistakes import (
    ABOVE_ESTIMATE,
    BELOW_ESTIMATE,
    estimate_amount,
    is_placeholder,
    placeholders,
    suggest,
    under,
)
from site_builder.schemas import SchemaIssue, load_schemas

#: the only fields the cross-record rules read, per record type (None = keep the whole value)
FACT_FIELDS: dict[str, dict[str, Any]] = {
    "organisation": {"id": None, "roles": None, "name": None},
    "tender": {"id": None, "buyer": None, "tender_period": None, "lots": [{"id": None}], "value": None,
               "status": None, "procurement_method": None, "legal_basis": None, "justification": None,  # issue 13
               "termination": None, "forward_plan": None, "community_engagement": [{"date": None, "register_by": None}]},
    "award": {
        "id": None, "tender": None, "buyer": None, "suppliers": None, "contract_period": None, "lots": None,
        "published": None,
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


#: a fact set on records `procure import-ocds` wrote (not a field: fields never start with an underscore)
IMPORTED_FACT = "_imported"


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


#: at most this many problems are listed per file (one broken 100 KB record could otherwise yield 50,000 lines)
MAX_PROBLEMS_PER_FILE = 100


#: problems that do not stop a build: shown, counted, but the register is still published
WARNING_CODES = frozenset({"import/gap", "import/gap-filled"})
_MISSING_FIELD = re.compile(r"missing the required field '([^']+)'$")


def _import_gaps_as_warnings(issues: list[SchemaIssue], data: Any) -> list[SchemaIssue]:
    """A required field an imported record lists in ``import_gaps`` (its source did not publish it) is a warning,
    not an error: the contract stays in the register and its page says the value was not published."""
    gaps = data.get("import_gaps") if isinstance(data, dict) else None
    if not isinstance(gaps, list):
        return issues
    out = [SchemaIssue("import/gap-filled", f"/import_gaps/{i}", f"'{gap}' is listed as not published by the "
                       f"source, but the record has it", f"remove '{gap}' from import_gaps", "value")
           for i, gap in enumerate(gaps) if isinstance(gap, str) and gap in data
           and not any(issue.pointer == f"/import_gaps/{i}" for issue in issues)]  # not a gap at all: one error
    for issue in issues:
        match = _MISSING_FIELD.search(issue.message) if issue.code == "schema/required" and issue.pointer == "" else None
        if match and match.group(1) in gaps:
            out.append(SchemaIssue("import/gap", "", f"'{match.group(1)}' was not published by the source this record "
                                   "was imported from; the site shows it as not published", issue.hint, "parent"))
        else:
            out.append(issue)
    return out


def check_file(path: str, rel_path: str, record_type: str | None, records_dir: Path, schemas_dir: Path,
               keep_data: bool) -> FileOutcome:
    """Read, parse and schema-check one file on its own (no other record is looked at).

    Whatever goes wrong is reported against this file: an unexpected failure never stops the whole run.
    """
    try:
        outcome = _check_file(path, rel_path, record_type, records_dir, schemas_dir, keep_data)
    except Exception as exc:  # a bug of ours tripped by this file: name the file, keep checking the others
        return FileOutcome(rel_path, record_type, None, None, [
            (0, 0, "file/check-failed", "", f"this file could not be checked ({type(exc).__name__}: "
             f"{str(exc)[:200]})", "please report this, with the file, to the register's maintainers")])
    if len(outcome.problems) > MAX_PROBLEMS_PER_FILE:
        hidden = len(outcome.problems) - MAX_PROBLEMS_PER_FILE
        summary = (0, 0, "file/too-many-problems", "", f"{hidden:,} more problems in this file are not listed",
                   "fix the ones listed and validate again")
        outcome.problems = [*sorted(outcome.problems, key=lambda p: p[:5])[:MAX_PROBLEMS_PER_FILE], summary]
    return outcome


def _check_file(path: str, rel_path: str, record_type: str | None, records_dir: Path, schemas_dir: Path,
                keep_data: bool) -> FileOutcome:
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
    schema_issues = _import_gaps_as_warnings(load_schemas(schemas_dir).check(record_type, data), data)
    bounded = {i.pointer for i in schema_issues if i.code == "schema/maximum"}  # said once, by the schema
    issues = [i for i in value_issues(data) if i.pointer not in bounded] + schema_issues
    left = dict(placeholders(data))
    if left:  # the placeholder is the problem to report, not the schema's view of the made-up value
        issues = [i for i in issues if not under(i.pointer, set(left))]
        issues += [SchemaIssue("placeholder/unreplaced", pointer, f"'{text}' is a placeholder left from "
                               "`procure new`", "write the real value here") for pointer, text in left.items()]
    if issues:
        outcome.problems.extend(_located(issues, positions_of(source)))
    outcome.facts = extract_facts(record_type, data)
    if source.startswith(IMPORTED_MARK.encode()):
        outcome.facts[IMPORTED_FACT] = True  # says what its source published: not checked for typing slips
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
    for name in ("load.py", "schemas.py", "validate.py", "validate_contracts.py", "mistakes.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_home() -> Path:
    """Where validation caches live: outside every register's working tree, so a pull request cannot supply one.

    ``PROCURE_CACHE_DIR``, else ``$XDG_CACHE_HOME/procure``, else ``~/.cache/procure``.
    """
    explicit = os.environ.get("PROCURE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "procure"


def _cache_key(home: Path) -> bytes | None:
    """This machine's secret for signing cache files (made once, readable by its owner only). A cache file whose
    signature does not match was not written by procure here, and is ignored."""
    path = home / "cache-key"
    try:
        home.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
            return key if len(key) == 32 else None
        with os.fdopen(fd, "wb") as handle:
            key = os.urandom(32)
            handle.write(key)
        return key
    except OSError:
        return None


class FileCache:
    """What was learnt about each file, keyed by (record type, SHA-256 of its bytes), plus each path's last
    (mtime, size) → SHA-256, and the last run's cross-record problems keyed by every file's hash.

    An unchanged file is then neither parsed nor even read; an unchanged register skips the cross-record rules.
    Failing to read or write the cache is harmless: everything is simply checked again.

    Everything in it could be computed from a pull request's own content, so it is never read from the checkout:
    it lives under :func:`cache_home` (one folder per register path), and each file carries an HMAC made with a
    secret key that only this machine's user holds; an unsigned or altered file is ignored.
    """

    def __init__(self, root: Path, schema_digest: str, enabled: bool = True, memo: CacheMemo | None = None):
        home = cache_home()
        self.memo = memo
        self.folder = home / hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:24]
        self.path = self.folder / f"validate-{schema_digest[:16]}-{_code_version()}.json"
        self.enabled = enabled
        self.secret = _cache_key(home) if enabled else None
        if self.secret is None:
            self.enabled = False
        self.entries: dict[str, Any] = {}
        self.stats: dict[str, Any] = {}
        self.run: dict[str, Any] = {}
        self.used: dict[str, Any] = {}
        self.new_stats: dict[str, Any] = {}
        self.new_run: dict[str, Any] = {}
        self.changed = False
        if self.enabled:
            try:
                loaded = memo.recall(self.path) if memo else None  # verified by this process, unchanged since
                if loaded is None:
                    signature, _, body = self.path.read_bytes().partition(b"\n")
                    if not hmac.compare_digest(signature, self._sign(body)):
                        raise ValueError("not signed by this machine")
                    loaded = json.loads(body)
                    if memo:
                        memo.remember(self.path, loaded)
                self.entries = dict(loaded["files"])
                self.stats = dict(loaded["stats"])
                self.run = dict(loaded["run"])
            except (OSError, ValueError, KeyError, TypeError):
                self.entries, self.stats, self.run = {}, {}, {}

    def _sign(self, body: bytes) -> bytes:
        assert self.secret is not None
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()

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
            body = json.dumps(payload, separators=(",", ":")).encode()
            temp.write_bytes(self._sign(body) + b"\n" + body)
            os.replace(temp, self.path)
            if self.memo:
                self.memo.remember(self.path, payload)
        except OSError:
            pass  # a read-only checkout still validates, just without the cache


class CacheMemo:
    """The verified cache file a long-running process (`procure serve`) last read or wrote, with its (mtime, size,
    inode): validating again after each edit then skips re-reading and re-verifying megabytes of JSON. Held by that
    process and passed to :func:`validate_register`; any other writer changes the file's identity, and the file is
    read (and its signature checked) again."""

    def __init__(self) -> None:
        self.path = ""
        self.identity: tuple[int, int, int] | None = None
        self.payload: dict[str, Any] | None = None

    @staticmethod
    def _identity(path: Path) -> tuple[int, int, int] | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size, info.st_ino

    def remember(self, path: Path, payload: dict[str, Any]) -> None:
        self.path, self.identity, self.payload = str(path), self._identity(path), payload

    def recall(self, path: Path) -> dict[str, Any] | None:
        if self.payload is None or self.identity is None or self.path != str(path):
            return None
        return self.payload if self._identity(path) == self.identity else None


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


def _period(value: Any) -> tuple[date, date] | None:
    if not isinstance(value, dict):
        return None
    start, end = parse_date(value.get("start_date")), parse_date(value.get("end_date"))
    return (start, end) if start and end else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass
class _Rec:
    rel_path: str
    type: str
    id: str
    facts: dict[str, Any]


_ID_SHAPE = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*\Z")


@dataclass
class RuleContext:
    """What the cross-record rules share: every record indexed by type and id, and the problems found so far."""

    config: RegisterConfig
    broken: set[tuple[str, str]]  # (record type, file stem) of files that could not be read
    records: list[_Rec] = field(default_factory=list)
    index: dict[str, dict[str, _Rec]] = field(default_factory=dict)  # type → id → record (first of duplicates)
    lower_index: dict[str, _Rec] = field(default_factory=dict)
    by_stem: dict[tuple[str, str], _Rec] = field(default_factory=dict)
    problems: list[RuleProblem] = field(default_factory=list)
    today: date = field(default_factory=date.today)  # rules that compare dates with today (a tender still open)

    def add(self, problem: RuleProblem) -> None:
        self.problems.append(problem)

    def resolve(self, rec: _Rec, pointer: str, value: Any, wanted: str) -> _Rec | None:
        """The record ``value`` names, or a ref/* problem saying why not."""
        ref = _text(value)
        if ref is None or is_placeholder(ref):
            return None  # missing, wrong type or a placeholder: already reported on the file itself
        target = self.index[wanted].get(ref)
        if target is not None:
            return target
        if (wanted, ref) in self.broken:
            return None
        if ref == rec.id and wanted == rec.type:
            return rec
        other = self.lower_index.get(ref.lower())
        if other is not None and other.id == ref:
            self.add(RuleProblem(rec.rel_path, pointer, "ref/unresolved",
                                 f"'{ref}' is {_article(other.type)} {other.type}, not {_article(wanted)} {wanted}",
                                 f"name {_article(wanted)} {wanted} from records/{FOLDER_OF_TYPE[wanted]}/"))
        else:
            misnamed = self.by_stem.get((wanted, ref))
            if other is not None and other.type == wanted:
                hint = f"did you mean '{other.id}'? ids are matched exactly"
            elif misnamed is not None:
                hint = f"{misnamed.rel_path} has the id '{misnamed.id}'"
            else:
                names = {rid: str(r.facts.get("name") or "") for rid, r in self.index[wanted].items()}
                hint = suggest(wanted, ref, names) or (
                    f"check records/{FOLDER_OF_TYPE[wanted]}/ for it under another id, or add "
                    f"records/{FOLDER_OF_TYPE[wanted]}/{ref}.yaml" if wanted == "organisation" else
                    f"add records/{FOLDER_OF_TYPE[wanted]}/{ref}.yaml or correct the id")
            self.add(RuleProblem(rec.rel_path, pointer, "ref/unresolved", f"no {wanted} '{ref}' in the register", hint))
        return None

    def require_role(self, rec: _Rec, pointer: str, org: _Rec | None, role: str) -> None:
        if org is None:
            return
        roles = _list(org.facts.get("roles"))
        if roles and role not in roles:
            self.add(RuleProblem(rec.rel_path, pointer, "ref/role",
                                 f"organisation '{org.id}' is not marked as a {role} (its roles: "
                                 f"{', '.join(map(str, roles))})", f"add '{role}' to the roles in {org.rel_path}"))

    def check_order(self, rec: _Rec, pointer: str, value: Any) -> tuple[date, date] | None:
        """The period ``value`` gives, or None (with a date/order problem when it ends before it starts)."""
        period = _period(value)
        if period and period[1] < period[0]:
            self.add(RuleProblem(rec.rel_path, f"{pointer}/end_date", "date/order",
                                 f"the period ends ({period[1]}) before it starts ({period[0]})",
                                 "check the start_date and end_date are the right way round"))
            return None
        return period


def _inside(inner: tuple[date, date], outer: tuple[date, date]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


@dataclass
class AwardFacts:
    """What the outcome rules need from the awards: contract periods and commitments by (award id, id)."""

    contract_periods: dict[str, tuple[date, date] | None] = field(default_factory=dict)
    commitments: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


#: an outcome's period and record, by the (award id, commitment id) it reports on
OutcomesByCommitment = dict[tuple[str, str], list[tuple[tuple[date, date], _Rec]]]


def check_register(facts_by_path: dict[str, tuple[str, dict[str, Any]]], config: RegisterConfig,
                   unreadable: Iterable[tuple[str, str]] = (), today: date | None = None) -> list[RuleProblem]:
    """The rules that span records, over every record's facts, one small function per record type.

    ``unreadable`` lists (record type, file stem) of record files that could not be parsed: references to them are
    not reported again (the file's own problem is the one to fix).
    """
    ctx = index_records(facts_by_path, config, set(unreadable))  # ids unique, file name == id
    ctx.today = today or config.as_of or date.today()
    measures = check_measures(ctx)
    lots = check_tenders(ctx)
    awards = check_awards(ctx, measures, lots)
    check_awards_against_tenders(ctx)
    outcomes, superseded = check_outcomes(ctx, awards)
    check_running_totals(ctx, outcomes, superseded)
    return ctx.problems


def index_records(facts_by_path: dict[str, tuple[str, dict[str, Any]]], config: RegisterConfig,
                  broken: set[tuple[str, str]]) -> RuleContext:
    """Index every record by type and id; report ids that repeat (ignoring case) or differ from the file name."""
    ctx = RuleContext(config, broken)
    by_lower: dict[str, list[_Rec]] = defaultdict(list)
    for rel_path in sorted(facts_by_path):
        rtype, facts = facts_by_path[rel_path]
        record_id = _text(facts.get("id"))
        if record_id is None:
            continue
        rec = _Rec(rel_path, rtype, record_id, facts)
        ctx.records.append(rec)
        by_lower[record_id.lower()].append(rec)
        stem = _stem(rel_path)
        if stem != record_id and _ID_SHAPE.match(record_id):  # a malformed id is reported by the schema
            ctx.add(RuleProblem(rel_path, "/id", "id/filename-mismatch",
                                f"the id '{record_id}' does not match the file name '{rel_path.rsplit('/', 1)[-1]}'",
                                f"rename the file to {record_id}.yaml, or change the id to '{stem}'"))

    ctx.index = {t: {} for t in FOLDER_OF_TYPE}
    for group in by_lower.values():
        if len(group) > 1:
            for rec in group:
                others = ", ".join(o.rel_path for o in group if o is not rec)
                same = all(o.id == rec.id for o in group)
                used = "is also used by" if same else "differs only in upper/lower case from the id in"
                ctx.add(RuleProblem(rec.rel_path, "/id", "id/duplicate", f"the id '{rec.id}' {used} {others}",
                                    "give each record its own id: its web address and downloads depend on it"))
        for rec in group:
            ctx.index[rec.type].setdefault(rec.id, rec)
    ctx.lower_index = {rid.lower(): rec for recs in ctx.index.values() for rid, rec in recs.items()}
    ctx.by_stem = {(rec.type, _stem(rec.rel_path)): rec for rec in ctx.records}
    return ctx


def check_measures(ctx: RuleContext) -> dict[tuple[str, str], _Rec]:
    """Each (scheme, code) once in the measures catalogue; returns the catalogue."""
    measures: dict[tuple[str, str], _Rec] = {}
    for rec in ctx.index["measure"].values():
        key = (str(rec.facts.get("scheme")), str(rec.facts.get("code")))
        if key in measures:
            ctx.add(RuleProblem(rec.rel_path, "/code", "measure/duplicate-code",
                                f"the measure code '{key[1]}' of scheme '{key[0]}' is also used by "
                                f"{measures[key].rel_path}",
                                "each pair of scheme and code may appear only once in the measures catalogue"))
        else:
            measures[key] = rec
    return measures


def check_tenders(ctx: RuleContext) -> dict[str, set[str]]:
    """A tender's buyer exists and is a buyer; its tender period is in order; its lots' ids are unique. Returns
    each tender's lot ids (lower case), by tender id."""
    lots_of: dict[str, set[str]] = {}
    for rec in ctx.index["tender"].values():
        ctx.require_role(rec, "/buyer", ctx.resolve(rec, "/buyer", rec.facts.get("buyer"), "organisation"), "buyer")
        ctx.check_order(rec, "/tender_period", rec.facts.get("tender_period"))
        lots_of[rec.id] = check_tender_lots(ctx, rec)
        check_tender_contract(ctx, rec)
    return lots_of


def check_tender_contract(ctx: RuleContext, rec: _Rec) -> None:
    """Issue 13: a direct or limited procedure's justification, engagement and forward-plan dates, termination."""
    for problem in validate_contracts.check_tender(rec.rel_path, rec.facts):
        ctx.add(problem)


def check_tender_lots(ctx: RuleContext, rec: _Rec) -> set[str]:
    """A lot's id is unique within its tender, ignoring case (it keys its row in the lots table and its OCDS lot)."""
    lot_seen: dict[str, int] = {}
    for i, lot in enumerate(_list(rec.facts.get("lots"))):
        lot_id = _text(lot.get("id")) if isinstance(lot, dict) else None
        if lot_id is None:
            continue
        first = lot_seen.get(lot_id.lower())
        if first is not None:
            ctx.add(RuleProblem(rec.rel_path, f"/lots/{i}/id", "lot/duplicate-id",
                                f"the lot id '{lot_id}' repeats the id of lot {first + 1} of this tender; ids are "
                                "compared ignoring upper/lower case", "give each lot of a tender its own id (1, 2, 3...)"))
        else:
            lot_seen[lot_id.lower()] = i
    return set(lot_seen)


def check_award_lots(ctx: RuleContext, rec: _Rec, lots_of: dict[str, set[str]]) -> None:
    """The lots an award covers are lots of its tender."""
    tender_id = _text(rec.facts.get("tender"))
    for i, lot_ref in enumerate(_list(rec.facts.get("lots"))):
        if not isinstance(lot_ref, str):
            continue
        if tender_id is None:
            ctx.add(RuleProblem(rec.rel_path, f"/lots/{i}", "lot/no-tender",
                                f"the award covers lot '{lot_ref}' but has no tender whose lots it could be",
                                "set the award's tender, or remove its lots"))
        elif tender_id in lots_of and lot_ref.lower() not in lots_of[tender_id]:
            tender_lots = ", ".join(sorted(lots_of[tender_id])) or "none"
            ctx.add(RuleProblem(rec.rel_path, f"/lots/{i}", "lot/unresolved",
                                f"the award covers lot '{lot_ref}', which is not a lot of its tender '{tender_id}' "
                                f"(its lots: {tender_lots})", "use the id of one of the tender's lots"))


def check_awards(ctx: RuleContext, measures: dict[tuple[str, str], _Rec], lots_of: dict[str, set[str]]) -> AwardFacts:
    """An award's buyer, tender, lots and suppliers; its contract period; its KPIs and commitments."""
    found = AwardFacts()
    for rec in ctx.index["award"].values():
        facts = rec.facts
        buyer = ctx.resolve(rec, "/buyer", facts.get("buyer"), "organisation")
        ctx.require_role(rec, "/buyer", buyer, "buyer")
        if facts.get("tender") is not None:
            tender = ctx.resolve(rec, "/tender", facts.get("tender"), "tender")
            tender_buyer = _text(tender.facts.get("buyer")) if tender else None
            if buyer is not None and tender_buyer in ctx.index["organisation"] and tender_buyer != buyer.id:
                ctx.add(RuleProblem(rec.rel_path, "/buyer", "ref/buyer-mismatch",
                                    f"the award's buyer '{buyer.id}' is not the buyer of its tender "
                                    f"'{tender.id if tender else ''}' ('{tender_buyer}')",
                                    "an award is made by the organisation that ran the tender"))
        for i, supplier in enumerate(_list(facts.get("suppliers"))):
            ctx.require_role(rec, f"/suppliers/{i}", ctx.resolve(rec, f"/suppliers/{i}", supplier, "organisation"),
                             "supplier")
        check_award_lots(ctx, rec, lots_of)
        contract = ctx.check_order(rec, "/contract_period", facts.get("contract_period"))
        found.contract_periods[rec.id] = contract
        check_award_contract(ctx, rec)
        check_kpis(ctx, rec)
        check_commitments(ctx, rec, contract, measures, found)
    return found


def check_awards_against_tenders(ctx: RuleContext) -> None:
    """The mistakes an award's dates and value reveal against its tender (site_builder.mistakes says which)."""
    awarded: dict[str, list[_Rec]] = defaultdict(list)
    for rec in ctx.index["award"].values():
        check_award_published(ctx, rec)
        tender_id = _text(rec.facts.get("tender"))
        tender = ctx.index["tender"].get(tender_id) if tender_id else None
        if tender is None:
            continue  # none, or unresolved: reported by check_awards
        awarded[tender.id].append(rec)
        check_award_tender_dates(ctx, rec, tender)
        check_award_above_estimate(ctx, rec, tender)
    for tender_id, made in sorted(awarded.items()):
        tender = ctx.index["tender"][tender_id]
        check_awards_below_estimate(ctx, tender, made)
        check_tender_open_after_award(ctx, tender, made)


def check_award_published(ctx: RuleContext, rec: _Rec) -> None:
    """An award is published on or after the day it is made (an imported award's dates are its source's)."""
    if rec.facts.get(IMPORTED_FACT):
        return
    award_date, published = parse_date(rec.facts.get("date")), parse_date(rec.facts.get("published"))
    if award_date and published and published < award_date:
        ctx.add(RuleProblem(rec.rel_path, "/published", "date/published-before-date",
                            f"published {published} is before the award's date {award_date}",
                            "an award is published on or after the day it is made: check both dates"))


def _deadline(tender: _Rec) -> date | None:
    """The day bidding closed (a date-time deadline counts by its calendar date)."""
    return parse_date(_dict(tender.facts.get("tender_period")).get("end_date"))


def check_award_tender_dates(ctx: RuleContext, rec: _Rec, tender: _Rec) -> None:
    """An award is made after its tender stopped taking bids, and not while it is still open for bids. An imported
    award is not checked: it says what its source published (award notices often carry a later deadline)."""
    if rec.facts.get(IMPORTED_FACT):
        return
    award_date, deadline = parse_date(rec.facts.get("date")), _deadline(tender)
    if award_date and deadline and deadline > award_date:
        ctx.add(RuleProblem(rec.rel_path, "/tender", "award/before-tender-deadline",
                            f"the award is dated {award_date}, but its tender '{tender.id}' took bids until {deadline}",
                            "check the award names the right tender, and the award's date"))
    elif tender.facts.get("status") == "active" and (deadline is None or deadline >= ctx.today):
        until = f"until {deadline}" if deadline else "with no deadline given"
        ctx.add(RuleProblem(rec.rel_path, "/tender", "award/tender-open",
                            f"its tender '{tender.id}' is still open for bids ({until})",
                            "check the award names the right tender; once bidding has closed, set that tender's "
                            "status to complete"))


def _slip_amount(value: Any) -> tuple[float, str] | None:
    """(amount, currency) of a value whose size can reveal a slip; an amount over the limits is an error already
    (schema/maximum), not also a warning."""
    found = estimate_amount(value)
    return found if found is not None and found[0] <= MAX_NUMBER else None


def check_award_above_estimate(ctx: RuleContext, rec: _Rec, tender: _Rec) -> None:
    """An award far above its tender's estimate is most likely a digit too many (warning)."""
    estimate, value = _slip_amount(tender.facts.get("value")), _slip_amount(rec.facts.get("value"))
    if estimate and value and estimate[1] == value[1] and value[0] > ABOVE_ESTIMATE * estimate[0]:
        ctx.add(RuleProblem(rec.rel_path, "/value/amount", "award/value-far-from-estimate",
                            f"the award's value {format_money(*value)} is more than {ABOVE_ESTIMATE} times its "
                            f"tender's estimate of {format_money(*estimate)}",
                            "check for a digit too many; if the value is right, no change is needed",
                            severity=Severity.WARNING))


def check_awards_below_estimate(ctx: RuleContext, tender: _Rec, made: list[_Rec]) -> None:
    """A tender's awards (its lots' awards together) far below its estimate are most likely a digit too few
    (warning, on each award)."""
    estimate = _slip_amount(tender.facts.get("value"))
    values = [_slip_amount(rec.facts.get("value")) for rec in made]
    if not estimate or not all(v and v[1] == estimate[1] for v in values):
        return
    total = sum(v[0] for v in values if v)
    if total * BELOW_ESTIMATE < estimate[0]:
        for rec in made:
            ctx.add(RuleProblem(rec.rel_path, "/value/amount", "award/value-far-from-estimate",
                                f"the awards of tender '{tender.id}' add up to {format_money(total, estimate[1])}, "
                                f"less than 1/{BELOW_ESTIMATE} of its estimate of {format_money(*estimate)}",
                                "check for a digit too few; if the value is right, no change is needed",
                                severity=Severity.WARNING))


def check_tender_open_after_award(ctx: RuleContext, tender: _Rec, made: list[_Rec]) -> None:
    """A tender still open for bids after its deadline although it has been awarded (warning)."""
    deadline = _deadline(tender)
    if tender.facts.get("status") != "active" or deadline is None or deadline >= ctx.today:
        return
    first = min(made, key=lambda rec: (parse_date(rec.facts.get("date")) or date.max, rec.id))
    ctx.add(RuleProblem(tender.rel_path, "/status", "tender/open-after-award",
                        f"the tender is still marked open for bids, but bidding closed on {deadline} and award "
                        f"'{first.id}' has been made", "set its status to complete, or to cancelled",
                        severity=Severity.WARNING))


def check_award_contract(ctx: RuleContext, rec: _Rec) -> None:
    """Issue 13: how the supplier was chosen, the chain of contract changes, the termination; a call-off's
    framework (an award with framework_agreement) and its suppliers and term."""
    for problem in validate_contracts.check_award(rec.rel_path, rec.facts):
        ctx.add(problem)
    if rec.facts.get("framework") is not None:
        framework = ctx.resolve(rec, "/framework", rec.facts.get("framework"), "award")
        if framework is not None:
            for problem in validate_contracts.check_call_off(rec.rel_path, rec.facts, framework.id, framework.facts):
                ctx.add(problem)


def check_kpis(ctx: RuleContext, rec: _Rec) -> None:
    """A KPI's id is unique within its award (it keys its row in the kpis table and its OCDS metric); its
    assessments' periods are in order."""
    kpi_seen: dict[str, int] = {}
    for i, kpi in enumerate(_list(rec.facts.get("kpis"))):
        kid = _text(kpi.get("id")) if isinstance(kpi, dict) else None
        if kid is not None:
            _note_unique_id(kpi_seen, kid, i, rec.rel_path, f"/kpis/{i}/id", "KPI", "KPI1, KPI2, KPI3", ctx.add)
        for j, assessment in enumerate(_list(kpi.get("assessments")) if isinstance(kpi, dict) else ()):
            if isinstance(assessment, dict):  # issue 13: a KPI assessment's period is in order
                ctx.check_order(rec, f"/kpis/{i}/assessments/{j}/period", assessment.get("period"))


def check_commitments(ctx: RuleContext, rec: _Rec, contract: tuple[date, date] | None,
                      measures: dict[tuple[str, str], _Rec], found: AwardFacts) -> None:
    """A commitment's id is unique within its award, its target period is inside the contract, and its measure is
    catalogued (unless its scheme is external) and counted in the same unit."""
    seen: dict[str, int] = {}
    for i, commitment in enumerate(_list(rec.facts.get("commitments"))):
        if not isinstance(commitment, dict):
            continue
        pointer = f"/commitments/{i}"
        cid = _text(commitment.get("id"))
        if cid is not None and _note_unique_id(seen, cid, i, rec.rel_path, f"{pointer}/id", "commitment",
                                               "C1, C2, C3", ctx.add):
            found.commitments[(rec.id, cid)] = commitment
        target = _dict(commitment.get("target"))
        period = ctx.check_order(rec, f"{pointer}/target/period", target.get("period"))
        if period and contract and not _inside(period, contract):
            ctx.add(RuleProblem(rec.rel_path, f"{pointer}/target/period", "sv/period-outside-contract",
                                f"the target period {period[0]} to {period[1]} is not inside the contract period "
                                f"{contract[0]} to {contract[1]}", "a commitment is delivered during the contract"))
        measure = _dict(commitment.get("measure"))
        scheme, code = _text(measure.get("scheme")), _text(measure.get("code"))
        if scheme and code and scheme not in ctx.config.external_schemes:
            catalogued = measures.get((scheme, code))
            if catalogued is None:
                ctx.add(RuleProblem(rec.rel_path, f"{pointer}/measure/code", "sv/unknown-measure",
                                    f"no measure '{code}' of scheme '{scheme}' in records/measures/",
                                    f"add the measure to records/measures/, or list '{scheme}' under "
                                    "external_schemes in mkdocs.yml if it is catalogued elsewhere"))
            elif _text(target.get("unit")) and catalogued.facts.get("unit") != target.get("unit"):
                ctx.add(RuleProblem(rec.rel_path, f"{pointer}/target/unit", "sv/measure-unit-mismatch",
                                    f"the target is in '{target.get('unit')}' but measure '{catalogued.id}' is "
                                    f"counted in '{catalogued.facts.get('unit')}'",
                                    "use the measure's unit so figures can be added up"))


def check_outcomes(ctx: RuleContext, awards: AwardFacts) -> tuple[OutcomesByCommitment, set[str]]:
    """An outcome's references, period, evidence, unit and valuation; returns the outcomes by commitment and the
    ids of outcomes replaced by a correction."""
    by_commitment: OutcomesByCommitment = defaultdict(list)
    superseded: set[str] = set()
    for rec in ctx.index["outcome"].values():
        facts = rec.facts
        if _text(facts.get("supersedes")) is not None:
            if facts.get("supersedes") == rec.id:
                ctx.add(RuleProblem(rec.rel_path, "/supersedes", "ref/self",
                                    f"the outcome '{rec.id}' supersedes itself",
                                    "name the earlier outcome this one replaces, or remove 'supersedes'"))
            elif ctx.resolve(rec, "/supersedes", facts.get("supersedes"), "outcome") is not None:
                superseded.add(str(facts.get("supersedes")))
        if facts.get("reported_by") is not None:
            ctx.resolve(rec, "/reported_by", facts.get("reported_by"), "organisation")
        period = ctx.check_order(rec, "/period", facts.get("period"))
        assurance = _text(facts.get("assurance"))
        if assurance in _ASSURED and not _list(facts.get("evidence")):
            ctx.add(RuleProblem(rec.rel_path, "/assurance", "sv/evidence-required",
                                f"assurance '{assurance}' needs at least one piece of evidence",
                                "add an evidence entry with a type, title and url, or set assurance to self-reported"))
        award = ctx.resolve(rec, "/award", facts.get("award"), "award")
        if award is None:
            continue
        cid = _text(facts.get("commitment"))
        if cid is None:
            continue
        commitment = awards.commitments.get((award.id, cid))
        if commitment is None:
            known = [str(c.get("id")) for c in _list(award.facts.get("commitments")) if isinstance(c, dict)]
            ctx.add(RuleProblem(rec.rel_path, "/commitment", "ref/unresolved",
                                f"award '{award.id}' has no commitment '{cid}'",
                                f"its commitments are: {', '.join(known)}" if known
                                else "that award lists no commitments"))
            continue
        check_outcome_against_commitment(ctx, rec, award, cid, commitment, period, awards)
        if period:
            by_commitment[(award.id, cid)].append((period, rec))
    return by_commitment, superseded


def check_outcome_against_commitment(ctx: RuleContext, rec: _Rec, award: _Rec, cid: str, commitment: dict[str, Any],
                                     period: tuple[date, date] | None, awards: AwardFacts) -> None:
    """Reported in the commitment's unit, during the contract, and monetised only with a declared proxy."""
    facts = rec.facts
    delivered = _dict(facts.get("delivered"))
    target = _dict(commitment.get("target"))
    unit, wanted_unit = _text(delivered.get("unit")), _text(target.get("unit"))
    if unit and wanted_unit and unit != wanted_unit:
        ctx.add(RuleProblem(rec.rel_path, "/delivered/unit", "sv/unit-mismatch",
                            f"delivered in '{unit}' but commitment '{cid}' of award '{award.id}' is counted in "
                            f"'{wanted_unit}'", "report in the commitment's unit; different units are never added together"))
    contract = awards.contract_periods.get(award.id)
    if period and contract and not _inside(period, contract):
        ctx.add(RuleProblem(rec.rel_path, "/period", "sv/period-outside-contract",
                            f"the period {period[0]} to {period[1]} is not inside the contract period of award "
                            f"'{award.id}', {contract[0]} to {contract[1]}",
                            "report only for periods while the contract runs"))
    if facts.get("monetised_value_gbp") is not None:
        valuation = _dict(commitment.get("valuation"))
        if not all(valuation.get(k) not in (None, "") for k in ("proxy_value_gbp_per_unit", "proxy_source",
                                                                 "proxy_version")):
            ctx.add(RuleProblem(rec.rel_path, "/monetised_value_gbp", "sv/monetised-without-proxy",
                                f"a monetised value is given but commitment '{cid}' of award '{award.id}' declares no "
                                "proxy valuation with a value per unit, source and version",
                                "add a valuation to the commitment, or remove monetised_value_gbp"))


def check_running_totals(ctx: RuleContext, outcomes: OutcomesByCommitment, superseded: set[str]) -> None:
    """A commitment's cumulative_to_date never goes down from one period to the next (corrections count instead of
    the outcomes they replace)."""
    for reports in outcomes.values():
        previous: tuple[float, _Rec, tuple[date, date]] | None = None
        for period, rec in sorted(reports, key=lambda item: (item[0], item[1].id)):
            if rec.id in superseded:
                continue  # replaced by a correction; the correction is what counts
            cumulative = _dict(rec.facts.get("delivered")).get("cumulative_to_date")
            if not isinstance(cumulative, (int, float)) or isinstance(cumulative, bool):
                continue
            if previous is not None and cumulative < previous[0]:
                ctx.add(RuleProblem(rec.rel_path, "/delivered/cumulative_to_date", "sv/cumulative-decrease",
                                    f"cumulative_to_date {_num(cumulative)} is less than the {_num(previous[0])} "
                                    f"reported for the earlier period {previous[2][0]} to {previous[2][1]} in "
                                    f"{previous[1].id}", "a running total never goes down; correct the earlier "
                                    "report with a superseding outcome if it was too high"))
            previous = (cumulative, rec, period)


#: the kind of item whose id repeats within an award → its problem code
_DUPLICATE_ID_CODES = {"commitment": "commitment/duplicate-id", "KPI": "kpi/duplicate-id"}


def _note_unique_id(seen: dict[str, int], item_id: str, index: int, rel_path: str, pointer: str, noun: str,
                    examples: str, add: Callable[[RuleProblem], None]) -> bool:
    """Record an item id unique within its award (ignoring case); report a repeat. True if the id is new."""
    first = seen.get(item_id.lower())
    if first is None:
        seen[item_id.lower()] = index
        return True
    add(RuleProblem(rel_path, pointer, _DUPLICATE_ID_CODES[noun],
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
                      use_cache: bool = True, memo: CacheMemo | None = None) -> ValidationResult:
    """Check every record file under ``config.records_dir``.

    ``paths`` limits the problems reported to those files or folders; the rules still see the whole register (a
    duplicate id in another file is still a duplicate). ``keep_data`` fills each file's ``data`` and ``source``
    (what the site build needs); otherwise they are left empty to keep memory small. ``memo``: a long-running
    process's :class:`CacheMemo`, so the cache file it verified is not read again while unchanged.
    """
    schemas = load_schemas(config.schemas_dir)
    # a build (keep_data) never uses the cache: it always reads every file and runs every cross-record rule
    cache = FileCache(config.root, schemas.digest, enabled=use_cache and not keep_data, memo=memo)
    records_dir = config.records_dir
    keep = _selected(paths)

    result = ValidationResult()
    today = config.as_of or date.today()
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

    for link in linked_folders(config.root, records_dir):
        per_file.append(Problem(link, 0, 0, "file/linked-folder", "",
                                "this folder is a link to another folder; its records are not read",
                                hint="put the record files themselves in the folder, not a link to them"))

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
        if cache.enabled and not os.path.islink(path):
            cached_outcome = _from_cache(cache, path, rel, record_type)
            if cached_outcome is not None:
                outcomes.append(cached_outcome)
                continue
        jobs.append((path, rel, record_type))

    for outcome in _run_checks(jobs, records_dir, config.schemas_dir, keep_data):
        cache.put(outcome)
        if outcome.digest is not None and cache.enabled:
            with contextlib.suppress(OSError):
                cache.remember_stat(outcome.rel_path, os.stat(absolute_of[outcome.rel_path]), outcome.digest)
        outcomes.append(outcome)

    outcomes.sort(key=lambda o: o.rel_path)
    for outcome in outcomes:
        for line, col, code, pointer, message, hint in outcome.problems:
            per_file.append(Problem(outcome.rel_path, line, col, code, pointer, message, hint=hint,
                                    severity=Severity.WARNING if code in WARNING_CODES else Severity.ERROR))
        if outcome.facts is not None and outcome.record_type is not None:
            facts_by_path[outcome.rel_path] = (outcome.record_type, outcome.facts)
        result.files.append(SourceFile(outcome.rel_path, outcome.record_type, outcome.source or b"", outcome.data))

    # the cross-record rules' answer depends only on every file's content and the settings they read
    register_key = None
    if all(o.digest for o in outcomes):
        # some rules compare dates with today (a tender still open for bids), so the answer is kept for one day
        digest = hashlib.sha256(json.dumps([sorted(config.external_schemes), today.isoformat()]).encode())
        for o in outcomes:
            digest.update(f"{o.rel_path}\t{o.record_type}\t{o.digest}\n".encode())
        register_key = digest.hexdigest()
    if register_key is not None and cache.enabled and cache.run.get("key") == register_key:
        rule_placed = [Problem(row[0], row[1], row[2], row[3], row[4], row[5], Severity(row[7]), hint=row[6])
                       for row in cache.run["problems"]]
    else:
        unreadable = [(o.record_type, _stem(o.rel_path)) for o in outcomes if o.facts is None and o.record_type]
        rule_placed = _place(check_register(facts_by_path, config, unreadable, today), absolute_of, records_dir)
    if register_key is not None:
        cache.new_run = {"key": register_key, "problems": [
            [p.path, p.line, p.col, p.code, p.pointer, p.message, p.hint, p.severity.value] for p in rule_placed]}
    cache.save()

    problems = [p for p in per_file + rule_placed if keep(absolute_of.get(p.path, os.path.join(config.root, p.path)))]
    result.problems = sorted(set(problems))
    return result


def linked_folders(root: Path, records_dir: Path) -> list[str]:
    """Folders inside records/ (and records/ itself) that are symbolic links, as paths relative to the root: the
    walk does not follow them, so without this their records would silently be left out."""
    found = []
    configured = root / _rel(records_dir, root)
    if configured.is_symlink():
        found.append(_rel(configured, root))
    if records_dir.is_dir():
        for folder, dirs, _files in os.walk(records_dir, followlinks=False):
            for name in dirs:
                if os.path.islink(os.path.join(folder, name)):
                    found.append(_rel(Path(folder, name), root))
    return sorted(found)


def _from_cache(cache: FileCache, path: str, rel: str, record_type: str | None) -> FileOutcome | None:
    """The cached outcome for an unchanged file: by (mtime, size) without reading it, else by its hash."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a FIFO would block the read below for ever: check_file refuses it without opening it
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
            placed.append(Problem(rel_path, line, col, p.code, p.pointer, p.message, p.severity, hint=p.hint))
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
