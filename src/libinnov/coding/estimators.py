"""The trained coder: a shared text feature space and one estimator per dimension.

Both follow the scikit-learn estimator contract (hyper-parameters in ``__init__``,
learned state in attributes ending in ``_``, ``fit`` returns ``self``) so that
``clone``, grid search and cross-validation work on them. Features are TF-IDF over
jieba words and over character n-grams, because segmentation errors on library
jargon (``线上荐购`` → ``可线/上荐/购``) are common and character n-grams still see
the word; which n-grams (1, 1-2 or 2-3 characters) is measured on the training
texts by :func:`select_features`, as is each dimension's regularisation. Every
dimension reads the same features, so a text is vectorised once however many
dimensions the codebook has.

A fitted classifier keeps only its coefficients and calibration, so predicting is
one sparse matrix product and a sigmoid (or softmax): no per-call input validation,
which dominated the time of coding a batch.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from libinnov.coding.document import Document, prepare
from libinnov.text.segment import stopwords

Labels = Sequence[str] | Sequence[Sequence[str]]
#: texts, documents, or a sparse feature matrix
Inputs = Sequence[str | Document] | Any
_GRID = np.round(np.arange(0.10, 0.91, 0.05), 2)
#: Regularisation strengths tried by inner cross-validation when ``C`` is a grid.
C_GRID: tuple[float, ...] = (1.0, 4.0, 16.0, 64.0)
#: Inner folds for out-of-fold scores (calibration and thresholds).
INNER_FOLDS = 3
_WHITE_SPACES = re.compile(r"\s\s+")


def document_words(document: Document) -> list[str]:
    return document.features()


def document_text(document: Document) -> str:
    return document.normalised


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The cut-off on ``scores`` with the best F1 against ``truth`` (ties: lower)."""
    return best_threshold_f1(scores, truth)[0]


def best_threshold_f1(scores: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """:func:`best_threshold` and the F1 it reaches."""
    best, best_f1 = 0.5, -1.0
    positives = float(np.sum(truth))
    for cut in _GRID:
        predicted = scores >= cut
        tp = float(np.sum(predicted & truth))
        denominator = float(np.sum(predicted)) + positives
        f1 = 2 * tp / denominator if denominator else 0.0
        if f1 > best_f1 + 1e-9:
            best, best_f1 = float(cut), f1
    return best, best_f1


def _mean_average_precision(
    targets: dict[int, np.ndarray], scores: dict[int, np.ndarray]
) -> float:
    if not targets:
        return 0.0
    return float(
        np.mean([average_precision_score(targets[j], scores[j]) for j in targets])
    )


def sigmoid(values: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(values, -30, 30))))


def softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


class TextFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """TF-IDF over a document's content words and its character n-grams.

    Parameters
    ----------
    preparer:
        turns a raw text into a :class:`Document` (segmentation is injected here).
    char_range:
        lengths of the character n-grams.
    char_min_df:
        a character n-gram must occur in this many training texts; one-off n-grams
        are mostly names and numbers.
    """

    def __init__(
        self,
        *,
        preparer: Callable[[str], Document] = prepare,
        char_range: tuple[int, int] = (2, 3),
        char_min_df: int = 2,
    ) -> None:
        self.preparer = preparer
        self.char_range = char_range
        self.char_min_df = char_min_df

    def _documents(self, X: Sequence[str | Document]) -> list[Document]:
        return [x if isinstance(x, Document) else self.preparer(x) for x in X]

    def fit(self, X: Sequence[str | Document], y: Any = None) -> TextFeatures:
        documents = self._documents(X)
        self.words_ = TfidfVectorizer(
            analyzer=document_words, sublinear_tf=True, dtype=np.float32
        ).fit(documents)
        self.chars_ = TfidfVectorizer(
            analyzer="char",
            preprocessor=document_text,
            ngram_range=self.char_range,
            sublinear_tf=True,
            min_df=self.char_min_df,
            dtype=np.float32,
        ).fit(documents)
        self.n_words_ = len(self.words_.vocabulary_)
        self.n_features_out_ = self.n_words_ + len(self.chars_.vocabulary_)
        return self

    def transform(self, X: Sequence[str | Document]) -> sparse.csr_matrix:
        """The same matrix as the fitted vectorizers' ``transform``, faster.

        Counting with :class:`collections.Counter` (C code) and looking up each
        distinct token once is several times quicker than scikit-learn's
        per-token Python loop, which was the largest cost of coding a batch.
        """
        check_is_fitted(self, "words_")
        documents = self._documents(X)
        low, high = self.char_range
        words = _tfidf(self.words_, [document_words(d) for d in documents])
        chars = _tfidf(
            self.chars_, [_char_ngrams(d.normalised, low, high) for d in documents]
        )
        return sparse.hstack([words, chars], format="csr")

    def sentence_words(self, documents: Sequence[Document]) -> sparse.csr_matrix:
        """One row per sentence of every document: its word TF-IDF, for evidence."""
        check_is_fitted(self, "words_")
        stop = stopwords()
        pieces = [
            [w for w in sentence if w not in stop]
            for d in documents
            for sentence in d.words
        ]
        return _tfidf(self.words_, pieces)


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams exactly as scikit-learn's ``char`` analyzer makes them."""
    text = _WHITE_SPACES.sub(" ", text)
    return [
        text[i : i + n] for n in range(low, high + 1) for i in range(len(text) - n + 1)
    ]


def _tfidf(vectorizer: TfidfVectorizer, tokens: list[list[str]]) -> sparse.csr_matrix:
    """Sub-linear TF-IDF rows, l2-normalised, over a fitted vocabulary."""
    vocabulary = vectorizer.vocabulary_
    idf = vectorizer.idf_
    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for row in tokens:
        for token, count in Counter(row).items():
            column = vocabulary.get(token)
            if column is not None:
                indices.append(column)
                values.append(count)
        indptr.append(len(indices))
    data = np.asarray(values, dtype=np.float64)
    columns = np.asarray(indices, dtype=np.int32)
    data = (np.log(data) + 1.0) * idf[columns] if len(data) else data
    matrix = sparse.csr_matrix(
        (data, columns, np.asarray(indptr)), shape=(len(tokens), len(vocabulary))
    )
    matrix.sort_indices()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
    return matrix.astype(np.float32)


class DimensionClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Codes one dimension of a case text.

    ``X`` is raw texts or :class:`Document` objects (the classifier then fits its own
    :class:`TextFeatures`), or an already vectorised sparse matrix, so that several
    dimensions can share one feature space.

    Parameters
    ----------
    multi:
        one-vs-rest multi-label (a list of codes per case) or multiclass (one code).
    preparer:
        turns a raw text into a :class:`Document` (segmentation is injected here).
    C:
        inverse regularisation strength of the logistic regressions, or a grid
        of them: the one whose out-of-fold scores rank the codes best (mean
        average precision; single dimensions: log-loss) is used (``C_``). How
        much to regularise depends on the corpus and its size, so it is chosen
        inside the training data rather than fixed.
    min_examples:
        a code needs this many positive examples to get a model of its own.
    calibrate:
        Platt-scale each code's scores on out-of-fold decision values.
    random_state:
        seed for every fold split, so training is repeatable.
    """

    def __init__(
        self,
        *,
        multi: bool = True,
        preparer: Callable[[str], Document] = prepare,
        C: float | tuple[float, ...] = C_GRID,
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

    def _matrix(self, X: Inputs, fit: bool = False) -> sparse.csr_matrix:
        if sparse.issparse(X):
            if fit:
                self.features_: TextFeatures | None = None
            return sparse.csr_matrix(X)
        if fit:
            self.features_ = TextFeatures(preparer=self.preparer).fit(list(X))
        if self.features_ is None:
            raise ValueError("this classifier was fitted on a feature matrix")
        return self.features_.transform(list(X))

    # -- fitting ----------------------------------------------------------------

    def _grid(self) -> tuple[float, ...]:
        """The ``C`` values to try: one given, or the grid to choose from."""
        if isinstance(self.C, int | float):
            return (float(self.C),)
        return tuple(float(c) for c in self.C)

    def _base(self, C: float) -> LogisticRegression:
        return LogisticRegression(
            C=C,
            class_weight="balanced",
            solver="liblinear",
            max_iter=1000,
            random_state=self.random_state,
        )

    def _oof_decisions(self, X: Any, y: np.ndarray, C: float) -> np.ndarray:
        """Out-of-fold decision values: what calibration and thresholds see."""
        scores = np.zeros(len(y))
        folds = StratifiedKFold(
            INNER_FOLDS, shuffle=True, random_state=self.random_state
        )
        for train, test in folds.split(np.zeros(len(y)), y):
            if y[train].all() or not y[train].any():
                scores[test] = 1.0 if y[train].all() else -1.0
                continue
            model = self._base(C).fit(X[train], y[train])
            scores[test] = model.decision_function(X[test])
        return scores

    def _platt(self, decisions: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """Sigmoid slope and offset mapping decision values to probabilities."""
        if not self.calibrate or min(int(y.sum()), int((~y).sum())) < 2:
            return 1.0, 0.0
        fit = LogisticRegression(C=100.0).fit(decisions[:, None], y)
        return float(fit.coef_[0, 0]), float(fit.intercept_[0])

    def learnable(self, y: Labels) -> bool:
        """Whether ``y`` holds enough examples to learn anything.

        A single dimension needs two classes with ``min_examples`` each; a multi
        dimension one code present and absent that often. Otherwise the caller
        leaves the dimension to the rule coder.
        """
        if self.multi:
            rows = [set(v) for v in y]
            codes = {c for row in rows for c in row}
            return any(
                self.min_examples
                <= sum(c in row for row in rows)
                <= len(rows) - self.min_examples
                for c in codes
            )
        counts = Counter(str(v) for v in y)
        return sum(n >= self.min_examples for n in counts.values()) >= 2

    def fit(self, X: Inputs, y: Labels) -> DimensionClassifier:
        features = self._matrix(X, fit=True)
        if self.multi:
            self._fit_multi(features, [list(v) for v in y])
        else:
            self._fit_single(features, [str(v) for v in y])
        self.n_features_in_ = features.shape[1]
        return self

    def _fit_multi(self, features: Any, y: list[list[str]]) -> None:
        codes = sorted({c for row in y for c in row})
        self.classes_ = np.array(codes, dtype=object)
        self.coef_ = np.zeros((features.shape[1], len(codes)), dtype=np.float32)
        self.intercept_ = np.zeros(len(codes))
        self.platt_ = np.zeros((len(codes), 2))
        self.learned_ = np.zeros(len(codes), dtype=bool)
        self.thresholds_: dict[str, float] = {}
        self.oof_scores_: dict[str, np.ndarray] = {}
        self.rare_classes_: list[str] = []
        targets: dict[int, np.ndarray] = {}
        for j, code in enumerate(codes):
            target = np.array([code in row for row in y])
            if target.sum() < self.min_examples or (~target).sum() < self.min_examples:
                self.rare_classes_.append(code)
            else:
                targets[j] = target
        grid = self._grid()
        oofs: dict[float, dict[int, np.ndarray]] = {
            C: {j: self._oof_decisions(features, t, C) for j, t in targets.items()}
            for C in grid
        }
        # One C per dimension: steadier than one per code with a dozen examples.
        quality = {C: _mean_average_precision(targets, oofs[C]) for C in grid}
        self.C_ = max(grid, key=lambda C: (round(quality[C], 6), -C))
        for j, target in targets.items():
            code = codes[j]
            model = self._base(self.C_).fit(features, target)
            self.coef_[:, j] = model.coef_[0]
            self.intercept_[j] = model.intercept_[0]
            oof = oofs[self.C_][j]
            slope, offset = self._platt(oof, target)
            self.platt_[j] = slope, offset
            self.learned_[j] = True
            self.oof_scores_[code] = sigmoid(slope * oof + offset)
            self.thresholds_[code] = best_threshold(self.oof_scores_[code], target)

    def _multinomial(self, C: float) -> LogisticRegression:
        # lbfgs: a true multinomial model, whose softmax is the confidence shown.
        return LogisticRegression(
            C=C,
            class_weight="balanced",
            max_iter=2000,
            random_state=self.random_state,
        )

    def _oof_proba(
        self, X: Any, y: np.ndarray, keep: np.ndarray, C: float
    ) -> np.ndarray:
        """Out-of-fold class probabilities for every row (columns: sorted classes).

        Rows of classes too rare to learn (``~keep``) are predicted but never
        trained on, so even they get an honest out-of-fold row.
        """
        classes = np.unique(y[keep])
        out = np.full((len(y), len(classes)), 1.0 / len(classes))
        strata = np.where(keep, y, classes[0])
        folds = StratifiedKFold(
            INNER_FOLDS, shuffle=True, random_state=self.random_state
        )
        for train, test in folds.split(np.zeros(len(y)), strata):
            train = train[keep[train]]
            if len(np.unique(y[train])) < 2:
                continue
            model = self._multinomial(C).fit(X[train], y[train])
            columns = np.searchsorted(classes, model.classes_)
            out[np.ix_(test, columns)] = model.predict_proba(X[test])
        return out

    def _fit_single(self, features: Any, y: list[str]) -> None:
        counts = {c: y.count(c) for c in set(y)}
        self.rare_classes_ = sorted(
            c for c, n in counts.items() if n < self.min_examples
        )
        every = np.array(y, dtype=object)
        mask = np.array([c not in self.rare_classes_ for c in y])
        keep = np.flatnonzero(mask)
        labels = every[keep]
        grid = self._grid()
        oofs = {C: self._oof_proba(features, every, mask, C) for C in grid}
        classes = np.unique(labels)
        index = np.searchsorted(classes, labels)
        loss = {
            C: -float(
                np.mean(np.log(np.clip(o[keep][np.arange(len(keep)), index], 1e-9, 1)))
            )
            for C, o in oofs.items()
        }
        self.C_ = min(grid, key=lambda C: (round(loss[C], 6), C))
        self.oof_proba_ = oofs[self.C_]
        model = self._multinomial(self.C_).fit(features[keep], labels)
        self.classes_ = model.classes_
        coef: np.ndarray = np.asarray(model.coef_, dtype=np.float32)
        intercept = np.asarray(model.intercept_, dtype=float)
        if coef.shape[0] == 1:  # two classes: sklearn keeps one row
            coef = np.vstack([-coef, coef]) / 2
            intercept = np.array([-intercept[0], intercept[0]]) / 2
        self.coef_ = np.ascontiguousarray(coef.T)
        self.intercept_ = intercept
        self.learned_ = np.ones(len(self.classes_), dtype=bool)
        self.thresholds_ = {}

    # -- prediction -------------------------------------------------------------

    def decision_function(self, X: Inputs) -> np.ndarray:
        check_is_fitted(self, "coef_")
        features = self._matrix(X)
        return np.asarray(features @ self.coef_) + self.intercept_

    def predict_proba(self, X: Inputs) -> np.ndarray:
        """Per case, the probability of each class in ``classes_`` (rare ones: NaN)."""
        decisions = self.decision_function(X)
        if not self.multi:
            return softmax(decisions)
        out = sigmoid(self.platt_[:, 0] * decisions + self.platt_[:, 1])
        out[:, ~self.learned_] = np.nan
        return out

    def predict(self, X: Inputs) -> list[Any]:
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

    def coefficients(self, code: str) -> np.ndarray | None:
        """The linear weights of ``code`` over the features (None: not learned)."""
        check_is_fitted(self, "coef_")
        where = np.flatnonzero(self.classes_ == code)
        if not len(where) or not self.learned_[where[0]]:
            return None
        return np.asarray(self.coef_[:, where[0]])


#: Character n-gram ranges the inner cross-validation chooses between.
CHAR_RANGES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 3))
#: The regularisation used while comparing feature spaces (the middle of C_GRID).
SELECTION_C = 16.0


def select_features(
    documents: Sequence[Document],
    targets: Sequence[tuple[Sequence[int], np.ndarray]],
    *,
    candidates: Sequence[tuple[int, int]] = CHAR_RANGES,
    random_state: int = 0,
) -> TextFeatures:
    """The feature space whose out-of-fold rankings of ``targets`` are best.

    Which character n-grams help depends on the corpus (how long its jargon is,
    how well the segmenter knows it), so it is measured, not assumed: each
    candidate gets the mean average precision of out-of-fold logistic-regression
    scores over every learnable code, on the training documents only.

    ``targets`` are (rows of ``documents``, boolean labels) pairs, one per code.
    """
    filled = [d for d in documents if not d.is_empty]
    best: tuple[float, TextFeatures] | None = None
    for char_range in candidates:
        features = TextFeatures(char_range=char_range).fit(filled)
        if len(candidates) == 1 or not targets:
            return features
        matrix = features.transform(documents)
        probe = DimensionClassifier(C=SELECTION_C, random_state=random_state)
        quality = _mean_average_precision(
            dict(enumerate(y for _, y in targets)),
            {
                j: probe._oof_decisions(matrix[rows], y, SELECTION_C)
                for j, (rows, y) in enumerate(targets)
            },
        )
        if best is None or quality > best[0] + 1e-6:
            best = (quality, features)
    assert best is not None
    return best[1]
