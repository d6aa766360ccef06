"""`procure import-ocds FILE...`: bring published OCDS data (Contracts Finder, Find a Tender...) into the register."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_builder.commands._options import root_option
from site_builder.config import load_config


@click.command("import-ocds")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
@click.option("--dry-run", is_flag=True, help="Report what would be created or updated; write nothing.")
@click.option("--verbose", "-v", is_flag=True, help="List every value left out, record by record.")
def command(files: tuple[Path, ...], root: Path, dry_run: bool, verbose: bool) -> None:
    """Import OCDS release packages, record packages, records, releases or JSON Lines.

    Releases of the same process (ocid) are merged in date order, also across FILES, so pass every file of a
    process in one run. Running it again with the same data changes nothing; newer releases update the records.
    """
    from site_builder.import_ocds import import_ocds

    config = load_config(root)
    report = import_ocds(config, list(files), dry_run=dry_run)
    for line in report.lines(verbose=verbose):
        click.echo(line)
    if dry_run:
        click.echo("Dry run: nothing was written.")
    # a file that could not be read at all is a failure; data-quality faults inside readable files are not
    unreadable = {p.source.split(":")[0].split(" ")[0] for p in report.problems}
    sys.exit(1 if unreadable and unreadable >= {f.name for f in files} else 0)
