"""A :class:`RegisterDiff` as plain text (terminal), Markdown (pull-request comment) or JSON (tools).

They return strings; only the CLI prints.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

from site_builder.history.diff import RecordChange, RegisterDiff

_KIND_WORDS = (("added", "added"), ("removed", "removed"), ("renamed", "renamed"), ("changed", "changed"))


def headline(diff: RegisterDiff) -> str:
    """'Changes from main to HEAD: 1 added, 2 changed' (only the kinds that occur)."""
    counts = [f"{diff.count(kind)} {word}" for kind, word in _KIND_WORDS if diff.count(kind)]
    if not counts:
        return f"No record changes from {diff.base} to {diff.head}."
    return f"Changes from {diff.base} to {diff.head}: {', '.join(counts)}"


def _opening(change: RecordChange, escape: Any) -> tuple[str, str]:
    """(the record's name, what is said after the colon when the change fits on one line)."""
    name = f"{change.noun} {change.record_id}"
    if change.kind == "added":
        return f"{name} (new)", escape(change.summary)
    if change.kind == "removed":
        return f"{name} (removed)", escape(change.summary)
    if change.kind == "renamed" or change.old_id:
        return f"{name} (renamed from {change.old_id})", escape(change.title)
    return name, ""


def report_text(diff: RegisterDiff) -> str:
    lines = [headline(diff)]
    if diff.records:
        lines.append("")
    for change in diff.records:
        name, said = _opening(change, str)
        if change.kind == "changed" and not change.old_id and len(change.fields) == 1:
            lines.append(f"{name}: {change.fields[0].sentence()}")
            continue
        if change.kind == "changed" and not change.old_id:
            said = change.title
        lines.append(f"{name}: {said}" if said else name)
        lines.extend(f"  - {f.sentence()}" for f in change.fields)
    if diff.figures:
        lines += ["", "Computed figures:"]
        lines.extend(f"  - {figure.text}" for figure in diff.figures)
    if diff.notes:
        lines += ["", *(f"Note: {note}" for note in diff.notes)]
    return "\n".join(lines)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def escape_markdown(text: str) -> str:
    """Record text shown literally in a comment: no formatting, links, images, HTML or @-mentions from records."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    return text.replace("@", "@\u200b").replace("\n", " ")


def report_markdown(diff: RegisterDiff) -> str:
    lines = ["### What this pull request changes in the register", "", escape_markdown(headline(diff))]
    if diff.records:
        lines.append("")
    for change in diff.records:
        name, said = _opening(change, escape_markdown)
        name = f"**{escape_markdown(name)}**"
        if change.kind == "changed" and not change.old_id and len(change.fields) == 1:
            lines.append(f"- {name}: {escape_markdown(change.fields[0].sentence())}")
            continue
        if change.kind == "changed" and not change.old_id:
            said = escape_markdown(change.title)
        lines.append(f"- {name}: {said}" if said else f"- {name}")
        lines.extend(f"  - {escape_markdown(f.sentence())}" for f in change.fields)
    if diff.figures:
        lines += ["", "**Computed figures**", ""]
        lines.extend(f"- {escape_markdown(figure.text)}" for figure in diff.figures)
    if diff.notes:
        lines += ["", *(f"> {escape_markdown(note)}" for note in diff.notes)]
    return "\n".join(lines)


def report_json(diff: RegisterDiff) -> str:
    payload = {
        "base": diff.base,
        "head": diff.head,
        "summary": headline(diff),
        "counts": {kind: diff.count(kind) for kind, _ in _KIND_WORDS},
        "records": [{**asdict(change), "text": [f.sentence() for f in change.fields]} for change in diff.records],
        "figures": [asdict(figure) for figure in diff.figures],
        "notes": diff.notes,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str)


REPORTER_BY_NAME = {"text": report_text, "markdown": report_markdown, "json": report_json}
