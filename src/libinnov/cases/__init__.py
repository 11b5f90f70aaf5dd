"""Cases: the record, reading and writing case files, and the library gazetteer."""

from __future__ import annotations

from libinnov.cases.io import (
    iter_cases,
    load_sample,
    read_cases,
    sample_path,
    write_cases,
    write_records,
)
from libinnov.cases.model import CORE_FIELDS, Case
from libinnov.cases.normalise import case_from_record, stable_id

__all__ = [
    "CORE_FIELDS",
    "Case",
    "case_from_record",
    "iter_cases",
    "load_sample",
    "read_cases",
    "sample_path",
    "stable_id",
    "write_cases",
    "write_records",
]
