"""Honest measurement of a coder: stratified cross-validation on coded cases.

Everything learned, thresholds included, is learned inside each training fold, so
the scores are what a new case set can expect, not what the training set allows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook
from libinnov.coding.document import Document, prepare
from libinnov.coding.model import CodingModel


@dataclass
class CodeScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class DimensionScore:
    key: str
    multi: bool
    per_code: dict[str, CodeScore]
    macro_f1: float
    micro_f1: float
    accuracy: float | None = None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "multi": self.multi,
            "macro_f1": round(self.macro_f1, 4),
            "micro_f1": round(self.micro_f1, 4),
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
            "per_code": {
                c: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for c, s in self.per_code.items()
            },
            "confusion": self.confusion,
        }


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score_dimension(
    key: str,
    codes: Sequence[str],
    truth: list[list[str]],
    predicted: list[list[str]],
    multi: bool,
) -> DimensionScore:
    """Precision, recall and F1 per code, with macro and micro averages."""
    per_code: dict[str, CodeScore] = {}
    totals = [0, 0, 0]
    for code in codes:
        tp = sum(code in t and code in p for t, p in zip(truth, predicted, strict=True))
        fp = sum(
            code not in t and code in p for t, p in zip(truth, predicted, strict=True)
        )
        fn = sum(
            code in t and code not in p for t, p in zip(truth, predicted, strict=True)
        )
        support = sum(code in t for t in truth)
        if support == 0 and fp == 0:
            continue
        per_code[code] = CodeScore(*_prf(tp, fp, fn), support=support)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    supported = [s.f1 for s in per_code.values() if s.support > 0]
    macro = float(np.mean(supported)) if supported else 0.0
    micro = _prf(*totals)[2]
    score = DimensionScore(key, multi, per_code, macro, micro)
    if not multi:
        score.accuracy = float(
            np.mean([t[:1] == p[:1] for t, p in zip(truth, predicted, strict=True)])
        )
        matrix: dict[str, Counter[str]] = {}
        for t, p in zip(truth, predicted, strict=True):
            matrix.setdefault(t[0] if t else "-", Counter())[p[0] if p else "-"] += 1
        score.confusion = {k: dict(v) for k, v in sorted(matrix.items())}
    return score


def _strata(cases: Sequence[Case], key: str, folds: int) -> list[str]:
    labels = [str(c.codes.get(key)) for c in cases]
    counts = Counter(labels)
    common = counts.most_common(1)[0][0]
    # Classes rarer than the folds join the commonest one, so every stratum splits.
    return [label if counts[label] >= folds else common for label in labels]


def cross_validate(
    cases: Sequence[Case],
    codebook: Codebook,
    *,
    folds: int = 5,
    random_state: int = 0,
    progress: Callable[[int], None] | None = None,
) -> dict[str, DimensionScore]:
    """Stratified k-fold scores of the default ensemble for every coded dimension."""
    predicted = out_of_fold(
        cases, codebook, folds=folds, random_state=random_state, progress=progress
    )
    return score_predictions(cases, dict(enumerate(predicted)), codebook)


def out_of_fold(
    cases: Sequence[Case],
    codebook: Codebook,
    *,
    folds: int = 5,
    random_state: int = 0,
    progress: Callable[[int], None] | None = None,
) -> list[Case]:
    """Every case coded by a model that never saw it, in input order.

    These are the predictions the scores are computed from. Compared with the
    coders' labels (``libinnov agreement``) they show where model and coders part,
    which is also where a coder may have slipped: the cases worth adjudicating first.
    """
    documents: list[Document] = [prepare(c.text) for c in cases]
    strata_key = next(
        (d.key for d in codebook.coded_dimensions if not d.is_multi),
        codebook.coded_dimensions[0].key,
    )
    strata = _strata(cases, strata_key, folds)
    coded = {d.key for d in codebook.coded_dimensions}
    splitter = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    predicted: dict[int, Case] = {}
    for fold, (train, test) in enumerate(splitter.split(np.zeros(len(cases)), strata)):
        model = CodingModel.train(
            [cases[i] for i in train],
            codebook,
            random_state=random_state,
            documents=[documents[i] for i in train],
        )
        for i in test:
            facts = {k: v for k, v in cases[i].codes.items() if k not in coded}
            blank = replace(
                cases[i], codes=facts, confidence={}, evidence={}, needs_review=()
            )
            predicted[i] = model.apply(blank, documents[i])
        if progress:
            progress(fold + 1)
    return [predicted[i] for i in range(len(cases))]


def score_predictions(
    cases: Sequence[Case], predicted: Mapping[int, Case], codebook: Codebook
) -> dict[str, DimensionScore]:
    """Scores per coded dimension of ``predicted[i]`` against ``cases[i]``."""
    scores: dict[str, DimensionScore] = {}
    for dim in codebook.coded_dimensions:
        rows = [i for i, c in enumerate(cases) if dim.key in c.codes]
        if not rows:
            continue
        truth = [cases[i].codes_list(dim.key) for i in rows]
        guess = [predicted[i].codes_list(dim.key) for i in rows]
        scores[dim.key] = score_dimension(
            dim.key, dim.code_keys, truth, guess, dim.is_multi
        )
    return scores
