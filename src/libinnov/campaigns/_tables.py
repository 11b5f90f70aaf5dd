"""Plain tables in and out: CSV (UTF-8, BOM or GBK), XLSX, JSON Lines and JSON.

The case readers check for case columns; review sheets have other columns, so
this module reads any header and leaves the meaning of columns to its callers.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from libinnov.campaigns._values import is_blank
from libinnov.cases.readers._encoding import decode_text
from libinnov.cases.readers.jsonl import read_jsonl
from libinnov.exceptions import CampaignError, UnreadableFile
from libinnov.text.normalise import match_key

Where = dict[str, int]
READABLE = (".csv", ".tsv", ".xlsx", ".jsonl", ".ndjson", ".json")
WRITABLE = (".csv", ".xlsx", ".jsonl", ".json")
#: How lists are joined in a spreadsheet cell: the full-width semicolon people type.
JOINER = "；"


@dataclass(frozen=True)
class Table:
    """A file's header and rows, each row with where it is (row or line number)."""

    path: Path
    header: list[str]
    rows: list[tuple[Where, dict[str, Any]]]
    header_where: Where  # {"row": 1} for sheets; {} for JSON, which has no header row

    def error(
        self,
        message: str,
        where: Where | None = None,
        field: str | None = None,
        **params: Any,
    ) -> CampaignError:
        """An error at a row or line of this file (the header when not given)."""
        at = self.header_where if where is None else where
        return CampaignError(
            message,
            file=self.path,
            row=at.get("row"),
            line=at.get("line"),
            field=field,
            **params,
        )

    def columns(self, aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
        """Field -> the header naming it, from each field's accepted names."""
        wanted = {match_key(a): name for name, names in aliases.items() for a in names}
        found: dict[str, str] = {}
        for column in self.header:
            name = wanted.get(match_key(column))
            if name is None:
                continue
            if name in found:
                raise self.error(
                    "columns '%(first)s' and '%(second)s' both give %(name)s",
                    field=column,
                    first=found[name],
                    second=column,
                    name=name,
                )
            found[name] = column
        return found


def read_table(path: str | Path, sheets: Sequence[str] = ()) -> Table:
    """Read a whole table; ``sheets`` are workbook sheet names to prefer."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile("no such file", file=path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return _csv(path)
    if suffix == ".xlsx":
        return _xlsx(path, sheets)
    if suffix in (".jsonl", ".ndjson"):
        return _records(path, list(read_jsonl(path)))
    if suffix == ".json":
        return _records(path, _json_list(path))
    raise UnreadableFile(
        "unknown file type (use %(known)s)", file=path, known=", ".join(READABLE)
    )


def _header(cells: Sequence[Any], path: Path) -> list[str]:
    header = ["" if is_blank(c) else str(c).strip() for c in cells]
    if not any(header):
        raise UnreadableFile("no header row", file=path, row=1)
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise UnreadableFile(
                "column '%(column)s' appears twice", file=path, row=1, column=name
            )
        seen.add(name)
    return header


def _csv(path: Path) -> Table:
    text, _encoding = decode_text(path)
    if not text.strip():
        raise UnreadableFile("the file is empty", file=path)
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel_tab
    if path.suffix.lower() != ".tsv":
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    number = 1
    try:
        header = _header(next(reader), path)
        rows: list[tuple[Where, dict[str, Any]]] = []
        for number, values in enumerate(reader, start=2):
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
            rows.append(({"row": number}, _row(header, values)))
    except csv.Error as exc:
        raise UnreadableFile(
            "bad CSV (%(reason)s)", file=path, row=number, reason=str(exc)
        ) from exc
    return Table(path, header, rows, {"row": 1})


def _row(header: list[str], values: Sequence[Any]) -> dict[str, Any]:
    cells = (v.strip() if isinstance(v, str) else v for v in values)
    return {h: v for h, v in zip(header, cells, strict=False) if h}


def _xlsx(path: Path, sheets: Sequence[str]) -> Table:
    from openpyxl import load_workbook

    # We own the handle: read-only workbooks otherwise leave it to the GC.
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise UnreadableFile(
                "not a readable .xlsx workbook (%(reason)s)", file=path, reason=str(exc)
            ) from exc
        try:
            names = {match_key(n): n for n in workbook.sheetnames}
            chosen = next(
                (names[match_key(s)] for s in sheets if match_key(s) in names),
                workbook.sheetnames[0],
            )
            values = workbook[chosen].iter_rows(values_only=True)
            first = next(values, None)
            if first is None:
                raise UnreadableFile("the workbook is empty", file=path)
            header = _header(first, path)
            rows = [
                ({"row": number}, _row(header, cells))
                for number, cells in enumerate(values, start=2)
                if not all(is_blank(c) for c in cells)
            ]
        finally:
            workbook.close()
    return Table(path, header, rows, {"row": 1})


def _json_list(path: Path) -> list[tuple[Where, dict[str, Any]]]:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UnreadableFile("JSON must be UTF-8", file=path) from None
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            "bad JSON (%(reason)s)", file=path, line=exc.lineno, reason=exc.msg
        ) from None
    if not isinstance(data, list):
        raise UnreadableFile("a .json file here holds a list of objects", file=path)
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise UnreadableFile(
                "each item must be a JSON object", file=path, row=index
            )
    return [({"row": index}, item) for index, item in enumerate(data, start=1)]


def _records(path: Path, rows: list[tuple[Where, dict[str, Any]]]) -> Table:
    header: dict[str, None] = {}
    for _where, record in rows:
        header.update(dict.fromkeys(str(k) for k in record))
    return Table(path, list(header), rows, {})


# -- writing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """An output column: the record key, and its heading in Chinese and English."""

    key: str
    label_zh: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, list | tuple):
        return JOINER.join(str(v) for v in value)
    return value


def write_table(
    path: str | Path,
    columns: Sequence[Column],
    cells: Sequence[Mapping[str, Any]],
    records: Sequence[Mapping[str, Any]],
    *,
    lang: str = "zh",
    sheet: str = "Sheet1",
) -> None:
    """Write ``cells`` as a sheet (.csv/.xlsx) or ``records`` as JSON, atomically.

    Sheets are for people (labelled headings, display values); JSON is for programs
    (ASCII keys, raw values), so callers give both.
    """
    from libinnov.codebook.io import atomic_write_bytes

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in WRITABLE:
        raise UnreadableFile(
            "cannot write this file type (use %(known)s)",
            file=path,
            known=", ".join(WRITABLE),
        )
    heading = [c.label(lang) for c in columns]
    rows = [[_cell(row.get(c.key)) for c in columns] for row in cells]
    if suffix == ".csv":
        data = _csv_bytes([heading, *rows])
    elif suffix == ".xlsx":
        data = _xlsx_bytes([heading, *rows], sheet)
    elif suffix == ".json":
        data = (json.dumps(list(records), ensure_ascii=False, indent=2) + "\n").encode()
    else:
        data = b"".join(
            json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records
        )
    atomic_write_bytes(path, data)


def _csv_bytes(rows: list[list[Any]]) -> bytes:
    # UTF-8 with a BOM: without it Excel and WPS read Chinese as mojibake.
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def _xlsx_bytes(rows: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for index in range(1, len(rows[0]) + 1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        # Chinese characters are about two columns wide.
        longest = max(len(str(row[index - 1])) for row in rows)
        width = min(50, max(8, 2 * longest + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
