"""A call's published cases as a slice of the library: filter, facet, dashboard,
report, links from the call's pages, and the page cache kept apart per call."""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest
from campaign_support import add_submission, new_campaign
from django.apps import apps
from django.db import connections
from django.test import Client
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from libinnov.web.campaigns.models import Campaign
from libinnov.web.campaigns.services import campaign_publish
from libinnov.web.cases.models import Case, LibraryState
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.config.router import active_alias

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

READING = "reading-2026"
HERITAGE = "heritage-2026"
READING_CASES = [
    ("城市书房夜读计划", "温州市图书馆"),
    ("亲子绘本共读营", "杭州图书馆"),
    ("高校读书马拉松", "武汉大学图书馆"),
]
HERITAGE_CASES = [
    ("古籍修复体验课", "南京图书馆"),
    ("方志数字化展", "首都图书馆"),
]


def publish(slug: str, cases: list[tuple[str, str]], **fields: Any) -> Campaign:
    """A call whose every submission was shortlisted and published."""
    campaign = new_campaign(slug, **fields)
    for title, library in cases:
        add_submission(campaign, title, library)
    campaign.submissions.update(status="shortlisted")
    campaign_publish(
        campaign=campaign,
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    return campaign


@pytest.fixture
def calls(sample_db: int) -> dict[str, Campaign]:
    """The sample library, plus two calls' published cases."""
    return {
        READING: publish(READING, READING_CASES, title="阅读推广创新案例征集"),
        HERITAGE: publish(HERITAGE, HERITAGE_CASES, title="古籍保护创新案例征集"),
    }


def _json(path: str, **params: Any) -> Any:
    return Client().get(path, {**params, "format": "json"}).json()


def _facet(html: str) -> str:
    """The campaign facet's HTML ("" when the sidebar has none)."""
    start = html.find('data-facet="campaign"')
    return "" if start < 0 else html[start : html.index("</details>", start)]


def test_the_filter_selects_one_calls_published_cases(
    calls: dict[str, Campaign],
) -> None:
    data = _json("/cases/", campaign=READING)
    assert data["count"] == 3
    assert {r["title"] for r in data["results"]} == {t for t, _ in READING_CASES}
    assert all(r["id"].startswith(f"{READING}-") for r in data["results"])
    html = Client().get("/cases/", {"campaign": READING}).content.decode()
    assert "城市书房夜读计划" in html and "古籍修复体验课" not in html


def test_the_filter_repeats_and_combines_with_the_other_filters(
    calls: dict[str, Campaign],
) -> None:
    both = _json("/cases/", campaign=[READING, HERITAGE])
    assert both["count"] == 5
    east = _json("/cases/", campaign=[READING, HERITAGE], region="east")
    expected = Case.objects.filter(
        campaign__in=[READING, HERITAGE], codes__region="east"
    )
    assert east["count"] == expected.count() == 4  # 武汉 is central
    found = _json("/cases/", campaign=READING, q="绘本")
    assert [r["title"] for r in found["results"]] == ["亲子绘本共读营"]


def test_an_unknown_or_draft_call_is_a_400_that_names_it(
    calls: dict[str, Campaign],
) -> None:
    new_campaign("secret-2027", status="draft")
    for slug in ("no-such-call", "secret-2027", "bad slug!"):
        response = Client().get("/cases/", {"campaign": slug, "format": "json"})
        assert response.status_code == 400
        assert slug in response.json()["error"]
    assert Client().get("/dashboard/", {"campaign": "no-such-call"}).status_code == 400
    new_campaign("open-2027")
    assert _json("/cases/", campaign="open-2027")["count"] == 0


def test_the_sidebar_lists_calls_with_published_cases_and_their_counts(
    calls: dict[str, Campaign],
) -> None:
    facet = _facet(Client().get("/cases/").content.decode())
    assert "案例征集" in facet
    assert "阅读推广创新案例征集" in facet and "古籍保护创新案例征集" in facet
    assert f'data-value="{READING}"' in facet
    assert facet.index(READING) < facet.index(HERITAGE)  # more cases first
    assert '<span class="n">3</span>' in facet and '<span class="n">2</span>' in facet
    english = Client()
    english.get("/lang/en/")
    assert ">Campaign<" in english.get("/cases/").content.decode()


def test_the_facet_counts_follow_the_other_filters_but_not_its_own(
    calls: dict[str, Campaign],
) -> None:
    selected = _facet(Client().get("/cases/", {"campaign": READING}).content.decode())
    # choosing one call still shows what the other would add
    assert '<span class="n">2</span>' in selected and 'class="selected"' in selected
    searched = _facet(Client().get("/cases/", {"q": "古籍修复"}).content.decode())
    assert HERITAGE in searched and READING not in searched


def test_no_facet_without_published_calls(sample_db: int) -> None:
    new_campaign(READING)
    assert _facet(Client().get("/cases/").content.decode()) == ""


def test_a_deleted_call_leaves_its_cases_filterable_by_slug(
    calls: dict[str, Campaign],
) -> None:
    calls[HERITAGE].delete()
    assert _json("/cases/", campaign=HERITAGE)["count"] == 2
    facet = _facet(Client().get("/cases/").content.decode())
    assert f'data-value="{HERITAGE}"' in facet and "古籍保护创新案例征集" not in facet


def test_the_dashboard_analyses_one_calls_cases(calls: dict[str, Campaign]) -> None:
    data = _json("/dashboard/", campaign=READING)
    assert data["n_cases"] == 3
    assert sum(data["provinces"].values()) == 3
    html = Client().get("/dashboard/", {"campaign": READING}).content.decode()
    assert '<span class="tag">阅读推广创新案例征集</span>' in html
    for fmt in ("html", "pdf", "xlsx"):
        assert f"/dashboard/report.{fmt}?campaign={READING}" in html
    assert f"/cases/export/?campaign={READING}" in html


def test_the_report_covers_the_calls_cases(calls: dict[str, Campaign]) -> None:
    report = Client().get("/dashboard/report.html", {"campaign": READING})
    assert report.status_code == 200
    assert "共分析 3 个案例" in report.content.decode()
    both = Client().get("/dashboard/report.html", {"campaign": [READING, HERITAGE]})
    assert "共分析 5 个案例" in both.content.decode()
    xlsx = Client().get("/dashboard/report.xlsx", {"campaign": HERITAGE})
    assert xlsx.status_code == 200
    assert "地区分布" in load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_the_page_cache_keeps_each_calls_pages_apart(
    calls: dict[str, Campaign],
) -> None:
    for path in ("/cases/", "/dashboard/"):
        first = Client().get(path, {"campaign": READING, "format": "json"}).json()
        other = Client().get(path, {"campaign": HERITAGE, "format": "json"}).json()
        again = Client().get(path, {"campaign": READING, "format": "json"}).json()
        assert first == again != other
    reading = Client().get("/cases/", {"campaign": READING}).content.decode()
    heritage = Client().get("/cases/", {"campaign": HERITAGE}).content.decode()
    assert "城市书房夜读计划" in reading and "城市书房夜读计划" not in heritage
    assert "古籍修复体验课" in heritage and "古籍修复体验课" not in reading


def test_newly_published_cases_and_a_retitled_call_show_at_once(
    calls: dict[str, Campaign],
) -> None:
    assert _json("/cases/", campaign=READING)["count"] == 3
    campaign = calls[READING]
    add_submission(campaign, "社区流动书车", "宁波市图书馆")
    campaign.submissions.update(status="shortlisted")
    campaign_publish(
        campaign=campaign,
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    assert _json("/cases/", campaign=READING)["count"] == 4
    assert "阅读推广创新案例征集" in Client().get("/cases/").content.decode()
    campaign.title = "全民阅读创新案例征集"
    campaign.save()
    html = Client().get("/cases/").content.decode()
    assert "全民阅读创新案例征集" in html and "阅读推广创新案例征集" not in html


def test_the_calls_pages_link_to_the_analysis_once_cases_are_published(
    sample_db: int, personas: dict[str, Any]
) -> None:
    campaign = new_campaign(READING)
    for title, library in READING_CASES:
        add_submission(campaign, title, library)
    organiser = Client()
    organiser.force_login(personas["admin_sun"])
    link = f'href="/dashboard/?campaign={READING}"'
    standings = f"/campaigns/{READING}/standings/"
    assert link not in organiser.get(standings).content.decode()
    assert link not in Client().get(f"/campaigns/{READING}/").content.decode()
    campaign.submissions.update(status="shortlisted")
    organiser.post(f"/campaigns/{READING}/publish/")
    assert link in organiser.get(standings).content.decode()
    public = Client().get(f"/campaigns/{READING}/").content.decode()
    assert link in public and "分析入围案例" in public
    assert Client().get(f"/dashboard/?campaign={READING}&format=json").json()[
        "n_cases"
    ] == len(READING_CASES)


def test_correcting_a_published_case_keeps_it_in_its_call(
    calls: dict[str, Campaign], personas: dict[str, Any]
) -> None:
    case = Case.objects.filter(campaign=READING).order_by("id").first()
    assert case is not None
    token = Token.objects.create(user=personas["admin_sun"])
    admin = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = admin.patch(
        f"/api/cases/{case.pk}/",
        {"title": "城市书房夜读计划（修订）"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.title == "城市书房夜读计划（修订）"
    assert case.submission_ref.startswith(f"{READING}/")
    assert _json("/cases/", campaign=READING)["count"] == 3


def test_the_migration_fills_the_column_and_moves_the_library_on(
    calls: dict[str, Campaign],
) -> None:
    migration = importlib.import_module(
        "libinnov.web.cases.migrations.0007_case_campaign"
    )
    Case.objects.update(campaign="")
    before = LibraryState.objects.get(pk=1).changes

    class Editor:
        connection = connections[active_alias()]

    migration.fill(apps, Editor())
    assert Case.objects.filter(campaign=READING).count() == 3
    assert Case.objects.filter(campaign=HERITAGE).count() == 2
    assert Case.objects.exclude(campaign="").count() == 5
    assert LibraryState.objects.get(pk=1).changes > before  # no stale page served


def test_the_filter_reads_an_index(calls: dict[str, Campaign]) -> None:
    query = Case.objects.filter(campaign__in=[READING]).values_list("id").order_by()
    connection = connections[active_alias()]
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # a table this small is read whole unless scans are ruled out
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "cases_case_campaign" in plan


def test_a_published_case_names_its_call_and_prize_and_keeps_the_prize(
    sample_db: int,
) -> None:
    campaign = new_campaign("award-2026", title="阅读推广创新案例征集")
    add_submission(campaign, "城市书房夜读计划", "温州市图书馆")
    campaign.submissions.update(status="shortlisted", award="first")
    (case,) = campaign_publish(
        campaign=campaign,
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    assert case.extra["award"] == "一等奖"  # the analysis counts it
    html = Client().get(f"/cases/{case.id}/").content.decode()
    assert 'href="/campaigns/award-2026/"' in html and "阅读推广创新案例征集" in html
    assert '<strong class="award">一等奖</strong>' in html
    english = Client()
    english.get("/lang/en/", {"next": "/cases/"})
    html = english.get(f"/cases/{case.id}/").content.decode()
    assert '<strong class="award">First prize</strong>' in html


def test_a_case_links_to_its_web_source_and_nothing_else(sample_db: int) -> None:
    html = Client().get("/cases/A-001/").content.decode()
    source = Case.objects.get(pk="A-001").extra["source_url"]
    assert f'href="{source}" rel="noopener noreferrer nofollow"' in html
    assert "原文来源" in html and "award" not in html
    Case.objects.filter(pk="A-001").update(extra={"source_url": "javascript:alert(1)"})
    html = Client().get("/cases/A-001/").content.decode()
    assert "javascript:alert" not in html and "原文来源" not in html
