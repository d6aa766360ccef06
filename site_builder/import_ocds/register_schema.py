"""What the import needs from the register's own JSON Schemas: codelists, key order, and a final check.

The schemas are the contract, so the import reads codes (currencies, identifier schemes, notice types...) and the
order of keys from them rather than keeping copies that could drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs

from site_builder.errors import ConfigError
from site_builder.schemas import load_documents


@dataclass
class DraftIssue:
    """Why an imported draft record fails its schema (the import leaves such a record out and says why)."""

    pointer: str  # JSON Pointer into the record
    message: str


_REQUIRED = re.compile(r'^"([^"]+)" is a required property$')


class RegisterSchemas:
    """The register's schemas folder, loaded once."""

    def __init__(self, schemas_dir: Path):
        if not any(schemas_dir.glob("*.schema.json")):
            raise ConfigError(f"{schemas_dir}: no *.schema.json files; the import needs the register's schemas "
                              "(copy the schemas/ folder of the procurement register into it)")
        try:
            self.documents = load_documents(schemas_dir)
        except (OSError, ConfigError) as exc:
            raise ConfigError(f"{schemas_dir}: a schema cannot be read: {exc}") from None
        self.by_name = self.documents.by_name

    def record_schema(self, record_type: str) -> dict[str, Any]:
        return self.by_name[f"{record_type}.schema.json"]

    def codes(self, codelist: str) -> frozenset[str]:
        spec = self.by_name["codelists.schema.json"]["$defs"][codelist]
        return frozenset(str(c) for c in spec.get("enum", ()))

    def definition(self, name: str) -> dict[str, Any]:
        return self.documents.definition(name)

    def resolve(self, node: dict[str, Any], base: str = "definitions.schema.json") -> dict[str, Any]:
        """Follow a $ref such as ``definitions.schema.json#/$defs/money`` (see ``SchemaDocuments.resolve``)."""
        return self.documents.resolve(node, base)[0] if isinstance(node, dict) else node

    def max_length(self, record_type: str, *path: str) -> int:
        """The schema's ``maxLength`` of a text field, e.g. ("organisation", "address", "town") → 100 ("[]" steps
        into a list's items), so the import shortens text exactly as far as the schema allows."""
        key = (record_type, *path)
        limits: dict[tuple[str, ...], int] = self.__dict__.setdefault("_max_lengths", {})
        if key not in limits:
            base = f"{record_type}.schema.json"
            node, base = self.documents.resolve(self.record_schema(record_type), base)
            for part in path:
                node, base = self.documents.resolve(node["items"] if part == "[]" else node["properties"][part], base)
            limits[key] = int(node["maxLength"])
        return limits[key]

    def ordered(self, value: Any, node: dict[str, Any]) -> Any:
        """``value`` with every mapping's keys in the schema's property order (unknown keys last, sorted)."""
        node = self.resolve(node)
        if isinstance(value, dict):
            props = node.get("properties", {}) if isinstance(node, dict) else {}
            keys = [k for k in props if k in value] + sorted(k for k in value if k not in props)
            return {k: self.ordered(value[k], props.get(k, {})) for k in keys}
        if isinstance(value, list):
            items = node.get("items", {}) if isinstance(node, dict) else {}
            return [self.ordered(v, items) for v in value]
        return value

    @cached_property
    def _validators(self) -> dict[str, Any]:
        registry = jsonschema_rs.Registry([(s["$id"], s) for s in self.by_name.values() if "$id" in s])
        return {name.removesuffix(".schema.json"): jsonschema_rs.validator_for(s, registry=registry, validate_formats=True)
                for name, s in self.by_name.items()}

    def issues(self, record_type: str, data: dict[str, Any]) -> list[DraftIssue]:
        """Schema failures, except a missing required field the record lists in ``import_gaps`` (the validator
        reports those as warnings)."""
        gaps = data.get("import_gaps") or ()
        out = []
        for err in self._validators[record_type].iter_errors(data):
            pointer = "".join(f"/{p}" for p in err.instance_path)
            missing = _REQUIRED.match(err.message) if not pointer else None
            if missing and missing.group(1) in gaps:
                continue
            out.append(DraftIssue(pointer, err.message))
        return out

    def is_valid_value(self, definition: str, value: Any) -> bool:
        """Whether ``value`` passes one shared definition (e.g. "web_link", "identifier")."""
        key = f"definitions#{definition}"
        cache = self.__dict__.setdefault("_def_validators", {})
        if key not in cache:
            registry = jsonschema_rs.Registry([(s["$id"], s) for s in self.by_name.values() if "$id" in s])
            base = self.by_name["definitions.schema.json"]["$id"]
            cache[key] = jsonschema_rs.validator_for({"$ref": f"{base}#/$defs/{definition}"}, registry=registry,
                                                     validate_formats=True)
        return bool(cache[key].is_valid(value))
