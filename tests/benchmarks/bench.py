"""Benchmarks (not tests): wall time, records/s and peak memory of the pipeline's stages on a synthetic register.

    make bench N=10000                      # every stage
    python tests/benchmarks/bench.py --records 100000 --stage validate --runs 3

The register comes from ``generate.py`` and is kept in ``tests/benchmarks/out/register-<N>-<seed>/`` (gitignored),
so later runs reuse it. Each measurement runs ``procure`` as a separate process; its peak memory is the largest
resident set of that process or any worker it started (``wait4``'s ``ru_maxrss``). Figures are medians of
``--runs`` runs.

Adding a stage: write ``bench_<stage>(register: Path, runs: int) -> list[Row]`` and add it to ``STAGES``; ``Row`` is
one line of the report. ``measure(argv, register, before=...)`` does the timing.

The ``history`` stage builds a copy of the register kept in its own git repository (one commit adding every
record, then 1,000 commits each changing one award) with its history, and again with ``.git`` moved aside, so
the record-history pass's cost is the difference.

The ``serve`` stage starts ``procure serve`` on a copy of the register and times, ``--runs`` times, a change to
one award's value until its page (fetched over HTTP) shows the new value.

The ``build`` stage runs ``procure build`` into a fresh folder (deleting the previous site is not timed) and also
reports pages/s, the summed memory of the build and the Pagefind process it runs beside it (sampled from /proc
every 0.2 s), Pagefind's own peak, the largest record page and the site's size. ``--baseline-records N`` (default
1,000) renders the same records as plain Markdown pages through MkDocs + Material with its default navigation
and search, as a publisher would without this plugin, and prints the time per page of both as a ratio. The
``search`` stage serves the built site on 127.0.0.1 and runs a first search in headless Chromium (Playwright,
``/usr/bin/chromium``), summing the bytes of every response the search needed.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PROCURE = [sys.executable, "-m", "site_builder"]

sys.path.insert(0, str(HERE))
from generate import generate_register  # noqa: E402  (the generator lives next to this script)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit_code: int


@dataclass
class Row:
    stage: str
    variant: str
    records: int
    runs: list[Run]

    @property
    def median_seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def median_peak_mb(self) -> float:
        return statistics.median(r.peak_mb for r in self.runs)

    def format(self) -> str:
        rate = self.records / self.median_seconds if self.median_seconds else float("inf")
        spread = f"{min(r.seconds for r in self.runs):.2f}-{max(r.seconds for r in self.runs):.2f}"
        return (f"{self.stage:<9} {self.variant:<6} {self.records:>9,} {self.median_seconds:>9.2f} s  ({spread:>11} s) "
                f"{rate:>10,.0f} rec/s {self.median_peak_mb:>9,.0f} MB  runs={len(self.runs)}")


def measure(argv: list[str], register: Path, before: Callable[[], None] | None = None) -> Run:
    """Run one command in its own process; wall time and the peak RSS of it and its workers."""
    if before:
        before()
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=register, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        err = proc.stderr.read().decode(errors="replace")
        if proc.returncode not in (0,) and err:
            print(err, file=sys.stderr)
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode)


def register_for(n_records: int, seed: int) -> tuple[Path, int]:
    """The synthetic register of about n_records records (generated once, then reused) and its real file count."""
    folder = OUT / f"register-{n_records}-{seed}"
    done = folder / ".complete"
    if not done.exists():
        if folder.exists():
            shutil.rmtree(folder)
        start = time.perf_counter()
        generate_register(folder, n_records, seed)
        done.write_text("ok\n")
        print(f"generated {folder} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    count = sum(1 for _ in (folder / "records").rglob("*.yaml"))
    return folder, count


def bench_validate(register: Path, runs: int, records: int) -> list[Row]:
    cache = register / ".cache"

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    argv = [*PROCURE, "validate", "--root", str(register)]
    cold = Row("validate", "cold", records, [measure(argv, register, before=clear) for _ in range(runs)])
    measure(argv, register)  # make sure the cache is filled before the warm runs
    warm = Row("validate", "warm", records, [measure(argv, register) for _ in range(runs)])
    for row in (cold, warm):
        if any(r.exit_code != 0 for r in row.runs):
            print(f"warning: validate {row.variant} exited with {[r.exit_code for r in row.runs]}", file=sys.stderr)
    return [cold, warm]


def bench_export(register: Path, runs: int, records: int) -> list[Row]:
    """`procure export` (validate with a warm cache, model, every download) into a scratch folder."""
    target = OUT / f"export-{register.name}"

    def clear() -> None:
        shutil.rmtree(target, ignore_errors=True)

    argv = [*PROCURE, "export", "--root", str(register), "--out", str(target)]
    measure([*PROCURE, "validate", "--root", str(register)], register)  # warm the validation cache first
    row = Row("export", "cmd", records, [measure(argv, register, before=clear) for _ in range(runs)])
    if any(r.exit_code != 0 for r in row.runs):
        print(f"warning: export exited with {[r.exit_code for r in row.runs]}", file=sys.stderr)
    clear()
    return [row]


# --- build -------------------------------------------------------------------------------------------------------

RECORD_FOLDERS = ("organisations", "tenders", "awards", "outcomes", "measures")


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux), in KB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, ()))
        try:
            with open(f"/proc/{current}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
    return total


@dataclass
class BuildRun:
    seconds: float
    exit_code: int
    peak_mb: float  # the largest single process (ru_maxrss of the build or of a Pagefind it ran)
    peak_tree_mb: float  # the build and the Pagefind beside it together (sampled)
    output: str


def measure_build(argv: list[str], cwd: Path) -> BuildRun:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak_tree = 0
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read() if proc.stdout else b""))
    reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    reader.join()
    return BuildRun(seconds, os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, peak_tree / 1024,
                    b"".join(chunks).decode(errors="replace"))


@dataclass
class SiteFigures:
    largest_page: int  # bytes
    largest_url: str
    site_bytes: int
    site_files: int


def site_figures(site: Path) -> SiteFigures:
    """Largest record page, total size and file count of a built site."""
    largest, largest_url = 0, ""
    for folder in RECORD_FOLDERS:
        for page in (site / folder).glob("*/index.html"):
            size = page.stat().st_size
            if size > largest:
                largest, largest_url = size, page.parent.relative_to(site).as_posix() + "/"
    total = files = 0
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return SiteFigures(largest, largest_url, total, files)


def _pages_built(output: str) -> tuple[int, int]:
    import re

    match = re.search(r"Built ([\d,]+) record pages .* and ([\d,]+) other pages", output)
    if not match:
        return 0, 0
    return int(match.group(1).replace(",", "")), int(match.group(2).replace(",", ""))


def _pagefind_line(output: str) -> str:
    return next((line.strip() for line in output.splitlines() if "Pagefind ran" in line), "")


def build_once(register: Path, site: Path) -> BuildRun:
    shutil.rmtree(site, ignore_errors=True)  # a fresh site every run (deleting the old one is not timed)
    run = measure_build([*PROCURE, "build", "--root", str(register), "--site-dir", str(site)], register)
    if run.exit_code != 0:
        print(run.output[-3000:], file=sys.stderr)
    return run


def bench_build(register: Path, runs: int, records: int, baseline_records: int = 1000) -> list[Row]:
    site = OUT / f"site-{register.name}"
    measure([*PROCURE, "validate", "--root", str(register)], register)  # as in CI: the cache is warm after validate
    results = [build_once(register, site) for _ in range(runs)]
    ok = [r for r in results if r.exit_code == 0]
    if not ok:
        print(f"build failed on {register}", file=sys.stderr)
        return []
    seconds = statistics.median(r.seconds for r in ok)
    record_pages, other_pages = _pages_built(ok[-1].output)
    figures = site_figures(site)
    print(f"build of {records:,} records, {len(ok)} run(s): " + ", ".join(f"{r.seconds:.1f} s" for r in ok))
    print(f"  median {seconds:.1f} s, {records / seconds:,.0f} records/s, "
          f"{(record_pages + other_pages) / seconds:,.0f} pages/s ({record_pages:,} record pages, "
          f"{other_pages:,} other pages)")
    print(f"  peak memory: {max(r.peak_tree_mb for r in ok):,.0f} MB for the build and Pagefind together "
          f"(largest single process {max(r.peak_mb for r in ok):,.0f} MB)")
    print(f"  {_pagefind_line(ok[-1].output)}")
    print(f"  largest record page {figures.largest_page / 1024:,.1f} KB ({figures.largest_url}); "
          f"site {figures.site_bytes / 1e6:,.0f} MB in {figures.site_files:,} files")
    print("  stages (last run):")
    for line in ok[-1].output.splitlines():
        if line.startswith("  ") and line.rstrip().endswith(" s") and "Pagefind" not in line:
            print(f"  {line.rstrip()}")
    row = Row("build", "full", records, [Run(r.seconds, r.peak_tree_mb, r.exit_code) for r in results])
    if baseline_records:
        bench_baseline(baseline_records, seconds / max(1, record_pages + other_pages))
    return [row]


# --- baseline: the same records as plain MkDocs + Material pages ------------------------------------------------

def _markdown_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown_rows(data: object, prefix: str, rows: list[tuple[str, str]], sections: list[str]) -> None:
    """Every field of a record: scalars as table rows; lists of mappings as tables of their own."""
    if isinstance(data, dict):
        for key, value in data.items():
            _markdown_rows(value, f"{prefix}{key}" if not prefix else f"{prefix}.{key}", rows, sections)
    elif isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        for number, item in enumerate(data, start=1):
            item_rows: list[tuple[str, str]] = []
            _markdown_rows(item, "", item_rows, sections)
            sections.append(f"## {prefix} {number}\n\n| Field | Value |\n|---|---|\n"
                            + "".join(f"| {k} | {_markdown_cell(v)} |\n" for k, v in item_rows))
    elif isinstance(data, list):
        rows.append((prefix, ", ".join(str(v) for v in data)))
    else:
        rows.append((prefix, str(data)))


def write_baseline_project(register: Path, target: Path, nav: bool) -> int:
    """A plain MkDocs + Material project with one Markdown page per record (every field) and Material's search;
    ``nav``: MkDocs' default navigation listing every page, else a one-entry navigation (records left out)."""
    import yaml

    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    docs.mkdir(parents=True)
    count = 0
    for folder in RECORD_FOLDERS:
        (docs / folder).mkdir()
        for path in sorted((register / "records" / folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            rows: list[tuple[str, str]] = []
            sections: list[str] = []
            _markdown_rows(data, "", rows, sections)
            title = data.get("title") or data.get("name") or data.get("id")
            text = (f"# {title}\n\n| Field | Value |\n|---|---|\n"
                    + "".join(f"| {k} | {_markdown_cell(v)} |\n" for k, v in rows) + "\n" + "\n".join(sections))
            (docs / folder / f"{path.stem}.md").write_text(text, encoding="utf-8")
            count += 1
    (docs / "index.md").write_text("# Register\n\nEvery record, one page each.\n", encoding="utf-8")
    small_nav = "" if nav else "nav:\n  - Home: index.md\nvalidation:\n  nav:\n    omitted_files: ignore\n"
    (target / "mkdocs.yml").write_text(
        "site_name: Baseline register\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "markdown_extensions:\n  - tables\n" + small_nav, encoding="utf-8")
    return count


def bench_baseline(n_records: int, ours_seconds_per_page: float) -> None:
    """Plain MkDocs + Material on the same records, timed in this run, as time per page against ours."""
    register, count = register_for(n_records, 1)
    ours = build_once(register, OUT / f"site-{register.name}")
    ours_pages = sum(_pages_built(ours.output))
    print(f"baseline: the {count:,} records of the {n_records:,}-record register as plain Markdown pages (every "
          f"field in tables) through MkDocs + Material with Material's search, no plugin:")
    if ours.exit_code == 0 and ours_pages:
        ours_per_page = ours.seconds / ours_pages
        print(f"  procure build of the same register: {ours.seconds:.1f} s for {ours_pages:,} pages (including "
              f"Pagefind and the open-data export) = {1000 * ours_per_page:.1f} ms/page")
    else:
        ours_per_page = 0.0
    for nav in (True, False):
        project = OUT / f"baseline-mkdocs-{n_records}-{'nav' if nav else 'smallnav'}"
        pages = write_baseline_project(register, project, nav) + 1
        shutil.rmtree(project / "site", ignore_errors=True)
        plain = measure_build([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(project / "site")],
                              project)
        what = "default navigation (every page listed)" if nav else "records left out of the navigation"
        if plain.exit_code != 0:
            print(f"  {what}: mkdocs build failed: {plain.output[-1000:]}")
            continue
        plain_per_page = plain.seconds / pages
        largest = max(p.stat().st_size for p in (project / "site").rglob("index.html"))
        print(f"  {what}: {plain.seconds:.1f} s for {pages:,} pages = {1000 * plain_per_page:.1f} ms/page, "
              f"peak {plain.peak_mb:,.0f} MB, largest page {largest / 1024:,.0f} KB; per page "
              + (f"{plain_per_page / ours_per_page:.1f}x procure at the same size, " if ours_per_page else "")
              + f"{plain_per_page / ours_seconds_per_page:.1f}x procure at the benchmark's size")
        shutil.rmtree(project / "site", ignore_errors=True)


# --- search: what a first search transfers ------------------------------------------------------------------------

def first_search(site: Path, query: str, sort: str = "") -> tuple[int, int, int, int, str]:
    """Serve ``site`` on 127.0.0.1, open /search/ in a fresh headless Chromium, then search ``query`` (sorted by
    ``sort``, e.g. "value:desc", when given: the query is typed, then the sort chosen, which runs the search).

    Returns (bytes of the page load, bytes the search fetched, the same gzip-compressed where a host would compress,
    number of requests of the search, the status line the page shows)."""
    import gzip
    import http.server

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    responses: list[tuple[str, int, int]] = []

    def record(response: object) -> None:
        try:
            body = response.body()  # type: ignore[attr-defined]
        except Exception:  # a redirect or an aborted request has no body
            return
        kind = response.headers.get("content-type", "")  # type: ignore[attr-defined]
        squeezable = any(k in kind for k in ("text/", "javascript", "json", "css"))
        responses.append((response.url, len(body), len(gzip.compress(body, 6)) if squeezable else len(body)))  # type: ignore[attr-defined]

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"])
            page = browser.new_page()
            page.on("response", record)
            page.goto(base + "search/", wait_until="networkidle")
            page_bytes = sum(size for _, size, _ in responses)
            responses.clear()
            page.fill("#search-q", query)
            if sort:
                page.select_option("#search-sort", sort)
            else:
                page.press("#search-q", "Enter")
            # a locator, not a script: the site's Content-Security-Policy forbids evaluating strings
            page.locator("#search-status", has_text="result").wait_for(timeout=120_000)
            page.wait_for_load_state("networkidle")
            status = page.inner_text("#search-status")
            browser.close()
    finally:
        server.shutdown()
    kinds: dict[str, int] = {}
    for url, size, _ in responses:
        name = url.split("?")[0].rsplit("/", 2)
        kind = name[-2] if name[-2] in ("fragment", "index", "filter") else name[-1].split(".")[0] + "." + (
            name[-1].rsplit(".", 1)[-1])
        kinds[kind] = kinds.get(kind, 0) + size
    breakdown = ", ".join(f"{k} {v / 1024:,.1f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
    return (page_bytes, sum(size for _, size, _ in responses), sum(gz for _, _, gz in responses), len(responses),
            f"{status} [KB: {breakdown}]")


def bench_search(register: Path, runs: int, records: int) -> list[Row]:
    site = OUT / f"site-{register.name}"
    if not (site / "pagefind" / "bundles.json").exists():
        build_once(register, site)
    import yaml

    supplier = next(p for p in sorted((register / "records" / "organisations").glob("*.yaml"))
                    if "supplier" in (yaml.safe_load(p.read_text(encoding="utf-8")).get("roles") or []))
    name = yaml.safe_load(supplier.read_text(encoding="utf-8"))["name"]
    for query, sort in ((name, ""), ("cleaning", ""), (name, "value:desc"), ("cleaning", "date:desc")):
        try:
            page_bytes, search_bytes, search_gz, requests, status = first_search(site, query, sort)
        except Exception as exc:  # no browser here: say so rather than fail the other stages
            print(f"search: could not run headless Chromium ({exc})")
            return []
        print(f"first search for {query!r} (awards, the search page's default)"
              f"{f', sorted by {sort}' if sort else ''}: {status}")
        print(f"  the search fetched {search_bytes / 1024:,.1f} KB in {requests} requests "
              f"({search_gz / 1024:,.1f} KB where the host compresses text); "
              f"the search page itself {page_bytes / 1024:,.1f} KB before it")
    return []


# --- record history: the build with and without a git history to read -------------------------------------------

HISTORY_EDITS = 1000  # commits after the first, each changing one award's value (a year of pull requests or more)


def _git(cwd: Path, *args: str, stdin: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    subprocess.run(["git", *args], cwd=cwd, env=env, input=stdin, text=True, check=True, capture_output=True)


def history_register(register: Path) -> Path:
    """A copy of the register in its own git repository: one commit adding everything, then HISTORY_EDITS commits
    that each change one award's value (made once with `git fast-import`, then reused)."""
    import re

    folder = OUT / f"history-{register.name}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(register, folder, ignore=shutil.ignore_patterns(".cache", ".complete"))
    _git(folder, "init", "-q", "-b", "main")
    _git(folder, "add", "-A")
    _git(folder, "commit", "-q", "-m", "The register as first published", "--date", "2025-01-01T09:00:00")
    awards = sorted((folder / "records" / "awards").glob("*.yaml"))
    amount = re.compile(r"(\n  amount: )(\d+)")
    stream = []
    when = 1735722000  # 2025-01-01 09:00 UTC, then one edit an hour
    for n in range(HISTORY_EDITS):
        path = awards[(n * 7919) % len(awards)]
        text = path.read_text(encoding="utf-8")
        text = amount.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 1000}", text, count=1)
        path.write_text(text, encoding="utf-8")
        data = text.encode()
        message = f"Contract variation {n + 1}"
        when += 3600
        stream.append(f"commit refs/heads/main\ncommitter Bench <bench@example.org> {when} +0000\n"
                      f"data {len(message)}\n{message}\n" + ("from refs/heads/main^0\n" if n == 0 else "")
                      + f"M 100644 inline {path.relative_to(folder).as_posix()}\ndata {len(data)}\n")
        stream.append(text + "\n")
    _git(folder, "fast-import", "--quiet", stdin="".join(stream))
    _git(folder, "reset", "-q", "--hard", "main")
    (folder / ".complete").write_text("ok\n")
    return folder


def bench_history(register: Path, runs: int, records: int) -> list[Row]:
    """`procure build` of the same register with its git history (record history on every page) and without it
    (.git moved aside: pages say the history is not available). The difference is the history's cost."""
    folder = history_register(register)
    site = OUT / f"site-{folder.name}"
    measure([*PROCURE, "validate", "--root", str(folder)], folder)
    rows = []
    for variant in ("with", "without"):
        if variant == "without":
            (folder / ".git").rename(folder / ".git-aside")
        try:
            results = [build_once(folder, site) for _ in range(runs)]
        finally:
            if variant == "without":
                (folder / ".git-aside").rename(folder / ".git")
        stages = [line.split()[-2] for r in results for line in r.output.splitlines()
                  if line.strip().startswith("record history")]
        print(f"{variant} history ({HISTORY_EDITS + 1} commits): record history stage "
              f"{', '.join(f'{s} s' for s in stages) or '-'} in the {len(results)} builds")
        rows.append(Row("build", "hist" if variant == "with" else "nohist", records,
                        [Run(r.seconds, r.peak_tree_mb, r.exit_code) for r in results]))
    return rows


# --- procure serve: one edited record shown on its page ---------------------------------------------------------

def bench_serve(register: Path, runs: int, records: int) -> list[Row]:
    """`procure serve` on a copy of the register: after its first build, change one award's value ``runs`` times
    and time each save until the award's page, fetched over HTTP, shows the new value."""
    import re
    import socket
    import urllib.request

    folder = OUT / f"serve-{register.name}"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(register, folder, ignore=shutil.ignore_patterns(".complete"))
    award = sorted((folder / "records" / "awards").glob("*.yaml"))[len(records_of(folder, "awards")) // 2]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/awards/{award.stem}/"
    log_path = OUT / f"serve-{register.name}.log"
    results: list[Run] = []
    with log_path.open("wb") as log:
        proc = subprocess.Popen([*PROCURE, "serve", "--root", str(folder), "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            started = time.perf_counter()
            while b"built " not in log_path.read_bytes():
                if proc.poll() is not None or time.perf_counter() - started > 1800:
                    print(log_path.read_text("utf-8", "replace")[-3000:], file=sys.stderr)
                    return []
                time.sleep(0.5)
            print(f"serve: first build of {records:,} records took {time.perf_counter() - started:.1f} s")
            amount = re.compile(r"(\n  amount: )(\d+)")
            for _ in range(runs):
                text = award.read_text("utf-8")
                value = int(amount.search(text).group(2)) + 1  # type: ignore[union-attr]
                shown = f"£{value:,}"
                time.sleep(1.0)  # let the watcher settle between edits
                began = time.perf_counter()
                award.write_text(amount.sub(rf"\g<1>{value}", text, count=1), "utf-8")
                while True:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        if shown in response.read().decode("utf-8", "replace"):
                            break
                    if time.perf_counter() - began > 600:
                        print(f"serve: the page never showed {shown}", file=sys.stderr)
                        return []
                    time.sleep(0.05)
                results.append(Run(time.perf_counter() - began, 0.0, 0))
            print(f"serve: edit to page shown over HTTP: {'; '.join(f'{r.seconds:.2f} s' for r in results)}")
            lines = [line for line in log_path.read_text("utf-8").splitlines() if line.startswith("updated ")]
            print(f"serve: the server's own timings: {'; '.join(line.split(' in ')[1].split(';')[0] for line in lines)}")
        finally:
            os.killpg(proc.pid, 15)  # the process group this benchmark started for the server
            proc.wait(timeout=300)
    return [Row("serve", "edit", records, results)]


def records_of(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / "records" / kind).glob("*.yaml"))


STAGES: dict[str, Callable[[Path, int, int], list[Row]]] = {
    "validate": bench_validate,
    "export": bench_export,
    "build": bench_build,
    "search": bench_search,
    "history": bench_history,
    "serve": bench_serve,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000, help="size of the synthetic register")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is reported)")
    parser.add_argument("--stage", choices=[*STAGES, "all"], default="all")
    parser.add_argument("--baseline-records", type=int, default=1000,
                        help="size of the plain-MkDocs baseline the build is compared with (0: no baseline)")
    args = parser.parse_args(argv)
    STAGES["build"] = functools.partial(bench_build, baseline_records=args.baseline_records)
    register, count = register_for(args.records, args.seed)
    print(f"register: {register} ({count:,} record files); machine: {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':<9} {'run':<6} {'records':>9} {'median':>11}  {'(min-max)':>15} {'rate':>16} {'peak RSS':>12}")
    stages = list(STAGES) if args.stage == "all" else [args.stage]
    for stage in stages:
        for row in STAGES[stage](register, args.runs, count):
            print(row.format(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
