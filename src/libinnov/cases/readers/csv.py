"""CSV and TSV case files, in any of the encodings Chinese spreadsheets produce."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from libinnov.cases.fields import looks_like_header
from libinnov.cases.readers._encoding import decode_text
from libinnov.codebook.io import default_codebook
from libinnov.exceptions import UnreadableFile
from libinnov.types import Record


def _dialect(path: Path, sample: str) -> type[csv.Dialect] | csv.Dialect:
    if path.suffix.lower() == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel


def read_csv(path: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    """Yield rows numbered as a spreadsheet shows them (the header is row 1)."""
    text, _encoding = decode_text(path)
    if not text.strip():
        raise UnreadableFile("the file is empty", file=path)
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(path, first_line))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise UnreadableFile(
            "bad CSV (%(reason)s)", file=path, row=1, reason=str(exc)
        ) from exc
    if not any(header):
        raise UnreadableFile("no header row", file=path, row=1)
    _check_header(header, path)
    number = 1
    try:
        for values in reader:
            number += 1
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                raise UnreadableFile(
                    "%(cells)s cells but the header has %(columns)s",
                    file=path,
                    row=number,
                    cells=len(values),
                    columns=len(header),
                )
            yield (
                {"row": number},
                {h: v for h, v in zip(header, values, strict=False) if h},
            )
    except csv.Error as exc:
        raise UnreadableFile(
            "bad CSV (%(reason)s)", file=path, row=number, reason=str(exc)
        ) from exc


def _check_header(header: list[str], path: Path) -> None:
    if not looks_like_header(header, default_codebook()):
        raise UnreadableFile(
            "no header row: row 1 must name the columns (e.g. 标题/title, "
            "案例简介/summary)",
            file=path,
            row=1,
        )
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise UnreadableFile(
                "column '%(column)s' appears twice", file=path, row=1, column=name
            )
        seen.add(name)
