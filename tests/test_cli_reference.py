"""The command reference (docs/cli.md) is generated from the click commands by mkdocs-click when the site is
built: every command and every option is on it, and it reads the same on every machine."""

from __future__ import annotations

import re

import click
import markdown
import pytest
import yaml
from conftest import REPO_ROOT

from site_builder.cli import cli

PAGE = REPO_ROOT / "docs" / "cli.md"


def render_reference() -> str:
    """docs/cli.md as MkDocs renders it (mkdocs-click as configured in mkdocs.yml; MkDocs adds fenced_code)."""
    return markdown.Markdown(extensions=["mkdocs-click", "fenced_code"]).convert(PAGE.read_text(encoding="utf-8"))


def sections(html: str) -> dict[str, str]:
    """Each command's part of the page, by its heading ("procure", then "build", "export", ...)."""
    parts = re.split(r"<h[23][^>]*>(.*?)</h[23]>", html)
    return {re.sub(r"<[^>]+>", "", heading).strip(): body for heading, body in
            zip(parts[1::2], parts[2::2], strict=True)}


def test_the_site_renders_the_page_with_mkdocs_click() -> None:
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert "mkdocs-click" in extensions
    about = next(item["About the register"] for item in config["nav"] if "About the register" in item)
    assert {"Command reference": "cli.md"} in about and {"How the software is built": "architecture.md"} in about


def test_every_command_and_option_is_on_the_page() -> None:
    found = sections(render_reference())
    commands = {"procure": cli, **cli.commands}
    assert len(commands) >= 7  # the group and its six commands: the walk itself works
    assert sorted(found) == sorted(commands)
    for heading, command in commands.items():
        body = found[heading]
        help_text = (command.help or "").split("\n\n")[0].split("\n")[0]
        assert help_text and help_text in body.replace("&#x27;", "'").replace("&#39;", "'"), heading
        usage = f"procure {heading} [OPTIONS]" if command is not cli else "procure [OPTIONS] COMMAND [ARGS]..."
        assert usage in body, heading
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in param.opts:
                    assert flag in body, f"{heading}: {flag} is not in the command reference"


@pytest.mark.parametrize("columns", ["50", "200"])
def test_the_page_does_not_depend_on_the_terminal(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = render_reference()
    monkeypatch.setenv("COLUMNS", columns)
    assert render_reference() == expected


def test_the_built_site_has_the_reference(built_site) -> None:  # type: ignore[no-untyped-def]
    html = (built_site / "cli" / "index.html").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"procure {name}" in html
    assert (built_site / "architecture" / "index.html").is_file()
