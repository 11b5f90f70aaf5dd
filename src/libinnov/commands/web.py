"""``libinnov serve`` and ``libinnov user``: the web case library and its accounts.

Django is imported only when these commands run, so the rest of the CLI stays light.
"""

from __future__ import annotations

from typing import Annotated

import typer

from libinnov.commands._shared import console, err_console

ROLES = ("viewer", "coder", "adjudicator", "admin")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    sample: Annotated[
        bool, typer.Option("--sample", help="Load the bundled sample into an empty DB.")
    ] = False,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker.")] = 4,
) -> None:
    """Start the web case library on DATABASE_URL (default: SQLite in the data dir)."""
    from libinnov.web.server import prepare, run

    info = prepare(host=host, sample=sample)
    if info["loaded"]:
        err_console.print(f"Loaded {info['loaded']} sample cases.")
    err_console.print(f"Database: {info['database']} ({info['cases']} cases)")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err_console.print(f"Serving on http://{shown}:{port}/cases/  (Ctrl+C to stop)")
    run(host=host, port=port, workers=workers, threads=threads)


def user(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="viewer, coder, adjudicator or admin.")] = (
        "viewer"
    ),
    password: Annotated[
        str,
        typer.Option(
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            envvar="LIBINNOV_PASSWORD",
            help="Password (prompted; or LIBINNOV_PASSWORD).",
        ),
    ] = "",
) -> None:
    """Create a web account (or reset its password) with one role."""
    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}")
    from libinnov.web.server import prepare

    prepare()
    from libinnov.web.accounts.services import user_set

    created = user_set(username=username, password=password, role=role)
    verb = "Created" if created else "Updated"
    console.print(f"{verb} {username} with the {role} role.")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(user)
