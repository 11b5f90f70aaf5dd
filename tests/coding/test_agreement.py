"""Agreement statistics against published textbook examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from libinnov.cases import case_from_record
from libinnov.codebook import Codebook
from libinnov.coding.agreement import (
    agreement,
    bootstrap,
    cohen_kappa,
    fleiss,
    krippendorff_alpha,
    percent_agreement,
)

NAN = math.nan


def test_cohens_kappa_matches_the_textbook_example() -> None:
    # 50 grant proposals, two readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15 → κ 0.4
    pairs = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    assert cohen_kappa(np.array(pairs, dtype=float)) == pytest.approx(0.4)
    assert percent_agreement(np.array(pairs, dtype=float)) == pytest.approx(0.7)


def test_fleiss_kappa_matches_fleiss_1971_worked_example() -> None:
    # 10 subjects, 14 raters, 5 categories; published κ = 0.210
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]  # fmt: skip
    ratings = np.array(
        [[c for c, n in enumerate(row) for _ in range(n)] for row in table], dtype=float
    )
    assert fleiss(ratings) == pytest.approx(0.210, abs=0.001)


def test_krippendorffs_alpha_matches_krippendorff_2011_with_missing_data() -> None:
    # 4 observers, 12 units, nominal, missing values; published α = 0.743
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
    assert krippendorff_alpha(np.array(observers).T) == pytest.approx(0.743, abs=0.001)


def test_alpha_has_no_estimate_when_no_unit_was_rated_twice() -> None:
    # one coder filled a dimension the other left empty: nothing to compare
    ratings = np.array([[0, NAN], [1, NAN], [2, NAN]])
    assert math.isnan(krippendorff_alpha(ratings))
    # one shared unit is enough for the library to answer
    assert not math.isnan(krippendorff_alpha(np.array([[0, 0], [1, 0], [2, NAN]])))


def test_the_bootstrap_interval_holds_the_estimate() -> None:
    rng = np.random.default_rng(1)
    truth = rng.integers(0, 3, 80)
    noisy = np.where(rng.random(80) < 0.8, truth, rng.integers(0, 3, 80))
    estimate = bootstrap(np.c_[truth, noisy].astype(float), cohen_kappa, rounds=200)
    assert estimate.low <= estimate.value <= estimate.high
    assert 0.0 < estimate.low < estimate.high < 1.0


def test_agreement_between_coders_reports_dimensions_codes_and_disagreements(
    codebook: Codebook,
) -> None:
    def coder(focus: list[list[str]], types: list[str]) -> list:  # type: ignore[type-arg]
        return [
            case_from_record(
                {"id": f"c{i}", "title": "t", "focus": f, "innovation_type": t},
                codebook,
            )
            for i, (f, t) in enumerate(zip(focus, types, strict=True))
        ]

    a = coder([["reading"], ["space"], ["reading", "space"], ["heritage"]] * 5,
              ["reading", "space", "reading", "heritage"] * 5)  # fmt: skip
    b = coder([["reading"], ["space"], ["reading"], ["heritage"]] * 5,
              ["reading", "space", "space", "heritage"] * 5)  # fmt: skip
    report = agreement([a, b], codebook, names=["li", "wang"], rounds=100)
    assert report.n_cases == 20
    single = report.dimensions["innovation_type"]
    assert single["percent"].value == pytest.approx(0.75)
    assert set(single) == {
        "percent",
        "cohen_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
    }
    assert report.codes["focus"]["space"]["percent"].value == pytest.approx(0.75)
    assert report.codes["focus"]["reading"]["percent"].value == pytest.approx(1.0)
    # Case level, a multi dimension agrees only on the same set of codes.
    assert report.dimensions["focus"]["percent"].value == pytest.approx(0.75)
    assert {d["id"] for d in report.disagreements} == {"c2", "c6", "c10", "c14", "c18"}
    assert report.disagreements[0]["li"] == ["reading", "space"]
