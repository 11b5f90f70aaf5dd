"""A word search with a filter: the full-text index and the filter columns kept
beside it answer it, with the hits, order and count of the case-table query."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connections
from django.http import QueryDict

from libinnov.cases import Case as CoreCase
from libinnov.search import parse_query, plain_text
from libinnov.web.cases import postgres_index, search_facets, search_index, selectors
from libinnov.web.cases.models import Case
from libinnov.web.cases.services import case_save, case_update_codes, sample_load
from libinnov.web.codebook.selectors import current_codebook, current_version

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])
#: what answers a filtered word search on SQLite and on PostgreSQL
FILTERED = (search_facets.FilteredHits, postgres_index.PostgresFilteredHits)

#: a two-character word, a longer one, a traditional one, two words, one
#: character and phrases (the text answers one character and a phrase to check)
WORDS = [
    "阅读",
    "古籍",
    "信息素养",
    "閱讀",
    "古籍 修复",
    "书",
    '"阅读推广"',
    '"城市 书房"',
]
FILTERS: dict[str, dict[str, Any]] = {
    "year": {"year": ["2024", "2016"]},
    "province": {"province": "江苏"},
    "region": {"region": "east"},
    "library_type": {"library_type": "public"},
    "focus": {"focus": ["reading", "space"]},
    "campaign": {"campaign": "call-a"},
    "all kinds": {
        "province": ["江苏", "北京", "四川"],
        "library_type": "academic",
        "focus": "reading",
        "year": ["2024", "2022", "2018"],
    },
    "a code no case holds": {"library_type": "other", "focus": "teaching"},
}


@pytest.fixture
def library(backend: str) -> None:
    """The bundled sample, a few of its cases published from a call."""
    sample_load(codebook=current_codebook(), codebook_version=current_version().version)
    for case in Case.objects.filter(search_text__contains="阅读")[:6]:
        case_save(core=case.to_core(), submission_ref=f"call-a/{case.pk}")


def _search(params: dict[str, Any], user: Any = None) -> tuple[Any, list[str]]:
    """What the library's list asks for, and the case-table join that answered
    a filtered search before the facet table (the reference)."""
    query = QueryDict(urlencode(params, doseq=True))
    flt = selectors.parse_filter(query, current_codebook())
    visible = selectors.visible_cases(user or AnonymousUser())
    qs, terms = selectors.apply_filter(visible, flt)
    if terms and "search_score" in qs.query.annotations | qs.query.extra:
        joined = qs.order_by("-search_score", "id")
    else:
        joined = qs.order_by("id")
    return selectors.ranked_ids(qs, terms), list(joined.values_list("id", flat=True))


def _assert_unchanged(params: dict[str, Any], user: Any = None) -> list[str]:
    ids, joined = _search(params, user)
    query = parse_query(params["q"])
    indexed = query.indexable and not any(t.verify for t in query.terms)
    assert isinstance(ids, FILTERED) == indexed
    assert ids.count() == len(ids) == len(joined)
    assert list(ids[0:20]) == joined[:20]
    assert list(ids[3:11]) == joined[3:11]
    assert list(ids) == joined
    return joined


def _expected(word: str, params: dict[str, Any]) -> set[str]:
    """The cases holding ``word`` that pass the filter, worked out in Python."""
    needle = plain_text(word, "", "")
    found = set()
    for case in Case.objects.all():
        codes = {(d, c) for d, v in case.codes.items() for c in _listed(v)}
        wanted = [
            needle in case.search_text,
            str(case.year) in _listed(params.get("year", str(case.year))),
            case.province in _listed(params.get("province", case.province)),
            case.campaign in _listed(params.get("campaign", case.campaign)),
            case.published,
        ]
        for dim in ("region", "library_type", "focus"):
            if dim in params:
                wanted.append(any((dim, c) in codes for c in _listed(params[dim])))
        if all(wanted):
            found.add(case.pk)
    return found


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


@pytest.mark.parametrize("kind", FILTERS)
def test_a_filtered_search_finds_and_orders_as_the_case_table_did(
    library: None, kind: str
) -> None:
    for word in WORDS:
        params = {"q": word, **FILTERS[kind]}
        joined = _assert_unchanged(params)
        if word in ("阅读", "古籍", "信息素养", "閱讀", "书"):
            assert set(joined) == _expected(word, params)


def test_the_filters_find_hits(library: None) -> None:
    for kind in ("year", "province", "region", "library_type", "focus", "campaign"):
        assert _search({"q": "阅读", **FILTERS[kind]})[0].count() > 0, kind


def test_a_visitor_s_search_leaves_unpublished_cases_out(library: None) -> None:
    hidden = Case.objects.filter(search_text__contains="阅读").order_by("id")[:3]
    Case.objects.filter(pk__in=[c.pk for c in hidden]).update(published=False)
    joined = _assert_unchanged({"q": "阅读"})  # no filter but the visitor's
    assert joined and not {c.pk for c in hidden} & set(joined)
    assert set(joined) == _expected("阅读", {})
    _assert_unchanged({"q": "阅读", **FILTERS["region"]})


def test_later_pages_are_ranked_as_the_first(
    library: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_facets, "HEAD", 4)
    ids, joined = _search({"q": "阅读", "region": ["east", "west"]})
    assert len(joined) > 12
    assert ids[0:4] == joined[:4]
    assert ids[2:6] == joined[2:6]
    assert ids[10:1000] == joined[10:]


def test_the_facet_table_follows_edits_and_deletes(library: None) -> None:
    reading = {"q": "古籍", "focus": "reading"}
    case = Case.objects.filter(search_text__contains="古籍").order_by("id").first()
    assert case is not None
    before = _assert_unchanged(reading)
    case_update_codes(case, {"focus": ["reading", "heritage"]})
    assert case.pk in _assert_unchanged(reading)
    case_update_codes(case, {"focus": ["heritage"]})
    assert case.pk not in _assert_unchanged(reading)
    assert set(before) - {case.pk} <= set(_assert_unchanged(reading))

    moved = {"q": "古籍", "province": "西藏", "year": "2001"}
    assert case.pk not in _assert_unchanged(moved)
    case_save(core=replace(case.to_core(), province="西藏", year=2001))
    assert _assert_unchanged(moved) == [case.pk]
    Case.objects.filter(pk=case.pk).update(year=2002)  # the search rowid stays
    assert _assert_unchanged(moved) == []
    assert _assert_unchanged({**moved, "year": "2002"}) == [case.pk]

    call = {"q": "古籍", "campaign": "call-b"}
    case_save(core=Case.objects.get(pk=case.pk).to_core(), submission_ref="call-b/9")
    assert _assert_unchanged(call) == [case.pk]
    Case.objects.filter(pk=case.pk).delete()
    assert _assert_unchanged({"q": "古籍", "focus": "heritage"})
    assert case.pk not in _search({"q": "古籍", "focus": "heritage"})[1]


def test_a_new_case_is_found_with_its_codes(library: None) -> None:
    core = CoreCase(
        id="new-1",
        title="古籍数字化服务",
        summary="",
        province="江苏",
        year=2024,
        codes={"focus": ["digital", "heritage"], "library_type": "public"},
    )
    case_save(core=core)
    for params in ({"focus": "digital"}, {"library_type": "public", "year": "2024"}):
        assert "new-1" in _assert_unchanged({"q": "古籍", **params})


def test_a_table_rebuild_or_an_older_database_is_refilled(
    library: None, backend: str
) -> None:
    """What ``migrate`` does to a database from before the filter columns, or
    one whose triggers a table rebuild dropped."""
    from libinnov.web.config.router import active_alias

    params = {"q": "阅读", **FILTERS["all kinds"]}
    expected = _assert_unchanged(params)
    connection = connections[active_alias()]
    with connection.cursor() as cursor:
        if backend == "postgresql":
            columns = ("year", "province", "campaign", "published", "codes")
            drops = ", ".join(f"DROP COLUMN {c}" for c in columns)
            cursor.execute(f"ALTER TABLE {postgres_index.TABLE} {drops}")
        else:
            cursor.execute(f"DROP TABLE {search_facets.TABLE}")
            cursor.execute(f"DROP TABLE {search_facets.CODE_IDS}")
            for name in ("cases_facets_ai", "cases_facets_code_ai"):
                cursor.execute(f"DROP TRIGGER {name}")
    search_index.ensure(connection)
    assert _assert_unchanged(params) == expected
    if backend == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER cases_facets_code_ad")
            cursor.execute(f"UPDATE {search_facets.TABLE} SET codes = ''")
        search_index.ensure(connection)
        assert _assert_unchanged(params) == expected
