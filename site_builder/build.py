"""`procure build`: the whole pipeline into a temporary folder beside the output, then an atomic swap.

A failed build (invalid register, template error, Pagefind failure) leaves the previous site untouched. Nothing
here prints: progress goes to an optional callback and the timings come back in a ``BuildResult``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from site_builder.errors import BuildError, ConfigError, InvalidRegisterError, Problem
from site_builder.pipeline import BuildSettings, prepare
from site_builder.plugin import ProcurePlugin
from site_builder.search import BundleRun

Progress = Callable[[str, int, int], None]


@dataclass
class BuildResult:
    site_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds, in pipeline order
    warnings: list[Problem] = field(default_factory=list)
    search_runs: list[BundleRun] = field(default_factory=list)  # one per Pagefind run (in the background)

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
    """Build the register under ``root`` into ``site_dir`` (relative to ``root`` unless absolute).

    The stages, top to bottom: read and validate every record, build the model, export the downloads, render the
    site pages (``pipeline.prepare``); MkDocs renders the theme and those pages, then the plugin writes the record
    pages, puts the downloads and the sitemap in place and finishes the search index (``pipeline.finish``); last,
    the finished site replaces the old one in one rename."""
    started = time.perf_counter()
    root = Path(root).resolve()
    target = Path(site_dir)
    target = (target if target.is_absolute() else root / target).resolve()
    config_path = root / config_file
    if not config_path.exists():
        raise ConfigError(f"{config_path}: not found (is --root the register's folder?)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    export_dir = target.with_name(f".{target.name}.export-{os.getpid()}")
    for leftover in (staging, export_dir):
        shutil.rmtree(leftover, ignore_errors=True)

    try:
        mkdocs_config = load_mkdocs_config(config_file=str(config_path), site_dir=str(staging))
    except (ConfigurationError, Abort) as exc:
        raise ConfigError(f"{config_file}: {exc}") from None
    plugin = mkdocs_config.plugins.get("procure")
    if not isinstance(plugin, ProcurePlugin):
        raise ConfigError(f"{config_file}: the 'procure' plugin is not listed under plugins:")
    try:
        register_config = plugin.register_config_of(mkdocs_config)
        # read and validate → model → export → render the site pages
        state = prepare(register_config, BuildSettings(progress, search), export_dir)
        # MkDocs: theme and site pages; then record pages, downloads and sitemap into place, search index
        plugin.use(state)
        before_mkdocs = sum(state.timings.values())
        mkdocs_started = time.perf_counter()
        mkdocs_build(mkdocs_config)
        mkdocs_seconds = time.perf_counter() - mkdocs_started
    except (InvalidRegisterError, ConfigError):
        _remove(staging, export_dir)
        raise
    except Abort as exc:
        _remove(staging, export_dir)
        raise BuildError(f"the build failed: {exc}") from None
    except (MkDocsException, BuildError, OSError) as exc:
        _remove(staging, export_dir)
        raise BuildError(f"the build failed: {exc}") from None
    except jinja2.TemplateError as exc:  # a template bug: say which template and line, not a traceback
        _remove(staging, export_dir)
        where = f"{exc.name}:{exc.lineno}: " if isinstance(exc, jinja2.TemplateSyntaxError) else ""
        raise BuildError(f"the build failed in a page template: {where}{exc}") from None
    except BaseException:
        _remove(staging, export_dir)
        raise

    timings = dict(state.timings)
    inside_mkdocs = sum(timings.values()) - before_mkdocs  # the plugin's stages, which are not MkDocs' own time
    timings["theme and site pages (MkDocs)"] = max(0.0, mkdocs_seconds - inside_mkdocs)
    # publish
    swap_started = time.perf_counter()
    _swap_into_place(staging, target)
    timings["publish (swap into place)"] = time.perf_counter() - swap_started
    timings["total"] = time.perf_counter() - started
    return BuildResult(target, dict(state.counts), timings, list(state.warnings), list(state.search_runs))


def _remove(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
