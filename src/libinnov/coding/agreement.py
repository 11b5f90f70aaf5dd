"""Inter-coder reliability: percent agreement, Cohen's κ, Fleiss' κ, Krippendorff's α.

Coders are files of coded cases (a model's output counts as a coder). Single
dimensions are compared as nominal values; multi dimensions code by code, each as
present/absent, and as a whole over all (case, code) units. Statistics come from
well-kept implementations (scikit-learn, statsmodels, krippendorff); confidence
intervals are percentile bootstraps over cases with a fixed seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook
from libinnov.exceptions import CaseError

#: ratings[unit][coder]: a category index, or NaN where that coder gave none.
Ratings = np.ndarray
STATISTICS = ("percent", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha")


def percent_agreement(ratings: Ratings) -> float:
    """Share of coder pairs that agree, over units every pair rated."""
    agree = total = 0
    for row in ratings:
        values = row[~np.isnan(row)]
        for i in range(len(values)):
            for j in range(i + 1, len(values)):
                total += 1
                agree += int(values[i] == values[j])
    return agree / total if total else math.nan


def cohen_kappa(ratings: Ratings) -> float:
    """Cohen's κ for exactly two coders (units both rated)."""
    if ratings.shape[1] != 2:
        return math.nan
    both = ratings[~np.isnan(ratings).any(axis=1)]
    if len(both) == 0 or len(np.unique(both)) < 2:
        return 1.0 if len(both) and (both[:, 0] == both[:, 1]).all() else math.nan
    return float(cohen_kappa_score(both[:, 0], both[:, 1]))


def fleiss(ratings: Ratings) -> float:
    """Fleiss' κ over units that every coder rated."""
    full = ratings[~np.isnan(ratings).any(axis=1)].astype(int)
    if len(full) == 0:
        return math.nan
    table, _ = aggregate_raters(full)
    if table.shape[1] < 2:
        return 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(fleiss_kappa(table))


def krippendorff_alpha(ratings: Ratings) -> float:
    """Krippendorff's α (nominal), which allows missing ratings.

    Only units that two or more coders rated carry information about agreement
    (and ``krippendorff`` refuses data without one), so none means no estimate.
    """
    paired = ratings[(~np.isnan(ratings)).sum(axis=1) >= 2]
    values = paired[~np.isnan(paired)]
    if len(np.unique(values)) < 2:
        return 1.0 if len(values) else math.nan
    return float(
        krippendorff.alpha(reliability_data=ratings.T, level_of_measurement="nominal")
    )


_FUNCTIONS: dict[str, Callable[[Ratings], float]] = {
    "percent": percent_agreement,
    "cohen_kappa": cohen_kappa,
    "fleiss_kappa": fleiss,
    "krippendorff_alpha": krippendorff_alpha,
}


@dataclass
class Estimate:
    value: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float | None]:
        def clean(x: float) -> float | None:
            return None if math.isnan(x) else round(x, 4)

        return {
            "value": clean(self.value),
            "ci_low": clean(self.low),
            "ci_high": clean(self.high),
        }


def bootstrap(
    ratings: Ratings,
    statistic: Callable[[Ratings], float],
    *,
    groups: np.ndarray | None = None,
    rounds: int = 500,
    seed: int = 0,
) -> Estimate:
    """The statistic with a percentile 95 % interval, resampling cases.

    ``groups`` says which case each unit belongs to, so the several units of one case
    (its codes, for multi dimensions) are resampled together.
    """
    value = statistic(ratings)
    rng = np.random.default_rng(seed)
    groups = np.arange(len(ratings)) if groups is None else groups
    unique = np.unique(groups)
    members = {g: np.flatnonzero(groups == g) for g in unique}
    draws: list[float] = []
    for _ in range(rounds):
        chosen = rng.choice(unique, size=len(unique), replace=True)
        sample = ratings[np.concatenate([members[g] for g in chosen])]
        with np.errstate(all="ignore"):
            result = statistic(sample)
        if not math.isnan(result):
            draws.append(result)
    if not draws:
        return Estimate(value, math.nan, math.nan)
    low, high = np.percentile(draws, [2.5, 97.5])
    return Estimate(value, float(low), float(high))


@dataclass
class AgreementReport:
    coders: list[str]
    n_cases: int
    dimensions: dict[str, dict[str, Estimate]] = field(default_factory=dict)
    codes: dict[str, dict[str, dict[str, Estimate]]] = field(default_factory=dict)
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "coders": self.coders,
            "n_cases": self.n_cases,
            "dimensions": {
                d: {s: e.as_dict() for s, e in stats.items()}
                for d, stats in self.dimensions.items()
            },
            "codes": {
                d: {
                    c: {s: e.as_dict() for s, e in st.items()}
                    for c, st in codes.items()
                }
                for d, codes in self.codes.items()
            },
            "disagreements": self.disagreements,
        }


def _statistics(
    ratings: Ratings, groups: np.ndarray | None, rounds: int
) -> dict[str, Estimate]:
    n_coders = ratings.shape[1]
    names = [s for s in STATISTICS if s != "cohen_kappa" or n_coders == 2]
    return {
        s: bootstrap(ratings, _FUNCTIONS[s], groups=groups, rounds=rounds)
        for s in names
    }


def agreement(
    coders: Sequence[Sequence[Case]],
    codebook: Codebook,
    *,
    names: Sequence[str] | None = None,
    rounds: int = 500,
) -> AgreementReport:
    """Agreement of two or more coders on the cases they share (matched by id)."""
    if len(coders) < 2:
        raise CaseError("agreement needs at least two coders")
    names = list(names or [f"coder{i + 1}" for i in range(len(coders))])
    by_id = [{c.id: c for c in cases} for cases in coders]
    shared = [i for i in by_id[0] if all(i in other for other in by_id[1:])]
    if not shared:
        raise CaseError("the coders share no case ids")
    report = AgreementReport(names, len(shared))
    for dim in codebook.active_dimensions:
        if dim.derived or not all(dim.key in by_id[0][i].codes for i in shared):
            continue
        values = [[m[i].codes_list(dim.key) for m in by_id] for i in shared]
        report.disagreements += [
            {"id": case_id, "dimension": dim.key, **dict(zip(names, v, strict=True))}
            for case_id, v in zip(shared, values, strict=True)
            if any(sorted(x) != sorted(v[0]) for x in v[1:])
        ]
        if dim.is_multi:
            _multi(report, dim.key, dim.code_keys, values, rounds)
        else:
            index = {c: n for n, c in enumerate(dim.code_keys)}
            ratings = np.array(
                [
                    [index.get(x[0], math.nan) if x else math.nan for x in v]
                    for v in values
                ],
                dtype=float,
            )
            report.dimensions[dim.key] = _statistics(ratings, None, rounds)
    return report


def _multi(
    report: AgreementReport,
    key: str,
    codes: Sequence[str],
    values: list[list[list[str]]],
    rounds: int,
) -> None:
    blocks = []
    report.codes[key] = {}
    for code in codes:
        ratings = np.array([[float(code in x) for x in v] for v in values])
        blocks.append(ratings)
        if ratings.any():
            report.codes[key][code] = _statistics(ratings, None, rounds)
    stacked = np.vstack(blocks)
    groups = np.tile(np.arange(len(values)), len(codes))
    report.dimensions[key] = _statistics(stacked, groups, rounds)
    report.dimensions[key]["percent"] = _exact_match(values, rounds)


def _exact_match(values: list[list[list[str]]], rounds: int) -> Estimate:
    """Case-level percent agreement on a multi dimension: the same set of codes.

    Pooled present/absent units would count every code nobody chose as agreement.
    """
    sets: dict[tuple[str, ...], int] = {}
    ratings = np.array(
        [
            [sets.setdefault(tuple(sorted(x)), len(sets)) for x in unit]
            for unit in values
        ],
        dtype=float,
    )
    return bootstrap(ratings, percent_agreement, rounds=rounds)


def compare_values(
    values: Sequence[Sequence[Any]],
    codes: Sequence[str],
    *,
    multi: bool,
    rounds: int = 500,
) -> dict[str, Estimate]:
    """Agreement statistics for raw values: ``values[unit][coder]``.

    A value is a code (single dimensions) or a list of codes (multi dimensions,
    compared code by code as present/absent and pooled). For callers that hold
    codes outside :class:`Case` records, such as the web workbench.
    """

    def as_list(value: Any) -> list[str]:
        if value is None:
            return []
        return (
            [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        )

    lists = [[as_list(v) for v in unit] for unit in values]
    if multi:
        blocks = [
            np.array([[float(code in x) for x in unit] for unit in lists])
            for code in codes
        ]
        stacked = np.vstack(blocks)
        groups = np.tile(np.arange(len(lists)), len(codes))
        stats = _statistics(stacked, groups, rounds)
        stats["percent"] = _exact_match(lists, rounds)
        return stats
    index = {c: n for n, c in enumerate(codes)}
    ratings = np.array(
        [
            [index.get(x[0], math.nan) if x else math.nan for x in unit]
            for unit in lists
        ],
        dtype=float,
    )
    return _statistics(ratings, None, rounds)
