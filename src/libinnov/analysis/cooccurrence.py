"""Which codes go together: focus areas × strategies, strategy × strategy.

For each pair: the cases with both, the Jaccard index, and a permutation p-value
(shuffling one dimension's code sets across cases, fixed seed) for "more often
together than chance".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from libinnov.cases.model import Case

ROUNDS = 500
SEED = 7


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
    return np.array(
        [[c in case.codes_list(key) for c in codes] for case in cases], float
    )


def cooccurrence(
    cases: Sequence[Case],
    rows: str,
    cols: str,
    row_codes: Sequence[str],
    col_codes: Sequence[str],
) -> Cooccurrence:
    a = _matrix(cases, rows, row_codes)
    b = _matrix(cases, cols, col_codes)
    both = a.T @ b
    either = a.sum(0)[:, None] + b.sum(0)[None, :] - both
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = np.where(either > 0, both / either, 0.0)
    rng = np.random.default_rng(SEED)
    exceed = np.zeros_like(both)
    for _ in range(ROUNDS):
        exceed += (a.T @ b[rng.permutation(len(cases))]) >= both - 1e-9
    p = (exceed + 1) / (ROUNDS + 1)
    if rows == cols:
        np.fill_diagonal(p, 1.0)
    ids = {
        r: {
            c: [
                case.id
                for case in cases
                if r in case.codes_list(rows) and c in case.codes_list(cols)
            ]
            for c in col_codes
        }
        for r in row_codes
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
