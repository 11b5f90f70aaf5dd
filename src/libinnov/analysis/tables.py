"""Counts of cases by code, alone and in pairs, each cell keeping its case ids.

Counts for multi dimensions count cases: a case with two focus codes adds one to
each. Every number can be traced back to the cases behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook, Dimension
from libinnov.exceptions import LibinnovError

UNKNOWN = "unknown"


class AnalysisError(LibinnovError):
    """The data or the request cannot be analysed (empty set, unknown dimension)."""


def dimension_or_error(codebook: Codebook, key: str) -> Dimension:
    if key not in codebook:
        known = ", ".join(codebook.keys)
        raise AnalysisError(f"the codebook has no dimension '{key}' (known: {known})")
    return codebook.dimension(key)


def codes_of(case: Case, key: str) -> list[str]:
    """A case's codes on a dimension, or ``province``; ``unknown`` when missing."""
    if key == "province":
        return [case.province] if case.province else [UNKNOWN]
    if key == "year":
        return [str(case.year)] if case.year else [UNKNOWN]
    values = case.codes_list(key)
    if key not in case.codes:
        return [UNKNOWN]
    return values


@dataclass
class Distribution:
    key: str
    counts: dict[str, int]
    shares: dict[str, float]
    case_ids: dict[str, list[str]]
    n_cases: int
    codes_per_case: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"counts": self.counts, "shares": self.shares}
        if self.codes_per_case:
            out["codes_per_case"] = {str(k): v for k, v in self.codes_per_case.items()}
        return out


def distribution(
    cases: Sequence[Case], key: str, order: Sequence[str] = ()
) -> Distribution:
    """How many cases carry each code (shares of all cases)."""
    ids: dict[str, list[str]] = {code: [] for code in order}
    per_case: dict[int, int] = {}
    for case in cases:
        codes = codes_of(case, key)
        per_case[len(codes)] = per_case.get(len(codes), 0) + 1
        for code in dict.fromkeys(codes):
            ids.setdefault(code, []).append(case.id)
    if UNKNOWN in ids and not ids[UNKNOWN]:
        del ids[UNKNOWN]
    n = len(cases)
    counts = {code: len(v) for code, v in ids.items()}
    shares = {code: round(c / n, 4) if n else 0.0 for code, c in counts.items()}
    multi = any(k != 1 for k in per_case)
    return Distribution(key, counts, shares, ids, n, per_case if multi else {})


@dataclass
class Table:
    """A two-way table of case counts with the case ids of every cell."""

    rows: str
    cols: str
    row_codes: list[str]
    col_codes: list[str]
    counts: list[list[int]]
    case_ids: dict[str, dict[str, list[str]]]

    @property
    def name(self) -> str:
        return f"{self.rows} x {self.cols}"

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            r: {c: self.counts[i][j] for j, c in enumerate(self.col_codes)}
            for i, r in enumerate(self.row_codes)
        }


def crosstab_counts(
    cases: Sequence[Case],
    rows: str,
    cols: str,
    row_order: Sequence[str] = (),
    col_order: Sequence[str] = (),
) -> Table:
    """Cases by row code and column code (multi codes count the case in each)."""
    cells: dict[str, dict[str, list[str]]] = {}
    row_codes = list(row_order)
    col_codes = list(col_order)
    for case in cases:
        for r in dict.fromkeys(codes_of(case, rows)):
            for c in dict.fromkeys(codes_of(case, cols)):
                cells.setdefault(r, {}).setdefault(c, []).append(case.id)
                if r not in row_codes:
                    row_codes.append(r)
                if c not in col_codes:
                    col_codes.append(c)
    counts = [[len(cells.get(r, {}).get(c, [])) for c in col_codes] for r in row_codes]
    keep_rows = [i for i, row in enumerate(counts) if sum(row)]
    keep_cols = [
        j for j in range(len(col_codes)) if any(counts[i][j] for i in keep_rows)
    ]
    return Table(
        rows,
        cols,
        [row_codes[i] for i in keep_rows],
        [col_codes[j] for j in keep_cols],
        [[counts[i][j] for j in keep_cols] for i in keep_rows],
        cells,
    )


def pair_counts(
    cases: Sequence[Case], key: str, order: Sequence[str]
) -> dict[tuple[str, str], list[str]]:
    """Cases that carry both codes of each pair within one multi dimension."""
    out: dict[tuple[str, str], list[str]] = {}
    rank = {code: i for i, code in enumerate(order)}
    for case in cases:
        codes = sorted(set(case.codes_list(key)), key=lambda c: rank.get(c, 99))
        for a, b in combinations(codes, 2):
            out.setdefault((a, b), []).append(case.id)
    return out
