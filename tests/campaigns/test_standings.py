"""Standings, shortlist and awards: competition ranks, and ties kept together."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from libinnov.campaigns import (
    DEFAULT_AWARD_TIERS,
    FLAG_LABELS,
    AwardTier,
    Review,
    Rubric,
    Standing,
    award,
    parse_tiers,
    rank_entries,
    shortlist,
)
from libinnov.exceptions import CampaignError

MakeReview = Callable[..., Review]


def _standings(
    review: MakeReview, rubric: Rubric, totals: dict[str, float]
) -> list[Standing]:
    """One reviewer scoring each entry, ranked on raw totals."""
    reviews = [review(e, "r", t) for e, t in totals.items()]
    return rank_entries(reviews, rubric, method="none")


def _ranks(standings: list[Standing]) -> list[tuple[str, int | None]]:
    return [(s.entry_id, s.rank) for s in standings]


def test_ranks_are_competition_ranks_best_first(
    rubric: Rubric, review: MakeReview
) -> None:
    standings = _standings(review, rubric, {"A": 6, "B": 9, "C": 7, "D": 7, "E": 5})
    assert _ranks(standings) == [("B", 1), ("C", 2), ("D", 2), ("A", 4), ("E", 5)]


def test_totals_equal_in_arithmetic_tie_despite_float_rounding() -> None:
    rubric = Rubric.from_records(
        [
            {"key": "a", "weight": 0.1},
            {"key": "b", "weight": 0.2},
            {"key": "c", "weight": 0.7},
        ]
    )
    # 0.1*1 + 0.2*1 + 0.7*3 and 0.1*1 + 0.2*8 + 0.7*1 are both 2.4, but not in floats
    reviews = [
        Review("A", "r", {"a": 1, "b": 1, "c": 3}),
        Review("B", "r", {"a": 1, "b": 8, "c": 1}),
    ]
    assert rubric.total(reviews[0].scores) != rubric.total(reviews[1].scores)
    assert [s.rank for s in rank_entries(reviews, rubric, method="none")] == [1, 1]


def test_a_standing_pools_its_reviews(rubric: Rubric, review: MakeReview) -> None:
    reviews = [
        review("A", "r1", 8, innovation=10),
        review("A", "r2", 6, innovation=4),
        review("B", "r1", 5),
    ]
    best = rank_entries(reviews, rubric, method="none")[0]
    assert best.entry_id == "A"
    assert best.n_reviews == 2
    # r1: (10 + 8*4) / 5 = 8.4; r2: (4 + 6*4) / 5 = 5.6
    assert best.raw == pytest.approx(7.0)
    assert best.score == pytest.approx(7.0)
    assert best.spread == pytest.approx(
        math.sqrt(((8.4 - 7) ** 2 + (5.6 - 7) ** 2) / 1)
    )
    assert best.criteria["innovation"] == 7.0
    assert best.criteria["results"] == 7.0


def test_zscore_standings_undo_a_lenient_reviewers_advantage(
    rubric: Rubric, review: MakeReview
) -> None:
    # Harsh scores A 5 > B 4 > C 3; lenient scores D 8 > E 7 > F 6 (the weaker set
    # drew the lenient reviewer). Raw totals put all of D, E, F first.
    reviews = [review(e, "harsh", t) for e, t in zip("ABC", (5, 4, 3), strict=True)]
    reviews += [review(e, "lenient", t) for e, t in zip("DEF", (8, 7, 6), strict=True)]
    raw = rank_entries(reviews, rubric, method="none")
    assert [s.entry_id for s in raw] == list("DEFABC")
    z = rank_entries(reviews, rubric)
    assert _ranks(z) == [("A", 1), ("D", 1), ("B", 3), ("E", 3), ("C", 5), ("F", 5)]


def test_flags_mark_too_few_reviews_and_disagreement(
    rubric: Rubric, review: MakeReview
) -> None:
    reviews = [
        review("A", "r1", 2),
        review("A", "r2", 10),
        review("B", "r1", 7),
        review("B", "r2", 8),
        review("C", "r1", 9),
    ]
    flags = {
        s.entry_id: s.flags
        for s in rank_entries(reviews, rubric, method="none", required_reviews=2)
    }
    # A's sd is 5.66, beyond a fifth of the 1-10 range (1.8); B's is 0.71.
    assert flags == {"A": ("reviewers_disagree",), "B": (), "C": ("too_few_reviews",)}
    assert set(FLAG_LABELS) == {"too_few_reviews", "reviewers_disagree"}


def test_disagreement_on_percentile_ranks_uses_their_own_scale(
    rubric: Rubric, review: MakeReview
) -> None:
    reviews = [
        review("A", "r1", 9),
        review("B", "r1", 3),
        review("A", "r2", 3),
        review("B", "r2", 9),
        review("C", "r1", 5),
        review("C", "r2", 5),
    ]
    flags = {s.entry_id: s.flags for s in rank_entries(reviews, rubric, method="rank")}
    assert flags == {
        "A": ("reviewers_disagree",),
        "B": ("reviewers_disagree",),
        "C": (),
    }


def test_an_entry_no_one_reviewed_comes_last_unranked_and_flagged(
    rubric: Rubric, review: MakeReview
) -> None:
    reviews = [review("B", "r", 5), review("C", "r", 8)]
    standings = rank_entries(reviews, rubric, entries=["A", "B", "C", "D"])
    # a shared rank 3 would read as a tie of A and D with a third place
    assert _ranks(standings) == [("C", 1), ("B", 2), ("A", None), ("D", None)]
    unreviewed = standings[2]
    assert unreviewed.n_reviews == 0
    assert math.isnan(unreviewed.score) and math.isnan(unreviewed.raw)
    assert unreviewed.flags == ("too_few_reviews",)
    assert unreviewed.criteria == {}


def test_a_review_of_an_unlisted_entry_is_an_error(
    rubric: Rubric, review: MakeReview
) -> None:
    with pytest.raises(CampaignError, match="review of 'A0l'"):
        rank_entries([review("A0l", "r", 5)], rubric, entries=["A01"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"required_reviews": -1}, "cannot be negative"),
        ({"entries": ["A", "A"]}, "listed twice"),
        ({"method": "mean"}, "unknown normalisation"),
    ],
)
def test_bad_ranking_options_are_errors(
    rubric: Rubric, review: MakeReview, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(CampaignError, match=message):
        rank_entries([review("A", "r", 5)], rubric, **kwargs)  # type: ignore[arg-type]


def test_the_shortlist_keeps_entries_tied_with_the_last(
    rubric: Rubric, review: MakeReview
) -> None:
    standings = _standings(review, rubric, {"A": 9, "B": 8, "C": 8, "D": 7, "E": 6})
    assert [s.entry_id for s in shortlist(standings, size=2)] == ["A", "B", "C"]
    assert [s.entry_id for s in shortlist(standings, size=1)] == ["A"]
    assert [s.entry_id for s in shortlist(standings, size=9)] == list("ABCDE")
    assert shortlist(standings, size=0) == []


def test_a_shortlist_share_rounds_up(rubric: Rubric, review: MakeReview) -> None:
    standings = _standings(review, rubric, {"A": 9, "B": 8, "C": 7, "D": 6, "E": 5})
    # ceil(0.3 * 5) = 2
    assert [s.entry_id for s in shortlist(standings, share=0.3)] == ["A", "B"]
    assert len(shortlist(standings, share=1)) == 5


def test_an_unreviewed_entry_is_never_shortlisted(
    rubric: Rubric, review: MakeReview
) -> None:
    standings = rank_entries([review("A", "r", 5)], rubric, entries=["A", "B"])
    assert [s.entry_id for s in shortlist(standings, size=2)] == ["A"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "give a shortlist size or a share"),
        ({"size": 2, "share": 0.5}, "not both"),
        ({"size": -1}, "cannot be negative"),
        ({"share": 0}, "above 0 and at most 1"),
        ({"share": 1.5}, "above 0 and at most 1"),
    ],
)
def test_bad_shortlist_options_are_errors(
    rubric: Rubric, review: MakeReview, kwargs: dict[str, float], message: str
) -> None:
    standings = _standings(review, rubric, {"A": 9})
    with pytest.raises(CampaignError, match=message):
        shortlist(standings, **kwargs)  # type: ignore[arg-type]


def _tiers(**counts: int) -> list[AwardTier]:
    return [
        AwardTier(t.key, t.label_zh, t.label_en, counts[t.key])
        for t in DEFAULT_AWARD_TIERS
        if t.key in counts
    ]


def test_awards_go_down_the_ranking_tier_by_tier(
    rubric: Rubric, review: MakeReview
) -> None:
    standings = _standings(
        review, rubric, {"A": 9, "B": 8, "C": 7, "D": 6, "E": 5, "F": 4}
    )
    assert award(standings, _tiers(first=1, second=2, third=2)) == {
        "A": "first",
        "B": "second",
        "C": "second",
        "D": "third",
        "E": "third",
    }


def test_a_tie_at_a_tiers_edge_widens_it_and_shrinks_the_next(
    rubric: Rubric, review: MakeReview
) -> None:
    standings = _standings(review, rubric, {"A": 9, "B": 9, "C": 7, "D": 6})
    # ranks 1, 1, 3, 4: first=1 goes to both entries ranked 1; the places of
    # first and second add up to 3, so second is left only C.
    assert award(standings, _tiers(first=1, second=2)) == {
        "A": "first",
        "B": "first",
        "C": "second",
    }
    # first=1 tied two ways takes second's only place
    assert award(standings, _tiers(first=1, second=1, third=1)) == {
        "A": "first",
        "B": "first",
        "C": "third",
    }


def test_ties_below_a_tier_share_the_tier(rubric: Rubric, review: MakeReview) -> None:
    standings = _standings(review, rubric, {"A": 9, "B": 8, "C": 8, "D": 8, "E": 2})
    assert award(standings, _tiers(first=1, merit=1)) == {
        "A": "first",
        "B": "merit",
        "C": "merit",
        "D": "merit",
    }


def test_a_tier_with_no_places_awards_nothing(
    rubric: Rubric, review: MakeReview
) -> None:
    standings = _standings(review, rubric, {"A": 9, "B": 8})
    assert award(standings, _tiers(first=0, second=1)) == {"A": "second"}


def test_default_tiers_are_the_four_contest_prizes() -> None:
    assert [(t.key, t.label_zh, t.count) for t in DEFAULT_AWARD_TIERS] == [
        ("first", "一等奖", 0),
        ("second", "二等奖", 0),
        ("third", "三等奖", 0),
        ("merit", "优秀奖", 0),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "first=3,second=5,third=10",
        "一等奖=3，二等奖=5，三等奖=10",
        "一等奖：３、second = 5; Third prize=10",
        "  first=3  second=5 三等奖=１０ ",
    ],
)
def test_tiers_parse_from_keys_or_labels(text: str) -> None:
    tiers = parse_tiers(text)
    assert [(t.key, t.count) for t in tiers] == [
        ("first", 3),
        ("second", 5),
        ("third", 10),
    ]
    assert tiers[0].label_zh == "一等奖" and tiers[0].label("en") == "First prize"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("特等奖=1", "unknown award tier '特等奖'"),
        ("first", "is not tier=count"),
        ("first=-1", "0 or more"),
        ("first=1.5", "0 or more"),
        ("first=many", "not a number"),
        ("first=1,一等奖=2", "given twice"),
    ],
)
def test_bad_tiers_are_errors(text: str, message: str) -> None:
    with pytest.raises(CampaignError, match=message) as caught:
        parse_tiers(text)
    assert caught.value.field == "awards"
