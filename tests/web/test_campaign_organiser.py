"""Organisers: set up a call, read normalised standings, shortlist, award, publish."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from campaign_support import (
    CAMPAIGN_FORM,
    add_reviewer,
    add_submission,
    new_campaign,
    score,
)
from django.test import Client
from openpyxl import load_workbook

from libinnov.campaigns.scoring import rank_entries
from libinnov.web.campaigns import selectors
from libinnov.web.campaigns.models import Campaign, ReviewAssignment
from libinnov.web.cases.models import Case
from libinnov.web.coding.models import CodeChange

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _organiser(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["admin_sun"])
    return client


def test_an_organiser_creates_a_call_with_its_weights_and_tiers(
    backend: str, personas: dict[str, Any]
) -> None:
    response = _organiser(personas).post("/campaigns/new/", CAMPAIGN_FORM)
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="heritage-2026")
    rubric = campaign.get_rubric()
    assert rubric.criterion("innovation").weight == 2
    assert rubric.criterion("成效与价值").weight == 1.5
    assert [(t.key, t.count) for t in campaign.get_tiers()] == [
        ("first", 1),
        ("second", 2),
    ]
    assert campaign.accepts_submissions
    edit = _organiser(personas).get("/campaigns/heritage-2026/edit/").content.decode()
    assert 'value="一等奖=1，二等奖=2"' in edit and 'value="2.0"' in edit


def test_the_address_of_a_call_is_fixed_once_it_has_submissions(
    backend: str, personas: dict[str, Any]
) -> None:
    client = _organiser(personas)
    client.post("/campaigns/new/", CAMPAIGN_FORM)
    renamed = {**CAMPAIGN_FORM, "slug": "heritage-2026b"}
    client.post("/campaigns/heritage-2026/edit/", renamed)  # no submission yet
    campaign = Campaign.objects.get(slug="heritage-2026b")
    add_submission(campaign, "古籍修复体验", "南京图书馆")
    again = {**CAMPAIGN_FORM, "slug": "other", "title": "古籍保护案例征集"}
    client.post("/campaigns/heritage-2026b/edit/", again)
    campaign.refresh_from_db()
    assert campaign.slug == "heritage-2026b" and campaign.title == "古籍保护案例征集"
    page = client.get("/campaigns/heritage-2026b/edit/").content.decode()
    assert "已有投稿后不可更改" in page


@pytest.mark.parametrize(
    ("change", "field"),
    [({"weight_innovation": "0"}, "weight_innovation"), ({"tiers": "金奖=1"}, "tiers")],
)
def test_the_core_rejects_bad_weights_and_tiers_next_to_the_field(
    personas: dict[str, Any], change: dict[str, str], field: str
) -> None:
    response = _organiser(personas).post("/campaigns/new/", {**CAMPAIGN_FORM, **change})
    assert response.status_code == 400
    assert f'data-error-for="{field}"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_organiser_adds_reviewers_by_user_name(
    personas: dict[str, Any], user_factory: Any
) -> None:
    campaign = new_campaign()
    user_factory("reviewer_wang", None)
    client = _organiser(personas)
    path = f"/campaigns/{campaign.slug}/reviewers/"
    added = client.post(
        path,
        {"username": "reviewer_wang", "institution": "南京大学", "province": "江苏省"},
    )
    assert added.status_code == 302
    row = campaign.reviewers.get()
    assert (row.institution, row.province) == ("南京大学", "江苏")
    unknown = client.post(path, {"username": "nobody"})
    assert unknown.status_code == 400
    assert 'data-error-for="username"' in unknown.content.decode()


def _no_nan(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


@pytest.fixture
def reviewed(personas: dict[str, Any], user_factory: Any) -> Campaign:
    """A harsh and a lenient reviewer, each scoring two different entries.

    Raw totals favour the lenient reviewer's entries (9, 8 against 6, 4); after
    normalisation each reviewer's better entry ranks first. A fifth entry has no
    review yet.
    """
    campaign = new_campaign(reviewers_per_entry=1, shortlist_size=2)
    harsh = add_reviewer(campaign, user_factory("harsh", None), "国家图书馆")
    lenient = add_reviewer(campaign, user_factory("lenient", None), "上海图书馆")
    plan = [
        ("夜读城市书房", "温州市图书馆", harsh, 6),
        ("古籍修复体验", "南京图书馆", harsh, 4),
        ("亲子绘本馆", "广州图书馆", lenient, 9),
        ("数字阅读推广", "杭州图书馆", lenient, 8),
    ]
    for title, library, reviewer, value in plan:
        submission = add_submission(campaign, title, library)
        assignment = ReviewAssignment.objects.create(
            submission=submission, reviewer=reviewer
        )
        score(assignment, value)
    add_submission(campaign, "尚未评审的案例", "成都图书馆")
    return campaign


def test_the_standings_show_normalised_scores_next_to_raw_ones(
    backend: str, personas: dict[str, Any], reviewed: Campaign
) -> None:
    client = _organiser(personas)
    response = client.get(f"/campaigns/{reviewed.slug}/standings/?format=json")
    data = json.loads(response.content, parse_constant=_no_nan)  # strict JSON
    by_title = {r["title"]: r for r in data["results"]}
    assert data["method"] == "zscore"
    expected = rank_entries(
        selectors.core_reviews(reviewed),
        reviewed.get_rubric(),
        method="zscore",
        required_reviews=1,
        entries=[s.ref for s in reviewed.submissions.all()],
    )
    assert [r["ref"] for r in data["results"]] == [s.entry_id for s in expected]
    assert by_title["夜读城市书房"]["rank"] == by_title["亲子绘本馆"]["rank"] == 1
    assert by_title["数字阅读推广"]["rank"] == 3
    assert by_title["夜读城市书房"]["raw"] < by_title["数字阅读推广"]["raw"]
    last = data["results"][-1]
    assert last["title"] == "尚未评审的案例" and last["n_reviews"] == 0
    assert last["flags"] == ["too_few_reviews"]
    assert last["score"] is None and last["raw"] is None and not last["criteria"]
    assert last["shortlist_by_hand"] is False
    html = client.get(f"/campaigns/{reviewed.slug}/standings/").content.decode()
    assert "标准化得分" in html and "原始得分" in html and "评审数不足" in html


def test_shortlist_and_awards_are_saved_on_the_submissions(
    backend: str, personas: dict[str, Any], reviewed: Campaign
) -> None:
    client = _organiser(personas)
    response = client.post(f"/campaigns/{reviewed.slug}/results/")
    assert response.status_code == 302
    shortlisted = reviewed.submissions.filter(status="shortlisted")
    assert {s.title for s in shortlisted} == {"夜读城市书房", "亲子绘本馆"}
    # tied for first, both win the first prize; the tiers below shrink
    assert {s.award for s in shortlisted} == {"first"}
    assert not reviewed.submissions.exclude(award="").exclude(status="shortlisted")
    html = client.get(f"/campaigns/{reviewed.slug}/standings/").content.decode()
    assert html.count('class="shortlisted"') == 2 and "一等奖" in html


def test_the_standings_export_as_xlsx_and_csv(
    personas: dict[str, Any], reviewed: Campaign
) -> None:
    client = _organiser(personas)
    client.post(f"/campaigns/{reviewed.slug}/results/")
    xlsx = client.get(f"/campaigns/{reviewed.slug}/standings/export/?fmt=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名次"
    assert len(rows) == 1 + reviewed.submissions.count()
    assert any("夜读城市书房" in [str(c) for c in row] for row in rows)
    csv = client.get(f"/campaigns/{reviewed.slug}/standings/export/?fmt=csv")
    text = b"".join(csv.streaming_content)
    assert text.startswith(b"\xef\xbb\xbf")
    assert "亲子绘本馆" in text.decode("utf-8-sig")
    assert (
        client.get(f"/campaigns/{reviewed.slug}/standings/export/?fmt=pdf").status_code
        == 400
    )


def test_publishing_creates_searchable_coded_cases_once(
    backend: str, personas: dict[str, Any], reviewed: Campaign
) -> None:
    client = _organiser(personas)
    before = Case.objects.count()
    client.post(f"/campaigns/{reviewed.slug}/results/")
    response = client.post(f"/campaigns/{reviewed.slug}/publish/", follow=True)
    assert "已将 2 件投稿发布到案例库" in response.content.decode()
    published = Case.objects.filter(origin="submission")
    assert published.count() == 2 and Case.objects.count() == before + 2
    case = published.get(title="夜读城市书房")
    submission = reviewed.submissions.get(title="夜读城市书房")
    assert case.submission_ref == f"{reviewed.slug}/{submission.ref}"
    assert submission.case_id == case.id
    assert case.province == "浙江" and case.codes["region"] == "east"
    assert case.codes["library_type"] == "public"
    assert "contact@example.org" not in str(case.extra) + case.summary
    found = Client().get("/cases/", {"q": "绘本", "format": "json"}).json()
    assert [r["title"] for r in found["results"]] == ["亲子绘本馆"]
    logs = CodeChange.objects.filter(case=case).count()
    assert logs > 0
    client.post(f"/campaigns/{reviewed.slug}/publish/")
    assert Case.objects.count() == before + 2
    assert CodeChange.objects.filter(case=case).count() == logs


def test_organiser_overview_shows_submissions_with_contacts(
    personas: dict[str, Any], reviewed: Campaign
) -> None:
    html = _organiser(personas).get(f"/campaigns/{reviewed.slug}/manage/")
    text = html.content.decode()
    assert "contact@example.org" in text and "夜读城市书房" in text
    assert "5 件投稿" in text
