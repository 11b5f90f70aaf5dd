from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from libinnov.cases import Case
from libinnov.codebook import Codebook
from libinnov.coding.document import prepare
from libinnov.coding.model import CodingModel
from libinnov.coding.stacking import CodeStacker


def _signals(n: int = 90, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two codes: one follows another dimension's signal, one is too rare."""
    rng = np.random.default_rng(seed)
    other = rng.random(n)
    X = rng.random((n, 2, 3)) * 0.2
    X[:, :, 2] = other[:, None]  # the other dimension's strongest probability
    y = np.zeros((n, 2), dtype=bool)
    y[:, 0] = other > 0.6
    y[:3, 1] = True
    return X, y


def test_it_follows_the_estimator_contract() -> None:
    stacker = CodeStacker(C=0.5)
    assert clone(stacker).get_params() == stacker.get_params()
    with pytest.raises(NotFittedError):
        stacker.predict_proba(np.zeros((1, 2, 3)))
    with pytest.raises(ValueError, match="cases, codes, signals"):
        stacker.fit(np.zeros((4, 3)), np.zeros((4, 3), dtype=bool))


def test_a_code_learns_from_another_dimension_and_rare_codes_stay_out() -> None:
    X, y = _signals()
    stacker = CodeStacker().fit(X, y)
    assert stacker.learned_.tolist() == [True, False]
    # The cross-dimension signal carries the label; its weight dominates.
    assert np.argmax(stacker.coef_[0]) == 2 and stacker.coef_[0, 2] > 1.0
    assert 0.0 < stacker.thresholds_[0] < 1.0
    assert stacker.C_[0] in stacker.C
    probabilities = stacker.predict_proba(X)
    assert np.isnan(probabilities[:, 1]).all()
    predicted = stacker.predict(X)
    assert (predicted[:, 0] == y[:, 0]).mean() > 0.9
    assert not predicted[:, 1].any()


def test_fitting_is_deterministic() -> None:
    X, y = _signals(seed=4)
    first = CodeStacker(random_state=2).fit(X, y)
    second = CodeStacker(random_state=2).fit(X, y)
    assert np.array_equal(first.coef_, second.coef_)
    assert np.array_equal(first.thresholds_, second.thresholds_)


def test_a_kept_second_stage_is_what_the_model_codes_with(
    trained: CodingModel, unseen: list[Case], codebook: Codebook
) -> None:
    assert trained.stackers, "no dimension kept a second stage"
    for key, stacker in trained.stackers.items():
        assert codebook.dimension(key).is_multi
        codes = codebook.dimension(key).code_keys
        for j in np.flatnonzero(stacker.learned_):
            assert trained.thresholds[key][codes[j]] == stacker.thresholds_[j]
    document = prepare(unseen[0].text)
    signals = trained.signals([document])[0]
    result = trained.code_document(document, signals)
    for key, stacker in trained.stackers.items():
        codes = codebook.dimension(key).code_keys
        for j in np.flatnonzero(stacker.learned_):
            assert result[key].scores[codes[j]] == pytest.approx(
                float(signals.stacked[key][j])
            )
            score = result[key].scores[codes[j]]
            cut = trained.thresholds[key][codes[j]]
            if score >= cut:
                assert codes[j] in result[key].codes
            elif codes[j] in result[key].codes:  # only as the best of none chosen
                assert result[key].codes == [codes[j]]
