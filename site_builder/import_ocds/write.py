"""Write stage of the OCDS import: YAML as an officer would write it, compared with what is already there.

* keys in the schema's order, no nulls, block style, dates and codes unquoted, numbers-that-are-text quoted;
* a two-line header comment saying where the record came from (and which release), read back on the next run;
* every file is checked to read back (with the register's own loader) to exactly the data meant, before anything
  is written; files are replaced atomically.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import SiteBuilderError
from site_builder.load import IMPORTED_MARK, YamlProblem, parse_yaml

HEADER_MARK = IMPORTED_MARK
KEPT_NOTE = "Fields added by hand are kept when it is imported again."
_LATEST = re.compile(r"latest release (?P<id>.*) of (?P<date>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")


class _Dumper(yaml.SafeDumper):
    """Safe YAML, indented lists; plain scalars only where every YAML reader (1.1 and 1.2) reads back a string."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# PyYAML quotes a string when a YAML 1.1 reader would take it for something else. Our loader reads YAML 1.2 core
# scalars, where e.g. 0o17, 01234568 and 1e3 are numbers: teach the dumper those, so such strings get quotes.
# Dates are the opposite: a date is text in this register, so it is written plain (2025-01-06, not '2025-01-06').
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
_Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
_Dumper.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict[str, Any], header: str) -> bytes:
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=110)
    return (header + body).encode("utf-8")


# anything a YAML reader takes as the end of a line (a comment would end there and the rest be read as data)
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def comment_safe(text: str, limit: int = 200) -> str:
    """Text from an OCDS file made safe for a one-line YAML comment: no line breaks or control characters (a
    release id "1\\nid: other" would otherwise become a field of the record), at most ``limit`` characters."""
    text = _LINE_BREAKING.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def process_header(publisher: str | None, ocid: str, latest_id: str | None, latest_date: str | None) -> str:
    source = f" ({comment_safe(publisher)})" if publisher else ""
    first = f"{HEADER_MARK}{source} by `procure import-ocds`. {KEPT_NOTE}\n"
    latest = (f"latest release {comment_safe(str(latest_id)) if latest_id else '(no id)'} of {latest_date}"
              if latest_date else "no dated release")
    ocid_text = re.sub(r"\s", "_", comment_safe(ocid))  # one word: the next import reads it back with (\S+)
    return first + f"# ocid {ocid_text}; {latest}\n"


ORGANISATION_HEADER = f"{HEADER_MARK} party data by `procure import-ocds`. {KEPT_NOTE}\n"


@dataclass
class ExistingFile:
    path: Path
    source: bytes
    data: dict[str, Any] | None  # None: the file could not be read as a record
    imported: bool  # has our header
    latest_date: str | None


def read_existing(path: Path) -> ExistingFile | None:
    if not path.is_file():
        return None
    try:
        source = path.read_bytes()
    except OSError:
        return ExistingFile(path, b"", None, False, None)
    head = source[:2000].decode("utf-8", errors="replace")
    imported = head.startswith(HEADER_MARK)
    match = _LATEST.search(head.split("\n\n", 1)[0]) if imported else None
    try:
        data, _ = parse_yaml(source)
    except YamlProblem:
        data = None
    return ExistingFile(path, source, data if isinstance(data, dict) else None, imported,
                        match.group("date") if match else None)


def check_round_trip(content: bytes, data: dict[str, Any], where: str) -> None:
    """The register's loader must read the file back to exactly ``data`` (a bug here must never reach a file)."""
    try:
        back, _ = parse_yaml(content)
    except YamlProblem as exc:  # pragma: no cover - would be a bug in the dumper
        raise SiteBuilderError(f"{where}: the import produced YAML the register cannot read ({exc.message})") from None
    if back != data:  # pragma: no cover - would be a bug in the dumper
        raise SiteBuilderError(f"{where}: the import's YAML does not read back to the same data")


def write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
