"""The `procure` command line. The only module that prints or chooses exit codes.

Each verb lives in ``site_builder/commands/<verb>.py`` (a click command named ``command``), kept small:
it parses options, calls one library function and reports. This module only assembles them.
"""

from __future__ import annotations

import importlib

import click

from site_builder import __version__

#: verb → module under site_builder.commands; a module that does not exist yet is skipped
COMMAND_MODULES = ("validate", "build", "serve", "export", "new", "import_ocds", "diff")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="procure")
def cli() -> None:
    """Open procurement register: validate records, build the site, export open data."""


for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(f"site_builder.commands.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"site_builder.commands.{_name}":
            raise
        continue
    cli.add_command(_module.command)
