from __future__ import annotations

from libinnov.coding.rules import dominant_or_comprehensive

TYPES = {"comprehensive", "reading", "space", "heritage", "digital"}


def test_a_dominant_focus_is_the_innovation_type() -> None:
    weights = {"reading": 0.6, "space": 0.2, "digital": 0.2}
    assert (
        dominant_or_comprehensive(weights, ["reading", "space", "digital"], TYPES)[0]
        == "reading"
    )


def test_three_balanced_focus_areas_make_a_comprehensive_case() -> None:
    weights = {"reading": 0.34, "space": 0.33, "heritage": 0.33}
    code, _ = dominant_or_comprehensive(
        weights, ["reading", "space", "heritage"], TYPES
    )
    assert code == "comprehensive"


def test_two_balanced_focus_areas_are_not_comprehensive() -> None:
    weights = {"reading": 0.5, "space": 0.5}
    assert (
        dominant_or_comprehensive(weights, ["reading", "space"], TYPES)[0]
        != "comprehensive"
    )


def test_the_rule_only_answers_with_codes_of_the_codebook() -> None:
    code, _ = dominant_or_comprehensive({"teaching": 0.9}, ["teaching"], TYPES)
    assert code in TYPES


def test_the_dominance_margin_decides_how_far_ahead_is_dominant() -> None:
    weights = {"reading": 0.40, "space": 0.35, "heritage": 0.25}
    focus = ["reading", "space", "heritage"]
    assert dominant_or_comprehensive(weights, focus, TYPES)[0] == "reading"
    assert dominant_or_comprehensive(weights, focus, TYPES, 1.2)[0] == ("comprehensive")
    assert dominant_or_comprehensive(weights, focus, TYPES, 1.02)[0] == "reading"
