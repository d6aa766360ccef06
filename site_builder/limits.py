"""Bounds on what a record may hold, whatever its schema says, so that any record that validates also builds.

The schemas describe each field; these rules hold for every value of every record type (fields added later
included), because the build, the exports and the feeds depend on them:

* numbers are finite and at most ``MAX_NUMBER`` either side of zero: totals of 100,000 records stay finite and
  exact enough, every value fits SQLite's 64-bit integers and JSON's doubles;
* text holds no control characters but new line and tab (XML 1.0, which the Atom feeds are, forbids the others;
  a NUL byte has no place in a web page), no unpaired surrogates or non-characters (U+FFFE, U+FFFF), and no
  bidirectional override or isolate characters (they make text display in a different order from how it is
  stored: "Trojan source");
* names and titles hold no invisible characters at all (zero-width spaces and joiners, direction marks), so two
  organisations cannot look identical on the page while being different records;
* a record id is not a name Windows reserves for devices (``CON``, ``nul``, ``COM1`` ...): a file of that name
  cannot be checked out there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from site_builder.load import escape_pointer_token
from site_builder.schemas import SchemaIssue

#: the largest number, either side of zero, any field may hold (a thousand million million: well past any contract
#: value in any currency, and far inside what a 64-bit integer, a double and a sum of 100,000 of them can carry)
MAX_NUMBER = 10**15

# C0 controls but tab and new line, DEL, C1 controls, surrogates, and the non-characters U+FFFE / U+FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# embeddings, overrides and isolates: the characters that reorder text on display
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# anything that takes no space on the page: zero-width space/non-joiner/joiner, word joiner, BOM, direction marks,
# Arabic letter mark, soft hyphen, Mongolian vowel separator
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u061c\u00ad\u180e\u202a-\u202e\u2066-\u2069]")
_WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])\Z")


def _is_name_field(key: str) -> bool:
    return key == "title" or key == "name" or key.endswith("_name")


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def _text_issues(pointer: str, key: str, text: str) -> Iterator[SchemaIssue]:
    bad = _FORBIDDEN.search(text)
    if bad:
        yield SchemaIssue("text/control-character", pointer,
                          f"the text holds the control character {_codepoint(bad.group())} at character "
                          f"{bad.start() + 1}; only new lines and tabs are allowed",
                          "retype the text; control characters often come from text pasted from another program")
        return
    invisible = _INVISIBLE.search(text) if _is_name_field(key) else _BIDI_CONTROL.search(text)
    if invisible:
        what = "a name or title" if _is_name_field(key) else "text"
        yield SchemaIssue("text/invisible-character", pointer,
                          f"{what} holds the invisible character {_codepoint(invisible.group())} at character "
                          f"{invisible.start() + 1}; it can make different text look the same, or display in a "
                          "different order from how it is stored",
                          "retype the text without it")


def _number_issue(pointer: str, number: int | float) -> SchemaIssue | None:
    if isinstance(number, float) and number != number:  # NaN compares false with every bound
        return SchemaIssue("number/out-of-range", pointer, "the value is not a number (NaN)", "write the number")
    if not -MAX_NUMBER <= number <= MAX_NUMBER:
        return SchemaIssue("number/out-of-range", pointer,
                           f"the number is too large: at most {MAX_NUMBER:,} either side of zero",
                           "check the value: it is larger than any amount or quantity a register can hold")
    return None


def value_issues(data: Any) -> list[SchemaIssue]:
    """Every value of a parsed record that breaks a bound above, each with its JSON Pointer."""
    issues: list[SchemaIssue] = []
    record_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(record_id, str) and _WINDOWS_RESERVED.match(record_id):
        issues.append(SchemaIssue("id/reserved-name", "/id",
                                  f"the id '{record_id}' is a name Windows keeps for a device, so a file of that "
                                  "name cannot be checked out on Windows",
                                  f"add to it, for example '{record_id}-1'"))
    stack: list[tuple[str, str, Any]] = [("", "", data)]
    while stack:
        pointer, key, value = stack.pop()
        if isinstance(value, str):
            issues.extend(_text_issues(pointer, key, value))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, (int, float)):
            issue = _number_issue(pointer, value)
            if issue:
                issues.append(issue)
        elif isinstance(value, dict):
            for child_key, child in value.items():
                stack.append((f"{pointer}/{escape_pointer_token(child_key)}", str(child_key), child))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                stack.append((f"{pointer}/{index}", key, child))
    issues.sort(key=lambda issue: issue.pointer)
    return issues
