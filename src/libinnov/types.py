"""Type aliases shared across the core."""

from __future__ import annotations

from typing import Any, NewType

DimensionKey = NewType("DimensionKey", str)
CodeKey = NewType("CodeKey", str)
JSONDict = dict[str, Any]
#: A case as a flat JSON-like record, exactly as the case-file contract spells it.
Record = dict[str, Any]
#: The value of one dimension on one case: a code (single) or a list of codes (multi).
CodeValue = str | list[str] | None
