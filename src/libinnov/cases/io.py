"""Reading and writing case files in every supported format.

Formats are chosen by suffix through two plain registries, so adding a format is one
module plus one line here.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from libinnov.cases.fields import canonical_field, header_map
from libinnov.cases.model import Case
from libinnov.cases.normalise import case_from_record
from libinnov.codebook.io import default_codebook, file_mode
from libinnov.codebook.model import Codebook
from libinnov.exceptions import InvalidCase, UnreadableFile
from libinnov.types import Record

RawRows = Iterator[tuple[dict[str, Any], Record]]

#: suffix → "module:function" yielding (location, raw record) pairs
READERS: dict[str, str] = {
    ".jsonl": "libinnov.cases.readers.jsonl:read_jsonl",
    ".ndjson": "libinnov.cases.readers.jsonl:read_jsonl",
    ".json": "libinnov.cases.readers.jsonl:read_json",
    ".csv": "libinnov.cases.readers.csv:read_csv",
    ".tsv": "libinnov.cases.readers.csv:read_csv",
    ".xlsx": "libinnov.cases.readers.xlsx:read_xlsx",
    ".docx": "libinnov.cases.readers.documents:read_document",
    ".pdf": "libinnov.cases.readers.documents:read_document",
    ".txt": "libinnov.cases.readers.documents:read_document",
    "/": "libinnov.cases.readers.documents:read_folder",
}
#: suffix → "module:function" writing records to a binary file object
WRITERS: dict[str, str] = {
    ".jsonl": "libinnov.cases.writers.jsonl:write_jsonl",
    ".csv": "libinnov.cases.writers.csv:write_csv",
    ".xlsx": "libinnov.cases.writers.xlsx:write_xlsx",
}


def _resolve(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _reader_for(path: Path) -> Callable[[Path], RawRows]:
    if path.is_dir():
        return _resolve(READERS["/"])
    if not path.exists():
        raise UnreadableFile("no such file", file=path)
    spec = READERS.get(path.suffix.lower())
    if spec is None:
        known = ", ".join(sorted(k for k in READERS if k != "/"))
        raise UnreadableFile(
            "unknown case file type (use %(known)s or a folder)", file=path, known=known
        )
    return _resolve(spec)


def iter_raw_records(path: str | Path) -> RawRows:
    """Yield raw records of a case file with their location, before validation."""
    path = Path(path)
    yield from _reader_for(path)(path)


def iter_cases(path: str | Path, codebook: Codebook | None = None) -> Iterator[Case]:
    """Stream validated cases from a file; memory stays flat for JSONL and CSV."""
    path = Path(path)
    codebook = codebook or default_codebook()
    seen: set[str] = set()
    any_row = False
    mapping = header_map(codebook)
    for where, raw in iter_raw_records(path):
        any_row = True
        where = {"file": str(path), **where}
        fields = {canonical_field(str(k), codebook, mapping): v for k, v in raw.items()}
        case = case_from_record(fields, codebook, **where)
        if case.id in seen:
            raise InvalidCase("duplicate id '%(id)s'", field="id", id=case.id, **where)
        seen.add(case.id)
        yield case
    if not any_row:
        raise UnreadableFile("the file holds no cases", file=path)


def read_cases(path: str | Path, codebook: Codebook | None = None) -> list[Case]:
    """Read and validate a whole case file: all of it, or an error and nothing.

    >>> cases = read_cases(sample_path())
    >>> len(cases)
    154
    """
    return list(iter_cases(path, codebook))


def write_records(records: Iterable[Record], path: str | Path) -> int:
    """Write records atomically: on any error the target is left as it was."""
    path = Path(path)
    spec = WRITERS.get(path.suffix.lower())
    if spec is None:
        known = ", ".join(sorted(WRITERS))
        raise UnreadableFile(
            "cannot write this file type (use %(known)s)", file=path, known=known
        )
    writer: Callable[[Iterable[Record], BinaryIO], int] = _resolve(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            count = writer(records, handle)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def write_cases(
    cases: Iterable[Case], path: str | Path, codebook: Codebook | None = None
) -> int:
    """Write cases in the format named by the suffix of ``path``."""
    codebook = codebook or default_codebook()
    return write_records((c.to_record(codebook) for c in cases), path)


def sample_path() -> Path:
    """The folder of the bundled sample (154 expert-coded real cases)."""
    from importlib import resources

    return Path(str(resources.files("libinnov.data") / "sample"))


def load_sample(codebook: Codebook | None = None) -> list[Case]:
    """The bundled sample cases, from every ``cases_*.jsonl`` in the sample folder."""
    cases: list[Case] = []
    for path in sorted(sample_path().glob("cases_*.jsonl")):
        cases.extend(read_cases(path, codebook))
    return cases
