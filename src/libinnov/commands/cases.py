"""``libinnov cases``: read, check, enrich and convert case files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from libinnov.cases.io import iter_cases, write_cases
from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook
from libinnov.commands._shared import CodebookOption, codebook_from, console, track

cases_app = typer.Typer(
    help="Read, validate, enrich and convert case files.", no_args_is_help=True
)

InputArg = Annotated[
    Path,
    typer.Argument(
        help="Case file (.jsonl .json .csv .tsv .xlsx .docx .pdf .txt) or a folder "
        "of write-ups.",
        exists=True,
    ),
]


def _enricher(codebook: Codebook) -> Callable[[Case], Case]:
    try:
        from libinnov.cases.gazetteer import enrich_case
    except ImportError:  # pragma: no cover - the gazetteer ships with the package
        return lambda case: case
    return lambda case: enrich_case(case, codebook)


class _Tally:
    """Counts what enrichment filled in, for the closing summary table."""

    def __init__(self) -> None:
        self.read = 0
        self.inferred: Counter[str] = Counter()
        self.review: Counter[str] = Counter()

    def enrich(
        self, cases: Iterator[Case], enrich: Callable[[Case], Case]
    ) -> Iterator[Case]:
        for case in cases:
            self.read += 1
            done = enrich(case)
            for name in ("province", "region", "library_type"):
                if _fact(case, name) is None and _fact(done, name) is not None:
                    self.inferred[name] += 1
            for name in done.needs_review:
                self.review[name] += 1
            yield done

    def table(self, output: Path | None) -> Table:
        table = Table(title="libinnov cases", show_header=False)
        table.add_row("cases read", str(self.read))
        for name in ("province", "region", "library_type"):
            table.add_row(f"{name} inferred", str(self.inferred[name]))
        flagged = ", ".join(f"{k} {v}" for k, v in sorted(self.review.items()))
        table.add_row("needs review", flagged or "0")
        if output is not None:
            table.add_row("written to", str(output))
        return table


def _fact(case: Case, name: str) -> object:
    return case.province if name == "province" else case.codes.get(name)


def _stream(input_path: Path, codebook: Codebook, tally: _Tally) -> Iterator[Case]:
    cases = track(iter_cases(input_path, codebook), f"reading {input_path.name}")
    return tally.enrich(cases, _enricher(codebook))


@cases_app.command("convert")
def convert(
    input_path: InputArg,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Output file: .jsonl, .csv or .xlsx."),
    ],
    codebook_path: CodebookOption = None,
) -> None:
    """Read, validate, normalise and enrich cases, then write them; all or nothing."""
    codebook = codebook_from(codebook_path)
    tally = _Tally()
    # Everything is validated before the atomic write, so a bad row leaves no file.
    cases = list(_stream(input_path, codebook, tally))
    write_cases(cases, output, codebook)
    console.print(tally.table(output))


@cases_app.command("validate")
def validate(input_path: InputArg, codebook_path: CodebookOption = None) -> None:
    """Check a case file against the codebook and the file contract; writes nothing."""
    codebook = codebook_from(codebook_path)
    tally = _Tally()
    for _case in _stream(input_path, codebook, tally):
        pass
    console.print(tally.table(None))
    console.print("[green]valid[/]")


@cases_app.command("sample")
def sample(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Output file: .jsonl, .csv or .xlsx."),
    ],
) -> None:
    """Write the bundled sample (154 real cases with expert codes) to a file."""
    from libinnov.cases.io import load_sample

    codebook = codebook_from(None)
    tally = _Tally()
    cases = list(tally.enrich(iter(load_sample(codebook)), lambda case: case))
    write_cases(cases, output, codebook)
    table = tally.table(output)
    for dim in ("region", "library_type"):
        counts = Counter(str(c.codes.get(dim)) for c in cases)
        labels = codebook.dimension(dim)
        table.add_row(
            labels.label_zh,
            "  ".join(
                f"{labels.code(k).label_zh} {n}" for k, n in counts.most_common()
            ),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
