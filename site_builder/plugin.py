"""The `procure` MkDocs plugin: load → validate → model → render → export → search, inside `mkdocs build`.

Site pages (home, search, section indexes, other features' pages) are added as in-memory files
(``File.generated``) and go through MkDocs like any page, with a one-line placeholder as their Markdown; their
pre-rendered HTML replaces it in ``on_page_content``. Record pages (up to 100,000) never go through MkDocs: the
theme's page (Material's ``main.html`` with our ``procure_record.html`` on top) is rendered ONCE per record folder
with markers in place of the title and content, and each record's HTML is poured into that shell and written
straight to the output folder in ``on_post_build``. Every record page sits at ``<folder>/<id>/``, so relative links
in the shell are right for all of them. Record pages are never in the navigation.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage

from site_builder.config import RegisterConfig, config_from_mapping, source_date
from site_builder.errors import InvalidRegisterError, SiteBuilderError
from site_builder.load import RECORD_FOLDERS
from site_builder.model import Registry
from site_builder.render.page import Page, SearchMeta

THEME_DIR = Path(__file__).parent / "render" / "theme"
ASSETS = ("assets/procure/procure.css", "assets/procure/social-value.css", "assets/procure/accessibility.css",
          "assets/procure/tables.js", "assets/procure/pipeline.js")
_PLACEHOLDER = "<!-- procure: generated page -->\n"
_MARK = "\x00procure-{}\x00"  # cannot occur in YAML text that validated (NUL is not allowed), nor in the theme
Progress = Callable[[str, int, int], None]


def search_meta_html(search: SearchMeta | None) -> str:
    """Pagefind's filters, sort keys and result metadata as hidden elements (values are escaped text)."""
    if search is None:
        return ""
    parts = ['<div hidden>']
    for key, values in search.filters.items():
        for value in values:
            parts.append(f'<span data-pagefind-filter="{html.escape(key)}">{html.escape(value)}</span>')
    for key, value in search.sort.items():
        parts.append(f'<span data-pagefind-sort="{html.escape(key)}:{html.escape(value)}"></span>')
    for key, value in search.meta.items():
        if value:
            parts.append(f'<span data-pagefind-meta="{html.escape(key)}">{html.escape(value)}</span>')
    parts.append("</div>")
    return "".join(parts)


def page_content_html(page: Page, bundle: str | None = None) -> str:
    """A page's main content: its body, marked for Pagefind when the page is searchable (``bundle``: which
    search bundle holds it, a filter the search page uses to merge sorted results from several bundles)."""
    body = page.body_html if "<h1" in page.body_html else f"<h1>{html.escape(page.title)}</h1>\n{page.body_html}"
    if page.search is None:
        return body
    extra = f'<span hidden data-pagefind-filter="bundle">{html.escape(bundle)}</span>' if bundle else ""
    return f'<div data-pagefind-body>\n{body}\n</div>\n{search_meta_html(page.search)}{extra}'


def src_uri_of(url: str) -> str:
    return f"{url}index.md" if url else "index.md"


def load_git_dates(root: Path, records_dir: Path) -> dict[str, str]:
    """rel_path → date of the last commit that touched it, from ONE `git log` over records/ (empty without git)."""
    try:
        out = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--no-renames", "--", str(records_dir)],
            cwd=root, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if out.returncode != 0:
        return {}
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True,
                             check=False).stdout.strip()
        prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix() if top else ""
    except ValueError:
        prefix = ""
    prefix = "" if prefix in ("", ".") else prefix + "/"
    dates: dict[str, str] = {}
    current = ""
    for line in out.stdout.splitlines():
        if line.startswith("@"):
            current = line[1:]
        elif line and current:
            rel = line[len(prefix):] if prefix and line.startswith(prefix) else line
            dates.setdefault(rel, current)  # newest commit comes first
    return dates


class ProcurePlugin(BasePlugin):  # type: ignore[type-arg]
    """Options are the register settings documented in config.py; they are read by ``config_from_mapping``."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, Any] = {}
        self.progress: Progress | None = None  # set by `procure build` to show progress on a terminal
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.reg: Registry | None = None
        self.register_config: RegisterConfig | None = None
        self.run_search = True
        self.run_export = True
        self._pages: dict[str, Page] = {}
        self._bundle_of: dict[str, str] = {}
        self.problems: list[Any] = []
        self.export_result: Any = None
        self.search_runs: list[Any] = []  # one per Pagefind run: bundle, pages, seconds, peak memory
        self._nav: Navigation | None = None
        self._files: Files | None = None

    # MkDocs validates a plugin's options against a schema; ours are validated by config_from_mapping instead
    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[list, list]:
        self.options = dict(options)
        return [], []

    def _stage(self, name: str, started: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(stage, done, total)

    # ---------------------------------------------------------------------------------------------- events
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.timings = {}
        root = Path(config.config_file_path or ".").resolve().parent
        top = {"site_name": config.site_name, "site_url": config.site_url, "repo_url": config.repo_url,
               "edit_uri": config.edit_uri}
        try:
            self.register_config = config_from_mapping(root, top, self.options)
        except SiteBuilderError as exc:
            raise PluginError(exc.format_message()) from None
        if not os.environ.get("SOURCE_DATE_EPOCH"):
            # MkDocs dates its sitemap with the build time unless this is set: use the last commit for reproducibility
            os.environ["SOURCE_DATE_EPOCH"] = str(int(source_date(root).timestamp()))
        for name in list(config.plugins):
            if name.endswith("search") and name != "procure":
                raise PluginError("the procure plugin replaces the theme's search with Pagefind: remove "
                                  f"'{name}' from plugins in mkdocs.yml")
        theme_dirs = config.theme.dirs
        if str(THEME_DIR) not in theme_dirs:
            theme_dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if asset not in [str(a) for a in target]:
                target.append(asset)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        from site_builder import validate
        from site_builder.model import build_model
        from site_builder.render import PAGE_GENERATORS, build_environment

        assert self.register_config is not None
        cfg = self.register_config
        started = time.perf_counter()
        self._report("validate", 0, 0)
        result = validate.validate_register(cfg, keep_data=True)
        self._stage("validate", started)
        self.problems = list(result.problems)
        if not result.ok:
            lines = "\n".join(p.format() for p in self.problems)
            error = InvalidRegisterError(self.problems)
            raise Abort(f"{lines}\n{error.format_message()}")
        started = time.perf_counter()
        self._report("model", 0, 0)
        self.reg = build_model(result.files, cfg)
        del result
        self.counts = {t: len(v) for t, v in self.reg.by_type.items()}
        self._stage("model", started)

        started = time.perf_counter()
        env = build_environment(cfg.schemas_dir)
        env.globals["last_updated"] = load_git_dates(cfg.root, cfg.records_dir)
        self.env = env
        self._pages = {}
        for generator in PAGE_GENERATORS:
            generator_started = time.perf_counter()
            for page in generator(self.reg, env):
                uri = src_uri_of(page.url)
                if uri in self._pages:
                    raise PluginError(f"two generated pages claim the URL /{page.url}")
                self._pages[uri] = page
                existing = files.get_file_from_path(uri)
                if existing is not None:  # a generated page wins over a hand-written stub at the same URL
                    files.remove(existing)
                files.append(File.generated(config, uri, content=_PLACEHOLDER))
            if generator.__module__ == "site_builder.export.page":  # the /data/ page runs the whole export first
                self._stage("export", generator_started)
                started += time.perf_counter() - generator_started  # ... which is not "render site pages" time
        self._files = files
        self._bundle_of = {url: b.name for b in self.bundles() for url in b.urls}
        self._stage("render site pages", started)
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_page_markdown(self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self._pages.get(page.file.src_uri)
        if generated is not None:
            if not generated.nav_title:  # pages in the nav keep the title mkdocs.yml gives them
                page.title = generated.title
            if generated.description:
                page.meta["description"] = generated.description
            return ""
        return markdown

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self._pages.get(page.file.src_uri)
        if generated is not None:
            page.meta["procure_generated"] = True
            return page_content_html(generated, self._bundle_of.get(generated.url))
        return html_text

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.reg is not None
        site_dir = Path(config.site_dir)
        indexer = None
        work_dir = site_dir.parent / f".{site_dir.name}.pagefind-work"
        if self.run_search:
            from site_builder.search import SearchIndexer

            # Pagefind indexes each bundle in the background as soon as its pages are written (see search.py)
            indexer = SearchIndexer(site_dir, self.bundles(), work_dir, self.progress).start()
        try:
            if indexer is not None:
                for page in self._pages.values():  # their content as MkDocs placed it in the theme
                    if indexer.wants(page.url):
                        indexer.add_page(page.url, page.title, page_content_html(page, self._bundle_of.get(page.url)))
            started = time.perf_counter()
            written = self.write_record_pages(config, site_dir, indexer)
            self.counts["record pages"] = written
            self.counts["site pages"] = len(self._pages)
            self._stage("render record pages", started)
            self._export(site_dir)
            if indexer is not None:
                started = time.perf_counter()
                runs = indexer.finish()
                self._stage("search index (after the pages)", started)
                self.search_runs = runs
        except BaseException:
            if indexer is not None:
                indexer.abandon()
            raise
        finally:  # nothing may be left beside the output folder
            shutil.rmtree(work_dir, ignore_errors=True)

    def _export(self, site_dir: Path) -> None:
        assert self.reg is not None
        if self.run_export:
            started = time.perf_counter()
            self._report("export", 0, 0)
            export_all = _find_exporter()
            if export_all is not None:
                # every page for the sitemap (written at the site root, replacing MkDocs' one that lacks record pages)
                pages = [f.url for f in self._files.documentation_pages()] if self._files is not None else []
                export_all(self.reg, site_dir / "data", sitemap_dir=site_dir,  # type: ignore[call-arg]
                           page_urls=[*pages, *(r.url for r in self.reg.all_records())])
            self._stage("export", started)

    def run_exporter(self, export_all: Callable[..., Any], site_dir: Path) -> Any:
        """The export stage writes /data/ (and the sitemap at the site's root, from every page's URL)."""
        import inspect

        assert self.reg is not None and self._files is not None
        accepted = inspect.signature(export_all).parameters
        kwargs: dict[str, Any] = {}
        if "page_urls" in accepted:
            urls = [f.url for f in self._files.documentation_pages()]
            urls += [r.url for r in self.reg.all_records()]
            kwargs["page_urls"] = sorted(set(urls))
        if "sitemap_dir" in accepted:
            kwargs["sitemap_dir"] = site_dir
        return export_all(self.reg, site_dir / "data", **kwargs)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.register_config is not None:
            server.watch(str(self.register_config.records_dir))
            server.watch(str(self.register_config.schemas_dir))
        return server

    # ---------------------------------------------------------------------------------------------- record pages
    def bundles(self) -> list[Any]:
        from site_builder.render.records import TYPE_LABELS
        from site_builder.search import OTHER_BUNDLE, plan_bundles

        assert self.reg is not None
        urls: dict[tuple[str, str], list[str]] = {}
        for folder, record_type in RECORD_FOLDERS.items():
            urls[(folder, TYPE_LABELS[record_type])] = [r.url for r in self.reg.by_type[record_type].values()]
        others = [p.url for p in self._pages.values() if p.search is not None]
        if others:
            urls[(OTHER_BUNDLE, "")] = others
        return plan_bundles(urls)

    def record_shell(self, config: MkDocsConfig, folder: str, env: Any) -> list[str]:
        """The theme's page for ``<folder>/<marker>/``, split at the title, description, id and content markers."""
        assert self._nav is not None and self._files is not None
        from mkdocs.commands.build import get_context

        marker_id = "procure-shell-id"
        file = File.generated(config, f"{folder}/{marker_id}/index.md", content="")
        page = MkPage(_MARK.format("title"), file, config)
        page.content = _MARK.format("content")
        page.meta = {"description": _MARK.format("description"), "template": "procure_record.html"}
        page.toc = []  # type: ignore[assignment]
        context = get_context(self._nav, self._files, config, page, base_url="../..")
        text = env.get_template("procure_record.html").render(context)
        # the marker text came through Jinja's autoescape unchanged (NUL and letters are not escaped)
        text = text.replace(marker_id, _MARK.format("id"))
        return re.split("(\x00procure-[a-z]+\x00)", text)

    def write_record_pages(self, config: MkDocsConfig, site_dir: Path, indexer: Any = None) -> int:
        """Render every record page into its folder's shell and write it; hand its searchable part to ``indexer``."""
        from site_builder.render import RECORD_PAGE_GENERATORS

        assert self.reg is not None
        theme_env = config.theme.get_env()  # one environment: compiling Material's templates is the slow part
        shells = {folder: self.record_shell(config, folder, theme_env) for folder in RECORD_FOLDERS}
        total = sum(self.counts.get(t, 0) for t in RECORD_FOLDERS.values())
        written = 0
        root = str(site_dir)
        for generator in RECORD_PAGE_GENERATORS:
            for page in generator(self.reg, self.env):
                folder, record_id = page.url.strip("/").split("/", 1)
                content = page_content_html(page, self._bundle_of.get(page.url))
                values = {
                    "\x00procure-title\x00": html.escape(page.title),
                    "\x00procure-description\x00": html.escape(page.description or page.title),
                    "\x00procure-id\x00": html.escape(record_id),
                    "\x00procure-content\x00": content,
                }
                text = "".join(values.get(piece, piece) for piece in shells[folder])
                target = os.path.join(root, page.url)
                try:
                    os.mkdir(target)  # the folder's parent exists after the first page of each type
                except FileNotFoundError:
                    os.makedirs(target)
                except FileExistsError:
                    pass
                with open(os.path.join(target, "index.html"), "wb") as out:
                    out.write(text.encode("utf-8"))
                if indexer is not None and indexer.wants(page.url):
                    indexer.add_page(page.url, page.title, content)
                written += 1
                if written % 1000 == 0 or written == total:
                    self._report("record pages", written, total)
        return written


def _find_exporter() -> Callable[[Registry, Path], Any] | None:
    """The export stage's entry point, when the export package provides one."""
    try:
        import site_builder.export as export
    except ModuleNotFoundError:
        return None
    for name in ("export_all", "export_site", "run_exports"):
        fn = getattr(export, name, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    return None

