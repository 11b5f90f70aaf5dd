"""Full-text search in the database: FTS5 on SQLite, tsvector on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.test import Client

from libinnov.cases import Case as CoreCase
from libinnov.cases import load_sample
from libinnov.search import plain_text
from libinnov.web.cases.models import Case
from libinnov.web.cases.services import case_save

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _ids(q: str, **params: Any) -> list[str]:
    response = Client().get("/cases/", {"q": q, "format": "json", **params})
    assert response.status_code == 200
    return [r["id"] for r in response.json()["results"]]


@pytest.mark.parametrize("q", ["阅读", "馆员", "书馆", "信息素养", "閱讀推廣"])
def test_the_index_finds_what_the_text_holds(sample_db: int, q: str) -> None:
    needle = plain_text(q, "", "")
    expected = {
        c.id
        for c in load_sample()
        if needle in plain_text(c.title, c.library, c.summary)
    }
    assert expected
    assert set(_ids(q, page_size=1000)) == expected


def test_a_quoted_phrase_must_occur_as_written(backend: str) -> None:
    case_save(core=CoreCase(id="p1", title="城市书房建设", summary=""))
    case_save(core=CoreCase(id="p2", title="书房走进城市", summary=""))
    assert _ids('"城市书房"') == ["p1"]
    assert set(_ids("城市 书房")) == {"p1", "p2"}


def test_a_sentence_with_no_exact_hit_is_relaxed_to_its_words(backend: str) -> None:
    case_save(core=CoreCase(id="s1", title="古籍修复进校园", summary=""))
    assert _ids("校园古籍修复") == ["s1"]


def test_one_character_falls_back_to_the_text(backend: str) -> None:
    case_save(core=CoreCase(id="c1", title="读书会", summary=""))
    case_save(core=CoreCase(id="c2", title="展览", summary=""))
    assert _ids("书") == ["c1"]


def test_the_index_follows_edits_and_deletes(backend: str) -> None:
    case_save(core=CoreCase(id="e1", title="古籍修复", summary=""))
    assert _ids("古籍") == ["e1"]
    case_save(core=CoreCase(id="e1", title="城市书房", summary=""))
    assert _ids("古籍") == []
    assert _ids("书房") == ["e1"]
    Case.objects.filter(id="e1").delete()
    assert _ids("书房") == []


def test_title_hits_outrank_body_hits(backend: str) -> None:
    case_save(core=CoreCase(id="r1", title="社区服务", summary="也谈到古籍。" * 3))
    case_save(core=CoreCase(id="r2", title="古籍保护", summary="馆藏整理。"))
    assert _ids("古籍") == ["r2", "r1"]


@pytest.mark.django_db(databases=["default"])
def test_sqlite_rebuilds_an_index_a_table_rebuild_dropped() -> None:
    from libinnov.web.cases import search_index

    case_save(core=CoreCase(id="x1", title="古籍修复", summary=""))
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cases_fts_ai")
        cursor.execute("DELETE FROM cases_fts")
    search_index.ensure(connection)
    assert _ids("古籍") == ["x1"]
    case_save(core=CoreCase(id="x2", title="古籍展览", summary=""))
    assert set(_ids("古籍")) == {"x1", "x2"}


def test_without_a_usable_index_search_scans_the_text(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from libinnov.web.cases import search_index
    from libinnov.web.config.router import active_alias

    alias = active_alias()
    assert search_index.usable(connections[alias])  # the test cluster is C.UTF-8
    if backend == "postgresql":  # as if the server's LC_CTYPE were plain C
        monkeypatch.setitem(search_index._USABLE, alias, False)
    case_save(core=CoreCase(id="u1", title="古籍修复", summary=""))
    case_save(core=CoreCase(id="u2", title="城市书房", summary=""))
    assert _ids("古籍") == ["u1"]


def test_an_unfiltered_search_is_answered_by_the_index_alone(backend: str) -> None:
    from libinnov.web.cases import search_index, selectors
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    qs, terms = selectors.search_terms(Case.objects.all(), "阅读")
    fast = selectors.ranked_ids(qs, terms)
    assert isinstance(fast, search_index.Hits)
    joined = qs.order_by("-search_score", "id").values_list("id", flat=True)
    assert fast.count() == joined.count() > 0
    assert set(fast) == set(joined)
    assert fast[0:5] == list(joined[:5])
    if backend == "postgresql":  # the same scores and tie order: the same list
        assert list(fast) == list(joined)
        assert fast[7:19] == list(joined[7:19])
    filtered, terms = selectors.search_terms(Case.objects.filter(year=2023), "阅读")
    assert not isinstance(selectors.ranked_ids(filtered, terms), search_index.Hits)


def test_a_common_word_is_ranked_among_its_newest_hits(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    exact = _ids("阅读", page_size=1000)
    monkeypatch.setenv("LIBINNOV_SEARCH_RANK_WINDOW", "10")
    windowed = _ids("阅读", page_size=1000)
    assert sorted(windowed) == sorted(exact) and len(exact) > 20
    years = dict(Case.objects.values_list("id", "year"))
    newest = sorted(years[i] or 0 for i in exact)[-10:]
    assert min(years[i] or 0 for i in windowed[:10]) >= newest[0]
    rest = [years[i] or 0 for i in windowed[10:]]
    assert rest == sorted(rest, reverse=True)
    paged = _ids("阅读", page_size=7) + _ids("阅读", page_size=7, page=2)
    assert paged == windowed[:14]


def test_a_window_ranks_by_score_then_newest_first(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    years = {"w1": 2010, "w2": 2024, "w3": 2025, "w4": 2023, "w5": 2011}
    for case_id, year in years.items():
        title, summary = (
            ("古籍修复", "") if case_id == "w1" else ("城市书房", "谈到古籍。")
        )
        case_save(core=CoreCase(id=case_id, title=title, summary=summary, year=year))
    exact = _ids("古籍")  # fewer hits than the window: the title hit first
    assert exact[0] == "w1" and sorted(exact) == sorted(years)
    monkeypatch.setenv("LIBINNOV_SEARCH_RANK_WINDOW", "2")
    # the two newest are ranked (equal scores: newest first), then the rest newest
    # first, the old title hit last
    assert _ids("古籍") == ["w3", "w2", "w4", "w5", "w1"]
    assert _ids("古籍", page_size=2, page=2) == ["w4", "w5"]
    assert _ids("古籍", page_size=2, page=3) == ["w1"]


@pytest.mark.django_db(databases=["postgres"])
def test_postgresql_keeps_its_search_tables_in_step() -> None:
    from libinnov.web.cases import postgres_index
    from libinnov.web.config import router

    tables = (postgres_index.TABLE, postgres_index.RANK_TABLE)
    router.pin("postgres")
    try:
        connection = connections["postgres"]
        case_save(core=CoreCase(id="t1", title="古籍修复", summary="", year=2020))
        case_save(core=CoreCase(id="t2", title="城市书房", summary="", year=2021))
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"SELECT case_id FROM {table} ORDER BY 1")
                assert [r[0] for r in cursor.fetchall()] == ["t1", "t2"]
            cursor.execute(f"DELETE FROM {postgres_index.RANK_TABLE}")
        postgres_index.ensure(connection)  # as after a migrate: refilled
        assert _ids("古籍") == ["t1"]
        Case.objects.filter(id="t1").update(year=2022)  # not a token change
        case_save(core=CoreCase(id="t2", title="古籍展览", summary="", year=2021))
        assert _ids("古籍") == ["t1", "t2"]
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE cases_case CASCADE")
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {table}")
                assert cursor.fetchone()[0] == 0
    finally:
        router.pin(None)
