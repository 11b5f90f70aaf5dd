"""``libinnov code|train|evaluate|agreement|suggest-next`` and ``model build``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from libinnov.cases.io import iter_cases, read_cases, write_records
from libinnov.cases.model import Case
from libinnov.commands._shared import CodebookOption, codebook_from, console, progress
from libinnov.exceptions import ModelError

Input = Annotated[Path, typer.Argument(help="Case file or folder.", exists=True)]
model_app = typer.Typer(help="Build and inspect coding models.", no_args_is_help=True)


def _counted(cases: Iterator[Case], advance: object) -> Iterator[Case]:
    for case in cases:
        yield case
        advance()  # type: ignore[operator]


def code(
    input_path: Input,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output .jsonl file.")],
    codebook_path: CodebookOption = None,
    model_path: Annotated[
        Path | None, typer.Option("--model", help="Model file (default: built-in).")
    ] = None,
) -> None:
    """Code every case: codes, confidence, evidence sentences, needs_review."""
    from libinnov.coding import code_cases

    codebook = codebook_from(codebook_path)
    with progress() as bar:
        task = bar.add_task(f"coding {input_path.name}", total=None)
        cases = iter_cases(input_path, codebook)
        coded = code_cases(cases, codebook, model=model_path)
        records = (
            c.to_record(codebook) for c in _counted(coded, lambda: bar.advance(task))
        )
        count = write_records(records, output)
    console.print(f"coded {count} cases → {output}")


def train(
    input_path: Input,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Model file to write.")
    ],
    codebook_path: CodebookOption = None,
) -> None:
    """Train a coding model on your own coded cases (any readable format)."""
    from libinnov.coding.model import CodingModel

    codebook = codebook_from(codebook_path)
    cases = read_cases(input_path, codebook)
    with progress() as bar:
        bar.add_task(f"training on {len(cases)} cases", total=None)
        model = CodingModel.train(cases, codebook)
    model.name = output.stem
    model.save(output)
    table = Table(title=f"model {output}")
    table.add_column("dimension")
    table.add_column("codes learned")
    table.add_column("too rare: indicator terms only")
    for dim in codebook.coded_dimensions:
        clf = model.classifiers.get(dim.key)
        learned = [
            c
            for c in dim.code_keys
            if clf is not None and c not in model.rare.get(dim.key, [])
        ]
        table.add_row(
            dim.key,
            ", ".join(learned) or "-",
            ", ".join(model.rare.get(dim.key, [])) or "-",
        )
    console.print(table)


def evaluate(
    input_path: Input,
    folds: Annotated[
        int, typer.Option("--folds", min=2, help="Cross-validation folds.")
    ] = 5,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write JSON.")
    ] = None,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the fold split and the models.")
    ] = 0,
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions",
            help="Also write every case as coded by the fold model that never saw "
            "it (JSONL); compare it with the input using `libinnov agreement`.",
        ),
    ] = None,
    codebook_path: CodebookOption = None,
) -> None:
    """Stratified cross-validation: per-code precision, recall, F1 and support."""
    from libinnov.cases.io import write_cases
    from libinnov.coding.evaluate import out_of_fold, score_predictions

    codebook = codebook_from(codebook_path)
    cases = read_cases(input_path, codebook)
    with progress() as bar:
        task = bar.add_task(f"{folds}-fold cross-validation", total=folds)
        coded = out_of_fold(
            cases,
            codebook,
            folds=folds,
            random_state=seed,
            progress=lambda n: bar.update(task, completed=n),
        )
    scores = score_predictions(cases, dict(enumerate(coded)), codebook)
    if predictions is not None:
        write_cases(coded, predictions, codebook)
    for key, score in scores.items():
        table = Table(
            title=f"{key}: macro-F1 {score.macro_f1:.3f}  micro-F1 "
            f"{score.micro_f1:.3f}"
            + (f"  accuracy {score.accuracy:.3f}" if score.accuracy is not None else "")
        )
        for column in ("code", "precision", "recall", "F1", "support"):
            table.add_column(column, justify="right" if column != "code" else "left")
        for code_key, s in score.per_code.items():
            table.add_row(
                code_key,
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.3f}",
                str(s.support),
            )
        console.print(table)
        if score.confusion:
            console.print(
                f"confusion (true → predicted): {json.dumps(score.confusion)}"
            )
    if json_out is not None:
        data = {k: v.as_dict() for k, v in scores.items()}
        write_json(
            json_out,
            {"folds": folds, "seed": seed, "n_cases": len(cases), "dimensions": data},
        )


def write_json(path: Path, data: object) -> None:
    from libinnov.codebook.io import atomic_write_bytes

    atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, indent=2).encode())


def agreement(
    files: Annotated[list[Path], typer.Argument(help="Two or more coded case files.")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write JSON.")
    ] = None,
    codebook_path: CodebookOption = None,
) -> None:
    """Agreement between coders: percent, Cohen's κ, Fleiss' κ, Krippendorff's α."""
    from libinnov.coding.agreement import agreement as measure

    if len(files) < 2:
        raise typer.BadParameter("give at least two coded files")
    codebook = codebook_from(codebook_path)
    coders = [read_cases(f, codebook) for f in files]
    report = measure(coders, codebook, names=[f.stem for f in files])
    table = Table(
        title=f"agreement on {report.n_cases} shared cases (95 % bootstrap CI)"
    )
    table.add_column("dimension")
    for statistic in ("percent", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha"):
        table.add_column(statistic)
    for key, stats in report.dimensions.items():
        cells = []
        for statistic in (
            "percent",
            "cohen_kappa",
            "fleiss_kappa",
            "krippendorff_alpha",
        ):
            e = stats.get(statistic)
            cells.append(
                "-" if e is None else f"{e.value:.3f} [{e.low:.2f}, {e.high:.2f}]"
            )
        table.add_row(key, *cells)
    console.print(table)
    console.print(f"{len(report.disagreements)} disagreements to adjudicate")
    if json_out is not None:
        write_json(json_out, report.as_dict())


def suggest_next(
    coded: Input,
    uncoded: Annotated[Path, typer.Argument(help="Uncoded case file.", exists=True)],
    n: Annotated[int, typer.Option("-n", min=1, help="How many cases.")] = 20,
    codebook_path: CodebookOption = None,
) -> None:
    """Which uncoded cases to code next to improve the model most."""
    from libinnov.coding.model import CodingModel
    from libinnov.coding.suggest import suggest_next as rank

    codebook = codebook_from(codebook_path)
    model = CodingModel.train(read_cases(coded, codebook), codebook)
    table = Table(title=f"code these {n} cases next")
    for column in ("id", "title", "uncertainty", "why"):
        table.add_column(column)
    for s in rank(model, read_cases(uncoded, codebook), n):
        table.add_row(s.case_id, s.title[:30], f"{s.uncertainty:.2f}", s.reason)
    console.print(table)


@model_app.command("build")
def build(
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing.")] = False,
) -> None:
    """Train and cache the default model (from the bundled sample) ahead of use."""
    from libinnov.coding.store import default_model_path, load_default_model

    path = default_model_path()
    try:
        load_default_model()
    except ModelError:
        path.unlink(missing_ok=True)
        load_default_model()
    if not quiet:
        console.print(f"default model ready: {path}")


def register(app: typer.Typer) -> None:
    app.command("code")(code)
    app.command("train")(train)
    app.command("evaluate")(evaluate)
    app.command("agreement")(agreement)
    app.command("suggest-next")(suggest_next)
    app.add_typer(model_app, name="model")
