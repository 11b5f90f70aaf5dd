"""Render the CLI reference (docs/cli.md) from the commands' own help texts.

Generating the page from ``--help`` keeps the docs and the CLI from drifting apart;
a test regenerates it and fails when the committed page is stale.
"""

from __future__ import annotations

import os

import typer.main
from typer.testing import CliRunner

from libinnov.cli import app

HEADER = """# CLI reference

Generated from `libinnov --help` by `make docs` (`scripts/gen_cli_docs.py`); do not edit
by hand. `python -m libinnov` works the same as `libinnov`.
"""


def command_paths() -> list[list[str]]:
    """Every command and group path, e.g. ``[["cases"], ["cases", "convert"], ...]``."""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, prefix: list[str]) -> None:
        commands = getattr(command, "commands", None)
        if not commands:
            return
        for name in sorted(commands):
            paths.append([*prefix, name])
            walk(commands[name], [*prefix, name])

    walk(root, [])
    return paths


def _help(path: list[str]) -> str:
    env = {**os.environ, "COLUMNS": "88", "TERM": "dumb", "NO_COLOR": "1"}
    result = CliRunner().invoke(app, [*path, "--help"], env=env, color=False)
    lines = [line.rstrip() for line in result.output.splitlines()]
    return "\n".join(lines).strip("\n")


def render_cli_docs() -> str:
    parts = [HEADER, "## libinnov\n", "```text", _help([]), "```\n"]
    for path in command_paths():
        parts += [f"## libinnov {' '.join(path)}\n", "```text", _help(path), "```\n"]
    return "\n".join(parts)
