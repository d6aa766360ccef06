"""`procure serve`: preview the site locally, rebuilding when records, schemas or docs change."""

from __future__ import annotations

from pathlib import Path

import click

from site_builder.commands._options import root_option


@click.command("serve")
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def command(root: Path, dev_addr: str) -> None:
    """Serve the site on a local address (MkDocs' live-reloading server, with the procure plugin)."""
    from mkdocs.commands.serve import serve

    config_file = (root / "mkdocs.yml").resolve()
    if not config_file.exists():
        raise click.ClickException(f"{config_file}: not found (is --root the register's folder?)")
    serve(config_file=str(config_file), dev_addr=dev_addr)
