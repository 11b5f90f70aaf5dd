"""The supported API is exactly what ``libinnov.__all__`` lists, and all of it imports."""

from __future__ import annotations

import libinnov

EXPECTED = {
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
}


def test_all_names_are_the_supported_api() -> None:
    assert set(libinnov.__all__) == EXPECTED


def test_all_imports_are_exported() -> None:
    for name in libinnov.__all__:
        assert getattr(libinnov, name) is not None
