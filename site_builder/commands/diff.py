"""`procure diff BASE [HEAD]`: what changes in the register between two git revisions, in plain language."""

from __future__ import annotations

from pathlib import Path

import click

from site_builder.commands._options import root_option
from site_builder.config import load_config
from site_builder.history.report import REPORTER_BY_NAME


@click.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTER_BY_NAME)), default="text",
              show_default=True, help="text for people, markdown for a pull-request comment, json for tools.")
@click.option("--no-figures", is_flag=True, help="Skip comparing computed figures (commitment statuses, indicators).")
@root_option
def command(base: str, head: str | None, output_format: str, no_figures: bool, root: Path) -> None:
    """Summarise what changes in the register from BASE to HEAD (git revisions: a branch, tag or commit).

    Without HEAD, compares BASE with the records as they are on disk now, uncommitted edits included.
    Records added, removed, renamed and changed are listed field by field, then the computed figures that move.
    """
    from site_builder.history.diff import diff_snapshots
    from site_builder.history.git import tree_snapshot, working_snapshot

    config = load_config(root)
    folder = config.records_dir.relative_to(config.root).as_posix() if config.records_dir.is_relative_to(
        config.root) else "records"
    before = tree_snapshot(config.root, base, folder)
    after = tree_snapshot(config.root, head, folder) if head else working_snapshot(config.root, config.records_dir)
    diff = diff_snapshots(before, after, config, base_name=base, head_name=head or "the working tree",
                          figures=not no_figures)
    click.echo(REPORTER_BY_NAME[output_format](diff))
