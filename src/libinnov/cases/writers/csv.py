"""CSV output as UTF-8 with a BOM, so Excel and WPS open Chinese text correctly."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import BinaryIO

from libinnov.cases.writers._table import table_rows
from libinnov.types import Record


def write_csv(records: Iterable[Record], handle: BinaryIO) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    count = -1
    for row in table_rows(records):
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()
    return max(count, 0)
