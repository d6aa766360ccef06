"""`procure serve`: preview the site locally; pages reload after an edit and show the register's problems."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import click

from site_builder.commands._options import root_option
from site_builder.commands.build import ProgressLine, interactive


class ProgressLog:
    """Build progress as plain lines (for a log or a terminal without cursor control): each stage once, counts at
    most every two seconds."""

    def __init__(self) -> None:
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage == self.stage and now - self.last < 2 and done != total:
            return
        self.stage, self.last = stage, now
        count = f" {done:,}/{total:,}" if total else ""
        click.echo(f"  {stage}{count}", err=True)


@click.command("serve")
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def command(root: Path, dev_addr: str) -> None:
    """Preview the site on a local address while you edit records.

    Prints the address, then the first build's progress. After you save a record, its page (and the pages of the
    records it links to) are rebuilt and open pages reload; while the register has problems, open pages show them.
    """
    from site_builder.serve import DevServer

    host, _, port_text = dev_addr.rpartition(":")
    if not host or not port_text.isdigit():
        raise click.BadParameter(f"'{dev_addr}' is not HOST:PORT, e.g. 127.0.0.1:8000", param_hint="--dev-addr")
    config_file = (root / "mkdocs.yml").resolve()
    if not config_file.exists():
        raise click.ClickException(f"{config_file}: not found (is --root the register's folder?)")
    progress = ProgressLine() if interactive() else ProgressLog()

    def log(message: str) -> None:
        if isinstance(progress, ProgressLine):
            progress.finish()
        click.echo(message, err=True)

    try:
        server = DevServer(root, host, int(port_text), log=log, progress=progress)
    except OSError as exc:
        raise click.ClickException(f"cannot serve on {dev_addr}: {exc.strerror or exc}") from None
    click.echo(f"Serving the register at {server.url} (press Ctrl+C to stop)", err=True)

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # so `kill` stops the watcher and the server as Ctrl+C does

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        server.stop()
        click.echo("stopped", err=True)
