"""The `procure` command line. The only module that prints or chooses exit codes.

Each verb lives in ``site_builder/commands/<verb>.py`` (a click command named ``command``), kept small:
it parses options, calls one library function and reports. This module only assembles them.
"""

from __future__ import annotations

import click

from site_builder import __version__
from site_builder.commands import build, diff, export, import_ocds, new, serve, validate

#: the verbs, in the order `procure --help` lists them (click sorts them by name)
COMMAND_MODULES = (validate, build, serve, export, new, import_ocds, diff)


#: help text wraps at 78 columns (click's width on an 80-column terminal) on every terminal, so that the command
#: reference (docs/cli.md) is the same on every machine
@click.group(context_settings={"help_option_names": ["-h", "--help"], "terminal_width": 78})
@click.version_option(__version__, prog_name="procure")
def cli() -> None:
    """Open procurement register: validate records, build the site, export open data."""


for _module in COMMAND_MODULES:
    cli.add_command(_module.command)
