"""Problems (what the validator reports) and the typed errors the library raises.

Only the CLI prints: library code returns ``Problem`` objects or raises a ``SiteBuilderError``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import click


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


def printable(text: str) -> str:
    """``text`` safe to show in a terminal or a log: control and invisible formatting characters (escape
    sequences, new lines, bidirectional overrides, zero-width characters) are written as ``\\x1b``, ``\\u202e``...
    so a record cannot move the cursor, change the window title or hide part of a line."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable() or unicodedata.category(char) == "Zs":  # Zs: no-break and other visible spaces
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, located as precisely as we can.

    ``line`` and ``col`` are 1-based; 0 means "the whole file". ``pointer`` is an RFC 6901 JSON Pointer
    ("" for the whole document). ``code`` is stable once published (see docs/problem-codes.md).
    """

    path: str
    line: int
    col: int
    code: str
    pointer: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def format(self) -> str:
        """The problem on one line, with anything that could act on a terminal escaped (see :func:`printable`)."""
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        text = f"{where}: {self.severity.value}[{self.code}] {printable(self.pointer) or '/'}: {printable(self.message)}"
        if self.hint:
            text += f" ({printable(self.hint)})"
        return text


@dataclass(frozen=True)
class RuleProblem:
    """A cross-record problem before it is given a line and column (the validator's rules, in validate.py and
    validate_contracts.py, report these)."""

    rel_path: str
    pointer: str
    code: str
    message: str
    hint: str | None = None
    anchor: str = "value"
    severity: Severity = Severity.ERROR


class SiteBuilderError(click.ClickException):
    """Root of every error the library raises; click prints it without a traceback."""


class ConfigError(SiteBuilderError):
    """mkdocs.yml or the plugin configuration is wrong."""


class InvalidRegisterError(SiteBuilderError):
    """The register has validation problems, so nothing may be built from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        super().__init__(f"the register has {errors} error(s); run `procure validate` for the full list")


class BuildError(SiteBuilderError):
    """A build step failed; the previously published site is left untouched."""
