"""The one tree of errors libinnov raises for problems a user can fix.

::

    LibinnovError
    ├── CodebookError
    │   └── InvalidCodebook        a codebook file or edit breaks the schema
    ├── CaseError
    │   └── InvalidCase            a case record breaks the codebook or the contract
    ├── ReadError
    │   └── UnreadableFile         a file cannot be opened, decoded or parsed
    ├── ModelError                 a trained model does not fit the codebook or data
    └── CampaignError              a rubric, score, review, reviewer list or award
                                   rule of a case campaign breaks its contract

Every error carries where it happened (file, line or row, field) so the CLI and the
web layer can show one clear sentence instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path


class LibinnovError(Exception):
    """Base of every error caused by user input rather than by a bug."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.row = row
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        """Render the location and the message as one line for people."""
        where: list[str] = []
        if self.file:
            where.append(self.file)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class CodebookError(LibinnovError):
    """Something is wrong with a codebook."""


class InvalidCodebook(CodebookError):
    """A codebook file or edit breaks the codebook schema."""


class CaseError(LibinnovError):
    """Something is wrong with a case record."""


class InvalidCase(CaseError):
    """A case record breaks the codebook or the case-file contract."""


class ReadError(LibinnovError):
    """A file could not be read as what it claims to be."""


class UnreadableFile(ReadError):
    """A file cannot be opened, decoded or parsed."""


class ModelError(LibinnovError):
    """A trained model cannot be used with this codebook or data."""


class CampaignError(LibinnovError):
    """A case campaign's rubric, reviews, reviewers or award rules are unusable."""
