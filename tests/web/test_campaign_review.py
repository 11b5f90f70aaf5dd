"""Reviewers: who may open what, assignment without conflicts, scoring, stepping back."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import (
    add_reviewer,
    add_submission,
    docx_bytes,
    form_data,
    new_campaign,
    upload,
)
from django.test import Client

from libinnov.campaigns.conflicts import conflict
from libinnov.web.campaigns import selectors
from libinnov.web.campaigns.models import Review, ReviewAssignment
from libinnov.web.campaigns.services import assignments_make

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def panel(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    """A call with one submission and its reviewer, and a second call's reviewer."""
    campaign = new_campaign()
    other = new_campaign("other-call")
    submission = add_submission(campaign, "城市书房夜读", "温州市图书馆")
    wang = user_factory("reviewer_wang", None)
    zhou = user_factory("reviewer_zhou", None)
    row = add_reviewer(campaign, wang, institution="南京大学")
    add_reviewer(other, zhou, institution="复旦大学")
    assignment = ReviewAssignment.objects.create(submission=submission, reviewer=row)
    return {
        "campaign": campaign,
        "submission": submission,
        "assignment": assignment,
        "reviewer": wang,
        "other_reviewer": zhou,
        "stranger": personas["coder_li"],
        "organiser": personas["admin_sun"],
    }


REVIEWER_PAGES = ["review/", "review/{a}/"]
ORGANISER_PAGES = ["manage/", "edit/", "reviewers/", "progress/", "standings/"]


@pytest.mark.parametrize("page", REVIEWER_PAGES + ORGANISER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(
    panel: dict[str, Any], page: str
) -> None:
    path = f"/campaigns/reading-2026/{page.format(a=panel['assignment'].pk)}"
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "status"),
    [("reviewer", 200), ("other_reviewer", 403), ("stranger", 403), ("organiser", 403)],
)
@pytest.mark.parametrize("page", REVIEWER_PAGES)
def test_only_the_campaigns_own_reviewers_open_the_review_pages(
    panel: dict[str, Any], who: str, status: int, page: str
) -> None:
    path = f"/campaigns/reading-2026/{page.format(a=panel['assignment'].pk)}"
    assert _client(panel[who]).get(path).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("reviewer", 403), ("other_reviewer", 403), ("stranger", 403), ("organiser", 200)],
)
@pytest.mark.parametrize("page", ORGANISER_PAGES)
def test_only_organisers_open_the_organiser_pages(
    panel: dict[str, Any], who: str, status: int, page: str
) -> None:
    assert _client(panel[who]).get(f"/campaigns/reading-2026/{page}").status_code == (
        status
    )


def test_a_reviewer_cannot_open_someone_elses_assignment(
    panel: dict[str, Any], user_factory: Any
) -> None:
    li = user_factory("reviewer_li", None)
    add_reviewer(panel["campaign"], li)
    path = f"/campaigns/reading-2026/review/{panel['assignment'].pk}/"
    assert _client(li).get(path).status_code == 404


def test_attachments_go_to_the_submissions_reviewers_and_organisers_only(
    panel: dict[str, Any], user_factory: Any
) -> None:
    campaign = panel["campaign"]
    data = form_data(summary="简介", attachments=upload("写作.docx", docx_bytes()))
    Client().post(f"/campaigns/{campaign.slug}/", data)
    submission = campaign.submissions.get(title=data["title"])
    row = campaign.reviewers.get(user=panel["reviewer"])
    ReviewAssignment.objects.create(submission=submission, reviewer=row)
    li = user_factory("reviewer_li", None)
    add_reviewer(campaign, li)  # on the panel, but not assigned this submission
    path = f"/campaigns/{campaign.slug}/attachments/{submission.attachments.get().pk}/"
    for who in ("reviewer", "organiser"):
        allowed = _client(panel[who]).get(path)
        assert allowed.status_code == 200
        assert b"".join(allowed.streaming_content)[:2] == b"PK"
        assert "attachment" in allowed["Content-Disposition"]
    assert _client(li).get(path).status_code == 403
    assert _client(panel["other_reviewer"]).get(path).status_code == 403
    assert Client().get(path).status_code == 302


def test_assignment_never_pairs_a_conflicted_reviewer(
    backend: str, user_factory: Any
) -> None:
    campaign = new_campaign(reviewers_per_entry=2, same_province=True)
    for title, library in [
        ("城市书房", "温州市图书馆"),
        ("古籍修复", "武汉大学图书馆"),
        ("亲子阅读", "南京图书馆"),
        ("数字阅读", "广州图书馆"),
    ]:
        add_submission(campaign, title, library)
    add_submission(campaign, "校园读书节", "杭州图书馆", authors="赵强")
    people = [
        ("r_wuhan", "武漢大學", "湖北"),  # same institution as 武汉大学图书馆
        ("r_zhejiang", "浙江大学", "浙江"),  # same province as 温州, 杭州
        ("r_free", "国家图书馆", "北京"),
        ("r_free2", "上海图书馆", "上海"),
    ]
    for username, institution, province in people:
        add_reviewer(campaign, user_factory(username, None), institution, province)
    author = user_factory("zhao", None)
    author.first_name = "赵强"  # Chinese names are written whole
    author.save()
    add_reviewer(campaign, author, "中山大学", "广东")  # an author of 校园读书节
    result = assignments_make(campaign=campaign)
    entries = {e.id: e for e in selectors.core_entries(campaign)}
    reviewers = {r.id: r for r in selectors.core_reviewers(campaign)}
    rules = campaign.conflict_rules()
    rows = ReviewAssignment.objects.filter(submission__campaign=campaign)
    assert rows.count() == 2 * 5 and not result.short
    for row in rows.select_related("submission"):
        pair = (reviewers[str(row.reviewer_id)], entries[row.submission.ref])
        assert conflict(*pair, rules) is None
    names = {
        r.submission.title: r.reviewer.user.username
        for r in rows.select_related("submission", "reviewer__user")
    }
    assert names  # every title got someone
    assert not rows.filter(
        submission__title="古籍修复", reviewer__user__username="r_wuhan"
    ).exists()
    assert not rows.filter(
        submission__title="城市书房", reviewer__user__username="r_zhejiang"
    ).exists()
    assert not rows.filter(
        submission__title="校园读书节", reviewer__user__username="zhao"
    ).exists()


def test_entries_left_short_are_shown_with_why(
    backend: str, personas: dict[str, Any], user_factory: Any
) -> None:
    campaign = new_campaign(reviewers_per_entry=2)
    add_submission(campaign, "古籍修复", "武汉大学图书馆")
    add_reviewer(campaign, user_factory("r_wuhan", None), "武汉大学")
    add_reviewer(campaign, user_factory("r_free", None), "国家图书馆")
    organiser = _client(personas["admin_sun"])
    response = organiser.post(f"/campaigns/{campaign.slug}/assign/", follow=True)
    html = response.content.decode()
    assert "缺少评审专家" in html
    assert 'class="short"' in html and "r_wuhan: 同一单位" in html
    assert (
        ReviewAssignment.objects.filter(reviewer__user__username="r_free").count() == 1
    )


def _scores(**values: str) -> dict[str, str]:
    keys = ("innovation", "feasibility", "sustainability", "results", "transferability")
    data = {f"score_{k}": "7" for k in keys}
    data.update({f"score_{k}": v for k, v in values.items()})
    return data


def test_scores_are_checked_by_the_rubric_with_errors_next_to_the_field(
    backend: str, panel: dict[str, Any]
) -> None:
    reviewer = _client(panel["reviewer"])
    path = f"/campaigns/reading-2026/review/{panel['assignment'].pk}/"
    bad = reviewer.post(path, {**_scores(innovation="11", results=""), "comment": "好"})
    html = bad.content.decode()
    assert bad.status_code == 400
    assert 'data-error-for="score_innovation"' in html and "11" in html
    assert 'data-error-for="score_results"' in html
    assert 'data-error-for="score_feasibility"' not in html
    assert not Review.objects.exists()
    good = reviewer.post(path, {**_scores(feasibility="８.５"), "comment": "很好"})
    assert good.status_code == 302
    review = Review.objects.get()
    assert review.scores["feasibility"] == 8.5 and review.comment == "很好"
    assignment = ReviewAssignment.objects.get(pk=panel["assignment"].pk)
    assert assignment.status == "done"
    again = reviewer.get(path).content.decode()
    assert 'value="8.5"' in again  # the saved scores come back to be changed


def test_scoring_is_refused_once_the_campaign_is_closed(panel: dict[str, Any]) -> None:
    campaign = panel["campaign"]
    campaign.status = "closed"
    campaign.save()
    path = f"/campaigns/reading-2026/review/{panel['assignment'].pk}/"
    response = _client(panel["reviewer"]).post(path, _scores())
    assert response.status_code == 400
    assert "不接受评审" in response.content.decode()
    assert not Review.objects.exists()


def test_a_declared_conflict_reaches_the_organiser_who_reassigns(
    backend: str, panel: dict[str, Any], user_factory: Any
) -> None:
    campaign = panel["campaign"]
    campaign.reviewers_per_entry = 1
    campaign.save()
    li = user_factory("reviewer_li", None)
    add_reviewer(campaign, li, institution="国家图书馆")
    path = f"/campaigns/reading-2026/review/{panel['assignment'].pk}/conflict/"
    response = _client(panel["reviewer"]).post(path, {"note": "我曾指导该项目"})
    assert response.status_code == 302
    row = ReviewAssignment.objects.get(pk=panel["assignment"].pk)
    assert (row.status, row.conflict_reason) == ("conflict", "declared")
    organiser = _client(panel["organiser"])
    progress = organiser.get("/campaigns/reading-2026/progress/").content.decode()
    assert "本人声明回避" in progress and "我曾指导该项目" in progress
    organiser.post("/campaigns/reading-2026/assign/")
    active = ReviewAssignment.objects.filter(status__in=["assigned", "done"])
    assert [a.reviewer.user.username for a in active] == ["reviewer_li"]
    # assigning again never gives the entry back to the reviewer who stepped back
    organiser.post("/campaigns/reading-2026/assign/")
    assert (
        ReviewAssignment.objects.filter(reviewer__user=panel["reviewer"]).count() == 1
    )
    page = _client(panel["reviewer"]).get("/campaigns/reading-2026/review/")
    assert 'data-status="conflict"' in page.content.decode()


def test_an_assignment_that_became_a_conflict_is_dropped_when_assigning_again(
    backend: str, panel: dict[str, Any], user_factory: Any
) -> None:
    campaign = panel["campaign"]
    add_reviewer(campaign, panel["reviewer"], institution="温州市图书馆")  # updated
    assignments_make(campaign=campaign)
    row = ReviewAssignment.objects.get(pk=panel["assignment"].pk)
    assert (row.status, row.conflict_reason) == ("conflict", "same_institution")


def test_my_assignments_lists_only_mine_in_this_campaign(panel: dict[str, Any]) -> None:
    html = _client(panel["reviewer"]).get("/campaigns/reading-2026/review/")
    text = html.content.decode()
    assert panel["submission"].ref in text and "城市书房夜读" in text
    listing = _client(panel["reviewer"]).get("/campaigns/").content.decode()
    assert "/campaigns/reading-2026/review/" in listing
    assert "/campaigns/other-call/review/" not in listing
