"""Load stage: find record files and parse them safely.

YAML is parsed with PyYAML's C composer when available, then turned into plain JSON-like data by our own
walker, so that we control every rule that matters for a public register:

* YAML 1.2-style scalars: only ``true``/``false`` are booleans, dates stay strings, ``yes``/``no``/``on`` stay text;
* duplicate keys, anchors/aliases (the alias-bomb vector), non-core tags (``!!python/...``) are errors;
* size, depth and node-count limits, UTF-8 only, no byte-order mark, a top-level mapping.

Nothing here prints; problems come back as :class:`~site_builder.errors.Problem` objects.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

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

#: the first line `procure import-ocds` writes in every record it creates (the record says what a source published)
IMPORTED_MARK = "# Imported from OCDS"

MAX_FILE_BYTES = 1_000_000  # a record is a few KB; anything near this size is a mistake or an attack
MAX_DEPTH = 32
MAX_NODES = 50_000

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_CORE + "map", _CORE + "seq"}

_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")


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
    try:
        if _INT.match(text) or _OCT.match(text) or _HEX.match(text):
            integer = int(text) if _INT.match(text) else int(text[2:], 8 if _OCT.match(text) else 16)
            # 0xfff... of thousands of digits converts, but cannot be printed (Python's 4,300-digit limit): no
            # register holds a number that large, so keep the text and let the schema report it
            return integer if integer.bit_length() <= 1000 else text
        if _FLOAT.match(text):
            number = float(text)
            # 1e999 overflows to infinity, which JSON cannot hold: keep the text so the schema reports it
            return number if math.isfinite(number) else text
    except ValueError:  # an integer of thousands of digits (Python refuses to convert it)
        return text
    return text


def _tag_text(tag: str) -> str:
    """How the officer wrote the tag (``!!python/object`` rather than the expanded URI)."""
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _tagged_scalar(tag: str, text: str, line: int, col: int, pointer: str) -> Any:
    if tag == _CORE + "str":
        return text
    value = _plain_scalar(text)
    expected: Any = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[tag[len(_CORE):]]
    if (isinstance(value, bool) and expected is not bool) or not isinstance(value, expected):
        raise YamlProblem("yaml/tag", f"'{text}' is not a valid {_tag_text(tag)}", line, col, pointer,
                          f"remove the {_tag_text(tag)} tag or correct the value")
    return value


_NOT_ALLOWED_TAG_HINT = "remove the tag; records use plain YAML values only"


class _Frame:
    """An open mapping or list while the event stream is turned into data (an explicit stack: no recursion)."""

    __slots__ = ("child", "container", "is_map", "key", "pointer")

    def __init__(self, container: Any, pointer: str, is_map: bool):
        self.container, self.pointer, self.is_map = container, pointer, is_map
        self.key: str | None = None
        self.child = ""


def _check_container_tag(tag: str | None, wanted: str, line: int, col: int, pointer: str) -> None:
    if tag is None or tag == "!" or tag == wanted:
        return
    if tag in _ALLOWED_TAGS:
        kind = "a list" if wanted.endswith("seq") else "a mapping"
        raise YamlProblem("yaml/tag", f"{kind} cannot be tagged {_tag_text(tag)}", line, col, pointer,
                          _NOT_ALLOWED_TAG_HINT)
    raise YamlProblem("yaml/tag", f"the tag '{_tag_text(tag)}' is not allowed", line, col, pointer,
                      _NOT_ALLOWED_TAG_HINT)


class _Unusual(Exception):
    """Raised by the fast path for anything it does not handle; the careful path then decides."""


_PLAIN_FIRST = frozenset("0123456789+-.~nNtTfF")


def _build_fast(text: str) -> Any:
    """The common case of :func:`_build` in a tight loop: untagged scalars, mappings and lists, no positions.

    Anything unusual (tags, anchors, odd keys, limits reached, syntax errors) hands over to the careful path, so the
    two can never disagree about what is accepted.
    """
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end, document_end = yaml.MappingEndEvent, yaml.SequenceEndEvent, yaml.DocumentEndEvent
    plain_first, plain_scalar = _PLAIN_FIRST, _plain_scalar
    loader = _BaseLoader(text)
    try:
        get: Callable[[], Any] = loader.get_event  # events are untyped in PyYAML's stubs
        get()
        if type(get()) is not yaml.DocumentStartEvent:
            raise _Unusual
        # each open container: [container, is_mapping, pending key (None while a key is awaited)]
        stack: list[list[Any]] = []
        root: Any = None
        top: list[Any] | None = None
        count = 0
        while True:
            event = get()
            cls = type(event)
            if top is not None and top[1] and top[2] is None:
                if cls is mapping_end:
                    stack.pop()
                    top = stack[-1] if stack else None
                    continue
                if cls is not scalar_event or event.anchor is not None or event.tag is not None:
                    raise _Unusual
                key = event.value
                if key in top[0] or key == "<<":
                    raise _Unusual
                top[2] = key
                continue
            if cls is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual
                value = event.value
                if event.implicit[0] and (not value or value[0] in plain_first):
                    value = plain_scalar(value)
                frame = None
            elif cls is sequence_end:
                stack.pop()
                top = stack[-1] if stack else None
                continue
            elif cls is mapping_start or cls is sequence_start:
                if event.anchor is not None or event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                is_map = cls is mapping_start
                value = {} if is_map else []
                frame = [value, is_map, None]
            elif cls is document_end:
                break
            else:  # aliases
                raise _Unusual
            count += 1
            if count > MAX_NODES:
                raise _Unusual
            if top is None:
                root = value
            elif top[1]:
                top[0][top[2]] = value
                top[2] = None
            else:
                top[0].append(value)
            if frame is not None:
                stack.append(frame)
                top = frame
        if type(get()) is not yaml.StreamEndEvent:
            raise _Unusual
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()
    return root


def _build(text: str, want_positions: bool, loader_class: Any = None) -> tuple[Any, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """Turn the parser's event stream into data, enforcing the register's safety rules as events arrive.

    Working on events (not PyYAML's composed node graph) matters for safety: the C composer recurses once per
    nesting level and a file of 100,000 '[' crashes the interpreter; an alias bomb is refused at its first alias.
    """
    values: dict[str, tuple[int, int]] = {}
    keys: dict[str, tuple[int, int]] = {}
    loader = (loader_class or _BaseLoader)(text)
    try:
        get: Callable[[], Any] = loader.get_event  # events are untyped in PyYAML's stubs
        get()  # StreamStartEvent
        event = get()
        if type(event) is yaml.StreamEndEvent:
            raise YamlProblem("file/empty", "the file is empty", 1, 1, "", _EMPTY_HINT)
        stack: list[_Frame] = []
        root: Any = None
        count = 0
        while True:
            event = get()
            cls = type(event)
            top = stack[-1] if stack else None
            if top is not None and top.is_map and top.key is None:
                # a mapping waiting for its next key (or its end)
                if cls is yaml.MappingEndEvent:
                    stack.pop()
                    continue
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
                if cls is yaml.AliasEvent or event.anchor is not None:
                    raise YamlProblem("yaml/alias", "anchors and aliases (&name / *name) are not allowed in records",
                                      line, col, top.pointer, "write the value out in full")
                if cls is not yaml.ScalarEvent:
                    raise YamlProblem("yaml/key", "a key must be a plain word, not a list or mapping", line, col,
                                      top.pointer, "write 'field: value'")
                if event.tag not in (None, "!", _CORE + "str"):
                    raise YamlProblem("yaml/tag", f"the tag '{_tag_text(event.tag)}' is not allowed on a key", line, col,
                                      top.pointer, _NOT_ALLOWED_TAG_HINT)
                key = event.value
                if key == "<<" and event.implicit[0]:
                    raise YamlProblem("yaml/alias", "merge keys (<<) are not allowed in records", line, col, top.pointer,
                                      "write the fields out in full")
                child = f"{top.pointer}/{escape_pointer_token(key)}" if want_positions else ""
                if key in top.container:
                    first = keys.get(child)
                    where = f" (first set on line {first[0]})" if first else ""
                    raise YamlProblem("yaml/duplicate-key", f"the key '{key}' appears twice in the same mapping{where}",
                                      line, col, child, "keep one of them; a repeated key would silently overwrite the first")
                if want_positions:
                    keys[child] = (line, col)
                top.key, top.child = key, child
                continue
            if cls is yaml.SequenceEndEvent:
                stack.pop()
                continue
            if cls is yaml.DocumentEndEvent:
                break
            # pointers and marks cost time, so they are worked out only when positions are wanted; a problem found
            # without them is found again with them (parse_yaml re-reads), so every problem has its place
            if not want_positions:
                pointer, line, col = "", 0, 0
            elif top is None:
                pointer = ""
            elif top.is_map:
                pointer = top.child
            else:
                pointer = f"{top.pointer}/{len(top.container)}"
            if want_positions:
                mark = event.start_mark
                line, col = mark.line + 1, mark.column + 1
            if cls is yaml.AliasEvent or event.anchor is not None:
                raise YamlProblem("yaml/alias", "anchors and aliases (&name / *name) are not allowed in records",
                                  line, col, pointer, "write the value out in full")
            count += 1
            if count > MAX_NODES:
                raise YamlProblem("yaml/too-large", f"more than {MAX_NODES:,} values in one record", line, col, pointer,
                                  "a record is normally a few hundred values: split it up")
            if want_positions:
                values[pointer] = (line, col)
            tag = event.tag
            value: Any
            if cls is yaml.ScalarEvent:
                if tag is None:
                    value = _plain_scalar(event.value) if event.implicit[0] else event.value
                elif tag == "!":
                    value = event.value
                elif tag in _SCALAR_TAGS:
                    value = _tagged_scalar(tag, event.value, line, col, pointer)
                elif tag in _ALLOWED_TAGS:
                    raise YamlProblem("yaml/tag", f"the tag '{_tag_text(tag)}' does not fit a single value", line, col,
                                      pointer, _NOT_ALLOWED_TAG_HINT)
                else:
                    raise YamlProblem("yaml/tag", f"the tag '{_tag_text(tag)}' is not allowed", line, col, pointer,
                                      _NOT_ALLOWED_TAG_HINT)
                frame = None
            else:
                if len(stack) >= MAX_DEPTH:
                    raise YamlProblem("yaml/too-deep", f"nested more than {MAX_DEPTH} levels deep", line, col, pointer,
                                      "records are a few levels deep; check for unclosed brackets or runaway indentation")
                if cls is yaml.MappingStartEvent:
                    _check_container_tag(tag, _CORE + "map", line, col, pointer)
                    value = {}
                    frame = _Frame(value, pointer, True)
                else:
                    _check_container_tag(tag, _CORE + "seq", line, col, pointer)
                    value = []
                    frame = _Frame(value, pointer, False)
            if top is None:
                root = value
            elif top.is_map:
                top.container[top.key] = value
                top.key = None
            else:
                top.container.append(value)
            if frame is not None:
                stack.append(frame)
        event = get()
        if type(event) is not yaml.StreamEndEvent:
            mark = event.start_mark
            raise YamlProblem("yaml/multiple-documents", "the file holds more than one YAML document (---)",
                              mark.line + 1, mark.column + 1, "", "one record per file: move the second record to its own file")
    finally:
        loader.dispose()
    return root, values, keys



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


_EMPTY_HINT = "write the record's fields, or delete the file"


def _first_tab_indent(text: str, up_to_line: int) -> tuple[int, int] | None:
    """The first line (up to the error) whose indentation contains a tab: the usual cause of a YAML error."""
    for number, line in enumerate(text.split("\n")[:up_to_line], 1):
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        if "\t" in indent and body:
            return number, indent.index("\t") + 1
    return None


_SYNTAX_HINTS = (
    ("could not find expected ':'", "each line is 'field: value'; check this line and the one above for a missing colon or an unclosed quote"),
    ("mapping values are not allowed", "a value containing ': ' must be quoted, or the indentation is off"),
    ("did not find expected key", "check that every quote is closed and that the fields of one mapping line up exactly"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("did not find expected ',' or ']'", "a [list] is not closed with ']'"),
    ("did not find expected ',' or '}'", "a {mapping} is not closed with '}'"),
    ("found undefined alias", "anchors and aliases (&name / *name) are not allowed in records"),
)


def _syntax_problem(text: str, exc: yaml.YAMLError) -> YamlProblem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, exc.problem) if x)
    elif isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        what = f"the character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int) else str(exc.reason)
        return YamlProblem("yaml/syntax", f"YAML syntax error: {what}", line, col, "",
                           "remove the control character; they often come from text pasted from another program")
    else:  # pragma: no cover - the C parser raises marked errors
        line, col, what = 1, 1, str(exc)
    tab = _first_tab_indent(text, line)
    if tab:
        return YamlProblem("yaml/tab", f"line {tab[0]} is indented with a tab character", tab[0], tab[1], "",
                           "YAML indentation must use spaces: replace the tab with spaces")
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in what), None)
    return YamlProblem("yaml/syntax", f"YAML syntax error: {what}", line, col, "", hint)


#: what libyaml says when it meets a limit of its own (PyYAML 6.0.4's bundled libyaml stops flow nesting at 1,000)
_LIBYAML_LIMITS = ("exceeded maximum", "too long", "limit")


def _is_libyaml_limit(exc: yaml.YAMLError) -> bool:
    text = " ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or str(exc)
    return any(needle in text for needle in _LIBYAML_LIMITS)


def _build_checked(text: str, want_positions: bool) -> tuple[Any, dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """:func:`_build` with the answer made independent of which PyYAML (and which libyaml) is installed.

    libyaml's scanner reads ahead of its parser, and newer builds add limits of their own (PyYAML 6.0.4: flow nesting
    past 1,000 levels), so libyaml can fail before our walker reaches its own, stricter limits. When the C parser
    fails, the pure-Python parser (no such limits, lazy, the reference implementation) reads the file again: if it
    finds one of our problems (``yaml/too-deep`` at the first bracket past the limit) or no problem at all, that is
    the answer. A genuine syntax error is reported as the C parser saw it, so messages do not change.
    """
    try:
        return _build(text, want_positions)
    except yaml.YAMLError as exc:
        if _BaseLoader is yaml.SafeLoader:
            raise _syntax_problem(text, exc) from None
        try:
            return _build(text, want_positions, yaml.SafeLoader)
        except yaml.YAMLError as pure_exc:
            # both parsers fail: a libyaml limit message is not the user's mistake, the pure parser's error is
            raise _syntax_problem(text, pure_exc if _is_libyaml_limit(exc) else exc) from None


def parse_yaml(source: bytes, *, want_positions: bool = False) -> tuple[Any, Positions | None]:
    """Parse one record's bytes. Raises :class:`YamlProblem` for anything unsafe or malformed."""
    if len(source) > MAX_FILE_BYTES:
        raise YamlProblem("file/too-large", f"the file is {len(source):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                          1, 1, "", "a record is normally a few kilobytes: split it or remove pasted content")
    text = _decode(source)
    if not want_positions:
        try:
            data = _build_fast(text)
        except _Unusual:
            pass
        else:
            if isinstance(data, dict):
                return data, None
    try:
        data, values, keys = _build_checked(text, want_positions)
    except YamlProblem:
        if not want_positions:
            # positions were not tracked on the fast path: read again with them to say exactly where
            return parse_yaml(source, want_positions=True)
        raise
    if data is None:
        raise YamlProblem("file/empty", "the file holds no fields", 1, 1, "", _EMPTY_HINT)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        raise YamlProblem("file/not-a-mapping", f"the file holds {kind}; a record must be a mapping of fields", 1, 1, "",
                          "start the file with 'id: ...' and one field per line")
    positions = Positions(values, keys) if want_positions else None
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
    """Every *.yaml / *.yml file under records_dir, sorted, so output order never depends on the file system.

    Symbolic links to folders are not followed (a link could lead anywhere, or loop); links to files are listed so
    that :func:`read_record_bytes` can refuse the ones that lead outside the register.
    """
    for path in iter_record_files(records_dir):
        yield Path(path)


def iter_record_files(records_dir: Path | str) -> list[str]:
    """:func:`iter_record_paths` as plain strings (pathlib costs ~100 µs per file at 100,000 files)."""
    found: list[str] = []
    for folder, dirs, files in os.walk(records_dir, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(os.path.join(folder, name) for name in files if name.endswith((".yaml", ".yml")))
    found.sort()
    return found


def read_record_bytes(path: Path | str, records_dir: Path | str) -> bytes:
    """Read one record file safely: a link leading outside ``records_dir`` is never read, and the size is checked
    before reading (stat first), so a 20 GB file costs nothing. Plain ``os`` calls: this runs for every file."""
    path = os.fspath(path)
    if os.path.islink(path):
        real = os.path.realpath(path)
        inside = os.path.realpath(records_dir)
        if not os.path.exists(real):
            raise YamlProblem("file/unreadable", "the file is a link to something that does not exist", 0, 0, "",
                              "replace the link with the record file itself")
        if os.path.commonpath([real, inside]) != inside:
            raise YamlProblem("file/symlink-outside", "the file is a link to a place outside records/; it was not read",
                              0, 0, "", "put the record file itself in records/")
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise YamlProblem("file/unreadable", "this is not a regular file", 0, 0, "",
                              "records are plain text files ending in .yaml")
        if info.st_size > MAX_FILE_BYTES:
            raise YamlProblem("file/too-large", f"the file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                              0, 0, "", "a record is normally a few kilobytes: split it or remove pasted content")
        with open(path, "rb") as handle:
            # at most one byte over the limit, in case the file grew since stat
            source = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlProblem("file/unreadable", f"the file cannot be read: {exc.strerror or exc}", 0, 0, "") from None
    return source


def record_type_of(rel_parts: tuple[str, ...]) -> str | None:
    """records/<folder>/<file>.yaml → record type, else None."""
    if len(rel_parts) == 3 and rel_parts[0] == "records" and rel_parts[2].endswith(".yaml"):
        return RECORD_FOLDERS.get(rel_parts[1])
    return None
