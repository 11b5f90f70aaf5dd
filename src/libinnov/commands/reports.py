"""``libinnov analyze`` and ``libinnov demo``: the research report in one command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from libinnov.cases.io import load_sample, read_cases
from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook
from libinnov.commands._shared import CodebookOption, codebook_from, console, progress

Lang = Annotated[str, typer.Option("--lang", help="Report language: zh or en.")]


def _complete(
    cases: list[Case], codebook: Codebook, step: Callable[[str], None]
) -> list[Case]:
    """Fill library facts and code any dimension a case lacks, keeping given codes."""
    from libinnov.cases.gazetteer import enrich_case

    cases = [enrich_case(c, codebook) for c in cases]
    wanted = [d.key for d in codebook.coded_dimensions]
    if all(all(k in c.codes for k in wanted) for c in cases):
        return cases
    step("coding uncoded dimensions")
    from libinnov.coding import code_cases

    return list(code_cases(cases, codebook, only_missing=True))


def run_analysis(
    cases: list[Case], codebook: Codebook, output: Path, lang: str
) -> Path:
    from libinnov.analysis import analyze
    from libinnov.reports import write_report

    if lang not in ("zh", "en"):
        raise typer.BadParameter("--lang must be zh or en")
    steps = [
        "coding",
        "distributions",
        "cross-tabulations",
        "co-occurrence",
        "activity and capability",
        "keywords",
        "findings",
        "summary.json",
        "report.html",
        "tables.xlsx",
        "figures",
        "report.pdf",
    ]
    with progress() as bar:
        task = bar.add_task("analysing", total=len(steps))

        def step(name: str) -> None:
            bar.update(task, description=name, advance=1)

        cases = _complete(cases, codebook, step)
        analysis = analyze(cases, codebook, lang=lang, progress=step)
        written = write_report(analysis, output, progress=step)
        bar.update(task, completed=len(steps), description="done")
    console.print(_bullets(analysis.findings))
    return written["html"]


def analyze_command(
    input_path: Annotated[
        Path, typer.Argument(help="Case file or folder.", exists=True)
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output directory.")],
    codebook_path: CodebookOption = None,
    lang: Lang = "zh",
) -> None:
    """Code what is uncoded, analyse, write report.html/.pdf, tables.xlsx, figures/."""
    codebook = codebook_from(codebook_path)
    html = run_analysis(read_cases(input_path, codebook), codebook, output, lang)
    console.print(f"report: {html}")


def demo(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output directory.")
    ] = Path("libinnov-demo"),
    lang: Lang = "zh",
) -> None:
    """Run the analysis on the bundled 154 cases into ./libinnov-demo/."""
    codebook = codebook_from(None)
    html = run_analysis(load_sample(codebook), codebook, output, lang)
    console.print(f"demo report: {html.resolve()}")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
    app.command("demo")(demo)


def _bullets(lines: list[str]) -> Table:
    """Findings with a hanging indent; Chinese has no spaces to wrap at, so a
    line folds at the edge instead of leaving its bullet alone on a line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for line in lines:
        grid.add_row("•", line)
    return grid
