"""Results with the organisers' own choices: what is set by hand wins, the ranking
fills the rest, and contradictions are errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from libinnov.campaigns import (
    DEFAULT_AWARD_TIERS,
    AwardTier,
    Results,
    Review,
    Rubric,
    Standing,
    decide_results,
    rank_entries,
)
from libinnov.exceptions import CampaignError

MakeReview = Callable[..., Review]


@pytest.fixture
def standings(rubric: Rubric, review: MakeReview) -> list[Standing]:
    """A to E ranked 1 to 5 on one reviewer's totals, and F that no one reviewed."""
    totals = {"A": 9, "B": 8, "C": 7, "D": 6, "E": 5}
    reviews = [review(e, "r", t) for e, t in totals.items()]
    return rank_entries(reviews, rubric, method="none", entries=[*totals, "F"])


def _tiers(**counts: int) -> list[AwardTier]:
    return [
        AwardTier(t.key, t.label_zh, t.label_en, counts[t.key])
        for t in DEFAULT_AWARD_TIERS
        if t.key in counts
    ]


def test_without_choices_it_is_the_top_n_awarded_down_the_ranking(
    standings: list[Standing],
) -> None:
    results = decide_results(standings, _tiers(first=1, second=1), size=3)
    assert results == Results(("A", "B", "C"), {"A": "first", "B": "second"})


def test_an_excluded_entrys_place_goes_to_the_next_one(
    standings: list[Standing],
) -> None:
    results = decide_results(standings, _tiers(first=1), size=3, exclude=["A"])
    assert results.shortlisted == ("B", "C", "D")
    assert results.awards == {"B": "first"}


def test_an_included_entry_joins_without_taking_a_place(
    standings: list[Standing],
) -> None:
    results = decide_results(
        standings, _tiers(first=1, second=3), size=2, include=["E", "F"]
    )
    # in ranking order; the unreviewed F is shortlisted but wins nothing by ranking
    assert results.shortlisted == ("A", "B", "E", "F")
    assert results.awards == {"A": "first", "B": "second", "E": "second"}


def test_an_award_by_hand_takes_a_place_of_its_tier(
    standings: list[Standing],
) -> None:
    tiers = _tiers(first=1, second=2)
    results = decide_results(standings, tiers, size=3, awards_by_hand={"D": "first"})
    # first prize went to D by hand, so A, B and C share what is left: two seconds
    assert results.shortlisted == ("A", "B", "C", "D")
    assert results.awards == {"A": "second", "B": "second", "D": "first"}


def test_no_award_by_hand_passes_the_place_down(standings: list[Standing]) -> None:
    results = decide_results(
        standings, _tiers(first=1, second=1), size=3, awards_by_hand={"A": ""}
    )
    assert results.shortlisted == ("A", "B", "C")
    assert results.awards == {"B": "first", "C": "second"}


def test_hand_awards_beyond_a_tiers_count_are_kept(
    standings: list[Standing],
) -> None:
    results = decide_results(
        standings, _tiers(first=1), size=1, awards_by_hand={"C": "first", "E": "first"}
    )
    assert results.awards == {"C": "first", "E": "first"}
    assert results.shortlisted == ("A", "C", "E")


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"include": ["A"], "exclude": ["A"]}, "both included in and excluded"),
        ({"exclude": ["A"], "awards_by_hand": {"A": "first"}}, "cannot win"),
        ({"awards_by_hand": {"A": "third"}}, "not one of this campaign's"),
        ({"include": ["Z"]}, "'Z' is not in the standings"),
    ],
)
def test_contradictory_choices_are_errors(
    standings: list[Standing], choices: dict[str, object], message: str
) -> None:
    with pytest.raises(CampaignError, match=message):
        decide_results(standings, _tiers(first=1), size=2, **choices)  # type: ignore[arg-type]


def test_excluding_with_no_award_by_hand_is_consistent(
    standings: list[Standing],
) -> None:
    results = decide_results(
        standings, _tiers(first=1), size=1, exclude=["A"], awards_by_hand={"A": ""}
    )
    assert results == Results(("B",), {"B": "first"})
