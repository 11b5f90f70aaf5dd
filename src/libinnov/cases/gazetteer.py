"""The library gazetteer where the case API expects it (:mod:`libinnov.gazetteer`)."""

from __future__ import annotations

from libinnov.gazetteer import (
    FIELDS,
    Institution,
    LibraryFacts,
    enrich_case,
    infer_library_facts,
    infer_library_type,
    institutions,
)

__all__ = [
    "FIELDS",
    "Institution",
    "LibraryFacts",
    "enrich_case",
    "infer_library_facts",
    "infer_library_type",
    "institutions",
]
