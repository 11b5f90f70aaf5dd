"""Association tests for two-way tables of case counts.

χ² when the expected counts allow it; otherwise a Monte-Carlo exact test (Fisher's
exact test for 2×2), so small case sets still get an honest p-value. Cramér's V
measures strength; adjusted standardised residuals mark over- (> 1.96) and
under-represented (< −1.96) cells.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from libinnov.analysis.tables import Table

MONTE_CARLO_ROUNDS = 2000
SEED = 20240
#: p below which an association is called significant in reports and dashboards
ALPHA = 0.05
#: how each test is named to readers (the keys stay in summary.json)
TEST_LABELS: dict[str, dict[str, str]] = {
    "chi2": {"zh": "卡方检验", "en": "chi-square test"},
    "fisher_exact": {"zh": "Fisher 精确检验", "en": "Fisher's exact test"},
    "monte_carlo_exact": {"zh": "蒙特卡洛精确检验", "en": "Monte Carlo exact test"},
    "none": {"zh": "未检验", "en": "not tested"},
}


def is_significant(p: float | None) -> bool:
    """Whether a test's p-value makes its association significant (untested: no)."""
    return p is not None and p < ALPHA


def test_label(key: str, lang: str = "zh") -> str:
    """The readers' name of a test; an unknown key is shown as it is."""
    return TEST_LABELS.get(key, {}).get(lang, key)


NOTE_LABELS: dict[str, str] = {
    "not tested: one category only": "未检验：只有一个类别",
    "expected counts below 5": "有期望频数小于 5",
    "multiple response: a case counts once per code": (
        "多选维度：一个案例在它的每个代码下各计一次"
    ),
}
_PERMUTATIONS = re.compile(r"^(\d+) permutations$")


def note_text(note: str, lang: str = "zh") -> str:
    """A test's note for readers: :attr:`TestResult.note` stays English (it is
    data in summary.json); a Chinese report shows each known part in Chinese."""
    if lang != "zh" or not note:
        return note
    parts = []
    for part in note.split("; "):
        rounds = _PERMUTATIONS.match(part)
        parts.append(
            f"{rounds.group(1)} 次随机置换" if rounds else NOTE_LABELS.get(part, part)
        )
    return "；".join(parts)


@dataclass
class TestResult:
    rows: str
    cols: str
    test: str
    statistic: float | None
    p: float | None
    dof: int | None
    cramers_v: float | None
    residuals: list[list[float]] = field(default_factory=list)
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None or math.isnan(x) else round(x, 4)

        return {
            "rows": self.rows,
            "cols": self.cols,
            "test": self.test,
            "statistic": r(self.statistic),
            "p": r(self.p),
            "dof": self.dof,
            "cramers_v": r(self.cramers_v),
            "note": self.note,
        }


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows, cols = np.nonzero(counts)
    repeat = counts[rows, cols].astype(int)
    return np.repeat(rows, repeat), np.repeat(cols, repeat)


def _chi2(counts: np.ndarray) -> float:
    expected = np.outer(counts.sum(1), counts.sum(0)) / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(expected > 0, (counts - expected) ** 2 / expected, 0.0)
    return float(terms.sum())


def monte_carlo_p(counts: np.ndarray, rounds: int = MONTE_CARLO_ROUNDS) -> float:
    """P-value of χ² under independence by permuting column labels (fixed seed)."""
    rows, cols = _expand(counts)
    observed = _chi2(counts)
    rng = np.random.default_rng(SEED)
    n_rows, n_cols = counts.shape
    hits = 0
    for _ in range(rounds):
        permuted = rng.permutation(cols)
        table = np.bincount(rows * n_cols + permuted, minlength=n_rows * n_cols)
        hits += _chi2(table.reshape(n_rows, n_cols).astype(float)) >= observed - 1e-12
    return (hits + 1) / (rounds + 1)


def adjusted_residuals(counts: np.ndarray) -> np.ndarray:
    n = counts.sum()
    row = counts.sum(1, keepdims=True) / n
    col = counts.sum(0, keepdims=True) / n
    expected = n * row * col
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (counts - expected) / np.sqrt(expected * (1 - row) * (1 - col))
    return np.asarray(np.nan_to_num(out))


def association(table: Table) -> TestResult:
    """The right test for the table, with strength and cell residuals."""
    counts = np.array(table.counts, dtype=float)
    if counts.ndim != 2 or min(counts.shape) < 2:
        return TestResult(
            table.rows,
            table.cols,
            "none",
            None,
            None,
            None,
            None,
            note="not tested: one category only",
        )
    n = counts.sum()
    chi2, p, dof, expected = stats.chi2_contingency(counts, correction=False)
    v = math.sqrt(chi2 / (n * (min(counts.shape) - 1))) if n else math.nan
    residuals = adjusted_residuals(counts).round(2).tolist()
    if (expected < 5).mean() <= 0.2 and expected.min() >= 1:
        return TestResult(
            table.rows,
            table.cols,
            "chi2",
            float(chi2),
            float(p),
            int(dof),
            v,
            residuals,
        )
    if counts.shape == (2, 2):
        _, p_exact = stats.fisher_exact(counts)
        return TestResult(
            table.rows,
            table.cols,
            "fisher_exact",
            float(chi2),
            float(p_exact),
            int(dof),
            v,
            residuals,
            note="expected counts below 5",
        )
    return TestResult(
        table.rows,
        table.cols,
        "monte_carlo_exact",
        float(chi2),
        monte_carlo_p(counts),
        int(dof),
        v,
        residuals,
        note=f"expected counts below 5; {MONTE_CARLO_ROUNDS} permutations",
    )
