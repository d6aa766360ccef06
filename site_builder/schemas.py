"""The register's schemas, loaded once and shared by every stage that reads them.

``SchemaDocuments`` holds the schema files and resolves ``$ref`` through ``referencing`` (the validator, the data
dictionary and the exports' field walker, and `procure new` all use it); ``RecordValidators`` checks records.

jsonschema-rs checks a record in microseconds but its messages are terse; the reference ``jsonschema`` library is
~150x slower but tells us which keyword failed and where. So every record is screened by jsonschema-rs and only the
records that fail are run through jsonschema, whose errors are turned into problems an officer can act on.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema
import jsonschema_rs
import referencing
import referencing.exceptions
from jsonschema.exceptions import ValidationError
from referencing.jsonschema import DRAFT202012

from site_builder.errors import ConfigError
from site_builder.load import RECORD_TYPES, escape_pointer_token
from site_builder.mistakes import date_format_hint

#: JSON Schema keyword → the stable problem code (anything not listed becomes schema/<keyword in kebab-case>)
CODE_OF_KEYWORD = {
    "required": "schema/required",
    "additionalProperties": "schema/additional-property",
    "type": "schema/type",
    "enum": "schema/enum",
    "const": "schema/enum",
    "format": "schema/format",
    "pattern": "schema/pattern",
    "minimum": "schema/minimum",
    "maximum": "schema/maximum",
    "exclusiveMinimum": "schema/minimum",
    "exclusiveMaximum": "schema/maximum",
    "minLength": "schema/min-length",
    "maxLength": "schema/max-length",
    "minItems": "schema/min-items",
    "maxItems": "schema/max-items",
    "uniqueItems": "schema/unique-items",
}

#: formats the schemas use; each must really be checked (plain jsonschema skips a format it has no checker for)
REQUIRED_FORMATS = ("date", "uri", "email")

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a group of fields (a mapping)",
    "array": "a list",
    "null": "nothing",
}

#: the Procurement Act 2023 UK9 contract-performance scale (outcome.rating)
UK9_SCALE = ("good", "approaching-target", "requires-improvement", "inadequate", "other")

_ENUM_LIST_LIMIT = 12  # longer code lists (currencies) are not spelled out; the closest code is suggested


@dataclass(frozen=True)
class SchemaIssue:
    """One schema failure, before it is given a file position.

    ``anchor`` says what the position should point at: ``value`` (the offending value), ``key`` (an unknown key),
    or ``parent`` (the object missing a field).
    """

    code: str
    pointer: str
    message: str
    hint: str | None
    anchor: str = "value"


def describe_type(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return "nothing (an empty value)"


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _lookalikes(text: str) -> str:
    """Names the first non-ASCII character, e.g. a Cyrillic 'А' that looks like a Latin 'A'."""
    for char in text:
        if ord(char) > 127:
            name = unicodedata.name(char, "an unnamed character")
            return f"; it contains '{char}' (U+{ord(char):04X} {name}), which only looks like a plain letter or sign"
    return ""


def _pointer(path: Any) -> str:
    return "".join(f"/{escape_pointer_token(p)}" for p in path)


def _field_words(pointer: str) -> str:
    """'/commitments/0/target' → 'target'; '/suppliers/1' → 'item 2 of suppliers'; '' → 'record'."""
    if not pointer:
        return "record"
    parent, _, last = pointer.rpartition("/")
    if last.isdigit():
        return f"item {int(last) + 1} of {_field_words(parent)}"
    return last.replace("~1", "/").replace("~0", "~")


def _closest(value: Any, allowed: list[str]) -> str | None:
    """The allowed value an officer most likely meant: same letters in another order or case first (GPB → GBP)."""
    text = str(value)
    for candidate in allowed:
        if candidate.lower() == text.lower() or sorted(candidate.lower()) == sorted(text.lower()):
            return candidate
    close = difflib.get_close_matches(text, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def code_of_keyword(keyword: str) -> str:
    """The problem code of a failed JSON Schema keyword: minItems → schema/min-items."""
    return CODE_OF_KEYWORD.get(keyword) or "schema/" + "".join("-" + c.lower() if c.isupper() else c for c in keyword)


def issues_from_error(err: ValidationError) -> list[SchemaIssue]:
    """Turn one jsonschema error into problems with plain-language messages."""
    keyword = str(err.validator)
    code = code_of_keyword(keyword)
    pointer = _pointer(err.absolute_path)
    value = err.instance
    schema = err.schema if isinstance(err.schema, dict) else {}
    description = schema.get("description")
    if keyword == "required":
        missing = [name for name in err.validator_value if isinstance(value, dict) and name not in value]
        name = next((n for n in missing if repr(n) in err.message), missing[0] if missing else "?")
        field_schema = schema.get("properties", {}).get(name, {})
        hint = field_schema.get("description") if isinstance(field_schema, dict) else None
        where = f"'{_field_words(pointer)}'" if pointer else "the record"
        where = where if not pointer or not pointer.rsplit("/", 1)[-1].isdigit() else _field_words(pointer)
        return [SchemaIssue(code, pointer, f"{where} is missing the required field '{name}'",
                            f"{name}: {hint}" if hint else None, "parent")]
    if keyword == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in value if k not in allowed] if isinstance(value, dict) else []
        issues = []
        for extra in extras:
            close = _closest(extra, allowed)
            hint = f"did you mean '{close}'?" if close else f"allowed fields here: {', '.join(allowed)}"
            issues.append(SchemaIssue(code, f"{pointer}/{escape_pointer_token(extra)}", f"unknown field '{extra}'",
                                      hint, "key"))
        return issues
    if keyword == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        words = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in wanted)
        hint = None
        if "string" in wanted and isinstance(value, (int, float)) and not isinstance(value, bool):
            hint = "put the value in quotes to make it text"
        elif ("number" in wanted or "integer" in wanted) and isinstance(value, str):
            looks_numeric = value.strip().lstrip("+-").replace(".", "", 1).isdigit()
            hint = ("remove the quotes: a number is written without them" if looks_numeric
                    else "write digits only, without currency signs, commas or units")
        return [SchemaIssue(code, pointer, f"expected {words}, found {describe_type(value)}", hint)]
    if keyword in ("enum", "const"):
        allowed_values = list(err.validator_value) if keyword == "enum" else [err.validator_value]
        texts = [str(v) for v in allowed_values]
        close = _closest(value, texts)
        suggestion = f"did you mean '{close}'?" if close else None
        if tuple(allowed_values) == UK9_SCALE:
            return [SchemaIssue(code, pointer, f"{_short(value)} is not a rating on the UK9 scale; use one of: "
                                + ", ".join(UK9_SCALE), suggestion)]
        if len(allowed_values) <= _ENUM_LIST_LIMIT:
            return [SchemaIssue(code, pointer, f"{_short(value)} is not one of the allowed values: " + ", ".join(texts),
                                suggestion)]
        hint = suggestion or (f"see {description}" if description else None)
        return [SchemaIssue(code, pointer, f"{_short(value)} is not a known code"
                            + (f": {description.rstrip('.')}" if description else ""), hint)]
    if keyword == "format":
        fmt = str(err.validator_value)
        if fmt == "date":
            order_hint = date_format_hint(value)
            if order_hint:  # 01/12/2025: the parts are in another order, not a missing day
                return [SchemaIssue(code, pointer, f"{_short(value)} is not written as a date in the form YYYY-MM-DD",
                                    order_hint)]
            return [SchemaIssue(code, pointer, f"{_short(value)} is not a real calendar date (YYYY-MM-DD)",
                                "check the day exists in that month, e.g. there is no 30 February")]
        if fmt in ("uri", "iri"):
            return [SchemaIssue(code, pointer, f"{_short(value)} is not a valid web address",
                                "write the full address, e.g. https://www.example.gov.uk/page, with spaces as %20")]
        if fmt == "email":
            return [SchemaIssue(code, pointer, f"{_short(value)} is not a valid e-mail address", None)]
        return [SchemaIssue(code, pointer, f"{_short(value)} is not a valid {fmt}", None)]
    if keyword == "pattern":
        what = _field_words(pointer)
        extra = _lookalikes(value) if isinstance(value, str) else ""
        return [SchemaIssue(code, pointer, f"{_short(value)} is not a valid {what}{extra}", description)]
    if keyword in ("minimum", "exclusiveMinimum"):
        hint = "amounts and quantities are never negative" if isinstance(value, (int, float)) and value < 0 else description
        return [SchemaIssue(code, pointer, f"{value} is below the minimum of {err.validator_value}", hint)]
    if keyword in ("maximum", "exclusiveMaximum"):
        return [SchemaIssue(code, pointer, f"{value} is above the maximum of {err.validator_value}", description)]
    if keyword == "minLength":
        return [SchemaIssue(code, pointer, f"{_short(value)} is too short (at least {err.validator_value} characters)",
                            description)]
    if keyword == "maxLength":
        return [SchemaIssue(code, pointer, f"the text is too long (at most {err.validator_value:,} characters)",
                            description)]
    if keyword == "minItems":
        return [SchemaIssue(code, pointer, f"the list needs at least {err.validator_value} item(s)", description)]
    if keyword == "uniqueItems":
        return [SchemaIssue(code, pointer, "the list holds the same item more than once", "remove the repeated item")]
    return [SchemaIssue(code, pointer, err.message, description)]


class SchemaDocuments:
    """The ``*.schema.json`` files of a schemas folder, read once, with ``$ref`` resolution through ``referencing``.

    A schema's URI is its ``$id`` (or, without one, the file's name under the folder's URI), so references such as
    ``definitions.schema.json#/$defs/money`` resolve against the referring file, as a JSON Schema validator does."""

    def __init__(self, schemas_dir: Path):
        self.schemas_dir = schemas_dir
        paths = sorted(schemas_dir.glob("*.schema.json"))
        if not paths:
            raise ConfigError(f"no *.schema.json files in {schemas_dir}")
        digest = hashlib.sha256()
        self.by_name: dict[str, dict[str, Any]] = {}  # file name → schema
        self.raw_bytes: dict[str, bytes] = {}  # file name → the file as written
        for path in paths:
            content = path.read_bytes()
            digest.update(path.name.encode() + b"\0" + content + b"\0")
            try:
                self.by_name[path.name] = json.loads(content)
            except ValueError as exc:
                raise ConfigError(f"{path.name} is not valid JSON: {exc}") from None
            self.raw_bytes[path.name] = content
        self.digest = digest.hexdigest()
        folder_uri = schemas_dir.resolve().as_uri() + "/"
        self.uri_of = {name: str(doc.get("$id") or folder_uri + name) for name, doc in self.by_name.items()}
        self.registry: referencing.Registry[Any] = referencing.Registry().with_resources(
            (self.uri_of[name], DRAFT202012.create_resource(doc)) for name, doc in self.by_name.items())

    def schema(self, name: str) -> dict[str, Any]:
        """A schema by its file name ("award.schema.json") or record type ("award")."""
        return self.by_name[name if name.endswith(".schema.json") else f"{name}.schema.json"]

    def definition(self, name: str) -> dict[str, Any]:
        return dict(self.by_name["definitions.schema.json"]["$defs"][name])

    def codelist(self, name: str) -> dict[str, Any]:
        return dict(self.by_name["codelists.schema.json"]["$defs"][name])

    def resolve(self, node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
        """Follow ``node``'s ``$ref`` (and the target's, when it refers on) from the file ``base`` (a file name).

        Returns the target with the referring node's own keywords on top (its description, example... win), and
        the file name the target is in (later references inside it resolve from there)."""
        ref = node.get("$ref")
        if not isinstance(ref, str):
            return node, base
        base_uri = self.uri_of.get(base, base)
        try:
            target = self.registry.resolver(base_uri).lookup(ref).contents
        except referencing.exceptions.Unresolvable as exc:
            raise ConfigError(f"{base}: the reference {ref!r} leads nowhere ({exc})") from None
        target_uri = urldefrag(urljoin(base_uri, ref))[0]
        target_name = next((name for name, uri in self.uri_of.items() if uri == target_uri), target_uri)
        resolved, target_name = self.resolve(target, target_name)
        return {**resolved, **{k: v for k, v in node.items() if k != "$ref"}}, target_name


@lru_cache(maxsize=4)
def _documents_cached(schemas_dir: Path, stamp: tuple[tuple[str, int, int], ...]) -> SchemaDocuments:
    return SchemaDocuments(schemas_dir)


def _stamp(schemas_dir: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(schemas_dir.glob("*.schema.json")))


def load_documents(schemas_dir: Path) -> SchemaDocuments:
    """The schema files of ``schemas_dir``, read once per process (again if a schema file changes)."""
    return _documents_cached(schemas_dir.resolve(), _stamp(schemas_dir))


class RecordValidators:
    """Every record type's schema, with a fast screening validator and an explaining one."""

    def __init__(self, documents: SchemaDocuments):
        self.schemas_dir = documents.schemas_dir
        self.digest = documents.digest
        self.raw = {name.removesuffix(".schema.json"): doc for name, doc in documents.by_name.items()}
        missing = [t for t in RECORD_TYPES if t not in self.raw]
        if missing:
            raise ConfigError(f"{self.schemas_dir} has no schema for: {', '.join(missing)}")
        format_checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
        unchecked = [f for f in REQUIRED_FORMATS if f not in format_checker.checkers]
        if unchecked:
            raise ConfigError(f"format checks for {', '.join(unchecked)} are not installed: "
                              "install jsonschema[format-nongpl]")
        rs_registry = jsonschema_rs.Registry([(s["$id"], s) for s in self.raw.values() if "$id" in s])
        self.fast: dict[str, Any] = {}
        self.explainers: dict[str, jsonschema.Draft202012Validator] = {}
        for record_type in RECORD_TYPES:
            schema = self.raw[record_type]
            self.fast[record_type] = jsonschema_rs.validator_for(schema, registry=rs_registry, validate_formats=True)
            self.explainers[record_type] = jsonschema.Draft202012Validator(
                schema, registry=documents.registry, format_checker=format_checker
            )

    def is_valid(self, record_type: str, data: Any) -> bool:
        try:
            return bool(self.fast[record_type].is_valid(data))
        except (ValueError, OverflowError):  # a value jsonschema-rs cannot represent (e.g. a 400-digit number)
            return False

    def explain(self, record_type: str, data: Any) -> list[SchemaIssue]:
        """Why ``data`` fails its schema, in plain language (call only after :meth:`is_valid` said no)."""
        issues: list[SchemaIssue] = []
        for err in self.explainers[record_type].iter_errors(data):
            issues.extend(issues_from_error(err))
        if not issues:
            # the screening validator is stricter on some edge (formats differ slightly between libraries):
            # report its own words rather than pass a record one of them rejects
            try:
                for rs_err in self.fast[record_type].iter_errors(data):
                    kind = type(rs_err.kind).__name__.split("_")[-1]
                    code = "schema/" + "".join("-" + c.lower() if c.isupper() else c for c in kind).lstrip("-")
                    issues.append(SchemaIssue(code, _pointer(rs_err.instance_path), str(rs_err.message), None))
            except (ValueError, OverflowError):
                issues.append(SchemaIssue("schema/type", "", "a number in this record is too large to check", None))
        return issues

    def check(self, record_type: str, data: Any) -> list[SchemaIssue]:
        """Screen fast; explain only failures."""
        if self.is_valid(record_type, data):
            return []
        return self.explain(record_type, data)


@lru_cache(maxsize=4)
def _validators_cached(documents: SchemaDocuments) -> RecordValidators:
    return RecordValidators(documents)


def load_schemas(schemas_dir: Path) -> RecordValidators:
    """The validators of ``schemas_dir``, built once per process (rebuilt if a schema file changes)."""
    return _validators_cached(load_documents(schemas_dir))
