"""Normalising reviewers' totals so that a harsh and a lenient reviewer count alike."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from libinnov.campaigns import Review, Rubric, normalised_totals
from libinnov.exceptions import CampaignError

MakeReview = Callable[..., Review]


def test_a_harsh_and_a_lenient_reviewer_of_the_same_entries_agree_after_zscore(
    rubric: Rubric, review: MakeReview
) -> None:
    reviews = [review(e, "harsh", t) for e, t in zip("ABC", (2, 3, 5), strict=True)]
    reviews += [review(e, "lenient", t) for e, t in zip("ABC", (7, 8, 10), strict=True)]
    raw = normalised_totals(reviews, rubric, "none")
    assert raw[("A", "harsh")] != raw[("A", "lenient")]
    z = normalised_totals(reviews, rubric, "zscore")
    for entry in "ABC":
        assert z[(entry, "harsh")] == pytest.approx(z[(entry, "lenient")])


def test_zscore_on_different_entries_by_hand(
    rubric: Rubric, review: MakeReview
) -> None:
    # Harsh scores A, B, C 3, 4, 5; lenient scores D, E, F 7, 8, 9. Raw totals put
    # every lenient entry first. Pooled mean (12 + 24) / 6 = 6; both sds are 1, so
    # the pooled sd is 1: A = 6 + (3 - 4) / 1 * 1 = 5, B = 6, C = 7, and D, E, F too.
    reviews = [review(e, "harsh", t) for e, t in zip("ABC", (3, 4, 5), strict=True)]
    reviews += [review(e, "lenient", t) for e, t in zip("DEF", (7, 8, 9), strict=True)]
    z = normalised_totals(reviews, rubric)
    expected = {"A": 5, "B": 6, "C": 7, "D": 5, "E": 6, "F": 7}
    assert {e: z[(e, r)] for e, r in z} == pytest.approx(expected)


def test_zscore_puts_totals_back_on_the_pooled_sd(
    rubric: Rubric, review: MakeReview
) -> None:
    # X: 2, 4, 6 (mean 4, sd 2); Y: 5, 6, 7 (mean 6, sd 1). Pooled mean 5, pooled
    # within-reviewer sd sqrt((2*4 + 2*1) / 4) = sqrt(2.5).
    reviews = [review(e, "X", t) for e, t in zip("ABC", (2, 4, 6), strict=True)]
    reviews += [review(e, "Y", t) for e, t in zip("DEF", (5, 6, 7), strict=True)]
    z = normalised_totals(reviews, rubric)
    sd = math.sqrt(2.5)
    assert z[("A", "X")] == pytest.approx(5 - sd)
    assert z[("B", "X")] == pytest.approx(5)
    assert z[("F", "Y")] == pytest.approx(5 + sd)


def test_a_single_review_stays_raw_and_equal_totals_are_only_shifted(
    rubric: Rubric, review: MakeReview
) -> None:
    reviews = [
        review("A", "once", 9),
        review("A", "flat", 6),
        review("B", "flat", 6),
        review("A", "keen", 4),
        review("B", "keen", 8),
    ]
    z = normalised_totals(reviews, rubric)
    pooled_mean = (9 + 6 + 6 + 4 + 8) / 5
    assert z[("A", "once")] == 9
    assert z[("A", "flat")] == z[("B", "flat")] == pytest.approx(pooled_mean)


def test_rank_gives_each_reviewers_percentiles_with_ties_averaged(
    rubric: Rubric, review: MakeReview
) -> None:
    reviews = [
        review("A", "r1", 5),
        review("B", "r1", 5),
        review("C", "r1", 9),
        review("A", "r2", 3),
        review("B", "r2", 7),
        review("C", "solo", 6),
    ]
    p = normalised_totals(reviews, rubric, "rank")
    # ranks 1.5, 1.5, 3 -> (rank - 1) / (n - 1)
    assert (p[("A", "r1")], p[("B", "r1")], p[("C", "r1")]) == (0.25, 0.25, 1.0)
    assert (p[("A", "r2")], p[("B", "r2")]) == (0.0, 1.0)
    assert p[("C", "solo")] == 0.5


def test_none_gives_the_raw_weighted_totals() -> None:
    rubric = Rubric.from_records([{"key": "a", "weight": 3}, {"key": "b"}])
    reviews = [Review("A", "r", {"a": 8, "b": 4})]
    assert normalised_totals(reviews, rubric, "none") == {("A", "r"): 7.0}


def test_an_unknown_method_is_an_error(rubric: Rubric, review: MakeReview) -> None:
    with pytest.raises(CampaignError, match="unknown normalisation 'median'"):
        normalised_totals([review("A", "r", 5)], rubric, "median")


def test_the_same_reviewer_scoring_an_entry_twice_is_an_error(
    rubric: Rubric, review: MakeReview
) -> None:
    with pytest.raises(CampaignError, match="scored this entry twice") as caught:
        normalised_totals([review("A", "r", 5), review("A", "r", 6)], rubric)
    assert caught.value.file == "review of 'A' by 'r'"


def test_a_bad_stored_score_names_the_review_and_criterion(
    rubric: Rubric, review: MakeReview
) -> None:
    with pytest.raises(CampaignError) as caught:
        normalised_totals([review("A", "wang", 5, results=12)], rubric)
    assert caught.value.describe() == (
        "review of 'A' by 'wang', field 'results': 12 is outside 1-10 for "
        "成效与价值 (results)"
    )
