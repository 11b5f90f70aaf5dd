"""Django's ``makemessages``, also collecting the messages of the core's errors.

The core knows no Django: it raises errors whose first argument is an English
template (``InvalidCase("'%(value)s' is not a year", value=...)``), and the web
layer shows them through gettext, so their translations live in this catalogue.
Telling xgettext which callables take a template keeps them in it. Run it from
``src/`` so it reads the core and the web layer and nothing else.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.management.commands import makemessages

#: Callables whose first argument is an error message template: the error
#: classes and the helpers that build them (``Table.error``, the codebook
#: validator's ``_fail``).
ERROR_MESSAGE_CALLS = (
    "LibinnovError",
    "CodebookError",
    "InvalidCodebook",
    "CaseError",
    "InvalidCase",
    "ReadError",
    "UnreadableFile",
    "ModelError",
    "CampaignError",
    "AnalysisError",
    "MissingAsset",
    "BadFilter",
    "_fail",
    "error",
)
#: The templates ``LibinnovError.describe`` puts around a message (its location)
#: are the second argument of ``_fill``.
LOCATION_CALL = "_fill"


class Command(makemessages.Command):
    xgettext_options: ClassVar[list[str]] = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={name}" for name in ERROR_MESSAGE_CALLS),
        f"--keyword={LOCATION_CALL}:2",
    ]
