"""The trained coder: one scikit-learn estimator per codebook dimension.

It follows the estimator contract (hyper-parameters in ``__init__``, learned state in
attributes ending in ``_``, ``fit`` returns ``self``) so that ``clone``, grid search
and cross-validation work on it. Features are TF-IDF over jieba words and over
character 2–3-grams, because segmentation errors on library jargon (``线上荐购`` →
``可线/上荐/购``) are common and character n-grams still see the word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from libinnov.coding.document import Document, prepare
from libinnov.text.normalise import normalise_text
from libinnov.text.segment import stopwords

Labels = Sequence[str] | Sequence[Sequence[str]]
_GRID = np.round(np.arange(0.10, 0.91, 0.05), 2)


def document_words(document: Document) -> list[str]:
    return document.features()


def document_text(document: Document) -> str:
    return document.normalised


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The cut-off on ``scores`` with the best F1 against ``truth`` (ties: lower)."""
    best, best_f1 = 0.5, -1.0
    for cut in _GRID:
        predicted = scores >= cut
        tp = float(np.sum(predicted & truth))
        denominator = float(np.sum(predicted) + np.sum(truth))
        f1 = 2 * tp / denominator if denominator else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(cut), f1
    return best


class DimensionClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Codes one dimension of a case text.

    Parameters
    ----------
    multi:
        one-vs-rest multi-label (a list of codes per case) or multiclass (one code).
    preparer:
        turns a raw text into a :class:`Document` (segmentation is injected here).
    C:
        inverse regularisation strength of the logistic regressions.
    min_examples:
        a code needs this many positive examples to get a model of its own.
    calibrate:
        Platt-scale each code's probabilities with an inner 3-fold CV.
    random_state:
        seed for every fold split, so training is repeatable.
    """

    def __init__(
        self,
        *,
        multi: bool = True,
        preparer: Callable[[str], Document] = prepare,
        C: float = 4.0,
        min_examples: int = 4,
        calibrate: bool = True,
        random_state: int = 0,
    ) -> None:
        self.multi = multi
        self.preparer = preparer
        self.C = C
        self.min_examples = min_examples
        self.calibrate = calibrate
        self.random_state = random_state

    # -- features ---------------------------------------------------------------

    def _documents(self, X: Sequence[str | Document]) -> list[Document]:
        return [x if isinstance(x, Document) else self.preparer(x) for x in X]

    def _features(self, documents: list[Document], fit: bool = False) -> Any:
        if fit:
            self.words_ = TfidfVectorizer(
                analyzer=document_words, sublinear_tf=True, min_df=1
            )
            self.chars_ = TfidfVectorizer(
                analyzer="char_wb",
                preprocessor=document_text,
                ngram_range=(2, 3),
                sublinear_tf=True,
                min_df=2,
            )
            words = self.words_.fit_transform(documents)
            chars = self.chars_.fit_transform(documents)
        else:
            words = self.words_.transform(documents)
            chars = self.chars_.transform(documents)
        return sparse.hstack([words, chars], format="csr")

    # -- fitting ----------------------------------------------------------------

    def _base(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C,
            class_weight="balanced",
            solver="liblinear",
            max_iter=1000,
            random_state=self.random_state,
        )

    def _binary_model(self, X: Any, y: np.ndarray) -> Any:
        if self.calibrate and min(int(y.sum()), int((~y).sum())) >= 6:
            folds = StratifiedKFold(3, shuffle=True, random_state=self.random_state)
            return CalibratedClassifierCV(self._base(), method="sigmoid", cv=folds).fit(
                X, y
            )
        return self._base().fit(X, y)

    def _oof_scores(self, X: Any, y: np.ndarray) -> np.ndarray:
        """Out-of-fold probabilities: what thresholds are chosen on."""
        scores = np.zeros(len(y))
        folds = StratifiedKFold(3, shuffle=True, random_state=self.random_state)
        for train, test in folds.split(X, y):
            if y[train].all() or not y[train].any():
                scores[test] = float(y[train].mean())
                continue
            model = self._base().fit(X[train], y[train])
            scores[test] = model.predict_proba(X[test])[:, 1]
        return scores

    def fit(self, X: Sequence[str | Document], y: Labels) -> DimensionClassifier:
        documents = self._documents(X)
        features = self._features(documents, fit=True)
        if self.multi:
            self._fit_multi(features, [list(v) for v in y])
        else:
            self._fit_single(features, [str(v) for v in y])
        self.n_features_in_ = features.shape[1]
        return self

    def _fit_multi(self, features: Any, y: list[list[str]]) -> None:
        codes = sorted({c for row in y for c in row})
        self.classes_ = np.array(codes, dtype=object)
        self.models_: dict[str, Any] = {}
        self.thresholds_: dict[str, float] = {}
        self.oof_scores_: dict[str, np.ndarray] = {}
        self.rare_classes_: list[str] = []
        for code in codes:
            target = np.array([code in row for row in y])
            if target.sum() < self.min_examples or (~target).sum() < self.min_examples:
                self.rare_classes_.append(code)
                continue
            self.models_[code] = self._binary_model(features, target)
            oof = self._oof_scores(features, target)
            self.oof_scores_[code] = oof
            self.thresholds_[code] = best_threshold(oof, target)

    def _fit_single(self, features: Any, y: list[str]) -> None:
        counts = {c: y.count(c) for c in set(y)}
        self.rare_classes_ = sorted(
            c for c, n in counts.items() if n < self.min_examples
        )
        keep = [i for i, c in enumerate(y) if c not in self.rare_classes_]
        labels = np.array([y[i] for i in keep], dtype=object)
        # lbfgs: a true multinomial model, whose softmax is the confidence shown.
        model = LogisticRegression(
            C=self.C,
            class_weight="balanced",
            max_iter=2000,
            random_state=self.random_state,
        )
        model.fit(features[keep], labels)
        self.models_ = {"*": model}
        self.classes_ = model.classes_
        self.thresholds_ = {}

    # -- prediction -------------------------------------------------------------

    def predict_proba(self, X: Sequence[str | Document]) -> np.ndarray:
        """Per case, the probability of each class in ``classes_`` (rare ones: NaN)."""
        check_is_fitted(self, "models_")
        features = self._features(self._documents(X))
        if not self.multi:
            return np.asarray(self.models_["*"].predict_proba(features))
        out = np.full((features.shape[0], len(self.classes_)), np.nan)
        for j, code in enumerate(self.classes_):
            model = self.models_.get(code)
            if model is not None:
                out[:, j] = model.predict_proba(features)[:, 1]
        return out

    def predict(self, X: Sequence[str | Document]) -> list[Any]:
        probabilities = self.predict_proba(X)
        if not self.multi:
            return [str(c) for c in self.classes_[np.argmax(probabilities, axis=1)]]
        cuts = np.array([self.thresholds_.get(c, np.inf) for c in self.classes_])
        return [
            [
                str(c)
                for c, p, cut in zip(self.classes_, row, cuts, strict=True)
                if p >= cut
            ]
            for row in probabilities
        ]

    # -- evidence ---------------------------------------------------------------

    def sentence_matrix(self, document: Document) -> Any:
        """Each sentence's features on its own (rows), reusing its words."""
        check_is_fitted(self, "models_")
        pieces = [
            Document((s,), (w,), normalise_text(s))
            for s, w in zip(document.sentences, document.words, strict=True)
        ]
        return self._features(pieces)

    def sentence_scores(
        self, document: Document, code: str, matrix: Any = None
    ) -> list[float]:
        """How much each sentence's words push towards ``code``.

        The word part of the linear model, summed over a sentence's words (idf
        weighted): cheap enough to run for every coded case, and it ranks sentences
        the way the model reads them. ``matrix`` (sentence features from
        :meth:`sentence_matrix`) gives the exact linear score instead.
        """
        coef = self._coefficients(code)
        if coef is None or not document.sentences:
            return [0.0] * len(document.sentences)
        if matrix is not None:
            return [float(v) for v in matrix @ coef]
        vocabulary = self.words_.vocabulary_
        idf = self.words_.idf_
        stop = stopwords()
        scores = []
        for words in document.words:
            total = 0.0
            for word in words:
                index = vocabulary.get(word)
                if index is not None and word not in stop:
                    total += float(coef[index] * idf[index])
            scores.append(total / max(len(words), 1) ** 0.5)
        return scores

    def _coefficients(self, code: str) -> np.ndarray | None:
        if self.multi:
            model = self.models_.get(code)
            if model is None:
                return None
            if isinstance(model, CalibratedClassifierCV):
                coefs = [c.estimator.coef_[0] for c in model.calibrated_classifiers_]
                return np.asarray(np.mean(coefs, axis=0))
            return np.asarray(model.coef_[0])
        model = self.models_["*"]
        index = list(model.classes_).index(code) if code in model.classes_ else None
        if index is None:
            return None
        coef = model.coef_
        return np.asarray(coef[index] if coef.shape[0] > 1 else coef[0])
