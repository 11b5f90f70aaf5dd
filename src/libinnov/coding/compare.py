"""Would new codes make a better coder? Two training sets on the same held-out cases.

After coders settle more cases, the question is not how good the new model is in
the abstract but whether it beats the one in use. Both are cross-validated on the
same folds of the new training set: per fold, the *before* model learns only from
the cases the old set held, the *after* model from all of them, and both code the
same held-out cases, so the difference is what the new codes bought.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.model_selection import StratifiedKFold

from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook
from libinnov.coding.document import Document, prepare
from libinnov.coding.evaluate import DimensionScore, _strata, score_predictions
from libinnov.coding.model import CodingModel
from libinnov.exceptions import ModelError

Progress = Callable[[int, int, str], None]
MIN_CASES = 10


@dataclass(frozen=True)
class Comparison:
    before: dict[str, DimensionScore]
    after: dict[str, DimensionScore]
    n_cases: int
    n_new: int
    folds: int


def _blank(case: Case) -> Case:
    return replace(case, codes={}, confidence={}, evidence={}, needs_review=())


def _fit(
    cases: Sequence[Case],
    docs: Sequence[Document],
    rows: Sequence[int],
    codebook: Codebook,
    random_state: int,
) -> CodingModel:
    return CodingModel.train(
        [cases[i] for i in rows],
        codebook,
        random_state=random_state,
        documents=[docs[i] for i in rows],
    )


def compare_training_sets(
    cases: Sequence[Case],
    old_ids: Collection[str],
    codebook: Codebook,
    *,
    folds: int = 5,
    random_state: int = 0,
    progress: Progress | None = None,
) -> Comparison:
    """Cross-validated scores of the old training set (``old_ids``) and of ``cases``.

    When every case was in the old set, both sides are the same model and the
    before scores equal the after scores.
    """
    if not codebook.coded_dimensions:
        raise ModelError("the codebook has no dimension to code: nothing to train")
    if len(cases) < MIN_CASES:
        raise ModelError(
            "comparing models needs at least %(minimum)s coded cases, got %(count)s",
            minimum=MIN_CASES,
            count=len(cases),
        )
    old = set(old_ids)
    docs = [prepare(c.text) for c in cases]
    n_new = sum(c.id not in old for c in cases)
    folds = max(2, min(folds, len(cases) // 2))
    strata_key = next(
        (d.key for d in codebook.coded_dimensions if not d.is_multi),
        codebook.coded_dimensions[0].key,
    )
    splitter = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    split = splitter.split(np.zeros(len(cases)), _strata(cases, strata_key, folds))
    before: dict[int, Case] = {}
    after: dict[int, Case] = {}
    steps = folds * (2 if n_new else 1)
    done = 0
    for fold, (train, test) in enumerate(split, start=1):
        new_model = _fit(cases, docs, train, codebook, random_state)
        done += 1
        if progress:
            progress(done, steps, f"fold {fold}/{folds}: with the new codes")
        old_model = new_model
        if n_new:
            rows = [i for i in train if cases[i].id in old]
            old_model = _fit(cases, docs, rows, codebook, random_state)
            done += 1
            if progress:
                progress(done, steps, f"fold {fold}/{folds}: the model in use")
        for i in test:
            after[i] = new_model.apply(_blank(cases[i]), docs[i])
            before[i] = old_model.apply(_blank(cases[i]), docs[i])
    return Comparison(
        before=score_predictions(cases, before, codebook),
        after=score_predictions(cases, after, codebook),
        n_cases=len(cases),
        n_new=n_new,
        folds=folds,
    )
