"""Read stage of the OCDS import: open files, detect their format and collect releases and records by ocid.

Accepted: release packages and record packages (OCDS 1.0 and 1.1), bare records, bare releases, a JSON array of
any of these, and JSON Lines holding one of these per line. Nothing here raises on bad data: a file or item that
cannot be used becomes a :class:`ReadProblem` and the rest is still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.import_ocds.text import MAX_TEXT_IN

#: a registered ocid prefix is lower case; some 1.0-era publishers wrote it in capitals (OCDS-87SD3T-...)
_OCID_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}-", re.IGNORECASE)


@dataclass(frozen=True)
class ReadProblem:
    """Something in an input file that could not be used, and why (shown in the import report)."""

    source: str  # file name, with ':line' for JSON Lines
    message: str


@dataclass(frozen=True)
class Origin:
    """Where a release or record came from: the file and the package's publisher (for the records' header)."""

    file: str
    publisher: str | None
    version: str | None  # "1.0", "1.1" or None when the package does not say (OCDS 1.0 had no version field)
    fmt: str  # "release package", "record package", "record", "release"


@dataclass
class Process:
    """Everything read about one contracting process (one ocid), from every input file."""

    ocid: str  # normalised: prefix in lower case
    releases: list[tuple[dict[str, Any], Origin]] = field(default_factory=list)
    compiled: tuple[dict[str, Any], Origin] | None = None  # a record's compiledRelease, if one was given
    ocid_as_published: set[str] = field(default_factory=set)


@dataclass
class ReadResult:
    processes: dict[str, Process] = field(default_factory=dict)
    problems: list[ReadProblem] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # file → what it was detected as
    notes: list[str] = field(default_factory=list)

    def process(self, ocid: str) -> Process:
        key = normalise_ocid(ocid)
        found = self.processes.get(key)
        if found is None:
            found = self.processes[key] = Process(key)
        found.ocid_as_published.add(ocid)
        return found


def normalise_ocid(ocid: str) -> str:
    """The ocid with its registered prefix in lower case (the only change: the local part is kept as published)."""
    ocid = ocid.strip()
    match = _OCID_PREFIX.match(ocid)
    if match:
        return match.group(0).lower() + ocid[match.end():]
    return ocid


def decode_bytes(raw: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM); else Windows-1252, which some old exports used. Returns (text, note)."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "not UTF-8: read as Windows-1252"


def iter_json_documents(text: str) -> Iterator[tuple[int, Any | None, str | None]]:
    """(line, document, error) for a JSON file or JSON Lines file (detected: a single document, else one per line)."""
    try:
        yield 1, json.loads(text), None
        return
    except json.JSONDecodeError as exc:
        whole_error = exc
    lines = text.splitlines()
    if whole_error.msg != "Extra data" or len([ln for ln in lines if ln.strip()]) < 2:
        yield whole_error.lineno, None, f"not valid JSON: {whole_error.msg} (line {whole_error.lineno}, column {whole_error.colno})"
        return
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), None
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON: {exc.msg} (column {exc.colno})"


def _publisher_name(package: dict[str, Any]) -> str | None:
    publisher = package.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and publisher["name"].strip():
        return publisher["name"].strip()
    return None


def _version(package: dict[str, Any]) -> str | None:
    version = package.get("version")
    return version if isinstance(version, str) else None


# --- bounds on one release (a portal the publisher does not control may send anything) ------------------------

#: deeper than any OCDS release with extensions (about 8 levels); deeper input would exhaust Python's recursion
MAX_DEPTH = 32
#: items in any one list of a release (documents, items, parties ...)
MAX_LIST_ITEMS = 5_000
#: release dates outside these years are refused: a release "of 9999" would pin its record for ever
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
# control characters but tab and new line, unpaired surrogates (JSON's "\ud800"), U+FFFE and U+FFFF
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _safe_text(text: str) -> str:
    """Carriage returns become new lines (as a YAML reader would make them); other unsafe characters U+FFFD."""
    return _UNSAFE_CHARS.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def release_problem(release: dict[str, Any]) -> str | None:
    """Why a release cannot be used (nesting, list sizes, the type of ``tag`` and ``id``, its date), or None.

    On the way, text is made safe in place: control characters, unpaired surrogates and non-characters become
    U+FFFD (they cannot be written as UTF-8, and XML feeds cannot carry them)."""
    stack: list[tuple[Any, int]] = [(release, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(child, str) and _UNSAFE_CHARS.search(child):
                    value[key] = _safe_text(child)
                elif isinstance(child, (dict, list)):
                    stack.append((child, depth + 1))
        elif isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                return f"a list of {len(value):,} items (the limit is {MAX_LIST_ITEMS:,})"
            for index, child in enumerate(value):
                if isinstance(child, str) and _UNSAFE_CHARS.search(child):
                    value[index] = _safe_text(child)
                elif isinstance(child, (dict, list)):
                    stack.append((child, depth + 1))
    tag = release.get("tag")
    if tag is not None and not (isinstance(tag, list) and all(isinstance(t, str) for t in tag)):
        return f"its tag is {type(tag).__name__} {str(tag)[:40]}, not a list of codes"
    release_id = release.get("id")
    if release_id is not None and (isinstance(release_id, bool) or not isinstance(release_id, (str, int))):
        return f"its id is {type(release_id).__name__}, not text"
    when = release.get("date")
    if when is not None:
        year = when[:4] if isinstance(when, str) else ""
        if not (year.isdigit() and EARLIEST_YEAR <= int(year) <= LATEST_YEAR and when[4:5] == "-"):
            return (f"its date {str(when)[:40]!r} is not a date between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return None


_READ_BYTES = 16 * 1024 * 1024


def _stream_document(path: Path) -> Any:
    """A single-document JSON file parsed as a stream (ijson), without holding its bytes and text in memory as
    well as its data; nesting depth costs no recursion. Raises ValueError when the file is not one plain UTF-8
    JSON document (JSON Lines, a byte-order mark, another encoding): the caller then reads it whole."""
    import ijson
    from ijson.common import ObjectBuilder

    builder = ObjectBuilder()
    try:
        with path.open("rb") as handle:
            # large reads: the C parser joins a string split across reads by copying, so a 50 MB text field read
            # in 64 KB pieces cost minutes; in 16 MB pieces it costs a fraction of a second
            for _prefix, event, value in ijson.parse(handle, use_float=True, buf_size=_READ_BYTES):
                if event == "string" and len(value) > MAX_TEXT_IN:
                    # no text in the register is longer (the mapper cuts at 20,000 and reports it): holding the
                    # rest of a 50 MB field until then would make memory grow with the file, not with its releases
                    value = value[:MAX_TEXT_IN]
                builder.event(event, value)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None
    if not hasattr(builder, "value"):
        raise ValueError("empty")
    return builder.value


def read_files(paths: list[Path]) -> ReadResult:
    """Read every file; releases of the same ocid from different files end up in the same :class:`Process`."""
    result = ReadResult()
    for path in paths:
        name = path.name
        try:
            streamed = _stream_document(path)
        except ValueError:
            streamed = None
        except OSError as exc:
            result.problems.append(ReadProblem(name, f"cannot be read: {exc.strerror or exc}"))
            continue
        if streamed is not None:
            result.formats[name] = _describe(_read_items(streamed, name, name, result))
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            result.problems.append(ReadProblem(name, f"cannot be read: {exc.strerror or exc}"))
            continue
        text, note = decode_bytes(raw)
        if note:
            result.notes.append(f"{name}: {note}")
        kinds: list[str] = []
        documents = list(iter_json_documents(text))
        jsonl = len(documents) > 1
        for line, document, error in documents:
            where = f"{name}:{line}" if jsonl else name
            if error:
                result.problems.append(ReadProblem(where, error))
                continue
            kinds.extend(_read_items(document, name, where, result))
        result.formats[name] = ("JSON Lines: " if jsonl else "") + _describe(kinds)
    return result


def _read_items(document: Any, name: str, where: str, result: ReadResult) -> list[str]:
    """File one parsed JSON document (a package, record, release, or a list of them); returns what each item was
    detected as."""
    kinds: list[str] = []
    items = document if isinstance(document, list) else [document]
    for index, item in enumerate(items):
        item_where = f"{where} item {index + 1}" if isinstance(document, list) else where
        kind = _read_item(item, Origin(name, None, None, ""), result, item_where)
        if kind:
            kinds.append(kind)
    return kinds


def _describe(kinds: list[str]) -> str:
    """'release package' or '3 × release, record package', in the order first seen."""
    counts = {k: kinds.count(k) for k in dict.fromkeys(kinds)}
    return ", ".join(k if n == 1 else f"{n} × {k}" for k, n in counts.items()) or "nothing usable"


def _read_item(item: Any, origin: Origin, result: ReadResult, where: str) -> str | None:
    """Detect what one JSON document is and file its releases/records. Returns the kind, or None if unusable."""
    if not isinstance(item, dict):
        result.problems.append(ReadProblem(where, "not an OCDS object (expected a package, record or release)"))
        return None
    if isinstance(item.get("releases"), list) and "ocid" not in item:
        package_origin = Origin(origin.file, _publisher_name(item), _version(item), "release package")
        for index, release in enumerate(item["releases"]):
            _add_release(release, package_origin, result, f"{where} releases[{index}]")
        return f"OCDS {package_origin.version or '1.0'} release package"
    if isinstance(item.get("records"), list):
        package_origin = Origin(origin.file, _publisher_name(item), _version(item), "record package")
        for index, record in enumerate(item["records"]):
            _add_record(record, package_origin, result, f"{where} records[{index}]")
        return f"OCDS {package_origin.version or '1.0'} record package"
    if "ocid" in item and ("compiledRelease" in item or isinstance(item.get("releases"), list)):
        _add_record(item, Origin(origin.file, None, None, "record"), result, where)
        return "record"
    if "ocid" in item:
        _add_release(item, Origin(origin.file, None, None, "release"), result, where)
        return "release"
    result.problems.append(ReadProblem(where, "not an OCDS package, record or release (no 'releases', 'records' or 'ocid')"))
    return None


def _valid_ocid(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _add_release(release: Any, origin: Origin, result: ReadResult, where: str) -> None:
    if not isinstance(release, dict):
        result.problems.append(ReadProblem(where, "a release that is not a JSON object"))
        return
    if not _valid_ocid(release.get("ocid")):
        result.problems.append(ReadProblem(where, "a release without an ocid"))
        return
    if "url" in release and "tender" not in release and "awards" not in release and "id" not in release:
        return  # a linked release (record.releases[] = {url, date, tag}): its content is not in the file
    problem = release_problem(release)
    if problem:
        result.problems.append(ReadProblem(where, f"release {str(release.get('id'))[:80]!r} left out: {problem}"))
        return
    result.process(release["ocid"]).releases.append((release, origin))


def _add_record(record: Any, origin: Origin, result: ReadResult, where: str) -> None:
    if not isinstance(record, dict) or not _valid_ocid(record.get("ocid")):
        result.problems.append(ReadProblem(where, "a record without an ocid"))
        return
    process = result.process(record["ocid"])
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        problem = release_problem(compiled)
        if problem:
            result.problems.append(ReadProblem(where, f"compiledRelease left out: {problem}"))
        else:
            process.compiled = (compiled, origin)
    for index, release in enumerate(record.get("releases") or []):
        if isinstance(release, dict) and "ocid" not in release:
            release = {**release, "ocid": record["ocid"]}
        _add_release(release, origin, result, f"{where} releases[{index}]")
