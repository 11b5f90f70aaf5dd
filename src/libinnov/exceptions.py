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

The message is an English template with ``%(name)s`` placeholders, and the values
are keyword arguments; ``message`` and ``str(error)`` are the English sentence, and
``describe(translate)`` gives it in another language when ``translate`` (the web
layer passes Django's ``gettext``) knows the template. So the core needs no
translation machinery, and one catalogue entry serves every file, row and value::

    >>> error = InvalidCase("'%(value)s' is not a year", value="二〇二〇年",
    ...                     file="cases.csv", row=3, field="year")
    >>> error.describe()
    "cases.csv, row 3, field 'year': '二〇二〇年' is not a year"
    >>> error.params
    {'value': '二〇二〇年'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

#: Turns an English template into the reader's language (``gettext``).
Translate = Callable[[str], str]


def _english(template: str) -> str:
    return template


def _fill(translate: Translate, template: str, values: Mapping[str, Any]) -> str:
    for text in (translate(template), template):
        try:
            return text % values
        except (KeyError, TypeError, ValueError):  # a broken translation, a bare %
            continue
    return template


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
        **params: Any,
    ) -> None:
        self.template = message
        self.params = params
        self.file = str(file) if file is not None else None
        self.line = line
        self.row = row
        self.field = field
        self.message = self.render()
        super().__init__(self.describe())

    @property
    def location(self) -> dict[str, Any]:
        """Where it happened, as keyword arguments for an error like this one."""
        return {
            "file": self.file,
            "line": self.line,
            "row": self.row,
            "field": self.field,
        }

    def render(self, translate: Translate = _english) -> str:
        """The message alone, filled in; English unless ``translate`` says otherwise."""
        return _fill(translate, self.template, {**self.location, **self.params})

    def describe(
        self, translate: Translate = _english, *, file: str | None = None
    ) -> str:
        """Render the location and the message as one line for people.

        ``file`` is the name to show for the file, such as an upload's own name
        rather than the path it was staged at.
        """
        where: list[str] = []
        if self.file:
            where.append(file or self.file)
        if self.line is not None:
            where.append(_fill(translate, "line %(line)s", {"line": self.line}))
        if self.row is not None:
            where.append(_fill(translate, "row %(row)s", {"row": self.row}))
        if self.field:
            where.append(_fill(translate, "field '%(field)s'", {"field": self.field}))
        message = self.render(translate)
        if not where:
            return message
        prefix = where[0]
        for part in where[1:]:
            prefix = _fill(
                translate, "%(where)s, %(part)s", {"where": prefix, "part": part}
            )
        return _fill(
            translate, "%(where)s: %(message)s", {"where": prefix, "message": message}
        )


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
