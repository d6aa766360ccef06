"""`procure serve`: a preview server for people editing records.

* The first build is the full pipeline (``build_site``, search included) into ``.cache/procure/serve/site``; its
  progress goes to a callback (the CLI prints it).
* Every HTML page it serves gets one extra ``<script src="/__procure__/live.js">``: a file from this site's own
  origin, so the site's Content-Security-Policy (``script-src 'self'; connect-src 'self'``) allows it, unlike
  MkDocs' inline reload script. It polls ``/__procure__/status``, reloads the page when the site changed, and shows
  the validator's messages over the page while the register is invalid.
* Files are watched with watchdog (MkDocs' own dependency). When records are only edited (no file added, removed or
  renamed, and no reference to another record changed), only what the edit touches is rebuilt: the register is
  validated again (the validation cache re-reads only the edited files), the edited records replace their old
  versions in the model, and their pages and the pages of the records they point at or that point at them are
  rendered again. Lists, section pages, totals and statuses computed across records, the search index and the
  downloads stay as they were at the last full build. Any other change (docs, schemas, mkdocs.yml, a record added
  or removed, a changed reference) runs the full build again.

Nothing here prints: messages go to ``log`` and ``progress``.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from site_builder.build import Progress, build_site
from site_builder.config import RegisterConfig, load_config
from site_builder.errors import BuildError, ConfigError, InvalidRegisterError, Problem, Severity
from site_builder.load import RECORD_FOLDERS, YamlProblem, parse_yaml
from site_builder.model import Commitment, Record, Registry, thaw
from site_builder.pipeline import BuildState, rewrite_record_pages
from site_builder.plugin import DOWNLOAD_TYPES
from site_builder.validate import CacheMemo, validate_register

LIVE_PREFIX = "/__procure__/"
LIVE_SCRIPT = Path(__file__).parent / "render" / "live.js"
#: at most this many pages of related records are rendered again after one edit (an organisation may have
#: thousands of awards); the rest wait for the next full build
MAX_RELATED_PAGES = 200
_QUIET_SECONDS = 0.15  # wait until the editor has finished writing (several events per save)

#: fields whose change moves a record between others: the model's relations must be rebuilt, so a full build runs
RELATION_FIELDS = {
    "award": ("id", "tender", "buyer", "suppliers"),
    "tender": ("id", "buyer"),
    "outcome": ("id", "award", "commitment", "supersedes", "reported_by"),
    "organisation": ("id", "roles"),
    "measure": ("id", "scheme", "code"),
}


class LiveState:
    """What the browser asks for: a version that changes when the site does, and the register's problems."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = 0
        self.state = "building"  # "building", "ok" or "error"
        self.problems: list[str] = []
        self.message = "The first build is running."

    def set(self, state: str, message: str, problems: Iterable[str] = (), *, changed: bool = False) -> None:
        with self.lock:
            self.state, self.message, self.problems = state, message, list(problems)
            if changed:
                self.version += 1

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "state": self.state, "message": self.message,
                               "problems": self.problems[:200], "more": max(0, len(self.problems) - 200)}).encode()


def relations_of(record_type: str, data: Mapping[str, Any]) -> Any:
    """The parts of a record the model's relations depend on (commitment ids and measures included)."""
    parts: list[Any] = [data.get(name) for name in RELATION_FIELDS.get(record_type, ("id",))]
    if record_type == "award":
        parts.append([(c.get("id"), c.get("measure")) for c in data.get("commitments") or [] if isinstance(c, Mapping)])
    return parts


def related_records(reg: Registry, record: Record) -> list[Record]:
    """The records whose pages show something of ``record``: what it points at, and what points at it."""
    found: list[Record | None] = []
    if record.type == "award":
        found += [reg.tender_of(record), reg.organisations.get(record.buyer_id or "")]
        found += [reg.organisations.get(s) for s in record.supplier_ids]
        for commitment in record.get("commitments") or ():
            found += reg.outcomes_by_commitment.get((record.id, commitment.get("id")), [])
    elif record.type == "tender":
        found += [reg.organisations.get(record.buyer_id or ""), *reg.awards_by_tender.get(record.id, [])]
    elif record.type == "outcome":
        found += [reg.awards.get(record.get("award")), reg.organisations.get(record.get("reported_by"))]
    elif record.type == "organisation":
        found += [*reg.awards_by_buyer.get(record.id, []), *reg.awards_by_supplier.get(record.id, []),
                  *reg.tenders_by_buyer.get(record.id, [])]
    elif record.type == "measure":
        found += [c.award for c in reg.commitments_by_measure.get(record.id, [])]
    unique = {(r.type, r.id): r for r in found if r is not None and r is not record}
    return list(unique.values())


def patch_registry(reg: Registry, new: Record) -> None:
    """Put a new version of a record in place of the old one, wherever the model holds it. Its relations to other
    records must be unchanged (see :data:`RELATION_FIELDS`)."""
    old = reg.by_type[new.type][new.id]
    reg.by_type[new.type][new.id] = new
    for mapping in (reg.awards_by_tender, reg.awards_by_buyer, reg.awards_by_supplier, reg.tenders_by_buyer,
                    reg.outcomes_by_commitment):
        for records in mapping.values():
            for index, record in enumerate(records):
                if record is old:
                    records[index] = new
    if new.type == "measure":
        for key, measure in list(reg.measure_by_code.items()):
            if measure is old:
                reg.measure_by_code[key] = new
    if new.type == "award":
        by_id = {str(c.get("id")): c for c in new.get("commitments") or ()}
        replaced: dict[int, Commitment] = {}
        for index, commitment in enumerate(reg.commitments):
            if commitment.award is old:
                fresh = Commitment(new, by_id[commitment.id])
                replaced[id(commitment)] = fresh
                reg.commitments[index] = fresh
                reg.commitment_by_key[fresh.key] = fresh
        for commitments in reg.commitments_by_measure.values():
            for index, commitment in enumerate(commitments):
                if id(commitment) in replaced:
                    commitments[index] = replaced[id(commitment)]


class DevServer:
    """Serve a register's site on ``host:port``, rebuilding as its files change. ``run()`` blocks."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, *,
                 log: Callable[[str], None] = lambda _message: None, progress: Progress | None = None):
        self.root = root.resolve()
        self.config: RegisterConfig = load_config(self.root)
        self.log = log
        self.progress = progress
        self.live = LiveState()
        # under .cache/ (kept out of git), not a temporary folder: removing a 10,000-page site takes a minute, and
        # stopping the server should not; the next start replaces it
        self.site_dir = self.root / ".cache" / "procure" / "serve" / "site"
        self.state: BuildState | None = None  # the last full build's products: model, page shells, templates
        self.validation_memo = CacheMemo()  # the validation cache, kept in memory between quick updates
        self.changed: set[str] = set()
        self.pending: set[str] = set()  # changes not shown yet (the register was invalid when they were saved)
        self.changed_lock = threading.Lock()
        self.wake = threading.Event()
        self.stopping = threading.Event()
        handler = partial(_Handler, self)
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        bound_host, bound_port = self.httpd.server_address[:2]
        shown = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
        self.url = f"http://{shown}:{bound_port}/"

    # ------------------------------------------------------------------------------------------------ running
    def run(self) -> None:
        server = threading.Thread(target=self.httpd.serve_forever, name="procure-serve-http", daemon=True)
        server.start()
        observer = Observer()
        handler = _Watcher(self)
        for folder in (self.config.records_dir, self.config.schemas_dir, self.root / "docs"):
            if folder.is_dir():
                observer.schedule(handler, str(folder), recursive=True)
        observer.schedule(handler, str(self.root), recursive=False)  # mkdocs.yml
        observer.start()
        try:
            self.full_build()
            while not self.stopping.is_set():
                self.wake.wait(timeout=1.0)
                if not self.wake.is_set():
                    continue
                time.sleep(_QUIET_SECONDS)
                self.wake.clear()
                with self.changed_lock:
                    paths, self.changed = self.changed, set()
                if paths:
                    self.apply(paths)
        finally:
            observer.stop()
            self.httpd.shutdown()
            self.httpd.server_close()
            observer.join(timeout=5)

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    def notice(self, path: str) -> None:
        """A watched file changed (called from watchdog's thread)."""
        relevant = path.endswith((".yaml", ".yml", ".json", ".md", ".html", ".css", ".js", ".svg", ".png"))
        if relevant and not os.path.basename(path).startswith("."):
            with self.changed_lock:
                self.changed.add(path)
            self.wake.set()

    # ------------------------------------------------------------------------------------------------ builds
    def full_build(self) -> bool:
        self.live.set("building", "Building the whole site.")
        self.log("building the site ...")
        started = time.perf_counter()
        try:
            self.config = load_config(self.root)
            result = build_site(self.root, self.site_dir, progress=self.progress)
        except InvalidRegisterError as exc:
            self._invalid(exc.problems)
            return False
        except (BuildError, ConfigError) as exc:
            self.live.set("error", exc.format_message())
            self.log(f"error: {exc.format_message()}")
            return False
        self.state = result.state
        for warning in result.warnings:
            self.log(warning.format())
        records = sum(v for k, v in result.counts.items() if k in RECORD_FOLDERS.values())
        self.live.set("ok", "", changed=True)
        self.log(f"built {records:,} records into {result.counts.get('record pages', 0):,} record pages and "
                 f"{result.counts.get('site pages', 0):,} other pages in {time.perf_counter() - started:.1f} s; "
                 f"serving on {self.url}")
        return True

    def _invalid(self, problems: list[Problem]) -> None:
        lines = [p.format() for p in problems if p.severity is Severity.ERROR]
        errors = len(lines)
        lines += [p.format() for p in problems if p.severity is not Severity.ERROR]
        counted = f"{errors} error{'' if errors == 1 else 's'}"
        self.live.set("error", f"The register has {counted}, so the site was not updated.", lines)
        for line in lines:
            self.log(line)
        self.log(f"{counted}: the site was not updated; fix the file and save it again")

    def apply(self, paths: set[str]) -> None:
        """Rebuild what the changed files touch: only their pages when that is enough, else everything.

        Changes that could not be shown (the register was invalid, or the build failed) are kept and applied with
        the next ones, so an edit saved while another file was broken is not lost."""
        paths = paths | self.pending
        shown = self._quick_update(paths)
        if shown is None:
            shown = self.full_build()
        self.pending = set() if shown else paths

    def _quick_update(self, paths: set[str]) -> bool | None:
        """Update edited records in place: True when shown, False when the register is invalid, None when a full
        build is needed instead."""
        state = self.state
        if state is None or self.live.state == "building":
            return None
        reg: Registry = state.reg
        by_path = {record.rel_path: record for record in reg.all_records()}
        records_dir = self.config.records_dir
        edited: list[tuple[Record, bytes]] = []
        for path in sorted(paths):
            absolute = Path(path)
            if absolute.parent.parent != records_dir or not path.endswith(".yaml"):
                return None  # docs, schemas, mkdocs.yml, a file outside the record folders
            rel = absolute.relative_to(self.root).as_posix()
            if rel not in by_path or not absolute.is_file():
                return None  # added, removed or renamed
            with contextlib.suppress(OSError):
                edited.append((by_path[rel], absolute.read_bytes()))
        started = time.perf_counter()
        result = validate_register(self.config, memo=self.validation_memo)
        if not result.ok:
            self._invalid(result.problems)
            return False
        fresh: list[Record] = []
        for old, source in edited:
            try:
                data, _ = parse_yaml(source)
            except YamlProblem:
                return None  # changed again since it was validated
            if not isinstance(data, dict) or relations_of(old.type, data) != relations_of(old.type, thaw(old.data)):
                return None
            if source == old.source:
                continue
            fresh.append(old.with_data(data, source))
        for record in fresh:
            patch_registry(reg, record)
        related: dict[tuple[str, str], Record] = {}
        for record in fresh:
            for other in related_records(reg, record):
                related.setdefault((other.type, other.id), other)
        for record in fresh:
            related.pop((record.type, record.id), None)
        pages = fresh + list(related.values())[:MAX_RELATED_PAGES]
        written = rewrite_record_pages(state, self.site_dir, pages)
        for warning in result.problems:
            self.log(warning.format())
        names = ", ".join(f"{record.folder}/{record.id}/" for record in fresh) or "nothing (no content changed)"
        skipped = max(0, len(related) - MAX_RELATED_PAGES)
        self.log(f"updated {names} and {written - len(fresh)} related page(s) in {time.perf_counter() - started:.2f} s"
                 + (f" ({skipped} more related pages wait for the next full build)" if skipped else "")
                 + "; lists, totals, search and downloads are as of the last full build")
        self.live.set("ok", "", changed=True)
        return True


class _Watcher(FileSystemEventHandler):
    """watchdog event handler: every created, modified, moved or deleted file is noted."""

    def __init__(self, server: DevServer):
        super().__init__()
        self.server = server

    def dispatch(self, event: Any) -> None:
        if getattr(event, "is_directory", False) or event.event_type in ("opened", "closed_no_write"):
            return
        for attribute in ("src_path", "dest_path"):
            path = getattr(event, attribute, "")
            if path:
                self.server.notice(os.fsdecode(path))


_WAITING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; connect-src 'self'">
</head><body data-procure-waiting><main><h1>{title}</h1><p>{message}</p>{problems}</main>
<script src="{prefix}live.js"></script></body></html>
"""


class _Handler(SimpleHTTPRequestHandler):
    """The built site, with the live-reload script added to each HTML page, plus the status and the script."""

    def __init__(self, server_state: DevServer, *args: Any, **kwargs: Any):
        self.dev = server_state
        super().__init__(*args, directory=str(server_state.site_dir), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # requests are not worth a line each
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a preview must never show a stale page
        self.send_header("X-Content-Type-Options", "nosniff")  # a raw download is never taken for a script
        super().end_headers()

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """The downloads' own content types (a raw YAML record is never served as something a browser runs)."""
        suffix = os.path.splitext(os.fspath(path))[1].lower()
        return DOWNLOAD_TYPES.get(suffix) or super().guess_type(path)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == f"{LIVE_PREFIX}live.js":
            self._send(200, LIVE_SCRIPT.read_bytes(), "text/javascript; charset=utf-8")
            return
        if path == f"{LIVE_PREFIX}status":
            self._send(200, self.dev.live.as_json(), "application/json")
            return
        if not (self.dev.site_dir / "index.html").is_file():
            self._waiting()
            return
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            if not path.endswith("/"):
                super().do_GET()  # the standard redirect to the folder's address with a slash
                return
            local = local / "index.html"
        if local.suffix == ".html":
            status = 200
            if not local.is_file():
                status, local = 404, self.dev.site_dir / "404.html"
            try:
                text = local.read_text("utf-8")
            except OSError:
                self._send(404, b"not found", "text/plain; charset=utf-8")
                return
            tag = f'<script src="{LIVE_PREFIX}live.js"></script>'
            text = text.replace("</body>", f"{tag}</body>", 1) if "</body>" in text else text + tag
            self._send(status, text.encode("utf-8"), "text/html; charset=utf-8")
            return
        super().do_GET()

    def _waiting(self) -> None:
        live = self.dev.live
        with live.lock:
            state, message, problems = live.state, live.message, list(live.problems)
        title = "The register has problems" if state == "error" else "Building the site"
        listed = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
        body = _WAITING_PAGE.format(title=title, message=html.escape(message), prefix=LIVE_PREFIX,
                                    problems=f"<ul>{listed}</ul>" if listed else "")
        # 503: there is no site yet; the page says why, and its script reloads it once there is one
        self._send(503, body.encode("utf-8"), "text/html; charset=utf-8")
