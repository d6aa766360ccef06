"""`procure build`: the whole pipeline into a temporary folder beside the output, then an atomic swap.

A failed build (invalid register, template error, Pagefind failure) leaves the previous site untouched. Nothing
here prints: progress goes to an optional callback and the timings come back in a ``BuildResult``.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from site_builder.errors import BuildError, ConfigError, InvalidRegisterError, Problem, Severity

Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    site_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds, in pipeline order
    warnings: list[Problem] = field(default_factory=list)
    search_runs: list[Any] = field(default_factory=list)  # search.BundleRun per Pagefind run (in the background)
    plugin: Any = field(default=None, repr=False)  # the procure plugin, with the model, for `procure serve`'s updates

    @property
    def total_seconds(self) -> float:
        return self.timings.get("total", sum(self.timings.values()))


def _swap_into_place(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with two renames on the same file system (the old site stays until then)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)  # put the previous site back
        raise
    shutil.rmtree(old, ignore_errors=True)


def build_site(root: Path | str = ".", site_dir: Path | str = "site", *, config_file: str = "mkdocs.yml",
               progress: Progress | None = None, search: bool = True) -> BuildResult:
    """Build the register under ``root`` into ``site_dir`` (relative to ``root`` unless absolute)."""
    started = time.perf_counter()
    root = Path(root).resolve()
    target = Path(site_dir)
    target = (target if target.is_absolute() else root / target).resolve()
    config_path = root / config_file
    if not config_path.exists():
        raise ConfigError(f"{config_path}: not found (is --root the register's folder?)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    if staging.exists():
        shutil.rmtree(staging)

    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # MkDocs' "Building..." chatter is not ours to print
    try:
        config = load_mkdocs_config(config_file=str(config_path), site_dir=str(staging))
    except (ConfigurationError, Abort) as exc:
        raise ConfigError(f"{config_file}: {exc}") from None
    plugin = config.plugins.get("procure")
    if plugin is None:
        raise ConfigError(f"{config_file}: the 'procure' plugin is not listed under plugins:")
    plugin.progress = progress  # type: ignore[attr-defined]
    plugin.run_search = search  # type: ignore[attr-defined]
    try:
        mkdocs_started = time.perf_counter()
        mkdocs_build(config)
        mkdocs_seconds = time.perf_counter() - mkdocs_started
    except Abort as exc:
        shutil.rmtree(staging, ignore_errors=True)
        problems = list(getattr(plugin, "problems", []))
        if any(p.severity is Severity.ERROR for p in problems):
            raise InvalidRegisterError(problems) from None
        raise BuildError(f"the build failed: {exc}") from None
    except (MkDocsException, BuildError, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(f"the build failed: {exc}") from None
    except jinja2.TemplateError as exc:  # a template bug: say which template and line, not a traceback
        shutil.rmtree(staging, ignore_errors=True)
        where = f"{exc.name}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise BuildError(f"the build failed in a page template: {where}{exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    timings = dict(plugin.timings)  # type: ignore[attr-defined]
    timings["theme and site pages (MkDocs)"] = max(0.0, mkdocs_seconds - sum(timings.values()))
    swap_started = time.perf_counter()
    _swap_into_place(staging, target)
    timings["publish (swap into place)"] = time.perf_counter() - swap_started
    timings["total"] = time.perf_counter() - started
    warnings = [p for p in getattr(plugin, "problems", []) if p.severity is not Severity.ERROR]
    return BuildResult(target, dict(plugin.counts), timings, warnings,  # type: ignore[attr-defined]
                       list(getattr(plugin, "search_runs", [])), plugin)
