"""Counts of cases by code, alone and in pairs, each cell keeping its case ids.

Counts for multi dimensions count cases: a case with two focus codes adds one to
each. Every number can be traced back to the cases behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from libinnov.analysis.index import UNKNOWN, CodeIndex, Groups, Pattern, index_for
from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook, Dimension
from libinnov.exceptions import LibinnovError

__all__ = [
    "UNKNOWN",
    "AnalysisError",
    "Distribution",
    "Table",
    "codes_of",
    "crosstab_counts",
    "dimension_or_error",
    "distribution",
    "pair_counts",
]


class AnalysisError(LibinnovError):
    """The data or the request cannot be analysed (empty set, unknown dimension)."""


def dimension_or_error(codebook: Codebook, key: str) -> Dimension:
    if key not in codebook:
        known = ", ".join(codebook.keys)
        raise AnalysisError(
            "the codebook has no dimension '%(dimension)s' (known: %(known)s)",
            dimension=key,
            known=known,
        )
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
    cases: Sequence[Case],
    key: str,
    order: Sequence[str] = (),
    *,
    index: CodeIndex | None = None,
) -> Distribution:
    """How many cases carry each code (shares of all cases).

    ``index`` (built on ``cases``) lets the tables of one analysis share the
    reading of the codes.
    """
    index = index_for(cases, index)
    patterns, _ = index.column(key)
    groups = index.groups(key)
    per_case: dict[int, int] = {}
    holders: dict[str, list[int]] = {code: [] for code in order}
    for k, (p,) in enumerate(groups.combos):
        width = len(patterns[p].codes)
        per_case[width] = per_case.get(width, 0) + groups.size(k)
        for code in patterns[p].distinct:
            holders.setdefault(code, []).append(k)
    if UNKNOWN in holders and not holders[UNKNOWN]:
        del holders[UNKNOWN]
    ids = {code: index.ids_of(groups.members(ks)) for code, ks in holders.items()}
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
    *,
    index: CodeIndex | None = None,
) -> Table:
    """Cases by row code and column code (multi codes count the case in each).

    ``index`` (built on ``cases``) lets the tables of one analysis share the
    reading of the codes.
    """
    index = index_for(cases, index)
    row_codes = list(row_order)
    col_codes = list(col_order)
    groups = index.groups(rows, cols)
    holders = _cell_holders(
        groups, index.column(rows)[0], index.column(cols)[0], row_codes, col_codes
    )
    cells = {
        r: {c: index.ids_of(groups.members(ks)) for c, ks in row.items()}
        for r, row in holders.items()
    }
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


def _cell_holders(
    groups: Groups,
    row_patterns: list[Pattern],
    col_patterns: list[Pattern],
    row_codes: list[str],
    col_codes: list[str],
) -> dict[str, dict[str, list[int]]]:
    """The pattern pairs behind each cell, cells and codes in order of first case.

    Walking the pairs in order of their first case adds cells (and new codes to
    ``row_codes`` / ``col_codes``) in the order a walk over the cases would.
    """
    holders: dict[str, dict[str, list[int]]] = {}
    for k, (rp, cp) in enumerate(groups.combos):
        for r in row_patterns[rp].distinct:
            for c in col_patterns[cp].distinct:
                holders.setdefault(r, {}).setdefault(c, []).append(k)
                if r not in row_codes:
                    row_codes.append(r)
                if c not in col_codes:
                    col_codes.append(c)
    return holders


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
