"""Case write-ups as documents: one .docx, .pdf or .txt file per case, or a folder.

A write-up starts with its title; lines such as ``申报单位：温州市图书馆`` or
``年份：2023`` fill those fields; everything else is the summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from libinnov.cases.fields import canonical_field
from libinnov.cases.readers._encoding import decode_text
from libinnov.codebook.io import default_codebook
from libinnov.exceptions import UnreadableFile
from libinnov.types import Record

SUFFIXES = (".docx", ".pdf", ".txt")
_LABELLED = re.compile(r"^\s*([^:：]{1,12})\s*[:：]\s*(.*)$")


def _docx_paragraphs(path: Path) -> list[str]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types
        raise UnreadableFile(
            "not a readable .docx file (%(reason)s)", file=path, reason=str(exc)
        ) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) >= 2 and cells[0]:
                lines.append(f"{cells[0]}：{' '.join(dict.fromkeys(cells[1:]))}")
    return lines


def _pdf_lines(path: Path) -> list[str]:
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for broken files
        raise UnreadableFile(
            "not a readable PDF (%(reason)s)", file=path, reason=str(exc)
        ) from exc
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableFile(
            "the PDF has no text layer (scanned?); OCR it first", file=path
        )
    return _join_wrapped(text.splitlines())


def _join_wrapped(lines: list[str]) -> list[str]:
    """PDF text arrives broken at line ends; rejoin lines inside a paragraph.

    The first line (the title) and labelled lines (年份：2023) stand alone; any other
    line that does not end a sentence continues on the next one.
    """
    out: list[str] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        previous = out[-1] if out else ""
        joins = (
            len(out) > 1
            and not _LABELLED.match(previous)
            and not _LABELLED.match(line)
            and not re.search(r"[。！？.!?]$", previous)
        )
        if joins:
            out[-1] = previous + line
        else:
            out.append(line)
    return out


def document_lines(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx_paragraphs(path)
    if suffix == ".pdf":
        return _pdf_lines(path)
    return decode_text(path)[0].splitlines()


def parse_write_up(lines: list[str]) -> Record:
    """Split a write-up into title, labelled fields and the summary."""
    codebook = default_codebook()
    record: Record = {}
    body: list[str] = []
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        match = _LABELLED.match(line)
        if match:
            name = canonical_field(match.group(1), codebook)
            if name != match.group(1).strip() and name not in record:
                if name == "summary":
                    body.append(match.group(2))
                else:
                    record[name] = match.group(2).strip()
                continue
        if "title" not in record:
            record["title"] = line
        else:
            body.append(line)
    if body:
        record["summary"] = "\n".join(body)
    return record


def read_document(path: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    record = parse_write_up(document_lines(path))
    if not record:
        raise UnreadableFile("the document is empty", file=path)
    record.setdefault("source_file", path.name)
    yield {}, record


def read_folder(path: Path) -> Iterator[tuple[dict[str, Any], Record]]:
    """Every write-up in a folder, in name order; other files are refused by name."""
    files = sorted(
        p for p in path.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
    )
    documents = [p for p in files if p.suffix.lower() in SUFFIXES]
    others = [p.name for p in files if p.suffix.lower() not in SUFFIXES]
    if others:
        raise UnreadableFile(
            "the folder holds files that are not write-ups: %(names)s",
            file=path,
            names=", ".join(others[:5]),
        )
    if not documents:
        raise UnreadableFile("the folder holds no .docx, .pdf or .txt files", file=path)
    for document in documents:
        for _where, record in read_document(document):
            yield {"file": str(document)}, record
