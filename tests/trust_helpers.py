"""Helpers for the trust tests (hostile output, builds, accessibility): walking the schemas and records.

A *field path* names a place in a record with ``*`` for every array index, e.g. ``/commitments/*/description``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import REPO_ROOT

from site_builder.schemas import load_documents

SCHEMAS = REPO_ROOT / "schemas"
RECORD_TYPES = ("organisation", "tender", "award", "outcome", "measure")


def load_schema(name: str) -> dict[str, Any]:
    return load_documents(SCHEMAS).schema(name)


def resolve(node: dict[str, Any], current: str) -> tuple[dict[str, Any], str]:
    """Follow ``$ref`` until a node without one; returns (node with its own keywords on top, its file)."""
    return load_documents(SCHEMAS).resolve(node, current)


def iter_string_fields(record_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field path, resolved schema) of every string-valued place in a record type's schema."""
    seen: set[str] = set()

    def walk(node: dict[str, Any], file: str, path: str, depth: int) -> Iterator[tuple[str, dict[str, Any]]]:
        node, file = resolve(node, file)
        if depth > 12 or path in seen:
            return
        types = node.get("type")
        types = [types] if isinstance(types, str) else (types or [])
        if "string" in types or (not types and ("pattern" in node or "enum" in node or "format" in node)):
            seen.add(path)
            yield path, node
        for name, sub in node.get("properties", {}).items():
            yield from walk(sub, file, f"{path}/{name}", depth + 1)
        if isinstance(node.get("items"), dict):
            yield from walk(node["items"], file, f"{path}/*", depth + 1)
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                yield from walk(sub, file, path, depth + 1)

    yield from walk(load_schema(f"{record_type}.schema.json"), f"{record_type}.schema.json", "", 0)


def is_free_text(schema: dict[str, Any]) -> bool:
    """A string the schema does not constrain beyond its length: any text may go there."""
    return not any(k in schema for k in ("pattern", "format", "enum", "const", "anyOf"))  # anyOf: e.g. date or date-time


def iter_string_leaves(data: Any, pointer: str = "") -> Iterator[tuple[str, str, str]]:
    """(JSON Pointer, field path, value) of every string in a record's data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from iter_string_leaves(value, f"{pointer}/{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from iter_string_leaves(value, f"{pointer}/{i}")
    elif isinstance(data, str):
        field = "/".join("*" if part.isdigit() else part for part in pointer.split("/"))
        yield pointer, field, data


def set_at(data: Any, pointer: str, value: Any) -> None:
    parts = pointer.strip("/").split("/")
    for part in parts[:-1]:
        data = data[int(part)] if isinstance(data, list) else data[part]
    last = parts[-1]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def tree_snapshot(root: Path) -> dict[str, tuple[str, int, bytes | None]]:
    """Every entry under ``root``: relative path → (kind, mode, content of files and symlink targets)."""
    out: dict[str, tuple[str, int, bytes | None]] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        st = path.lstat()
        if path.is_symlink():
            out[rel] = ("link", st.st_mode, str(path.readlink()).encode())
        elif path.is_dir():
            out[rel] = ("dir", st.st_mode, None)
        else:
            out[rel] = ("file", st.st_mode, path.read_bytes())
    return out
