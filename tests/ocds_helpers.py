"""Shared helpers for the OCDS import and integrity-indicator tests: a fresh register folder, importing into it,
and loading the model. Expected values never come from here: each test works them out itself."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO_ROOT as REPO
from conftest import load_model  # noqa: F401  (the import tests use it from here)

from site_builder.config import load_config
from site_builder.import_ocds import ImportReport, import_ocds
from site_builder.validate import validate_register

SAMPLES_DIR = Path(os.environ.get("OCDS_SAMPLES_DIR") or REPO.parent / "shared" / "ocds-samples")
SCHEMA_DIR = Path(os.environ.get("OCDS_SCHEMA_DIR") or REPO.parent / "shared" / "ocds-schema")


def sample_files() -> list[Path]:
    """Every sample file, or a skip (a failure when REQUIRE_OCDS_SAMPLES is set) when they are not on this machine."""
    files = sorted(SAMPLES_DIR.glob("*.json")) if SAMPLES_DIR.is_dir() else []
    if not files:
        if os.environ.get("REQUIRE_OCDS_SAMPLES"):
            pytest.fail(f"REQUIRE_OCDS_SAMPLES is set but there are no OCDS samples in {SAMPLES_DIR}")
        pytest.skip(f"OCDS samples not found in {SAMPLES_DIR} (set OCDS_SAMPLES_DIR)")
    return files


def sample(name: str) -> Path:
    path = SAMPLES_DIR / name
    if not path.is_file():
        if os.environ.get("REQUIRE_OCDS_SAMPLES"):
            pytest.fail(f"REQUIRE_OCDS_SAMPLES is set but {path} is missing")
        pytest.skip(f"OCDS sample {name} not found in {SAMPLES_DIR} (set OCDS_SAMPLES_DIR)")
    return path


def make_register(root: Path, plugin_extra: str = "") -> Path:
    """An empty register: the repository's schemas and a minimal mkdocs.yml (statuses pinned to 2026-01-01)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "schemas", root / "schemas")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Test register\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Test register\ntheme:\n  name: material\n  font: false\nplugins:\n  - procure:\n"
        "      as_of: 2026-01-01\n" + plugin_extra, encoding="utf-8")
    return root


def run_import(root: Path, *files: Path, dry_run: bool = False) -> ImportReport:
    return import_ocds(load_config(root), list(files), dry_run=dry_run)


def problems_of(root: Path) -> list[str]:
    result = validate_register(load_config(root), use_cache=False)
    return [p.format() for p in result.problems]


def errors_of(root: Path) -> list[str]:
    """Every problem except the warnings for an imported record's gaps (fields its source did not publish)."""
    return [p for p in problems_of(root) if "warning[import/gap]" not in p]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "records").rglob("*.yaml"))}


def write_package(path: Path, releases: list[dict[str, Any]], **package: Any) -> Path:
    body = {"uri": "https://example.org/test.json", "publishedDate": "2025-06-01T00:00:00Z", "version": "1.1",
            "publisher": {"name": "Test publisher"}, **package, "releases": releases}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def last_value(releases: list[dict[str, Any]], *path: str) -> Any:
    """Field-level "newest release wins" (the essence of an OCDS merge for a single field), worked out from the
    source JSON independently of the importer; releases without a date sort first."""
    found = None
    for release in sorted(releases, key=lambda r: str(r.get("date") or "")):
        node: Any = release
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            found = node
    return found
