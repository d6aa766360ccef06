"""Read the register's JSON Schemas as a list of fields: the one source for table layouts, the data dictionary,
the Frictionless table schemas and the OCDS mapping.

The schemas use ``$ref`` into ``definitions.schema.json`` and ``codelists.schema.json``; a property's own
``description``, ``examples`` and ``x-ocds`` override those of the definition it points at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from site_builder.errors import BuildError
from site_builder.load import RECORD_TYPES
from site_builder.schemas import load_documents

SCHEMA_FILES = {t: f"{t}.schema.json" for t in RECORD_TYPES}
SHARED_FILES = ("definitions.schema.json", "codelists.schema.json")


@dataclass(frozen=True)
class FieldInfo:
    """One field of one record type. ``path`` uses ``[]`` for "each item of this list", e.g. ('commitments', '[]', 'id')."""

    record_type: str
    path: tuple[str, ...]
    schema: dict[str, Any]  # resolved: the $ref target merged with the property's own keywords
    required: bool  # required in its parent object (and the parent exists whenever the record does)
    always_present: bool  # required all the way up from the record, so every record has it

    @property
    def name(self) -> str:
        return ".".join(p for p in self.path if p != "[]")

    @property
    def pointer_name(self) -> str:
        """Human-readable path, e.g. commitments[].target.quantity."""
        out = ""
        for part in self.path:
            out += "[]" if part == "[]" else (f".{part}" if out else part)
        return out

    @property
    def json_type(self) -> str:
        t = self.schema.get("type", "")
        return t if isinstance(t, str) else "/".join(t)

    @property
    def format(self) -> str | None:
        return self.schema.get("format")

    @property
    def description(self) -> str:
        return str(self.schema.get("description", ""))

    @property
    def enum(self) -> list[Any] | None:
        return self.schema.get("enum")

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.schema.get("x-labels") or {})

    @property
    def example(self) -> Any:
        examples = self.schema.get("examples")
        return examples[0] if examples else None

    @property
    def x_ocds(self) -> str | None:
        return self.schema.get("x-ocds")

    @property
    def is_leaf(self) -> bool:
        return self.json_type not in ("object", "array")


class SchemaSet:
    """The register's schemas, loaded once, with ``$ref`` resolution and a field walker."""

    def __init__(self, schemas_dir: Path):
        self.dir = schemas_dir
        self.documents = load_documents(schemas_dir)
        missing = [name for name in (*SCHEMA_FILES.values(), *SHARED_FILES) if name not in self.documents.by_name]
        if missing:
            raise BuildError(f"{schemas_dir}: cannot read the schema: {', '.join(missing)} not found")
        #: the record types' schemas, then the shared ones (the order the bulk download lists them in)
        self.files = {name: self.documents.by_name[name] for name in (*SCHEMA_FILES.values(), *SHARED_FILES)}
        self.raw_bytes = {name: self.documents.raw_bytes[name] for name in self.files}

    def root(self, record_type: str) -> dict[str, Any]:
        return self.files[SCHEMA_FILES[record_type]]

    def resolve(self, node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
        """Follow ``$ref`` (possibly chained); the referring node's own keywords win. Returns (schema, its file)."""
        return self.documents.resolve(node, base)

    def codelist(self, name: str) -> dict[str, Any]:
        return self.documents.codelist(name)

    def iter_fields(self, record_type: str) -> Iterator[FieldInfo]:
        """Every field of a record type, depth first in schema order (objects and lists too, then their parts)."""
        root = self.root(record_type)
        yield from self._walk(record_type, root, SCHEMA_FILES[record_type], (), True)

    def _walk(self, record_type: str, node: dict[str, Any], base: str, path: tuple[str, ...],
              parent_always: bool) -> Iterator[FieldInfo]:
        required = set(node.get("required", ()))
        for prop, sub in node.get("properties", {}).items():
            resolved, sub_base = self.resolve(sub, base)
            here = (*path, prop)
            always = parent_always and prop in required
            yield FieldInfo(record_type, here, resolved, prop in required, always)
            if resolved.get("type") == "object":
                yield from self._walk(record_type, resolved, sub_base, here, always)
            elif resolved.get("type") == "array":
                items, items_base = self.resolve(resolved.get("items", {}), sub_base)
                if items.get("type") == "object":
                    yield from self._walk(record_type, items, items_base, (*here, "[]"), False)

    def items_of(self, field: FieldInfo) -> dict[str, Any]:
        """The resolved schema of a list field's items."""
        node = self.root(field.record_type)
        base = SCHEMA_FILES[field.record_type]
        schema: dict[str, Any] = node
        for part in field.path:
            if part == "[]":
                schema, base = self.resolve(schema["items"], base)
            else:
                schema, base = self.resolve(schema["properties"][part], base)
        items, _ = self.resolve(schema.get("items", {}), base)
        return items

    @cached_property
    def fields(self) -> dict[str, list[FieldInfo]]:
        return {t: list(self.iter_fields(t)) for t in RECORD_TYPES}

    def field(self, record_type: str, *path: str) -> FieldInfo:
        for f in self.fields[record_type]:
            if f.path == path:
                return f
        raise KeyError(f"{record_type}: no field {'.'.join(path)}")
