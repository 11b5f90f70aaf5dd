"""Shared campaign fixtures: the default rubric and a way to write a whole review."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from libinnov.campaigns import Review, Rubric

MakeReview = Callable[..., Review]


@pytest.fixture
def rubric() -> Rubric:
    return Rubric.default()


@pytest.fixture
def review(rubric: Rubric) -> MakeReview:
    """A review giving every criterion the same score, so its total is that score."""

    def make(entry: str, reviewer: str, score: float, **overrides: float) -> Review:
        scores = dict.fromkeys(rubric.keys, score) | overrides
        return Review(entry, reviewer, scores)

    return make
