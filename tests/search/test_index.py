from __future__ import annotations

import pytest

from libinnov.cases import Case
from libinnov.search import CaseIndex, plain_text


@pytest.fixture(scope="module")
def sample_index(sample_cases: list[Case]) -> CaseIndex:
    index = CaseIndex()
    index.add(sample_cases)
    return index


@pytest.mark.parametrize("q", ["古籍", "阅读", "馆员", "书馆", "阅读推广", "信息素养"])
def test_index_finds_what_a_substring_scan_finds(
    sample_index: CaseIndex, sample_cases: list[Case], q: str
) -> None:
    expected = {
        c.id for c in sample_cases if q in plain_text(c.title, c.library, c.summary)
    }
    results = sample_index.search(q, limit=1000)
    assert expected
    assert {h.id for h in results.hits} == expected
    assert results.total == len(expected)


def test_title_matches_rank_first(sample_index: CaseIndex) -> None:
    hits = sample_index.search("古籍", limit=5).hits
    assert "古籍" in hits[0].title
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_a_phrase_must_occur_in_order() -> None:
    index = CaseIndex()
    index.add(
        [
            Case(id="a", title="城市书房建设", summary=""),
            Case(id="b", title="书房进城市", summary=""),
        ]
    )
    assert [h.id for h in index.search('"城市书房"').hits] == ["a"]
    assert {h.id for h in index.search("城市 书房").hits} == {"a", "b"}


def test_one_character_queries_fall_back_to_the_text() -> None:
    index = CaseIndex()
    index.add([Case(id="a", title="读书会", summary=""), Case(id="b", title="展览")])
    assert [h.id for h in index.search("书").hits] == ["a"]


def test_traditional_queries_find_simplified_text() -> None:
    index = CaseIndex()
    index.add([Case(id="a", title="阅读推广", summary="")])
    assert [h.id for h in index.search("閱讀").hits] == ["a"]


def test_re_adding_a_case_replaces_its_entry() -> None:
    index = CaseIndex()
    index.add([Case(id="a", title="古籍修复", summary="")])
    index.add([Case(id="a", title="城市书房", summary="")])
    assert len(index) == 1
    assert index.search("古籍").total == 0
    assert index.search("书房").total == 1


def test_paging_is_stable(sample_index: CaseIndex) -> None:
    first = sample_index.search("阅读", limit=10).hits
    second = sample_index.search("阅读", limit=10, offset=10).hits
    assert not {h.id for h in first} & {h.id for h in second}


def test_a_sentence_with_no_exact_hit_is_relaxed_to_its_words() -> None:
    index = CaseIndex()
    index.add([Case(id="a", title="高校图书馆阅读推广案例", summary="")])
    assert [h.id for h in index.search("高校图书馆如何开展阅读推广").hits] == ["a"]
    assert index.search('"城市书房"').total == 0


def test_a_question_finds_cases_with_its_words_not_only_its_wording() -> None:
    index = CaseIndex()
    index.add(
        [
            Case(id="a", title="高校图书馆如何开展阅读推广", summary=""),
            Case(id="b", title="高校阅读推广实践", summary=""),
            Case(id="c", title="高校古籍修复", summary=""),
        ]
    )
    assert {h.id for h in index.search("高校图书馆如何开展阅读推广").hits} == {"a", "b"}
    assert [h.id for h in index.search('"高校图书馆如何开展阅读推广"').hits] == ["a"]
