"""libinnov: collect, code, analyse and share library service innovation cases.

The supported public API is what ``__all__`` lists; everything else is private and
may change.
"""

from __future__ import annotations

from libinnov.cases import Case, iter_cases, load_sample, read_cases, write_cases
from libinnov.cases.gazetteer import infer_library_facts
from libinnov.codebook import Codebook, derive_region, load_codebook
from libinnov.exceptions import LibinnovError

__version__ = "0.1.0"

__all__ = [
    "Case",
    "Codebook",
    "LibinnovError",
    "__version__",
    "derive_region",
    "infer_library_facts",
    "iter_cases",
    "load_codebook",
    "load_sample",
    "read_cases",
    "write_cases",
]
