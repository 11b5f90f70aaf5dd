"""The coding frame: load, validate, edit and exchange codebooks."""

from __future__ import annotations

from libinnov.codebook.derive import derive_region
from libinnov.codebook.io import (
    codebook_to_dict,
    default_codebook,
    load_codebook,
    save_codebook,
)
from libinnov.codebook.model import Code, Codebook, Dimension

__all__ = [
    "Code",
    "Codebook",
    "Dimension",
    "codebook_to_dict",
    "default_codebook",
    "derive_region",
    "load_codebook",
    "save_codebook",
]
