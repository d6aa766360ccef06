"""`procure validate` (placeholder until the validator work lands)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_builder.commands._options import root_option
from site_builder.config import load_config


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
def command(paths: tuple[Path, ...], root: Path) -> None:
    """Check records against the schemas and the cross-record rules."""
    from site_builder.validate import validate_register

    config = load_config(root)
    result = validate_register(config, list(paths) or None)
    for problem in result.problems:
        click.echo(problem.format())
    click.echo(f"{len(result.files)} files checked, {len(result.problems)} problem(s)")
    sys.exit(0 if result.ok else 1)
