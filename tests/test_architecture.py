"""The pipeline's shape, checked on the import graph (grimp): stages only import earlier stages, no cycles, and no
module-level plumbing (importlib strings, atexit) in the package."""

from __future__ import annotations

import re
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "site_builder"

#: highest first: a module may import those below it, never one above; modules in one set may not import each other
LAYERS = (
    "site_builder.cli",
    "site_builder.commands",
    "site_builder.serve",  # `procure serve`: builds, then rewrites edited records' pages through the stages
    {"site_builder.new", "site_builder.import_ocds", "site_builder.report", "site_builder.build"},
    "site_builder.plugin",
    "site_builder.pipeline",  # the stages, in order, below
    "site_builder.search",
    "site_builder.search_stable",
    "site_builder.history",  # every record's changes from the git log (record pages, `procure diff`)
    "site_builder.render",
    "site_builder.export",
    "site_builder.rankings",  # totals by supplier, buyer and year, from the model
    "site_builder.model",  # the model stage: the registry, then the figures computed from it
    {"site_builder.social_value", "site_builder.indicators"},
    # issue 13: the contract after award (procedure, changes, display status, KPIs) and the forward view, read-only
    # helpers over the model's records that the figures, exports and pages share
    {"site_builder.contracts", "site_builder.forward_plan"},
    "site_builder.validate",
    "site_builder.validate_contracts",  # issue 13: the contract-after-award rules, called by validate
    "site_builder.limits",  # the bounds every value keeps (numbers, text), checked by the validator
    "site_builder.schemas",
    "site_builder.mistakes",  # placeholders, "did you mean", date-order hints: shared by schemas, rules and `new`
    "site_builder.load",
    "site_builder.config",
    {"site_builder.speak_up", "site_builder.search_facets", "site_builder.cpv"},
    "site_builder.formatting",  # how numbers, money and dates are written for people
    "site_builder.dates",
    "site_builder.problem_codes",
    "site_builder.errors",
)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # Imports under `if TYPE_CHECKING:` never run: the model's annotations name the figures' types and back
    return grimp.build_graph("site_builder", exclude_type_checking_imports=True, cache_dir=None)


def test_every_module_is_in_a_layer(graph: grimp.ImportGraph) -> None:
    layered = {name for layer in LAYERS for name in ([layer] if isinstance(layer, str) else layer)}
    top_level = {m for m in graph.modules if m.count(".") == 1}
    assert top_level - layered - {"site_builder.__main__"} == set()


def test_no_stage_imports_a_later_stage(graph: grimp.ImportGraph) -> None:
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS)
    routes = sorted(f"{d.importer} -> {d.imported}: {[r.heads for r in d.routes]}" for d in illegal)
    assert routes == []


def test_the_import_graph_has_no_cycles(graph: grimp.ImportGraph) -> None:
    cycles = sorted((m, i) for m in graph.modules for i in graph.find_modules_directly_imported_by(m)
                    if graph.chain_exists(importer=i, imported=m))
    assert cycles == []


def test_no_dynamic_imports_or_exit_hooks() -> None:
    found = [f"{path.relative_to(PACKAGE)}:{n}" for path in sorted(PACKAGE.rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"import_module|__import__|atexit", line)]
    assert found == []
