"""`procure export`: validate the register and write the open-data downloads into a folder."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import click

from site_builder.commands._options import root_option


def _looks_like_export(folder: Path) -> bool:
    """Only a folder that is empty or holds a previous export may be replaced (never a repository by mistake)."""
    return not folder.exists() or not any(folder.iterdir()) or (folder / "SHA256SUMS").is_file()


@click.command("export")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write the downloads into (replaced as a whole when the export succeeds).")
@root_option
def command(out_dir: Path, root: Path) -> None:
    """Write the open data (YAML, JSON, CSV, SQLite, OCDS, feeds) into OUT."""
    from site_builder.config import load_config
    from site_builder.errors import SiteBuilderError
    from site_builder.model import build_model
    from site_builder.pipeline import export_register
    from site_builder.validate import validate_register

    config = load_config(root)
    result = validate_register(config, keep_data=True)
    if not result.ok:
        for problem in result.problems:
            click.echo(problem.format(), err=True)
        click.echo(f"Not exported: {sum(1 for p in result.problems if p.severity.value == 'error')} error(s)", err=True)
        sys.exit(1)
    out_dir = out_dir if out_dir.is_absolute() else Path.cwd() / out_dir
    if not _looks_like_export(out_dir):
        raise SiteBuilderError(f"{out_dir} is not empty and holds no previous export (no SHA256SUMS): "
                               "choose an empty or new folder")
    reg = build_model(result.files, config)
    del result
    # Write beside the target, then swap, so a failure never leaves a half-written folder behind.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        exported = export_register(reg, staging / "data")
        old = out_dir.with_name(f".{out_dir.name}.old")
        if out_dir.exists():
            out_dir.rename(old)
        (staging / "data").rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    click.echo(f"Exported {len(exported.files):,} files ({exported.total_bytes:,} bytes) into {out_dir}")
