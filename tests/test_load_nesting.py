"""Nesting limits give the same answer on every PyYAML in the supported range (issue 10).

PyYAML 6.0.4's bundled libyaml stops flow nesting at 1,000 levels in its scanner, which reads ahead of the parser,
so it can fail before the loader's own limit (32) is reached. Whatever the installed PyYAML does, a document nested
too deep is ``yaml/too-deep`` at the first bracket past the limit. The expected positions are worked out from how
each input is written: the record's mapping is level 1, so the 32nd opening bracket is the first one past the limit.
"""

from __future__ import annotations

import pytest
import yaml

from site_builder import load
from site_builder.load import MAX_DEPTH, YamlProblem, parse_yaml

# (name, source, expected (line, column), expected pointer)
DEEP = [
    # 'notes: ' is 7 characters, so the first '[' is column 8 and the 32nd is column 8 + 31 = 39
    ("flow-list-2000", b"id: T-1\nnotes: " + b"[" * 2000 + b"]" * 2000 + b"\n", (2, 39), "/notes" + "/0" * 31),
    ("flow-list-unclosed", b"id: T-1\nnotes: " + b"[" * 5000 + b"\n", (2, 39), "/notes" + "/0" * 31),
    ("flow-list-40", b"id: T-1\nnotes: " + b"[" * 40 + b"]" * 40 + b"\n", (2, 39), "/notes" + "/0" * 31),
    # '{a: ' is 4 characters a level: the 32nd '{' starts at column 8 + 31 * 4 = 132
    ("flow-map-2000", b"id: T-1\nnotes: " + b"{a: " * 2000 + b"}" * 2000 + b"\n", (2, 132), "/notes" + "/a" * 31),
    # a block list on line 3 ('  - ' puts the list's item at column 5) is level 2, so the 31st '[' (column 35) is
    # level 33
    ("block-then-flow", b"id: T-1\nnotes:\n  - " + b"[" * 1500 + b"\n", (3, 35), "/notes" + "/0" * 31),
    # '- ' a level from column 1 of line 3: level 2 at column 1, level 33 at column 1 + 31 * 2 = 63
    ("block-list-1200", b"id: T-1\nnotes:\n" + b"- " * 1200 + b"x\n", (3, 63), "/notes" + "/0" * 31),
]


@pytest.mark.parametrize(("source", "where", "pointer"), [c[1:] for c in DEEP], ids=[c[0] for c in DEEP])
@pytest.mark.parametrize("want_positions", [False, True], ids=["fast", "with-positions"])
def test_too_deep_is_the_same_on_the_installed_pyyaml(source: bytes, where: tuple[int, int], pointer: str,
                                                      want_positions: bool) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(source, want_positions=want_positions)
    problem = caught.value
    assert (problem.code, (problem.line, problem.col), problem.pointer) == ("yaml/too-deep", where, pointer)
    assert problem.message == f"nested more than {MAX_DEPTH} levels deep"


class _LimitedLoader(yaml.SafeLoader):
    """Stands in for a libyaml with a tighter limit of its own than the register's: it fails after ten events, as
    PyYAML 6.0.4's scanner does at 1,000 flow levels. With it, older PyYAMLs take the same fallback path."""

    def __init__(self, text: str):
        super().__init__(text)
        self._events = 0

    def get_event(self):  # type: ignore[override]
        self._events += 1
        if self._events > 10:
            raise yaml.MarkedYAMLError("while increasing flow level", None, "exceeded maximum nesting depth",
                                       self.get_mark())
        return super().get_event()


@pytest.mark.parametrize(("source", "where", "pointer"), [c[1:] for c in DEEP], ids=[c[0] for c in DEEP])
def test_a_libyaml_limit_never_reaches_the_user(monkeypatch: pytest.MonkeyPatch, source: bytes,
                                                where: tuple[int, int], pointer: str) -> None:
    monkeypatch.setattr(load, "_BaseLoader", _LimitedLoader)
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(source, want_positions=True)
    assert (caught.value.code, (caught.value.line, caught.value.col), caught.value.pointer) == (
        "yaml/too-deep", where, pointer)


def test_a_libyaml_limit_on_a_valid_record_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # twelve fields: more events than the stand-in allows, but nothing wrong with the record
    source = b"".join(b"f%d: %d\n" % (i, i) for i in range(12))
    monkeypatch.setattr(load, "_BaseLoader", _LimitedLoader)
    data, _ = parse_yaml(source)
    assert data == {f"f{i}": i for i in range(12)}


def test_a_real_syntax_error_keeps_its_message(monkeypatch: pytest.MonkeyPatch) -> None:
    # an unclosed quote on line 2: both parsers fail, and the officer gets the syntax error, not a limit
    source = b'id: T-1\ntitle: "unclosed\n'
    monkeypatch.setattr(load, "_BaseLoader", _LimitedLoader)
    with pytest.raises(YamlProblem) as caught:
        parse_yaml(source, want_positions=True)
    assert caught.value.code == "yaml/syntax"
    assert "exceeded maximum" not in caught.value.message
