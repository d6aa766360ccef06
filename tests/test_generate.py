"""The synthetic-register generator and the demonstration register script (tests/benchmarks/).

Speed is measured by `make bench`, never here; these tests check that what they write is valid and reproducible.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from conftest import REPO_ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.config import load_config
from site_builder.load import parse_yaml
from site_builder.validate import validate_register

sys.path.insert(0, str(REPO_ROOT / "tests" / "benchmarks"))

import generate
import make_demo


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "records").rglob("*.yaml"))}


def test_generated_register_is_valid_and_sized(tmp_path: Path) -> None:
    generate.generate_register(tmp_path, 600, seed=3)
    files = _tree(tmp_path)
    # about the size asked for, in the proportions described: 5% organisations, 25% tenders, 22% awards
    assert 590 <= len(files) <= 600
    by_folder = Counter(name.split("/")[1] for name in files)
    assert by_folder["organisations"] == round((600 - 15) * 0.05)  # 15 measures for 600 records (600 // 40)
    assert by_folder["tenders"] == round((600 - 15) * 0.25)
    assert by_folder["awards"] == round((600 - 15) * 0.22)
    assert by_folder["outcomes"] > by_folder["awards"]
    assert (tmp_path / "mkdocs.yml").read_text() == (REPO_ROOT / "mkdocs.yml").read_text()
    assert (tmp_path / "schemas" / "award.schema.json").exists()
    result = validate_register(load_config(tmp_path), use_cache=False)
    assert [p.format() for p in result.problems] == []


def test_generator_is_deterministic(tmp_path: Path) -> None:
    generate.generate_register(tmp_path / "a", 200, seed=7)
    generate.generate_register(tmp_path / "b", 200, seed=7)
    generate.generate_register(tmp_path / "c", 200, seed=8)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")


def test_committed_demo_register_is_what_the_script_writes(tmp_path: Path) -> None:
    """records/ must be regenerable: editing a record by hand without changing make_demo.py is caught here."""
    make_demo.main(["--out", str(tmp_path)])
    assert _tree(tmp_path) == _tree(REPO_ROOT)


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), max_size=60)
_scalar = st.one_of(_text, st.integers(-10**9, 10**9), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda f: round(f, 3)),
                    st.sampled_from(["2025-04-01", "0123", "1e3", "yes", "no", "on", "null", "~", "- a", "a: b", "#x",
                                     "a #b", "'q'", '"q"', "&a", "*a", "!t", "%p", "@x", "`x", "x:", " lead", "trail ",
                                     "tab\tin", "line\nbreak", "0x1F", "0o17", ".inf", "12:30", "1_000", "+1"]))
_key = st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True)
# the shapes records have: mappings of scalars, lists and mappings; lists of scalars or of mappings (never of lists)
_value = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(st.one_of(_scalar, st.dictionaries(_key, inner, min_size=1, max_size=3)), max_size=4),
    st.dictionaries(_key, inner, min_size=1, max_size=4)), max_leaves=12)


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(_key, _value, min_size=1, max_size=6))
def test_emitter_round_trips_through_the_register_loader(record: dict[str, object]) -> None:
    text = generate.emit_yaml(record)
    data, _ = parse_yaml(text.encode("utf-8"))
    assert data == record


def test_long_prose_is_folded_as_people_write_it() -> None:
    prose = ("Residents on the Northgate estate told the community team that the service feels theirs again: "
             "crews know people by name and litter reports have halved.")
    text = generate.emit_yaml({"narrative": prose, "cpv": ["77313000"], "date": "2025-04-01"})
    assert text.splitlines()[0] == "narrative: >-"
    assert 'cpv: ["77313000"]' in text and "date: 2025-04-01" in text
    assert parse_yaml(text.encode())[0]["narrative"] == prose
