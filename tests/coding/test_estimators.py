from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from libinnov.cases import Case
from libinnov.coding.document import prepare
from libinnov.coding.estimators import (
    DimensionClassifier,
    TextFeatures,
    best_threshold,
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
