"""Association tests are named to readers in both languages."""

from __future__ import annotations


def test_every_test_the_core_runs_has_a_name_in_both_languages() -> None:
    from libinnov.analysis.tests import TEST_LABELS, test_label

    for key in ("chi2", "fisher_exact", "monte_carlo_exact", "none"):
        assert key in TEST_LABELS
        assert test_label(key, "zh") != test_label(key, "en")
    assert test_label("bootstrap", "zh") == "bootstrap"  # unknown: shown as is
