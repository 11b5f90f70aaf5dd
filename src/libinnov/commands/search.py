"""``libinnov search``: full-text search over a case file, as the case library does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from libinnov.cases.io import iter_cases
from libinnov.cases.model import Case
from libinnov.commands._shared import CodebookOption, codebook_from, console, track
from libinnov.search import CaseIndex, snippet_window, split_marked


def _marked(text: str, terms: list[str]) -> Text:
    out = Text()
    for piece, hit in split_marked(text, terms):
        out.append(piece, style="bold reverse" if hit else None)
    return out


def _snippet(case: Case, terms: list[str], width: int = 60) -> str:
    start, end = snippet_window(case.summary, terms, width)
    return case.summary[start:end]


def search(
    input_path: Annotated[
        Path, typer.Argument(help="Case file or folder of write-ups.", exists=True)
    ],
    query: Annotated[
        str,
        typer.Argument(help='Words to find (all must match); "quote" a phrase.'),
    ],
    limit: Annotated[int, typer.Option("-n", "--limit", min=1)] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the hits as JSON.")
    ] = False,
    codebook_path: CodebookOption = None,
) -> None:
    """Find cases by full text: two-character words, phrases, traditional script."""
    codebook = codebook_from(codebook_path)
    cases = {c.id: c for c in track(iter_cases(input_path, codebook), "indexing")}
    index = CaseIndex()
    index.add(cases.values())
    results = index.search(query, limit=limit)
    terms = [*results.query.texts, *results.query.words]
    if as_json:
        hits = [
            {
                "id": h.id,
                "title": h.title,
                "score": round(h.score, 4),
                "snippet": _snippet(cases[h.id], terms),
            }
            for h in results.hits
        ]
        payload = {"query": query, "total": results.total, "results": hits}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{results.total} cases match “{query}”")
    for column in ("id", "title", "snippet"):
        table.add_column(column)
    for hit in results.hits:
        case = cases[hit.id]
        table.add_row(
            hit.id, _marked(case.title, terms), _marked(_snippet(case, terms), terms)
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
