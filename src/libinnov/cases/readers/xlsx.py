"""Excel workbooks: the first sheet (or one named cases/案例), header in row 1."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from libinnov.cases.fields import looks_like_header
from libinnov.codebook.io import default_codebook
from libinnov.exceptions import UnreadableFile
from libinnov.types import Record

_PREFERRED_SHEETS = ("cases", "案例", "案例列表")


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, str):
        return value.strip()
    return value


def _open(path: Path, handle: BinaryIO) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(
            "not a readable .xlsx workbook (%(reason)s)", file=path, reason=str(exc)
        ) from exc


def read_xlsx(path: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    """Yield rows numbered as Excel shows them."""
    # We own the file handle: read-only workbooks otherwise leave it to the GC.
    with path.open("rb") as handle:
        yield from _rows(path, _open(path, handle))


def _rows(path: Path, workbook: Any) -> Iterator[tuple[dict[str, Any], Record]]:
    try:
        names = {name.strip().lower(): name for name in workbook.sheetnames}
        sheet_name = next(
            (names[n] for n in _PREFERRED_SHEETS if n in names), workbook.sheetnames[0]
        )
        rows = workbook[sheet_name].iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise UnreadableFile("the workbook is empty", file=path)
        header = [str(h).strip() if h is not None else "" for h in header_row]
        _check_header(header, path, sheet_name)
        for number, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            if all(v is None or v == "" for v in cells):
                continue
            yield (
                {"row": number},
                {
                    h: "" if v is None else v
                    for h, v in zip(header, cells, strict=False)
                    if h
                },
            )
    finally:
        workbook.close()


def _check_header(header: list[str], path: Path, sheet: str) -> None:
    if not looks_like_header(header, default_codebook()):
        raise UnreadableFile(
            "no header row in sheet '%(sheet)s': row 1 must name the columns "
            "(e.g. 标题/title, 案例简介/summary)",
            file=path,
            row=1,
            sheet=sheet,
        )
