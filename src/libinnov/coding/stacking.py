"""Second stage: per code, a small logistic regression over first-stage signals.

The first stage scores every code twice: a classifier's calibrated probability and
the strength of the codebook's indicator terms. How far to trust one against the
other differs from code to code (terms decide ``audience: disabled``; the classifier
decides ``strategy: capacity``), so a per-code logistic regression learns the mix.

Dimensions also inform each other. Whether a case uses any technology at all is a
strong hint for ``strategy: technology``, whose codebook definition lists the
technologies of the ``technology`` dimension. Each code therefore also reads, for
every other dimension, its strongest probability and strongest indicator strength
(a classifier chain over label co-occurrence, kept to a few numbers per dimension:
with a hundred or so training cases, one input per code of every dimension
over-fits, as measured).

Everything is learned from out-of-fold first-stage scores, so the second stage
weighs the signals as they behave on unseen cases, and its cut-offs are chosen on
its own out-of-fold probabilities. Coding reads a few numbers per code: one small
product per dimension.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from libinnov.coding.estimators import INNER_FOLDS, best_threshold, sigmoid

#: Regularisation strengths the inner cross-validation chooses from.
STACK_C_GRID: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0, 10.0)


class CodeStacker(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """One logistic regression per code over that code's own signals.

    ``X`` has shape (cases, codes, signals): for each case and code, the numbers
    that code's model reads (all in 0..1). ``y`` is the (cases, codes) boolean
    indicator matrix. A code with at least ``min_examples`` cases on both sides
    gets a model; its ``C`` (by out-of-fold log-loss) and its cut-off (by
    out-of-fold F1) are chosen by cross-validation inside the training data.

    Parameters
    ----------
    C:
        one inverse regularisation strength, or a grid to choose from by inner
        cross-validation.
    min_examples:
        positives (and negatives) a code needs to get a model.
    random_state:
        seed of the fold splits.
    """

    def __init__(
        self,
        *,
        C: float | tuple[float, ...] = STACK_C_GRID,
        min_examples: int = 4,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.min_examples = min_examples
        self.random_state = random_state

    def _grid(self) -> tuple[float, ...]:
        if isinstance(self.C, int | float):
            return (float(self.C),)
        return tuple(float(c) for c in self.C)

    @staticmethod
    def _model(C: float) -> LogisticRegression:
        return LogisticRegression(C=C, class_weight="balanced", max_iter=1000)

    def _oof(self, X: np.ndarray, y: np.ndarray, C: float) -> np.ndarray:
        out = np.zeros(len(y))
        folds = StratifiedKFold(
            INNER_FOLDS, shuffle=True, random_state=self.random_state
        )
        for train, test in folds.split(X, y):
            model = self._model(C).fit(X[train], y[train])
            out[test] = model.predict_proba(X[test])[:, 1]
        return out

    def fit(self, X: Any, y: Any) -> CodeStacker:
        X = np.asarray(X, dtype=float)
        Y = np.asarray(y, dtype=bool)
        if X.ndim != 3 or Y.shape != X.shape[:2]:
            raise ValueError("X must be (cases, codes, signals), y (cases, codes)")
        n_codes, n_signals = X.shape[1], X.shape[2]
        self.classes_ = np.arange(n_codes)
        self.coef_ = np.zeros((n_codes, n_signals))
        self.intercept_ = np.zeros(n_codes)
        self.learned_ = np.zeros(n_codes, dtype=bool)
        self.C_ = np.full(n_codes, np.nan)
        self.thresholds_ = np.full(n_codes, np.inf)
        self.oof_scores_: dict[int, np.ndarray] = {}
        least = max(self.min_examples, INNER_FOLDS)
        for j in range(n_codes):
            target, inputs = Y[:, j], X[:, j, :]
            if min(int(target.sum()), int((~target).sum())) < least:
                continue
            oofs = {C: self._oof(inputs, target, C) for C in self._grid()}
            losses = {C: _log_loss(target, o) for C, o in oofs.items()}
            best = min(losses, key=lambda C: (round(losses[C], 6), C))
            model = self._model(best).fit(inputs, target)
            self.coef_[j] = model.coef_[0]
            self.intercept_[j] = model.intercept_[0]
            self.learned_[j] = True
            self.C_[j] = best
            self.oof_scores_[int(j)] = oofs[best]
            self.thresholds_[j] = best_threshold(oofs[best], target)
        self.n_features_in_ = n_signals
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """(cases, codes) probabilities; codes without a model get NaN."""
        check_is_fitted(self, "coef_")
        X = np.asarray(X, dtype=float)
        out = sigmoid(np.einsum("ijk,jk->ij", X, self.coef_) + self.intercept_)
        out[:, ~self.learned_] = np.nan
        return out

    def predict(self, X: Any) -> np.ndarray:
        """(cases, codes) booleans: probability at or above the code's cut-off."""
        return np.asarray(np.nan_to_num(self.predict_proba(X)) >= self.thresholds_)


def _log_loss(truth: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return -float(np.mean(truth * np.log(p) + (~truth) * np.log(1 - p)))
