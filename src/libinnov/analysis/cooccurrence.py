"""Which codes go together: focus areas × strategies, strategy × strategy.

For each pair: the cases with both, the Jaccard index, and the exact p-value of the
permutation test (shuffling one dimension's code sets across cases) for "more often
together than chance", from the hypergeometric distribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import hypergeom

from libinnov.analysis.index import CodeIndex, index_for
from libinnov.cases.model import Case


@dataclass
class Cooccurrence:
    rows: str
    cols: str
    row_codes: list[str]
    col_codes: list[str]
    counts: list[list[int]]
    jaccard: list[list[float]]
    p: list[list[float]]
    case_ids: dict[str, dict[str, list[str]]]

    @property
    def name(self) -> str:
        return f"{self.rows} x {self.cols}"

    def as_dict(self) -> dict[str, Any]:
        return {
            r: {
                c: {
                    "count": self.counts[i][j],
                    "jaccard": self.jaccard[i][j],
                    "p": self.p[i][j],
                }
                for j, c in enumerate(self.col_codes)
            }
            for i, r in enumerate(self.row_codes)
        }


def _matrix(cases: Sequence[Case], key: str, codes: Sequence[str]) -> np.ndarray:
    column = {code: j for j, code in enumerate(codes)}
    matrix = np.zeros((len(cases), len(codes)))
    for i, case in enumerate(cases):
        for code in case.codes_list(key):
            j = column.get(code)
            if j is not None:
                matrix[i, j] = 1.0
    return matrix


def _pattern_matrix(
    index: CodeIndex, key: str, codes: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_matrix` worked out once per distinct pattern, and each case's row."""
    patterns, ids = index.column(key)
    column = {code: j for j, code in enumerate(codes)}
    matrix = np.zeros((len(patterns), len(codes)))
    for i, pattern in enumerate(patterns):
        for code in pattern.listed:
            j = column.get(code)
            if j is not None:
                matrix[i, j] = 1.0
    return matrix, ids


def _pair_ids(
    index: CodeIndex, rows: str, cols: str, a: np.ndarray, b: np.ndarray
) -> dict[tuple[int, int], list[str]]:
    """The ids of the cases with both codes of each (row, column) pair that has any.

    ``a`` and ``b`` are the per-pattern matrices; the pairs of patterns are
    walked instead of the cases.
    """
    groups = index.groups(rows, cols)
    holders: dict[tuple[int, int], list[int]] = {}
    for k, (rp, cp) in enumerate(groups.combos):
        for i in np.flatnonzero(a[rp]).tolist():
            for j in np.flatnonzero(b[cp]).tolist():
                holders.setdefault((i, j), []).append(k)
    return {ij: index.ids_of(groups.members(ks)) for ij, ks in holders.items()}


def cooccurrence(
    cases: Sequence[Case],
    rows: str,
    cols: str,
    row_codes: Sequence[str],
    col_codes: Sequence[str],
    *,
    index: CodeIndex | None = None,
) -> Cooccurrence:
    """Counts, Jaccard and the one-sided p of each pair occurring together.

    Shuffling one dimension's code sets across cases keeps each code's total, so
    the count of cases holding both codes of a pair follows the hypergeometric
    distribution exactly; its upper tail is the permutation test's p-value without
    the Monte-Carlo noise or the cost of shuffling a large case set.

    ``index`` (built on ``cases``) lets the tables of one analysis share the
    reading of the codes.
    """
    index = index_for(cases, index)
    row_matrix, row_of = _pattern_matrix(index, rows, row_codes)
    col_matrix, col_of = _pattern_matrix(index, cols, col_codes)
    a, b = row_matrix[row_of], col_matrix[col_of]
    both = a.T @ b
    either = a.sum(0)[:, None] + b.sum(0)[None, :] - both
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(either > 0, both / either, 0.0)
    n = len(cases)
    p = hypergeom.sf(both - 1, n, a.sum(0)[:, None], b.sum(0)[None, :])
    p = np.clip(np.nan_to_num(p, nan=1.0), 0.0, 1.0)
    if rows == cols:
        np.fill_diagonal(p, 1.0)
    pairs = _pair_ids(index, rows, cols, row_matrix, col_matrix)
    ids = {
        r: {c: pairs.get((i, j), []) for j, c in enumerate(col_codes)}
        for i, r in enumerate(row_codes)
    }
    return Cooccurrence(
        rows,
        cols,
        list(row_codes),
        list(col_codes),
        both.astype(int).tolist(),
        jaccard.round(3).tolist(),
        p.round(4).tolist(),
        ids,
    )
