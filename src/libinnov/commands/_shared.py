"""Helpers shared by the command modules: consoles, progress bars, codebook option."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from libinnov.codebook.io import load_codebook
from libinnov.codebook.model import Codebook

T = TypeVar("T")
console = Console()
err_console = Console(stderr=True)

CodebookOption = Annotated[
    Path | None,
    typer.Option(
        "--codebook",
        help="Codebook file (YAML, XLSX or QDC); the packaged default when omitted.",
        exists=True,
        dir_okay=False,
    ),
]


def codebook_from(path: Path | None) -> Codebook:
    return load_codebook(path)


def progress() -> Progress:
    """A rich progress bar on stderr, so stdout stays clean for data."""
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )


def track(
    items: Iterable[T], description: str, total: int | None = None
) -> Iterator[T]:
    """Iterate with a progress bar; ``total`` may be unknown for streams."""
    with progress() as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)
