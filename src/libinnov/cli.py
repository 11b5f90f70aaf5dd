"""The ``libinnov`` command: a thin shell whose commands are the domain's verbs.

Each command group lives in :mod:`libinnov.commands` and registers itself on
:data:`app`; this module only wires them and turns user errors into one clear line
and exit code 2, never a traceback.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.core
from rich.console import Console

from libinnov.exceptions import LibinnovError


class _Group(typer.core.TyperGroup):
    """Turns a user error raised by any subcommand into a message and exit code 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LibinnovError as exc:
            err_console.print(
                f"[bold red]error:[/] {exc.describe()}",
                highlight=False,
                soft_wrap=True,  # a wrapped path or message cannot be copied or grepped
            )
            ctx.exit(2)


err_console = Console(stderr=True)
app = typer.Typer(
    name="libinnov",
    cls=_Group,
    help="Collect, code, analyse and share library service innovation cases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

#: command modules, each with a ``register(app)`` function
COMMAND_MODULES = (
    "libinnov.commands.campaign",
    "libinnov.commands.cases",
    "libinnov.commands.codebook",
    "libinnov.commands.coding",
    "libinnov.commands.reports",
    "libinnov.commands.search",
    "libinnov.commands.web",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a command group not built yet
            raise
        module.register(app)


_register_all()


def main() -> None:
    """Console-script entry point."""
    app()
