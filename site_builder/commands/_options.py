"""Option stacks shared by several commands (sqlite-utils style decorators)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def root_option(fn: F) -> F:
    return click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True,
        help="The register's folder (holding mkdocs.yml, records/ and schemas/).",
    )(fn)
