"""Cases: the stored case library, its facets, search and JSON twins."""

from __future__ import annotations
