"""Ranking a common word among its newest hits, and the row keys that allow it."""

from __future__ import annotations

import itertools

import pytest

from libinnov.cases import Case
from libinnov.search import CaseIndex, search_rowid


def test_row_keys_sort_newest_first_and_stay_stable() -> None:
    keys = [search_rowid("x", y) for y in (None, 1999, 2020, 2024)]
    assert keys == sorted(keys)
    assert search_rowid("x", 2024) == search_rowid("x", 2024)
    assert search_rowid("x", 2024) != search_rowid("y", 2024)
    assert all(0 <= k < 2**63 for k in keys)
    assert search_rowid("x", 3000) < 2**63  # far-future years stay in range


def _library(n: int, window: int) -> CaseIndex:
    """n cases about 阅读: case i from year 2000 + i, 阅读 said i % 4 + 1 times."""
    index = CaseIndex(rank_window=window)
    index.add(
        Case(
            id=f"c{i:02d}",
            title=f"案例{i}",
            year=2000 + i,
            summary="阅读推广。" * (i % 4 + 1) + "馆员服务读者。" * 3,
        )
        for i in range(n)
    )
    return index


def test_a_query_within_the_window_is_ranked_exactly() -> None:
    index = _library(12, window=100)
    hits = index.search("阅读", limit=12).hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert {h.id for h in hits} == {f"c{i:02d}" for i in range(12)}


def test_a_common_query_ranks_its_newest_hits_then_lists_the_rest() -> None:
    index = _library(30, window=10)
    results = index.search("阅读", limit=30)
    assert results.total == 30
    ids = [h.id for h in results.hits]
    assert sorted(ids) == sorted({f"c{i:02d}" for i in range(30)})  # none lost
    newest = {f"c{i:02d}" for i in range(20, 30)}
    assert set(ids[:10]) == newest
    head = [h.score for h in results.hits[:10]]
    assert head == sorted(head, reverse=True)
    assert ids[10:] == [f"c{i:02d}" for i in range(19, -1, -1)]


@pytest.mark.parametrize("cuts", [(0, 7, 30), (0, 10, 20, 30), (3, 12, 25, 30)])
def test_pages_across_the_window_edge_join_up(cuts: tuple[int, ...]) -> None:
    index = _library(30, window=10)
    whole = [h.id for h in index.search("阅读", limit=30).hits]
    pages: list[str] = []
    for start, stop in itertools.pairwise(cuts):
        page = index.search("阅读", limit=stop - start, offset=start)
        pages += [h.id for h in page.hits]
    assert pages == whole[cuts[0] : cuts[-1]]
