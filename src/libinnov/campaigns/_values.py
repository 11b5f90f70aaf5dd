"""Reading the cells people type into review sheets: numbers, ids and lists."""

from __future__ import annotations

import math
import re
from typing import Any

from libinnov.exceptions import CampaignError
from libinnov.text.normalise import clean_whitespace, to_halfwidth

#: What separates the items of a list typed into one cell (entry ids, author names).
LIST_SEPARATORS = re.compile(r"[;；、,，\n]+")


def is_blank(value: Any) -> bool:
    """Empty cells arrive as None, "", whitespace or NaN depending on the reader."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def number(value: Any) -> float:
    """A finite number from a cell, accepting full-width digits (``８．５``).

    Raises :class:`CampaignError` without a location; callers add the field.
    """
    if isinstance(value, bool):
        raise CampaignError("'%(value)s' is not a number", value=value)
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = to_halfwidth(str(value)).strip()
        try:
            result = float(text)
        except ValueError:
            raise CampaignError("'%(value)s' is not a number", value=value) from None
    if not math.isfinite(result):
        raise CampaignError("'%(value)s' is not a finite number", value=value)
    return result


def identifier(value: Any) -> str:
    """An entry or reviewer id as typed: ``Ａ０１`` is ``A01`` and Excel's 12.0 is 12.

    Ids are compared exactly after this, so both sides of a match go through it.
    """
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_whitespace(to_halfwidth(str(value)))


def items(value: Any) -> tuple[str, ...]:
    """The items of a list cell (``A01；A02、A03``) or of a JSON list."""
    if is_blank(value):
        return ()
    parts = (
        value if isinstance(value, list | tuple) else LIST_SEPARATORS.split(str(value))
    )
    return tuple(i for i in (identifier(p) for p in parts) if i)


def relocated(exc: CampaignError, **where: Any) -> CampaignError:
    """The same error with the location the caller knows (file, row, field) added."""
    location = exc.location
    location.update({k: v for k, v in where.items() if v is not None})
    return CampaignError(exc.template, **location, **exc.params)
