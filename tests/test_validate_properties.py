"""Property tests: whatever bytes or YAML-ish text a record file holds, loading and validating it gives problems,
never a crash, a hang or a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.cli import cli
from site_builder.config import load_config
from site_builder.load import YamlProblem, parse_yaml
from site_builder.validate import validate_register

REPO_SCHEMAS = Path(__file__).parents[1] / "schemas"
BASE_CASE = Path(__file__).parent / "cases" / "valid" / "minimal-register"

# YAML-ish text: the characters and fragments that make YAML interesting, in any order
_FRAGMENTS = st.sampled_from([
    "id: ", "T-1", "\n", "  ", "- ", ": ", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object ", "!x ", "'", '"',
    "#", "---\n", "...\n", "? ", "|\n", ">\n", "\t", "null", "~", "true", "1e999", "0x1F", "2025-02-30", "<<: ",
    "title", "buyer", "amount: -1", "\u0410", "\ufeff", "\x00", "\\u0000", "%YAML 1.1\n", "!!binary ", "=",
])
YAMLISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=60).map("".join)


def _check_parse(source: bytes) -> None:
    try:
        data, _ = parse_yaml(source)
    except YamlProblem as exc:
        assert exc.code and exc.message
        assert exc.line >= 0 and exc.col >= 0
    else:
        assert isinstance(data, dict)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_loader_never_crashes_on_bytes(source: bytes) -> None:
    _check_parse(source)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_loader_never_crashes_on_yamlish_text(text: str) -> None:
    _check_parse(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(YAMLISH.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)),
       folder=st.sampled_from(["tenders", "awards", "outcomes", "organisations", "measures"]))
def test_validator_never_crashes(tmp_path: Path, body: bytes, folder: str) -> None:
    root = tmp_path / "register"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASE_CASE, root)
    shutil.copytree(REPO_SCHEMAS, root / "schemas")
    (root / "records" / folder / "X-1.yaml").write_bytes(body)
    result = validate_register(load_config(root), use_cache=False)
    for problem in result.problems:
        assert problem.path.startswith("records/") and problem.code and problem.message
    run = CliRunner().invoke(cli, ["validate", "--root", str(root), "--no-cache"], catch_exceptions=False)
    assert run.exit_code in (0, 1)
    assert "Traceback" not in run.output
