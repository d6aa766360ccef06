"""Reporters: turn validation problems into text, JSON or GitHub workflow annotations (check-jsonschema style).

They return strings; only the CLI prints them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from site_builder.errors import Problem, Severity, printable


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def summary(problems: list[Problem], files_checked: int) -> str:
    """e.g. ``2 errors in 1 file (10,131 files checked)`` or ``no problems (10,131 files checked)``."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    checked = f"({_plural(files_checked, 'file')} checked)"
    if not problems:
        return f"no problems {checked}"
    parts = [_plural(errors, "error")] if errors else []
    if warnings:
        parts.append(_plural(warnings, "warning"))
    files = len({p.path for p in problems})
    return f"{' and '.join(parts)} in {_plural(files, 'file')} {checked}"


def report_text(problems: list[Problem], files_checked: int) -> str:
    lines = [p.format() for p in sorted(problems)]
    lines.append(summary(problems, files_checked))
    return "\n".join(lines)


def report_json(problems: list[Problem], files_checked: int) -> str:
    payload = {
        "status": "fail" if any(p.severity is Severity.ERROR for p in problems) else "ok",
        "files_checked": files_checked,
        "summary": summary(problems, files_checked),
        "problems": [
            {"path": p.path, "line": p.line, "col": p.col, "severity": p.severity.value, "code": p.code,
             "pointer": p.pointer, "message": p.message, "hint": p.hint}
            for p in sorted(problems)
        ],
    }
    # JSON already escapes C0 controls; C1 controls (\x9b starts a terminal escape too) and bidirectional controls
    # are escaped as well, so the report is safe to print (they can only occur inside strings, where \uXXXX is valid)
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(payload, indent=2, ensure_ascii=False))


_TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit: escapeData / escapeProperty); other control characters
    # (terminal escapes in a field name) are written out as \x1b so the log shows them, not acts on them
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report_github(problems: list[Problem], files_checked: int) -> str:
    """``::error file=...,line=...,col=...,title=...::message`` lines that GitHub shows on the pull request's diff."""
    lines = []
    for p in sorted(problems):
        props = [f"file={_escape_property(p.path)}"]
        if p.line > 0:
            props.append(f"line={p.line}")
            if p.col > 0:
                props.append(f"col={p.col}")
        props.append(f"title={_escape_property(p.code)}")
        message = f"{p.pointer or '/'}: {p.message}" + (f" ({p.hint})" if p.hint else "")
        lines.append(f"::{p.severity.value} {','.join(props)}::{_escape_data(message)}")
    lines.append(summary(problems, files_checked))
    return "\n".join(lines)


REPORTER_BY_NAME: dict[str, Callable[[list[Problem], int], str]] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
}
