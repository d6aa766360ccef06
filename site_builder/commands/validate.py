"""`procure validate [PATHS...]`: check records against the schemas and the cross-record rules."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from site_builder.commands._options import root_option
from site_builder.config import load_config
from site_builder.report import REPORTER_BY_NAME


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTER_BY_NAME)), default="text",
              show_default=True, help="text for people, json for tools, github for pull-request annotations.")
@click.option("--no-cache", is_flag=True,
              help="Re-check every file instead of using the signed cache in ~/.cache/procure/ (never the checkout).")
@click.option("--schemas", "schemas_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Check against these schemas instead of the register's own (CI passes the base branch's, so a "
                   "pull request cannot loosen the rules it is checked by).")
@root_option
def command(paths: tuple[Path, ...], output_format: str, no_cache: bool, schemas_dir: Path | None, root: Path) -> None:
    """Check records against the schemas and the cross-record rules.

    PATHS limit the report to those files or folders; the rules still read the whole register.
    Exit status: 0 when valid, 1 when there are problems, 2 for a usage error.
    """
    from site_builder.validate import validate_register

    config = load_config(root, overrides={"schemas_dir": str(schemas_dir.resolve())} if schemas_dir else None)
    try:
        result = validate_register(config, list(paths) or None, use_cache=not no_cache)
    except click.ClickException:
        raise
    except Exception as exc:  # never show a traceback to an officer; say what happened and how to report it
        raise click.ClickException(f"validation stopped unexpectedly ({type(exc).__name__}: {exc}); "
                                   "please report this with the file that caused it") from None
    click.echo(REPORTER_BY_NAME[output_format](result.problems, len(result.files)))
    sys.exit(0 if result.ok else 1)
