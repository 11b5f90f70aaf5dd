"""Flattening records into spreadsheet rows (shared by the CSV and XLSX writers)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from libinnov.cases.model import CORE_FIELDS
from libinnov.types import Record

#: How multi-valued cells are joined: the full-width semicolon Chinese users type.
JOINER = "；"


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return JOINER.join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def table_rows(records: Iterable[Record]) -> Iterator[list[Any]]:
    """The header row, then one row per record.

    Columns are the contract's core fields, then every other key in order of first
    appearance; the records are held in memory only to learn the columns.
    """
    rows = list(records)
    columns = list(CORE_FIELDS)
    for record in rows:
        for key in record:
            if key not in columns:
                columns.append(key)
    yield columns
    for record in rows:
        yield [cell(record.get(column)) for column in columns]
