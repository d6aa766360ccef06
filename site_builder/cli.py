"""The `procure` command line. The only module that prints or chooses exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_builder import __version__
from site_builder.config import load_config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procure")
def cli() -> None:
    """Open procurement register: validate records, build the site, export open data."""


def root_option(fn):  # type: ignore[no-untyped-def]
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
                        help="The register's folder (holding mkdocs.yml, records/ and schemas/).")(fn)


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
def validate_command(paths: tuple[Path, ...], root: Path) -> None:
    """Check records against the schemas and the cross-record rules."""
    from site_builder.validate import validate_register

    config = load_config(root)
    result = validate_register(config, list(paths) or None)
    for problem in result.problems:
        click.echo(problem.format())
    click.echo(f"{len(result.files)} files checked, {len(result.problems)} problem(s)")
    sys.exit(0 if result.ok else 1)
