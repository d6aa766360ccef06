"""Merge stage of the OCDS import: one compiled release per contracting process, with ocdsmerge.

The merge rules come from the OCDS release schema (``omitWhenMerged``, ``wholeListMerge``). It is read from
``$OCDS_SCHEMA_DIR`` or a ``shared/ocds-schema`` folder next to the register, never fetched: ocdsmerge would go to
standard.open-contracting.org when given no schema. Without a local schema the rules bundled below (derived from the
OCDS 1.1.5 release schema) are used, and the report says so.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError, OCDSMergeWarning

from site_builder.import_ocds.read import Origin, Process

#: ocdsmerge's rules for OCDS 1.1.5 (``get_merge_rules(release-schema.json)``); tests check they still agree
BUNDLED_MERGE_RULES_1_1_5: dict[tuple[str, ...], str] = {
    ("date",): "omitWhenMerged",
    ("id",): "omitWhenMerged",
    ("tag",): "omitWhenMerged",
    **dict.fromkeys((("awards", "amendment", "changes"), ("awards", "amendments", "changes"), ("awards", "items", "additionalClassifications"), ("awards", "suppliers", "additionalIdentifiers"), ("buyer", "additionalIdentifiers"), ("contracts", "amendment", "changes"), ("contracts", "amendments", "changes"), ("contracts", "implementation", "transactions", "payee", "additionalIdentifiers"), ("contracts", "implementation", "transactions", "payer", "additionalIdentifiers"), ("contracts", "items", "additionalClassifications"), ("contracts", "relatedProcesses", "relationship"), ("parties", "additionalIdentifiers"), ("parties", "roles"), ("relatedProcesses", "relationship"), ("tender", "additionalProcurementCategories"), ("tender", "amendment", "changes"), ("tender", "amendments", "changes"), ("tender", "items", "additionalClassifications"), ("tender", "procuringEntity", "additionalIdentifiers"), ("tender", "submissionMethod"), ("tender", "tenderers", "additionalIdentifiers")), "wholeListMerge"),
}


def find_release_schema(root: Path) -> Path | None:
    """The OCDS release schema named by $OCDS_SCHEMA_DIR, if any. Never looked for elsewhere: a folder above the
    register is not the publisher's to choose, and a schema found there could point its $refs anywhere."""
    env = os.environ.get("OCDS_SCHEMA_DIR")
    path = Path(env) / "release-schema.json" if env else None
    return path if path is not None and path.is_file() else None


def _remote_refs(schema: Any) -> list[str]:
    """Every $ref in the schema that does not point inside it (jsonref would fetch those over the network)."""
    found: list[str] = []
    stack = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append(ref)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def build_merger(root: Path) -> tuple[ocdsmerge.Merger, str]:
    """A Merger that never touches the network, and a sentence saying where its rules came from."""
    schema_path = find_release_schema(root)
    if schema_path is not None:
        try:
            schema = json.loads(schema_path.read_bytes())
            remote = _remote_refs(schema)
            if remote:
                raise ValueError(f"it refers to {remote[0]}, outside the file; nothing is fetched")
            return ocdsmerge.Merger(schema=schema), f"merge rules from {schema_path}"
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            reason = f"{schema_path} could not be used ({exc})"
    else:
        reason = "no OCDS release schema found (set OCDS_SCHEMA_DIR)"
    return (ocdsmerge.Merger(merge_rules=dict(BUNDLED_MERGE_RULES_1_1_5)),
            f"merge rules bundled with procure (OCDS 1.1.5): {reason}")


def parse_datetime(value: Any) -> datetime | None:
    """An OCDS date-time as an aware UTC datetime; a bare date counts as midnight UTC; None if it is not one."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


@dataclass
class MergedProcess:
    """The state of one process after merging, and what it was built from."""

    ocid: str
    compiled: dict[str, Any]
    releases: list[dict[str, Any]]  # the releases merged, oldest first (deduplicated)
    latest_id: str | None
    latest_date: str | None  # ISO date-time in UTC, e.g. 2025-01-23T22:10:19Z
    origin: Origin
    used_compiled_release: bool = False
    notes: list[str] = field(default_factory=list)


def _utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def merge_process(process: Process, merger: ocdsmerge.Merger) -> tuple[MergedProcess | None, str | None]:
    """Merge the releases of one ocid in date order; a record's compiledRelease is used when it is all there is.

    Returns (merged, None) or (None, why it could not be merged).
    """
    notes: list[str] = []
    usable: list[tuple[datetime, int, dict[str, Any], Origin]] = []
    seen: dict[str, datetime] = {}
    for order, (release, origin) in enumerate(process.releases):
        moment = parse_datetime(release.get("date"))
        if moment is None:
            notes.append(f"release {release.get('id')!r} left out: its date {release.get('date')!r} is not a date-time")
            continue
        release_id = release.get("id")
        key = str(release_id) if release_id is not None else f"#{order}"
        if key in seen:
            continue  # the same release in two files (e.g. a page and a single-release extract of it)
        seen[key] = moment
        usable.append((moment, order, release, origin))
    usable.sort(key=lambda item: (item[0], item[1]))

    if process.compiled is not None:
        compiled, origin = process.compiled
        compiled_moment = parse_datetime(compiled.get("date"))
        newest_release = usable[-1][0] if usable else None
        # A publisher's compiledRelease already holds every release it knows of; prefer it unless we were given
        # releases newer than it (then merge those on top of it).
        newer = [u for u in usable if compiled_moment is None or u[0] > compiled_moment]
        base = dict(compiled)
        if newer and compiled_moment is not None:
            try:
                merged = _merge(merger, [_with_utc_date(base, compiled_moment)] +
                                [_with_utc_date(r, m) for m, _, r, _ in newer])
            except _MergeFailure as exc:
                return None, str(exc)
        else:
            merged = base
        latest = newest_release if newest_release and (compiled_moment is None or newest_release > compiled_moment) else compiled_moment
        latest_release = usable[-1][2] if usable else compiled
        return MergedProcess(
            ocid=process.ocid, compiled=merged, releases=[u[2] for u in usable],
            latest_id=_text_or_none(latest_release.get("id")),
            latest_date=_utc_text(latest) if latest else None, origin=origin, used_compiled_release=True, notes=notes,
        ), None

    if not usable:
        return None, "no release with a usable date"
    try:
        merged = _merge(merger, [_with_utc_date(r, m) for m, _, r, _ in usable])
    except _MergeFailure as exc:
        return None, str(exc)
    moment, _, latest_release, origin = usable[-1]
    return MergedProcess(
        ocid=process.ocid, compiled=merged, releases=[u[2] for u in usable],
        latest_id=_text_or_none(latest_release.get("id")), latest_date=_utc_text(moment), origin=origin, notes=notes,
    ), None


class _MergeFailure(Exception):
    pass


def _with_utc_date(release: dict[str, Any], moment: datetime) -> dict[str, Any]:
    """A shallow copy whose date sorts correctly as text (ocdsmerge sorts by the date string; offsets differ)."""
    return {**release, "date": _utc_text(moment)}


def _merge(merger: ocdsmerge.Merger, releases: list[dict[str, Any]]) -> dict[str, Any]:
    with warnings.catch_warnings():
        # duplicate ids inside an array are common in real data; ocdsmerge keeps the last, which is what we want
        warnings.simplefilter("ignore", OCDSMergeWarning)
        try:
            return merger.create_compiled_release(releases)
        except (OCDSMergeError, TypeError, ValueError, KeyError, AttributeError) as exc:
            raise _MergeFailure(f"the releases could not be merged: {exc}") from None


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
