"""`procure build`: validate, render, export and index the register into site/ (atomically)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import click

from site_builder.commands._options import root_option


class ProgressLine:
    """One self-overwriting line on a terminal: stage, records done of total, elapsed time."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.last < 0.2 and done != total:
            return
        self.last = now
        count = f" {done:,}/{total:,}" if total else ""
        click.echo(f"\r\x1b[K{stage}{count}  ({now - self.started:.0f} s)", nl=False, err=True)

    def finish(self) -> None:
        click.echo("\r\x1b[K", nl=False, err=True)


def interactive() -> bool:
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


@click.command("build")
@root_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default="site", show_default=True,
              help="Where to write the site (relative to --root unless absolute).")
def command(root: Path, site_dir: Path) -> None:
    """Build the public website, open data and search index into SITE_DIR."""
    from site_builder.build import build_site
    from site_builder.errors import InvalidRegisterError

    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # MkDocs' "Building..." chatter is not ours to print
    progress = ProgressLine() if interactive() else None
    try:
        result = build_site(root, site_dir, progress=progress)
    except InvalidRegisterError as exc:
        if progress:
            progress.finish()
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        raise
    finally:
        if progress:
            progress.finish()
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    counts = result.counts
    records = sum(v for k, v in counts.items() if k in ("organisation", "tender", "award", "outcome", "measure"))
    click.echo(f"Built {counts.get('record pages', 0):,} record pages ({records:,} records) and "
               f"{counts.get('site pages', 0):,} other pages into {result.site_dir} in {result.total_seconds:.1f} s")
    for stage, seconds in result.timings.items():
        if stage != "total":
            click.echo(f"  {stage:<32} {seconds:8.1f} s")
    if result.search_runs:  # Pagefind ran beside the rendering, so its time is not one of the stages above
        runs = result.search_runs
        click.echo(f"  Pagefind ran in the background: {len(runs)} bundles, {sum(r.seconds for r in runs):.1f} s "
                   f"in all, peak memory {max(r.peak_mb for r in runs):,.0f} MB "
                   f"({', '.join(f'{r.bundle} {r.pages:,} pages {r.seconds:.1f} s' for r in runs)})")
