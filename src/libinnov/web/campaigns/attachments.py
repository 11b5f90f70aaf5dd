"""Checking an uploaded write-up before anything is saved.

A file is accepted only if its name says DOCX or PDF, its bytes agree (a renamed
``.doc`` or an image called ``.pdf`` is refused), it is within the size limit, and
the core's document reader finds text in it. The text is read here, from a staged
copy, so a refused file leaves nothing behind: the submission is written only
after every file passed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from libinnov.cases.readers.documents import document_lines, parse_write_up
from libinnov.exceptions import LibinnovError
from libinnov.web.campaigns.errors import Refused

SUFFIXES = {".docx": "docx", ".pdf": "pdf"}
#: a PDF may start with a little junk before its header (the spec allows 1 KB)
_PDF_HEAD = 1024


class AttachmentRefused(Refused):
    """An attachment that cannot be taken; the message is for the sender."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="attachments")


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: where its staged copy is and what it says."""

    name: str
    kind: str
    path: Path
    size: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.strip() for line in self.lines if line.strip())

    @property
    def summary(self) -> str:
        """The write-up's body without its title and labelled lines (年份：…)."""
        body = parse_write_up(list(self.lines)).get("summary")
        return str(body) if body else self.text


def max_bytes() -> int:
    return int(getattr(settings, "CAMPAIGN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def sniff(path: Path) -> str | None:
    """The kind the bytes show (docx, pdf), whatever the file is called."""
    with path.open("rb") as handle:
        head = handle.read(_PDF_HEAD)
    if b"%PDF-" in head:
        return "pdf"
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" in archive.namelist():
                return "docx"
    except (zipfile.BadZipFile, OSError):
        return None
    return None


def _stage(upload: Any, folder: Path, index: int, suffix: str) -> Path:
    path = folder / f"{index}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def check_file(upload: Any, folder: Path, index: int) -> CheckedFile:
    """Stage one upload in ``folder`` and read it, or refuse it with a reason."""
    name = str(upload.name)
    suffix = Path(name).suffix.lower()
    kind = SUFFIXES.get(suffix)
    if kind is None:
        raise AttachmentRefused(
            _("%(name)s is not a DOCX or PDF file.") % {"name": name}
        )
    limit = max_bytes()
    if upload.size > limit:
        raise AttachmentRefused(
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": name, "mb": f"{limit / 1024 / 1024:g}"}
        )
    path = _stage(upload, folder, index, suffix)
    if sniff(path) != kind:
        raise AttachmentRefused(
            _("%(name)s is not a real %(kind)s file: its content is something else.")
            % {"name": name, "kind": kind.upper()}
        )
    try:
        lines = document_lines(path)
    except LibinnovError as exc:
        raise AttachmentRefused(
            _("%(name)s could not be read: %(why)s")
            % {"name": name, "why": exc.render(_)}
        ) from exc
    if not any(line.strip() for line in lines):
        raise AttachmentRefused(_("%(name)s holds no text.") % {"name": name})
    return CheckedFile(name, kind, path, int(upload.size), tuple(lines))


@contextmanager
def checked_files(uploads: Sequence[Any]) -> Iterator[list[CheckedFile]]:
    """Every upload checked and staged; the staged copies go away on exit."""
    folder = Path(tempfile.mkdtemp(prefix="libinnov-attachments-"))
    try:
        yield [check_file(u, folder, i) for i, u in enumerate(uploads, start=1)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
