"""The shared case index gives exactly what a plain walk over the cases gives.

``analyze`` reads each case's codes once (:class:`~libinnov.analysis.index.CodeIndex`)
and works tables out per distinct code pattern. The references below are the
straightforward per-case loops; outputs are compared as JSON text, so counts,
case ids, their order and the order of every key must all agree.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from libinnov.analysis import DEFAULT_CROSSTABS, analyze
from libinnov.analysis.capability import capability
from libinnov.analysis.cooccurrence import _matrix, cooccurrence
from libinnov.analysis.tables import (
    UNKNOWN,
    Distribution,
    Table,
    codes_of,
    crosstab_counts,
    distribution,
)
from libinnov.cases import Case
from libinnov.codebook import Codebook


def _text(value: Any) -> str:
    """Order-sensitive text of a result: equal text, equal keys in equal order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def reference_distribution(
    cases: Sequence[Case], key: str, order: Sequence[str] = ()
) -> Distribution:
    ids: dict[str, list[str]] = {code: [] for code in order}
    per_case: dict[int, int] = {}
    for case in cases:
        codes = codes_of(case, key)
        per_case[len(codes)] = per_case.get(len(codes), 0) + 1
        for code in dict.fromkeys(codes):
            ids.setdefault(code, []).append(case.id)
    if UNKNOWN in ids and not ids[UNKNOWN]:
        del ids[UNKNOWN]
    n = len(cases)
    counts = {code: len(v) for code, v in ids.items()}
    shares = {code: round(c / n, 4) if n else 0.0 for code, c in counts.items()}
    multi = any(k != 1 for k in per_case)
    return Distribution(key, counts, shares, ids, n, per_case if multi else {})


def reference_crosstab(
    cases: Sequence[Case],
    rows: str,
    cols: str,
    row_order: Sequence[str] = (),
    col_order: Sequence[str] = (),
) -> Table:
    cells: dict[str, dict[str, list[str]]] = {}
    row_codes, col_codes = list(row_order), list(col_order)
    for case in cases:
        for r in dict.fromkeys(codes_of(case, rows)):
            for c in dict.fromkeys(codes_of(case, cols)):
                cells.setdefault(r, {}).setdefault(c, []).append(case.id)
                if r not in row_codes:
                    row_codes.append(r)
                if c not in col_codes:
                    col_codes.append(c)
    counts = [[len(cells.get(r, {}).get(c, [])) for c in col_codes] for r in row_codes]
    keep_rows = [i for i, row in enumerate(counts) if sum(row)]
    keep_cols = [
        j for j in range(len(col_codes)) if any(counts[i][j] for i in keep_rows)
    ]
    return Table(
        rows,
        cols,
        [row_codes[i] for i in keep_rows],
        [col_codes[j] for j in keep_cols],
        [[counts[i][j] for j in keep_cols] for i in keep_rows],
        cells,
    )


def reference_capability(cases: Sequence[Case], key: str) -> dict[str, Any]:
    """Group sizes and raw parts, read case by case."""
    groups: dict[str, list[Case]] = {}
    for case in cases:
        for code in codes_of(case, key):
            groups.setdefault(code, []).append(case)

    def mean(values: list[Any]) -> float:
        return round(float(np.mean(values)), 3)

    out: dict[str, Any] = {}
    for group, members in groups.items():
        parts = {
            f"{dim}_per_case": mean([len(c.codes_list(dim)) for c in members])
            for dim in ("focus", "strategy", "technology")
        }
        parts["comprehensive_share"] = mean(
            [c.codes.get("innovation_type") == "comprehensive" for c in members]
        )
        if any("award" in c.extra for c in members):
            parts["award_share"] = mean([bool(c.extra.get("award")) for c in members])
        out[group] = (len(members), parts)
    return out


def reference_pair_ids(
    cases: Sequence[Case], rows: str, cols: str, rc: list[str], cc: list[str]
) -> dict[str, dict[str, list[str]]]:
    a, b = _matrix(cases, rows, rc), _matrix(cases, cols, cc)
    ids = np.array([c.id for c in cases], dtype=object)
    return {
        r: {c: ids[(a[:, i] * b[:, j]) > 0].tolist() for j, c in enumerate(cc)}
        for i, r in enumerate(rc)
    }


def _odd_cases(sample: list[Case]) -> list[Case]:
    """Sample cases made awkward: uncoded, empty, repeated, strange codes, awards."""
    out = []
    for i, case in enumerate(sample[:60]):
        codes = dict(case.codes)
        if i % 7 == 0:
            codes.pop("focus", None)
        if i % 5 == 0:
            codes["strategy"] = []
        if i % 6 == 0:
            codes["focus"] = ["reading", "reading", "not_in_codebook"]
        if i % 9 == 0:
            codes["focus"] = "space"
        if i % 11 == 0:
            codes.pop("library_type", None)
        if i % 13 == 1:
            codes["library_type"] = ["public", "academic", "public"]
        if i % 4 == 0:
            codes["innovation_type"] = ["comprehensive"]
        extra = {"award": i % 3 == 0} if i % 2 else {}
        out.append(
            dataclasses.replace(
                case,
                id=f"odd{i}",
                codes=codes,
                extra=extra,
                province=None if i % 8 == 0 else case.province,
                year=None if i % 10 == 0 else case.year,
            )
        )
    return out + sample[60:]


@pytest.fixture(params=["sample", "odd"])
def cases(request: pytest.FixtureRequest, sample_cases: list[Case]) -> list[Case]:
    return sample_cases if request.param == "sample" else _odd_cases(sample_cases)


KEYS = ("region", "library_type", "focus", "innovation_type", "strategy", "province")


def test_distributions_match_a_walk_over_the_cases(
    cases: list[Case], codebook: Codebook
) -> None:
    for key in KEYS:
        order = codebook.dimension(key).code_keys if key in codebook else ()
        assert _text(distribution(cases, key, order)) == _text(
            reference_distribution(cases, key, order)
        ), key


def test_crosstabs_match_a_walk_over_the_cases(
    cases: list[Case], codebook: Codebook
) -> None:
    pairs = [*DEFAULT_CROSSTABS, ("year", "innovation_type"), ("focus", "strategy")]
    for rows, cols in pairs:
        for orders in ((), (_order(codebook, rows), _order(codebook, cols))):
            assert _text(crosstab_counts(cases, rows, cols, *orders)) == _text(
                reference_crosstab(cases, rows, cols, *orders)
            ), (rows, cols, orders)


def _order(codebook: Codebook, key: str) -> list[str]:
    return list(codebook.dimension(key).code_keys) if key in codebook else []


def test_capability_matches_a_walk_over_the_cases(cases: list[Case]) -> None:
    for key in ("library_type", "region"):
        got = {g.group: (g.n_cases, g.parts) for g in capability(cases, key)}
        expected = reference_capability(cases, key)
        assert _text(got) == _text({g: expected[g] for g in got})
        assert set(got) == set(expected)


def test_cooccurrence_ids_match_a_walk_over_the_cases(
    cases: list[Case], codebook: Codebook
) -> None:
    for rows, cols in (("focus", "strategy"), ("strategy", "strategy")):
        rc, cc = _order(codebook, rows), _order(codebook, cols)
        co = cooccurrence(cases, rows, cols, rc, cc)
        assert _text(co.case_ids) == _text(
            reference_pair_ids(cases, rows, cols, rc, cc)
        )
        a, b = _matrix(cases, rows, rc), _matrix(cases, cols, cc)
        assert co.counts == (a.T @ b).astype(int).tolist()


def test_analyze_with_one_shared_index_matches_the_references(
    cases: list[Case], codebook: Codebook
) -> None:
    analysis = analyze(cases, codebook)
    for key, dist in analysis.distributions.items():
        order = codebook.dimension(key).code_keys if key in codebook else ()
        assert _text(dist) == _text(reference_distribution(cases, key, order))
    for table in analysis.crosstabs.values():
        expected = reference_crosstab(
            cases,
            table.rows,
            table.cols,
            _order(codebook, table.rows),
            _order(codebook, table.cols),
        )
        assert _text(table) == _text(expected)
