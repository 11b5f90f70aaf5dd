"""Codebooks as workbooks: a "dimensions" sheet and a "codes" sheet, one row each.

Many coding teams keep their frame in Excel; this layout is what they can edit by
hand, and it round-trips with YAML without loss.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from libinnov.codebook.io import atomic_write_bytes, codebook_to_dict
from libinnov.codebook.model import Codebook
from libinnov.codebook.validate import build_codebook
from libinnov.exceptions import InvalidCodebook, UnreadableFile

DIMENSION_COLUMNS = ("key", "label_zh", "label_en", "cardinality", "derived",
                     "allow_empty", "description", "rule", "rule_source",
                     "retired")  # fmt: skip
CODE_COLUMNS = ("dimension", "key", "label_zh", "label_en", "definition",
                "indicators", "provinces", "retired", "follows")  # fmt: skip
BOOK_COLUMNS = ("name", "version", "title_zh", "title_en")
JOINER = "；"


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return JOINER.join(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return value if value is not None else ""


def codebook_to_xlsx(codebook: Codebook) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = codebook_to_dict(codebook)
    workbook = Workbook()
    sheets = {
        "codebook": (BOOK_COLUMNS, [data]),
        "dimensions": (DIMENSION_COLUMNS, data["dimensions"]),
        "codes": (
            CODE_COLUMNS,
            [
                {"dimension": d["key"], **c}
                for d in data["dimensions"]
                for c in d["codes"]
            ],
        ),
    }
    workbook.remove(workbook.active)
    for title, (columns, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_cell(row.get(c)) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_codebook_xlsx(codebook: Codebook, path: str | Path) -> None:
    atomic_write_bytes(path, codebook_to_xlsx(codebook))


def _rows(
    workbook: Any, title: str, columns: tuple[str, ...], source: str
) -> list[tuple[int, dict[str, Any]]]:
    if title not in workbook.sheetnames:
        raise InvalidCodebook(
            "the workbook needs a sheet '%(sheet)s'", file=source, sheet=title
        )
    rows = workbook[title].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in ("key",) if c in columns and c not in header]
    if missing:
        raise InvalidCodebook("sheet '%(sheet)s' needs a column 'key'",
                              file=source, row=1, sheet=title)  # fmt: skip
    out = []
    for number, values in enumerate(rows, start=2):
        record = {h: v for h, v in zip(header, values, strict=False) if h}
        if any(v not in (None, "") for v in record.values()):
            out.append((number, record))
    return out


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("yes", "true", "1", "是", "y")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_codebook_xlsx(path: str | Path) -> Codebook:
    from openpyxl import load_workbook

    source = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise UnreadableFile("no such file", file=path) from exc
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(
            "not a readable .xlsx workbook (%(reason)s)", file=path, reason=str(exc)
        ) from exc
    try:
        book = (
            dict(_rows(workbook, "codebook", BOOK_COLUMNS, source)[0][1])
            if ("codebook" in workbook.sheetnames)
            else {}
        )
        dims: dict[str, dict[str, Any]] = {}
        for _number, row in _rows(workbook, "dimensions", DIMENSION_COLUMNS, source):
            key = _text(row.get("key"))
            dims[key] = {
                "key": key,
                "label_zh": _text(row.get("label_zh")),
                "label_en": _text(row.get("label_en")),
                "cardinality": _text(row.get("cardinality")) or "single",
                "derived": _flag(row.get("derived")),
                "allow_empty": _flag(row.get("allow_empty")),
                "retired": _flag(row.get("retired")),
                "description": _text(row.get("description")),
                "rule": _text(row.get("rule")) or None,
                "rule_source": _text(row.get("rule_source")) or None,
                "codes": [],
                "__line__": None,
            }
        for number, row in _rows(workbook, "codes", CODE_COLUMNS, source):
            dim = _text(row.get("dimension"))
            if dim not in dims:
                raise InvalidCodebook(
                    "sheet 'codes': dimension '%(dimension)s' is not on sheet "
                    "'dimensions'",
                    file=source,
                    row=number,
                    field="dimension",
                    dimension=dim,
                )
            dims[dim]["codes"].append(
                {
                    "key": _text(row.get("key")),
                    "label_zh": _text(row.get("label_zh")),
                    "label_en": _text(row.get("label_en")),
                    "definition": _text(row.get("definition")),
                    "indicators": _text(row.get("indicators")),
                    "provinces": _text(row.get("provinces")),
                    "retired": _flag(row.get("retired")),
                    "follows": _text(row.get("follows")) or None,
                }
            )
    finally:
        workbook.close()
    document = {
        "name": _text(book.get("name")) or Path(path).stem,
        "version": _text(book.get("version")) or "1",
        "title_zh": _text(book.get("title_zh")),
        "title_en": _text(book.get("title_en")),
        "dimensions": list(dims.values()),
    }
    return build_codebook(document, source)
