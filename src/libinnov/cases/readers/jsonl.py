"""JSON Lines and JSON (a list of objects) case files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from libinnov.exceptions import UnreadableFile
from libinnov.types import Record


def _open_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "JSON must be UTF-8 (byte %(byte)s cannot be decoded)",
            file=path,
            byte=exc.start,
        ) from exc


def read_jsonl(path: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    """Yield each non-blank line's object with its line number; streams the file."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise UnreadableFile(
            "%(reason)s", file=path, reason=str(exc.strerror or exc)
        ) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise UnreadableFile("not UTF-8 text", file=path, line=number) from exc
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UnreadableFile(
                    "bad JSON (%(reason)s at column %(column)s)",
                    file=path,
                    line=number,
                    reason=exc.msg,
                    column=exc.colno,
                ) from exc
            if not isinstance(obj, dict):
                raise UnreadableFile(
                    "each line must be a JSON object", file=path, line=number
                )
            yield {"line": number}, obj


def read_json(path: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    """A JSON document holding a list of case objects (or ``{"cases": [...]}``)."""
    try:
        data = json.loads(_open_text(path))
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            "bad JSON (%(reason)s)", file=path, line=exc.lineno, reason=exc.msg
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if not isinstance(data, list):
        raise UnreadableFile("a .json case file must hold a list of objects", file=path)
    for index, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            raise UnreadableFile(
                "each item must be a JSON object", file=path, row=index
            )
        yield {"row": index}, obj
