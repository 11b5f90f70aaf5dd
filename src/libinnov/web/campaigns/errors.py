"""The errors campaign services raise for a rule the visitor broke."""

from __future__ import annotations


class Refused(Exception):
    """A request the campaign cannot take; ``message`` is written for the user.

    ``field`` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class CallClosed(Refused):
    """A submission arrived after the call stopped taking them."""


class NeedsConfirmation(Refused):
    """A change that would withdraw submitted reviews, asked for without a yes.

    ``withdrawn`` is how many reviews it would take out of the standings.
    """

    def __init__(self, message: str, *, withdrawn: int) -> None:
        self.withdrawn = withdrawn
        super().__init__(message)
