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


def cooccurrence(
    cases: Sequence[Case],
    rows: str,
    cols: str,
    row_codes: Sequence[str],
    col_codes: Sequence[str],
) -> Cooccurrence:
    """Counts, Jaccard and the one-sided p of each pair occurring together.

    Shuffling one dimension's code sets across cases keeps each code's total, so
    the count of cases holding both codes of a pair follows the hypergeometric
    distribution exactly; its upper tail is the permutation test's p-value without
    the Monte-Carlo noise or the cost of shuffling a large case set.
    """
    a = _matrix(cases, rows, row_codes)
    b = _matrix(cases, cols, col_codes)
    both = a.T @ b
    either = a.sum(0)[:, None] + b.sum(0)[None, :] - both
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(either > 0, both / either, 0.0)
    n = len(cases)
    p = hypergeom.sf(both - 1, n, a.sum(0)[:, None], b.sum(0)[None, :])
    p = np.clip(np.nan_to_num(p, nan=1.0), 0.0, 1.0)
    if rows == cols:
        np.fill_diagonal(p, 1.0)
    ids_of = np.array([case.id for case in cases], dtype=object)
    ids = {
        r: {
            c: ids_of[(a[:, i] * b[:, j]) > 0].tolist() for j, c in enumerate(col_codes)
        }
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
