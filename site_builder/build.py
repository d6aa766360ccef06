"""`procure build`: the whole pipeline into a temporary folder beside the output, then an atomic swap.

A failed build (invalid register, template error, Pagefind failure) leaves the previous site untouched. Nothing
here prints: progress goes to an optional callback and the timings come back in a ``BuildResult``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from site_builder.errors import BuildError, ConfigError, InvalidRegisterError, Problem
from site_builder.pipeline import BuildSettings, BuildState, prepare
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
    #: the build's products (model, template environment, record page shells): `procure serve` rewrites edited
    #: records' pages from them with ``pipeline.rewrite_record_pages``
    state: BuildState | None = field(default=None, repr=False)

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


#: response headers for hosts that read a ``_headers`` file (Netlify, Cloudflare Pages); GitHub Pages does not
#: (docs/security.md says what to do there). nosniff: a raw YAML download is never run as a script.
HOST_HEADERS = """/*
  X-Content-Type-Options: nosniff
  Referrer-Policy: strict-origin-when-cross-origin
/data/records/*
  Content-Type: application/yaml; charset=utf-8
/data/records/*.json
  Content-Type: application/json; charset=utf-8
"""

#: written into every site procure builds, so a later build knows the folder is its own to replace
SITE_MARKER = ".procure-site"
_REGISTER_PARTS = ("records", "docs", "schemas", ".git", "mkdocs.yml", "pyproject.toml")


def check_output_folder(root: Path, target: Path) -> None:
    """Refuse an output folder whose replacement would destroy something: the register itself or a folder holding
    it, a folder holding records/, docs/ or .git, anything inside records/, docs/ or schemas/, or a folder with
    content that no earlier build made. (A build replaces the whole folder.)"""
    def refuse(why: str) -> None:
        raise BuildError(f"refusing to build into {target}: {why}; the build replaces that folder as a whole. "
                         "Choose a new or empty folder, or one an earlier `procure build` made")

    if target == root or target in root.parents:
        refuse("it is the register's folder or holds it")
    for part in ("records", "docs", "schemas", ".git"):
        if target.is_relative_to(root / part):
            refuse(f"it is inside the register's {part}/ folder")
    if target.is_symlink():
        refuse("it is a symbolic link")
    if not target.exists():
        return
    if not target.is_dir():
        refuse("it is a file")
    present = [p for p in _REGISTER_PARTS if os.path.lexists(target / p)]
    if present:
        refuse(f"it holds {', '.join(present)}")
    made_by_us = (target / SITE_MARKER).is_file() or (  # sites built before the marker existed
        (target / "data" / "SHA256SUMS").is_file() and (target / "index.html").is_file())
    if not made_by_us and any(target.iterdir()):
        refuse("it is not empty and no earlier build made it")


#: modules whose attributes mkdocs.yml may name with !!python/name (Material's and its Markdown extensions' helpers)
SAFE_NAME_MODULES = ("material.", "pymdownx.", "markdown.")


def check_mkdocs_config_is_data(config_path: Path) -> None:
    """MkDocs reads mkdocs.yml with PyYAML's full loader and runs ``hooks:``: a changed mkdocs.yml could run any
    code during the build. Refuse what runs code: ``hooks:``, ``!!python/object...``, ``!!python/module``, and
    ``!!python/name`` outside the theme's own modules (importing a module from the checkout runs it)."""
    found: list[tuple[str, str, int]] = []

    class TagRecorder(yaml.SafeLoader):
        pass

    def record(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
        found.append((node.tag, suffix, node.start_mark.line + 1))

    TagRecorder.add_multi_constructor("tag:yaml.org,2002:python/", record)
    TagRecorder.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_path.read_text(encoding="utf-8"), Loader=TagRecorder) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_path.name}: cannot be read: {exc}") from None
    if isinstance(data, dict) and data.get("hooks"):
        raise ConfigError(f"{config_path.name}: 'hooks:' runs Python files during the build; procure refuses them "
                          "(write a plugin and install it as a package instead)")
    for _tag, suffix, line in found:
        name = suffix.split(":", 1)[1] if ":" in suffix else ""
        if suffix.startswith("name:") and name.startswith(SAFE_NAME_MODULES):
            continue
        raise ConfigError(f"{config_path.name}:{line}: the tag '!!python/{suffix}' can run code during the "
                          f"build; procure only allows !!python/name: for {', '.join(SAFE_NAME_MODULES)}")


def _remove_abandoned_staging(target: Path) -> None:
    """Staging folders left by builds that were killed outright (SIGKILL, power cut): their process is gone."""
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _process_exists(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _clean_exit_on_termination() -> Iterator[None]:
    """SIGTERM (a CI job cancelled, ``kill``) becomes SystemExit, so the cleanup below runs as it does for Ctrl-C
    (SIGINT, KeyboardInterrupt): no gigabytes of staging are left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    check_output_folder(root, target)
    check_mkdocs_config_is_data(config_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(target)
    staging = target.with_name(f".{target.name}.building-{os.getpid()}")
    export_dir = target.with_name(f".{target.name}.export-{os.getpid()}")
    for leftover in (staging, export_dir):
        shutil.rmtree(leftover, ignore_errors=True)
    with _clean_exit_on_termination():
        result = _build_into(config_path, config_file, staging, export_dir, target, progress, search)
    result.timings["total"] = time.perf_counter() - started
    return result


def _build_into(config_path: Path, config_file: str, staging: Path, export_dir: Path, target: Path,
                progress: Progress | None, search: bool) -> BuildResult:
    try:
        mkdocs_config = load_mkdocs_config(config_file=str(config_path), site_dir=str(staging))
    except (ConfigurationError, Abort) as exc:
        raise ConfigError(f"{config_file}: {exc}") from None
    except BaseException:
        _remove(staging, export_dir)
        raise
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
    try:
        (staging / SITE_MARKER).write_text("This folder was made by `procure build`, which replaces it as a whole.\n",
                                           encoding="utf-8")
        if not (staging / "_headers").exists():  # a publisher's own docs/_headers wins
            (staging / "_headers").write_text(HOST_HEADERS, encoding="utf-8")
        _swap_into_place(staging, target)
    except BaseException:
        _remove(staging, export_dir)
        raise
    timings["publish (swap into place)"] = time.perf_counter() - swap_started
    return BuildResult(target, dict(state.counts), timings, list(state.warnings), list(state.search_runs), state)


def _remove(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
