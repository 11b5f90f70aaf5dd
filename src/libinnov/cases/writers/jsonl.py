"""JSON Lines output: one case per line, UTF-8, Chinese kept readable."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

from libinnov.types import Record


def write_jsonl(records: Iterable[Record], handle: BinaryIO) -> int:
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count
