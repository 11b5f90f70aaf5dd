"""``libinnov codebook``: validate, export and import coding frames."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from libinnov.codebook.io import load_codebook, save_codebook
from libinnov.codebook.model import Codebook
from libinnov.commands._shared import console

codebook_app = typer.Typer(
    help="Validate, export and import codebooks (YAML, XLSX, REFI-QDA .qdc).",
    no_args_is_help=True,
)
FORMATS = ("yaml", "xlsx", "qdc")


def _overview(codebook: Codebook) -> Table:
    table = Table(
        title=f"{codebook.title_zh or codebook.name} (version {codebook.version})"
    )
    for column in ("dimension", "zh", "en", "cardinality", "codes", "indicator terms"):
        table.add_column(column)
    for dim in codebook.dimensions:
        kind = dim.cardinality + (", derived" if dim.derived else "")
        terms = sum(len(c.indicators) for c in dim.codes)
        table.add_row(dim.key, dim.label_zh, dim.label_en, kind, str(len(dim.codes)),
                      str(terms))  # fmt: skip
    return table


@codebook_app.command("validate")
def validate(
    path: Annotated[Path, typer.Argument(help="Codebook file: .yaml, .xlsx or .qdc.")],
) -> None:
    """Check a codebook; errors name the file, line or row, dimension and code."""
    codebook = load_codebook(path)
    console.print(_overview(codebook))
    console.print("[green]valid[/]")


@codebook_app.command("export")
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="yaml, xlsx or qdc (default: from the suffix)."),
    ] = None,
    codebook_path: Annotated[
        Path | None,
        typer.Option("--codebook", help="Codebook to export (default: the built-in)."),
    ] = None,
) -> None:
    """Write a codebook as YAML, XLSX or REFI-QDA .qdc (NVivo, ATLAS.ti, MAXQDA)."""
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise typer.BadParameter(f"format must be one of {', '.join(FORMATS)}")
    save_codebook(load_codebook(codebook_path), output, chosen)
    console.print(f"wrote {output}")


@codebook_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="Codebook file: .yaml, .xlsx or .qdc.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
) -> None:
    """Read a codebook from any supported format, validate it and save it."""
    codebook = load_codebook(path)
    save_codebook(codebook, output)
    console.print(_overview(codebook))
    console.print(f"wrote {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(codebook_app, name="codebook")
