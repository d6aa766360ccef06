"""Load stage: find record files and parse them safely.

YAML is parsed with PyYAML's C composer when available, then turned into plain JSON-like data by our own
walker, so that we control every rule that matters for a public register:

* YAML 1.2-style scalars: only ``true``/``false`` are booleans, dates stay strings, ``yes``/``no``/``on`` stay text;
* duplicate keys, anchors/aliases (the alias-bomb vector), non-core tags (``!!python/...``) are errors;
* size, depth and node-count limits, UTF-8 only, no byte-order mark, a top-level mapping.

Nothing here prints; problems come back as :class:`~site_builder.errors.Problem` objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import Problem

try:  # the C composer is ~7x faster; the pure one gives identical results
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

#: folder under records/ → record type
RECORD_FOLDERS = {
    "organisations": "organisation",
    "tenders": "tender",
    "awards": "award",
    "outcomes": "outcome",
    "measures": "measure",
}
RECORD_TYPES = tuple(RECORD_FOLDERS.values())
FOLDER_OF_TYPE = {t: f for f, t in RECORD_FOLDERS.items()}

MAX_FILE_BYTES = 1_000_000  # a record is a few KB; anything near this size is a mistake or an attack
MAX_DEPTH = 32
MAX_NODES = 50_000

_PLAIN = "tag:procure.local:plain"  # our marker for an untagged, unquoted scalar
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Composes nodes only; marks plain scalars so the walker applies YAML 1.2 core-schema rules."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        return str(super().resolve(kind, value, implicit))


class YamlProblem(Exception):
    """A file that cannot be turned into data; carries where and why."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1, pointer: str = "", hint: str | None = None):
        super().__init__(message)
        self.code, self.message, self.line, self.col, self.pointer, self.hint = code, message, line, col, pointer, hint


def escape_pointer_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _plain_scalar(text: str) -> Any:
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text) or _NAN.match(text):
        return text  # JSON has no infinities or NaN; keep the text so the schema reports a type error
    return text


def _tagged_scalar(tag: str, text: str, node: yaml.Node, pointer: str) -> Any:
    if tag == _CORE + "str":
        return text
    value = _plain_scalar(text)
    expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[tag[len(_CORE):]]
    if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
        raise YamlProblem("yaml/tag", f"'{text}' is not a valid !!{tag[len(_CORE):]}", *_pos(node), pointer)
    return value


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    """Turns a composed node graph into data, enforcing the register's safety rules."""

    def __init__(self, want_positions: bool):
        self.seen: set[int] = set()
        self.count = 0
        self.positions: dict[str, tuple[int, int]] | None = {} if want_positions else None
        self.key_positions: dict[str, tuple[int, int]] | None = {} if want_positions else None

    def walk(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        if id(node) in self.seen:
            raise YamlProblem("yaml/alias", "anchors and aliases (&name / *name) are not allowed in records",
                              *_pos(node), pointer, "write the value out in full")
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem("yaml/too-large", f"more than {MAX_NODES} values in one record", *_pos(node), pointer)
        if depth > MAX_DEPTH:
            raise YamlProblem("yaml/too-deep", f"nested more than {MAX_DEPTH} levels deep", *_pos(node), pointer)
        if self.positions is not None:
            self.positions[pointer] = _pos(node)
        tag = node.tag
        if tag != _PLAIN and tag not in _ALLOWED_TAGS:
            raise YamlProblem("yaml/tag", f"the tag '{tag}' is not allowed", *_pos(node), pointer,
                              "remove the '!' tag; records use plain YAML values only")
        if isinstance(node, yaml.ScalarNode):
            if tag == _PLAIN:
                return _plain_scalar(node.value)
            if tag in (_CORE + "map", _CORE + "seq"):
                raise YamlProblem("yaml/tag", f"the tag '{tag}' does not fit a single value", *_pos(node), pointer)
            return _tagged_scalar(tag, node.value, node, pointer)
        if isinstance(node, yaml.SequenceNode):
            if tag == _CORE + "map":
                raise YamlProblem("yaml/tag", "a list cannot be tagged !!map", *_pos(node), pointer)
            return [self.walk(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)]
        if tag == _CORE + "seq":
            raise YamlProblem("yaml/tag", "a mapping cannot be tagged !!seq", *_pos(node), pointer)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("yaml/key", "a key must be a plain word, not a list or mapping", *_pos(key_node), pointer)
            if key_node.tag not in (_PLAIN, _CORE + "str"):
                raise YamlProblem("yaml/tag", f"the tag '{key_node.tag}' is not allowed on a key", *_pos(key_node), pointer)
            if key_node.value == "<<" and key_node.tag == _PLAIN:
                raise YamlProblem("yaml/alias", "merge keys (<<) are not allowed in records", *_pos(key_node), pointer,
                                  "write the fields out in full")
            key = key_node.value
            child = f"{pointer}/{escape_pointer_token(key)}"
            if key in result:
                line, col = _pos(key_node)
                first = self.key_positions.get(child) if self.key_positions is not None else None
                where = f" (first set on line {first[0]})" if first else ""
                raise YamlProblem("yaml/duplicate-key", f"the key '{key}' appears twice in the same mapping{where}",
                                  line, col, child, "keep one of them; a repeated key would silently overwrite the first")
            if self.key_positions is not None:
                self.key_positions[child] = _pos(key_node)
            result[key] = self.walk(value_node, child, depth + 1)
        return result


@dataclass
class Positions:
    """Maps JSON Pointers of one document to 1-based (line, column)."""

    values: dict[str, tuple[int, int]] = field(default_factory=dict)
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, pointer: str) -> tuple[int, int]:
        """Where the value at ``pointer`` starts; falls back to the nearest enclosing value that exists."""
        while True:
            if pointer in self.values:
                return self.values[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def of_key(self, pointer: str) -> tuple[int, int]:
        """Where the key naming ``pointer`` is written (for 'unknown field' errors), else the value."""
        return self.keys.get(pointer) or self.of_value(pointer)


def _decode(source: bytes) -> str:
    if source.startswith(b"\xef\xbb\xbf"):
        raise YamlProblem("file/bom", "the file starts with a byte-order mark (BOM)", 1, 1, "",
                          "save the file as UTF-8 without BOM")
    if source.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("file/encoding", "the file is UTF-16, not UTF-8", 1, 1, "", "save the file as UTF-8")
    try:
        return source.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = source[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem("file/encoding", f"byte 0x{source[exc.start]:02x} is not valid UTF-8", line, col, "",
                          "save the file as UTF-8") from None


def parse_yaml(source: bytes, *, want_positions: bool = False) -> tuple[Any, Positions | None]:
    """Parse one record's bytes. Raises :class:`YamlProblem` for anything unsafe or malformed."""
    if len(source) > MAX_FILE_BYTES:
        raise YamlProblem("file/too-large", f"the file is {len(source):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                          1, 1, "", "a record is normally a few kilobytes: split it or remove pasted content")
    text = _decode(source)
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        raise YamlProblem("file/empty", "the file is empty", 1, 1, "", "write the record's fields, or delete the file")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        hint = "use spaces, not tabs, to indent" if "\\t" in what or "tab" in what else None
        if "expected a single document" in what:
            raise YamlProblem("yaml/multiple-documents", "the file holds more than one YAML document (---)", line, col,
                              "", "one record per file") from None
        raise YamlProblem("yaml/syntax", f"YAML syntax error: {what}", line, col, "", hint) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("yaml/syntax", f"YAML syntax error: {exc}", 1, 1) from None
    except RecursionError:
        raise YamlProblem("yaml/too-deep", "the file is nested too deeply to read", 1, 1) from None
    if node is None:
        raise YamlProblem("file/empty", "the file is empty", 1, 1, "", "write the record's fields, or delete the file")
    walker = _Walker(want_positions)
    try:
        data = walker.walk(node, "", 0)
    except RecursionError:
        raise YamlProblem("yaml/too-deep", f"nested more than {MAX_DEPTH} levels deep", 1, 1) from None
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise YamlProblem("file/not-a-mapping", f"the file holds {kind}; a record must be a mapping of fields", 1, 1, "",
                          "start the file with 'id: ...' and one field per line")
    positions = Positions(walker.positions or {}, walker.key_positions or {}) if want_positions else None
    return data, positions


def positions_of(source: bytes) -> Positions:
    """Positions for a file that parsed (used only when reporting problems, so memory stays small)."""
    _, positions = parse_yaml(source, want_positions=True)
    assert positions is not None
    return positions


@dataclass(frozen=True)
class SourceFile:
    """One record file as read from disk. ``data`` is None when it could not be parsed."""

    rel_path: str
    record_type: str | None
    source: bytes
    data: dict[str, Any] | None

    @property
    def stem(self) -> str:
        return Path(self.rel_path).name.removesuffix(".yaml")


def iter_record_paths(records_dir: Path) -> Iterator[Path]:
    """Every *.yaml / *.yml file under records_dir, sorted, so output order never depends on the file system."""
    for path in sorted(records_dir.rglob("*")):
        if path.suffix in (".yaml", ".yml") and not path.name.startswith("."):
            yield path


def record_type_of(rel_parts: tuple[str, ...]) -> str | None:
    """records/<folder>/<file>.yaml → record type, else None."""
    if len(rel_parts) == 3 and rel_parts[0] == "records" and rel_parts[2].endswith(".yaml"):
        return RECORD_FOLDERS.get(rel_parts[1])
    return None


def problem_from(rel_path: str, exc: YamlProblem) -> Problem:
    return Problem(rel_path, exc.line, exc.col, exc.code, exc.pointer, exc.message, hint=exc.hint)
