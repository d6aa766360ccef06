"""The schemas are the contract with publishers and feed editor hints and the data dictionary: every property must
explain itself with a description and an example, and every example must itself be valid."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from site_builder.schemas import load_documents

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
DOCS = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.schema.json"))}
REGISTRY = load_documents(SCHEMAS).registry


def resolve(node: dict[str, Any], file: str) -> dict[str, Any]:
    """The definition a `$ref` points to, so examples given on a shared definition count."""
    return load_documents(SCHEMAS).resolve(node, file)[0]


def iter_properties(node: Any, file: str, path: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    if not isinstance(node, dict):
        return
    for name, prop in (node.get("properties") or {}).items():
        yield f"{path}/{name}", file, prop
        yield from iter_properties(prop, file, f"{path}/{name}")
    if isinstance(node.get("items"), dict):
        yield from iter_properties(node["items"], file, f"{path}[]")
    for name, definition in (node.get("$defs") or {}).items():
        yield from iter_properties(definition, file, f"{path}#{name}")


PROPERTIES = [p for file, doc in DOCS.items() for p in iter_properties(doc, file, file)]


def test_the_walk_sees_every_record_type():
    files = {file for _, file, _ in PROPERTIES}
    assert {"organisation.schema.json", "tender.schema.json", "award.schema.json", "outcome.schema.json",
            "measure.schema.json", "definitions.schema.json"} <= files
    assert len(PROPERTIES) > 100


@pytest.mark.parametrize(("path", "file", "prop"), PROPERTIES, ids=[p[0] for p in PROPERTIES])
def test_every_property_has_a_description_and_a_valid_example(path, file, prop):
    assert str(prop.get("description", "")).strip(), f"{path} has no description"
    examples = prop.get("examples") or resolve(prop, file).get("examples")
    assert examples, f"{path} has no example (editor hints and the data dictionary show it)"
    # a sibling $id, so the property's relative $refs ("definitions.schema.json#/$defs/...") resolve as in its file
    check_id = DOCS[file]["$id"].replace(".schema.json", ".example-check.json")
    validator = jsonschema.Draft202012Validator({**prop, "$id": check_id}, registry=REGISTRY,
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for example in examples:
        errors = [e.message for e in validator.iter_errors(example)]
        assert not errors, f"{path}: example {example!r} is invalid: {errors}"
