"""Template tags of the case library."""

from __future__ import annotations
