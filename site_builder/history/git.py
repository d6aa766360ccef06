"""Read the register's record files out of git: a whole tree at one revision, or the working tree.

Plain `git` subprocesses (``ls-tree`` + one ``cat-file --batch``), so reading every record of a 10,000-record
revision costs two processes, not 10,000. Errors become :class:`GitError` with a sentence an officer can act on.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from site_builder.errors import SiteBuilderError
from site_builder.load import iter_record_files

#: a snapshot: path relative to the register's root ("records/awards/AW-2025-003.yaml") → the file's bytes
Snapshot = dict[str, bytes]


class GitError(SiteBuilderError):
    """git is missing, the folder is not a repository, or a revision does not exist."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", os.fspath(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed, so the register's history cannot be read") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else 'no message'}")
    return done.stdout


def repository_prefix(root: Path) -> tuple[Path, str]:
    """(the repository's top folder, the register root's path inside it with a trailing '/', or '')."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    inside = os.path.relpath(os.path.realpath(root), os.path.realpath(top))
    return top, "" if inside == "." else inside.replace(os.sep, "/") + "/"


def resolve_revision(root: Path, revision: str) -> str:
    """The commit id a revision name (branch, tag, HEAD~2, abbreviated id) stands for."""
    if revision.startswith("-"):
        raise GitError(f"'{revision}' is not a revision name")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"
        extra = (" (this is a shallow clone: fetch more history, e.g. `git fetch --unshallow`)" if shallow else "")
        raise GitError(f"no revision '{revision}' in this repository{extra}") from None


def read_blobs(root: Path, object_ids: Iterable[str]) -> dict[str, bytes]:
    """object id → content, for blobs, in one ``git cat-file --batch``."""
    wanted = list(dict.fromkeys(object_ids))
    if not wanted:
        return {}
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in wanted).encode())
    blobs: dict[str, bytes] = {}
    position = 0
    for oid in wanted:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise GitError(f"git object {oid} is not a file")
        size = int(header[2])
        start = header_end + 1
        blobs[oid] = output[start:start + size]
        position = start + size + 1  # the content is followed by a newline
    return blobs


def tree_snapshot(root: Path, revision: str, records_folder: str = "records") -> Snapshot:
    """Every record file under ``records/`` at ``revision``, keyed by its path relative to ``root``."""
    commit = resolve_revision(root, revision)
    _, prefix = repository_prefix(root)
    listing = _git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", f"{prefix}{records_folder}/")
    oid_of: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path_bytes = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        path = path_bytes.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000" or not path.endswith((".yaml", ".yml")):
            continue  # links are not records (the validator refuses them too)
        oid_of[path[len(prefix):]] = oid
    blobs = read_blobs(root, oid_of.values())
    return {path: blobs[oid] for path, oid in sorted(oid_of.items())}


def working_snapshot(root: Path, records_dir: Path) -> Snapshot:
    """Every record file under ``records_dir`` as it is on disk now (uncommitted changes included)."""
    snapshot: Snapshot = {}
    for path in iter_record_files(records_dir):
        if os.path.islink(path):
            continue
        rel = os.path.relpath(path, root).replace(os.sep, "/")
        try:
            with open(path, "rb") as handle:
                snapshot[rel] = handle.read()
        except OSError:
            continue  # vanished while reading; `procure validate` reports unreadable files
    return snapshot
