from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from libinnov.cases import Case
from libinnov.coding.document import prepare
from libinnov.coding.estimators import (
    C_GRID,
    DimensionClassifier,
    TextFeatures,
    best_threshold,
    select_features,
)


def test_it_follows_the_estimator_contract() -> None:
    estimator = DimensionClassifier(multi=True, C=2.0)
    assert estimator.get_params()["C"] == 2.0
    copy = clone(estimator)
    assert copy.get_params() == estimator.get_params()
    with pytest.raises(NotFittedError):
        estimator.predict(["阅读推广"])


def test_multi_label_fit_learns_classes_thresholds_and_predicts(
    sample_cases: list[Case],
) -> None:
    texts = [c.text for c in sample_cases[:100]]
    labels = [c.codes_list("focus") for c in sample_cases[:100]]
    estimator = DimensionClassifier(multi=True).fit(texts, labels)
    assert set(estimator.classes_) == {c for row in labels for c in row}
    assert all(0.0 < t < 1.0 for t in estimator.thresholds_.values())
    assert estimator.n_features_in_ > 100
    probabilities = estimator.predict_proba([c.text for c in sample_cases[100:110]])
    assert probabilities.shape == (10, len(estimator.classes_))
    learned = ~np.isnan(probabilities)
    assert ((probabilities[learned] >= 0) & (probabilities[learned] <= 1)).all()
    predictions = estimator.predict([c.text for c in sample_cases[100:110]])
    assert all(set(p) <= set(estimator.classes_) for p in predictions)


def test_single_label_fit_gives_one_code_and_probabilities_summing_to_one(
    sample_cases: list[Case],
) -> None:
    texts = [c.text for c in sample_cases[:100]]
    labels = [str(c.codes["innovation_type"]) for c in sample_cases[:100]]
    estimator = DimensionClassifier(multi=False).fit(texts, labels)
    probabilities = estimator.predict_proba(texts[:5])
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert all(isinstance(p, str) for p in estimator.predict(texts[:5]))


def test_fitting_is_deterministic(sample_cases: list[Case]) -> None:
    texts = [c.text for c in sample_cases[:60]]
    labels = [c.codes_list("strategy") for c in sample_cases[:60]]
    first = (
        DimensionClassifier(random_state=3).fit(texts, labels).predict_proba(texts[:5])
    )
    second = (
        DimensionClassifier(random_state=3).fit(texts, labels).predict_proba(texts[:5])
    )
    assert np.array_equal(first, second, equal_nan=True)


def test_thresholds_maximise_f1_on_the_scores() -> None:
    scores = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8])
    truth = np.array([False, False, False, True, True, True])
    cut = best_threshold(scores, truth)
    assert 0.3 < cut <= 0.6


def test_shared_features_match_scikit_learn_and_feed_every_dimension(
    sample_cases: list[Case],
) -> None:
    documents = [prepare(c.text) for c in sample_cases[:80]]
    features = TextFeatures().fit(documents[:60])
    fast = features.transform(documents[60:])
    slow = sparse.hstack(
        [
            features.words_.transform(documents[60:]),
            features.chars_.transform(documents[60:]),
        ]
    )
    assert abs(fast - slow).max() < 1e-6
    matrix = features.transform(documents[:60])
    labels = [c.codes_list("audience") for c in sample_cases[:60]]
    on_matrix = DimensionClassifier().fit(matrix, labels)
    on_texts = DimensionClassifier().fit(documents[:60], labels)
    assert np.allclose(
        on_matrix.predict_proba(fast),
        on_texts.predict_proba(documents[60:]),
        equal_nan=True,
        atol=1e-5,
    )


def test_a_grid_of_c_is_settled_by_inner_cross_validation(
    sample_cases: list[Case],
) -> None:
    texts = [c.text for c in sample_cases[:80]]
    labels = [c.codes_list("focus") for c in sample_cases[:80]]
    fixed = DimensionClassifier(C=3.0).fit(texts, labels)
    assert fixed.C_ == 3.0
    grid = DimensionClassifier(C=(0.01, 50.0)).fit(texts, labels)
    # Near-zero C flattens every score, which ranks the cases worst.
    assert grid.C_ == 50.0
    assert grid.get_params()["C"] == (0.01, 50.0)


def test_single_dimensions_keep_out_of_fold_probabilities_for_every_row(
    sample_cases: list[Case],
) -> None:
    texts = [c.text for c in sample_cases[:90]]
    labels = [str(c.codes["innovation_type"]) for c in sample_cases[:90]]
    estimator = DimensionClassifier(multi=False).fit(texts, labels)
    assert estimator.oof_proba_.shape == (90, len(estimator.classes_))
    assert np.allclose(estimator.oof_proba_.sum(axis=1), 1.0)
    assert estimator.C_ in C_GRID


def test_feature_selection_keeps_the_n_grams_that_carry_the_signal() -> None:
    """The label is one character hidden in a different word every time.

    Its bigrams and trigrams each occur once (and fall under ``char_min_df``),
    so only character unigrams can see it: the selection must find that out.
    """
    rng = np.random.default_rng(0)
    pool = list("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土")
    documents, labels = [], []
    for i in range(60):
        words = ["".join(rng.choice(pool, 3)) for _ in range(12)]
        positive = i % 2 == 0
        if positive:
            words[int(rng.integers(12))] = pool[i % 10] + "龙" + pool[(i + 3) % 20]
        documents.append(prepare("，".join(words) + "。"))
        labels.append(positive)
    targets = [(list(range(60)), np.array(labels))]
    chosen = select_features(documents, targets, candidates=[(2, 3), (1, 1)])
    assert chosen.char_range == (1, 1)
    only = select_features(documents, targets, candidates=[(2, 3)])
    assert only.char_range == (2, 3)
