"""The case library: list, search, facets and their JSON twins, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from libinnov.cases import load_sample

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _json(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    return response.json()


def test_it_lists_every_sample_case_in_the_json_twin(sample_db: int) -> None:
    data = _json(Client(), "/cases/", page_size=1000)
    assert sample_db == len(load_sample())
    assert data["count"] == sample_db
    ids = {r["id"] for r in data["results"]}
    assert ids == {c.id for c in load_sample()}
    first = data["results"][0]
    for key in ("id", "title", "library", "province", "region", "year", "library_type"):
        assert key in first


def test_it_finds_two_character_words(sample_db: int) -> None:
    expected = {c.id for c in load_sample() if "古籍" in c.text + c.library}
    data = _json(Client(), "/cases/", q="古籍", page_size=1000)
    assert {r["id"] for r in data["results"]} == expected
    assert expected


def test_it_ranks_title_matches_first(sample_db: int) -> None:
    data = _json(Client(), "/cases/", q="古籍", page_size=1000)
    titles = [r["title"] for r in data["results"]]
    in_title = [t for t in titles if "古籍" in t]
    assert titles[: len(in_title)] == in_title


def test_it_filters_by_codes_from_the_codebook(sample_db: int) -> None:
    sample = load_sample()
    expected = {
        c.id
        for c in sample
        if "reading" in c.codes_list("focus") and c.codes.get("region") == "east"
    }
    data = _json(Client(), "/cases/", focus="reading", region="east", page_size=1000)
    assert {r["id"] for r in data["results"]} == expected
    assert 0 < len(expected) < len(sample)


def test_it_accepts_code_labels_as_filter_values(sample_db: int) -> None:
    by_key = _json(Client(), "/cases/", focus="heritage")["count"]
    by_label = _json(Client(), "/cases/", focus="文化传承")["count"]
    assert by_key == by_label > 0


def test_it_shows_facets_with_counts_for_every_dimension(
    sample_db: int, codebook: Any
) -> None:
    response = Client().get("/cases/")
    html = response.content.decode()
    for dim in codebook.dimensions:
        assert f'data-facet="{dim.key}"' in html
    heritage = sum("heritage" in c.codes_list("focus") for c in load_sample())
    assert f'文化传承 <span class="n">{heritage}</span>' in html


def test_the_case_page_shows_codes_and_similar_cases(sample_db: int) -> None:
    response = Client().get("/cases/A-001/")
    html = response.content.decode()
    assert "成立古籍保护中心" in html
    assert "文化传承" in html  # focus label in Chinese by default
    data = _json(Client(), "/cases/A-001/")
    assert data["id"] == "A-001"
    assert data["focus"] == ["heritage"]
    assert len(data["similar"]) == 5
    assert "A-001" not in {s["id"] for s in data["similar"]}


def test_a_case_opened_from_a_search_marks_the_words_in_its_text(
    sample_db: int,
) -> None:
    import re

    from libinnov.web.cases.models import Case

    case = Case.objects.get(pk="A-001")
    summary_of = re.compile(r'<div class="summary">(.*?)</div>', re.S)
    searched = summary_of.search(Client().get("/cases/A-001/?q=古籍").content.decode())
    assert searched is not None
    assert searched.group(1).count("<mark>古籍</mark>") == case.summary.count("古籍")
    plain = summary_of.search(Client().get("/cases/A-001/").content.decode())
    assert plain is not None and "<mark>古籍</mark>" not in plain.group(1)


def test_an_unknown_case_is_a_404(sample_db: int) -> None:
    assert Client().get("/cases/NOPE/").status_code == 404


def test_anonymous_visitors_see_only_published_cases(
    sample_db: int, personas: dict[str, Any]
) -> None:
    from libinnov.web.cases.models import Case

    Case.objects.filter(pk="A-001").update(published=False)
    assert Client().get("/cases/A-001/").status_code == 404
    assert _json(Client(), "/cases/")["count"] == sample_db - 1
    viewer = Client()
    viewer.force_login(personas["viewer_zhao"])
    assert viewer.get("/cases/A-001/").status_code == 200
    assert _json(viewer, "/cases/")["count"] == sample_db


def test_a_chosen_facet_still_offers_its_other_values(sample_db: int) -> None:
    east = sum(c.codes.get("region") == "east" for c in load_sample())
    html = Client().get("/cases/", {"region": "west"}).content.decode()
    region = html.split('data-facet="region"')[1].split("</details>")[0]
    assert 'data-value="east"' in region
    assert f'<span class="n">{east}</span>' in region
    assert 'class="selected"' in region


def test_facets_of_a_search_count_within_the_search(sample_db: int) -> None:
    from collections import Counter

    hits = [c for c in load_sample() if "古籍" in c.text + c.library]
    west = [c for c in hits if c.codes.get("region") == "west"]
    response = Client().get("/cases/", {"q": "古籍", "region": "west"})
    facets = {g["key"]: g for g in response.context["facets"]()}
    regions = {v["value"]: v["count"] for v in facets["region"]["values"]}
    assert regions == dict(Counter(c.codes["region"] for c in hits))
    focus = {v["value"]: v["count"] for v in facets["focus"]["values"]}
    assert focus == dict(Counter(f for c in west for f in c.codes_list("focus")))


def test_an_unknown_code_is_a_400_not_the_whole_library(sample_db: int) -> None:
    response = Client().get("/cases/", {"focus": "nonsense", "format": "json"})
    assert response.status_code == 400
    assert "nonsense" in response.json()["error"]
    assert Client().get("/dashboard/", {"year": "abc"}).status_code == 400
    assert Client().get("/api/cases/", {"region": "mars"}).status_code == 400


def test_postgresql_gets_a_trigram_index_for_search(backend: str) -> None:
    from django.db import connections

    from libinnov.web.config.router import active_alias

    connection = connections[active_alias()]
    query = {
        "postgresql": "select indexdef from pg_indexes"
        " where indexname = 'cases_case_search_trgm'",
        "sqlite": "select sql from sqlite_master where name = 'cases_case_search_trgm'",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query)
        row = cursor.fetchone()
    if backend == "postgresql":
        assert row is not None and "gin_trgm_ops" in row[0]
    else:
        assert row is None  # SQLite keeps the plain table; the migration skips it


def test_the_cached_sidebar_follows_a_new_case(sample_db: int) -> None:
    from libinnov.cases import Case as CoreCase
    from libinnov.web.cases.services import case_save

    heritage = sum("heritage" in c.codes_list("focus") for c in load_sample())
    assert f'文化传承 <span class="n">{heritage}</span>' in _html("/cases/")
    assert f'文化传承 <span class="n">{heritage}</span>' in _html("/cases/")
    case_save(core=CoreCase(id="Z-9", title="古籍", codes={"focus": ["heritage"]}))
    assert f'文化传承 <span class="n">{heritage + 1}</span>' in _html("/cases/")


def _html(url: str) -> str:
    return Client().get(url).content.decode()
