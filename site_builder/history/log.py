"""Every record's history of changes, from ONE pass over the git log of ``records/``.

``git log --raw`` lists, per commit, which record files were added, modified or deleted, with the blob ids of both
versions. Added files need no content ("added to the register"); only modified files are read, all in one
``git cat-file --batch``, and compared field by field with the same code as ``procure diff``. So the cost follows
the number of edits in the history, not the number of records times the number of commits.

A copy without history (a tarball, no git) says so; a shallow clone (CI's default ``fetch-depth: 1``) shows what
it has and says that earlier changes are missing, rather than calling every record "added" on the clone's date.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.history.diff import Describer, FieldChange, field_changes, record_type_of_path
from site_builder.history.git import GitError, read_blobs, repository_prefix
from site_builder.load import YamlProblem, parse_yaml

#: entries shown per record at most (newest first); the forge keeps the rest
MAX_ENTRIES = 100


@dataclass(frozen=True)
class HistoryEntry:
    """One commit's change to one record."""

    commit: str
    date: str  # YYYY-MM-DD (the commit date: when the change entered the register)
    message: str  # the commit's subject line
    kind: str  # "added", "changed", "deleted"
    fields: tuple[FieldChange, ...] = ()
    readable: bool = True  # False when a version could not be parsed (shown as "changed", without details)


@dataclass
class RegisterHistory:
    """Every record file's history, newest first. ``available`` is False without git history at all;
    ``missing_until`` is, in a shallow clone, the date of its oldest commit: what that commit and earlier ones
    changed is unknown (the oldest commit's parent is missing, so git shows it as adding every file)."""

    available: bool
    by_path: dict[str, list[HistoryEntry]] = field(default_factory=dict)
    missing_until: str | None = None
    reason: str = ""

    def of(self, rel_path: str) -> list[HistoryEntry]:
        return self.by_path.get(rel_path, [])[:MAX_ENTRIES]

    def count(self, rel_path: str) -> int:
        return len(self.by_path.get(rel_path, []))

    def last_updated(self) -> dict[str, str]:
        """rel_path → date of the newest commit that touched it."""
        return {path: entries[0].date for path, entries in self.by_path.items() if entries}


@dataclass
class _Raw:
    commit: str
    date: str
    message: str
    status: str
    old_blob: str
    new_blob: str
    path: str


def _run(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", os.fspath(root), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def _shallow_boundaries(root: Path) -> set[str]:
    """Commits whose parents are missing in a shallow clone (git lists them in .git/shallow)."""
    if _run(root, "rev-parse", "--is-shallow-repository").decode().strip() != "true":
        return set()
    path = Path(_run(root, "rev-parse", "--git-path", "shallow").decode().strip())
    path = path if path.is_absolute() else Path(root) / path
    try:
        return {line.strip() for line in path.read_text().splitlines() if line.strip()}
    except OSError:
        return set()


def _parse_log(output: bytes, prefix: str) -> list[_Raw]:
    """``git log -z --raw --format=%x1e%H%x1f%cs%x1f%s`` → one row per (commit, file)."""
    rows: list[_Raw] = []
    for chunk in output.split(b"\x1e")[1:]:
        ends = [i for i in (chunk.find(b"\0"), chunk.find(b"\n")) if i >= 0]
        cut = min(ends) if ends else len(chunk)
        header, rest = chunk[:cut], chunk[cut + 1:]  # the header ends with NUL (then the file list) or newline
        commit, date, message = [*header.decode("utf-8", "replace").split("\x1f"), "", ""][:3]
        tokens = rest.split(b"\0")
        index = 0
        while index < len(tokens):
            meta = tokens[index].strip(b"\n")
            index += 1
            if not meta.startswith(b":"):
                continue
            parts = meta[1:].decode().split()
            if len(parts) < 5 or index >= len(tokens):
                continue
            path = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
            if not path.startswith(prefix):
                continue
            rows.append(_Raw(commit, date, message.strip(), parts[4][:1], parts[2], parts[3], path[len(prefix):]))
    return rows


def read_history(root: Path, records_dir: Path, schemas_dir: Path, names: Mapping[str, str]) -> RegisterHistory:
    """The history of every record file under ``records_dir``; ``names`` (organisation id → name) label values."""
    try:
        top, prefix = repository_prefix(root)
        boundaries = _shallow_boundaries(root)
        records = os.path.relpath(os.path.realpath(records_dir), os.path.realpath(top)).replace(os.sep, "/")
        output = _run(top, "log", "-z", "--raw", "--no-abbrev", "--no-renames", "--format=%x1e%H%x1f%cs%x1f%s",
                      "--", f"{records}/")
    except (GitError, OSError) as exc:
        return RegisterHistory(False, reason=str(exc))
    rows = _parse_log(output, prefix)
    history = RegisterHistory(True)
    if boundaries:
        dates = [row.date for row in rows if row.commit in boundaries]
        oldest = _run(top, "log", "-1", "--format=%cs", *sorted(boundaries)).decode().strip() if not dates else min(
            dates)
        history.missing_until = oldest or None
    wanted = [blob for row in rows if row.status == "M" for blob in (row.old_blob, row.new_blob)]
    try:
        blobs = read_blobs(top, wanted)
    except GitError as exc:
        return RegisterHistory(False, reason=str(exc))
    describer = Describer(schemas_dir, names)
    parsed: dict[str, object] = {}

    def data_of(blob: str) -> object:
        if blob not in parsed:
            try:
                parsed[blob], _ = parse_yaml(blobs[blob])
            except (YamlProblem, KeyError):
                parsed[blob] = None
        return parsed[blob]

    for row in rows:  # newest first, as git log gives them
        record_type = record_type_of_path(row.path)
        if record_type is None:
            continue
        if row.commit in boundaries:
            continue  # git shows the clone's oldest commit as adding every file: what it really changed is unknown
        entries = history.by_path.setdefault(row.path, [])
        if row.status == "A":
            entries.append(HistoryEntry(row.commit, row.date, row.message, "added"))
        elif row.status == "D":
            entries.append(HistoryEntry(row.commit, row.date, row.message, "deleted"))
        else:
            old, new = data_of(row.old_blob), data_of(row.new_blob)
            if isinstance(old, dict) and isinstance(new, dict):
                changes = tuple(field_changes(record_type, old, new, describer))
                entries.append(HistoryEntry(row.commit, row.date, row.message, "changed", changes))
            else:
                entries.append(HistoryEntry(row.commit, row.date, row.message, "changed", readable=False))
    history.by_path = {path: entries for path, entries in history.by_path.items() if entries}
    return history
