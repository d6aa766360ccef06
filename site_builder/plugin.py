"""The `procure` MkDocs plugin: a thin adapter that runs the build's stages (``site_builder.pipeline``) from
MkDocs' hooks, so `mkdocs build`, `mkdocs serve` and `procure build` share one code path.

``on_files`` runs ``pipeline.prepare`` (read and validate, model, export, render the site pages), unless
`procure build` already did and handed the result over with :meth:`ProcurePlugin.use`; ``on_post_build`` runs
``pipeline.finish`` (record pages, downloads into place, sitemap, search index).

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
from collections.abc import Callable, Iterable
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
from site_builder.pipeline import BuildSettings, BuildState, finish, prepare
from site_builder.render.page import Page, SearchMeta
from site_builder.search import SearchIndexer

THEME_DIR = Path(__file__).parent / "render" / "theme"
ASSETS = ("assets/procure/procure.css", "assets/procure/social-value.css", "assets/procure/accessibility.css",
          "assets/procure/tables.js", "assets/procure/answers.css", "assets/procure/answers.js",
          "assets/procure/pipeline.js")
_PLACEHOLDER = "<!-- procure: generated page -->\n"
_MARK = "\x00procure-{}\x00"  # cannot occur in YAML text that validated (NUL is not allowed), nor in the theme


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


#: content types the downloads are served with (a raw YAML download must never be taken for a script)
DOWNLOAD_TYPES = {".yaml": "application/yaml; charset=utf-8", ".jsonl": "application/jsonl; charset=utf-8",
                  ".csv": "text/csv; charset=utf-8", ".sqlite": "application/vnd.sqlite3"}


def with_safe_headers(app: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a WSGI app (MkDocs' preview server): every response says ``X-Content-Type-Options: nosniff`` and the
    downloads get their own content type, so a browser never runs a raw record that happens to be valid script."""
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        suffix = os.path.splitext(environ.get("PATH_INFO", ""))[1].lower()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [(k, v) for k, v in headers if k.lower() != "x-content-type-options"]
            if suffix in DOWNLOAD_TYPES and status.startswith("200"):
                headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
                headers.append(("Content-Type", DOWNLOAD_TYPES[suffix]))
            headers.append(("X-Content-Type-Options", "nosniff"))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
        return app(environ, start)
    return wrapped


def unsafe_links(files: Files, docs_dir: Path, root: Path) -> list[str]:
    """Files under docs/ reached through a symbolic link that leads outside the register, or into a hidden folder
    of it (.git holds credentials): MkDocs would publish what they point at (/proc/self/environ, .git/config)."""
    register = os.path.realpath(root)
    refused = []
    for file in files:
        source = file.abs_src_path
        if not source or not os.path.abspath(source).startswith(os.path.abspath(docs_dir) + os.sep):
            continue  # the theme's own files, generated pages
        relative = os.path.relpath(source, docs_dir)
        linked = any(os.path.islink(os.path.join(docs_dir, *relative.split(os.sep)[: n + 1]))
                     for n in range(len(relative.split(os.sep))))
        if not linked:
            continue
        real = os.path.realpath(source)
        inside = os.path.commonpath([real, register]) == register
        hidden = inside and any(part.startswith(".") for part in Path(os.path.relpath(real, register)).parts)
        if not inside or hidden:
            where = "outside the register" if not inside else "into a hidden folder of the register"
            refused.append(f"docs/{Path(relative).as_posix()}: a link {where} ({real}); nothing was published. "
                           "Put the file itself in docs/")
    return refused


class ProcurePlugin(BasePlugin):  # type: ignore[type-arg]
    """Options are the register settings documented in config.py; they are read by ``config_from_mapping``."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, Any] = {}
        self.settings = BuildSettings()
        self.register_config: RegisterConfig | None = None
        self.state: BuildState | None = None  # this build's products, from on_files on
        self._handed: BuildState | None = None  # prepared by `procure build` before MkDocs ran
        self._update_date = ""
        self._export_dir: Path | None = None
        self._nav: Navigation | None = None
        self._files: Files | None = None

    # MkDocs validates a plugin's options against a schema; ours are validated by config_from_mapping instead
    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[list, list]:
        self.options = dict(options)
        return [], []

    def register_config_of(self, config: MkDocsConfig) -> RegisterConfig:
        """The register's settings from mkdocs.yml (the plugin's options and the site's name and addresses)."""
        root = Path(config.config_file_path or ".").resolve().parent
        top = {"site_name": config.site_name, "site_url": config.site_url, "repo_url": config.repo_url,
               "edit_uri": config.edit_uri}
        return config_from_mapping(root, top, self.options)

    def use(self, state: BuildState) -> None:
        """Build from stages `procure build` already ran (instead of running them again in ``on_files``)."""
        self._handed = state
        self.settings = state.settings

    # ---------------------------------------------------------------------------------------------- events
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.register_config = self.register_config_of(config)
        except SiteBuilderError as exc:
            raise PluginError(exc.format_message()) from None
        # MkDocs dates pages (its sitemap's <lastmod>, the sitemap.xml.gz header) with the build time: use the
        # register's source date (SOURCE_DATE_EPOCH or the last commit) so that two builds are byte-identical
        self._update_date = source_date(self.register_config.root).strftime("%Y-%m-%d")
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
        assert self.register_config is not None
        leaks = unsafe_links(files, Path(config.docs_dir), self.register_config.root)
        if leaks:
            raise Abort("\n".join(leaks))
        state, self._handed = self._handed, None
        if state is None:  # `mkdocs build` / `mkdocs serve`: run the stages here, exporting beside the site
            site_dir = Path(config.site_dir)
            self._export_dir = site_dir.parent / f".{site_dir.name}.export-{os.getpid()}"
            shutil.rmtree(self._export_dir, ignore_errors=True)
            try:
                state = prepare(self.register_config, self.settings, self._export_dir)
            except InvalidRegisterError as exc:
                lines = "\n".join(p.format() for p in exc.problems)
                raise Abort(f"{lines}\n{exc.format_message()}") from None
        self.state = state
        for uri in state.pages:
            existing = files.get_file_from_path(uri)
            if existing is not None:  # a generated page wins over a hand-written stub at the same URL
                files.remove(existing)
            files.append(File.generated(config, uri, content=_PLACEHOLDER))
        self._files = files
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_pre_page(self, page: MkPage, config: MkDocsConfig, files: Files) -> MkPage:
        page.update_date = self._update_date
        return page

    def on_page_markdown(self, markdown: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.state.pages.get(page.file.src_uri) if self.state else None
        if generated is not None:
            if not generated.nav_title:  # pages in the nav keep the title mkdocs.yml gives them
                page.title = generated.title
            if generated.description:
                page.meta["description"] = generated.description
            return ""
        return markdown

    def on_page_content(self, html_text: str, page: MkPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.state.pages.get(page.file.src_uri) if self.state else None
        if generated is not None:
            page.meta["procure_generated"] = True
            return self.page_html(generated)
        return html_text

    def on_post_build(self, config: MkDocsConfig) -> None:
        assert self.state is not None and self._files is not None
        try:
            finish(self.state, Path(config.site_dir), [f.url for f in self._files.documentation_pages()],
                   lambda state, site_dir, pages, indexer: self.write_record_pages(config, state, site_dir, pages,
                                                                                   indexer),
                   self.page_html)
        finally:
            self._remove_export_dir()

    def on_build_error(self, error: Exception) -> None:
        self._remove_export_dir()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self.register_config is not None:
            server.watch(str(self.register_config.records_dir))
            server.watch(str(self.register_config.schemas_dir))
        if hasattr(server, "set_app") and hasattr(server, "serve_request"):
            server.set_app(with_safe_headers(server.serve_request))
        return server

    def _remove_export_dir(self) -> None:
        if self._export_dir is not None:
            shutil.rmtree(self._export_dir, ignore_errors=True)
            self._export_dir = None

    def page_html(self, page: Page) -> str:
        return page_content_html(page, self.state.bundle_of.get(page.url) if self.state else None)

    # ---------------------------------------------------------------------------------------------- record pages
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

    def write_record_pages(self, config: MkDocsConfig, state: BuildState, site_dir: Path, pages: Iterable[Page],
                           indexer: SearchIndexer | None = None) -> int:
        """Pour each record page into its folder's shell and write it; hand its searchable part to ``indexer``.
        The shells are made once per build (``procure serve`` writes edited records' pages into the same ones)."""
        if not state.record_shells:
            theme_env = config.theme.get_env()  # one environment: compiling Material's templates is the slow part
            state.record_shells = {folder: self.record_shell(config, folder, theme_env) for folder in RECORD_FOLDERS}
        shells = state.record_shells
        total = sum(state.counts.get(t, 0) for t in RECORD_FOLDERS.values())
        written = 0
        root = str(site_dir)
        for page in pages:
            folder, record_id = page.url.strip("/").split("/", 1)
            content = self.page_html(page)
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
                state.report("record pages", written, total)
        return written
