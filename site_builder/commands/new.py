"""`procure new TYPE`: write a commented, schema-valid skeleton record with the next free id."""

from __future__ import annotations

from pathlib import Path

import click

from site_builder.commands._options import root_option
from site_builder.config import load_config
from site_builder.new import SKELETON_KINDS


@click.command("new")
@click.argument("record_type", metavar="TYPE", type=click.Choice(SKELETON_KINDS))
@root_option
def command(record_type: str, root: Path) -> None:
    """Start a new record: TYPE is tender, award, direct-award, outcome, organisation or measure.

    Writes records/<folder>/<next id>.yaml with every field explained, and prints its path.
    """
    from site_builder.new import new_record

    config = load_config(root)
    path = new_record(config, record_type)
    try:
        shown = path.relative_to(Path.cwd())
    except ValueError:
        shown = path
    click.echo(str(shown))
