"""Removing a reviewer: open work goes, submitted reviews are withdrawn only once
the organiser confirms, and the next assignment run fills the gaps."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import (
    add_reviewer,
    add_submission,
    new_campaign,
    organiser,
    score,
)
from django.test import Client

from libinnov.web.campaigns import selectors
from libinnov.web.campaigns.models import Review, ReviewAssignment

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture
def panel(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    """One reviewer per entry: wang scored 夜读 and has 古籍 still to do; li has
    夜读 too, and zhou has only open work."""
    campaign = new_campaign(reviewers_per_entry=1, normalisation="none")
    night = add_submission(campaign, "城市书房夜读", "温州市图书馆")
    books = add_submission(campaign, "古籍修复体验", "南京图书馆")
    wang = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    zhou = add_reviewer(campaign, user_factory("reviewer_zhou", None), "上海图书馆")
    done = ReviewAssignment.objects.create(submission=night, reviewer=wang)
    score(done, 8)
    open_row = ReviewAssignment.objects.create(submission=books, reviewer=wang)
    ReviewAssignment.objects.create(submission=books, reviewer=zhou)
    return {
        "campaign": campaign,
        "night": night,
        "books": books,
        "wang": wang,
        "zhou": zhou,
        "done": done,
        "open": open_row,
        "organiser": organiser(personas["admin_sun"]),
    }


def _remove(panel: dict[str, Any], who: str, **data: str) -> Any:
    reviewer = panel[who]
    path = f"/campaigns/{panel['campaign'].slug}/reviewers/{reviewer.pk}/remove/"
    return panel["organiser"].post(path, data, follow=True)


def test_a_reviewer_with_only_open_work_is_removed_at_once(
    backend: str, panel: dict[str, Any]
) -> None:
    response = _remove(panel, "zhou")
    html = response.content.decode()
    assert "已取消 1 项未完成的评审任务" in html
    zhou = panel["zhou"]
    zhou.refresh_from_db()
    assert zhou.removed_at is not None
    assert not ReviewAssignment.objects.filter(reviewer=zhou).exists()
    assert 'class="grid removed"' in html and 'data-user="reviewer_zhou"' in html


def test_removing_a_reviewer_who_scored_asks_first(
    backend: str, panel: dict[str, Any]
) -> None:
    response = _remove(panel, "wang")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="confirm-remove"' in html
    assert "已提交 1 份评审" in html
    assert "将从排名中撤回的已提交评审：1" in html
    wang = panel["wang"]
    wang.refresh_from_db()
    assert wang.removed_at is None  # nothing happened yet
    assert ReviewAssignment.objects.filter(reviewer=wang).count() == 2


def test_confirmed_removal_withdraws_reviews_but_keeps_them(
    backend: str, panel: dict[str, Any]
) -> None:
    campaign, client = panel["campaign"], panel["organiser"]
    before = client.get(f"/campaigns/{campaign.slug}/standings/?format=json").json()
    assert {r["ref"]: r["n_reviews"] for r in before["results"]}[
        panel["night"].ref
    ] == 1
    response = _remove(panel, "wang", confirm="yes")
    assert "1 份已提交的评审已从排名中撤回" in response.content.decode()
    done = ReviewAssignment.objects.get(pk=panel["done"].pk)
    assert done.status == "withdrawn"
    assert Review.objects.filter(assignment=done).exists()  # kept, not lost
    assert not ReviewAssignment.objects.filter(pk=panel["open"].pk).exists()
    after = client.get(f"/campaigns/{campaign.slug}/standings/?format=json").json()
    night = {r["ref"]: r for r in after["results"]}[panel["night"].ref]
    assert night["n_reviews"] == 0 and night["flags"] == ["too_few_reviews"]
    assert selectors.core_reviews(campaign) == []
    standings = client.get(f"/campaigns/{campaign.slug}/standings/").content.decode()
    assert "1 份评审已撤回" in standings
    reviewers = client.get(f"/campaigns/{campaign.slug}/reviewers/").content.decode()
    assert '<td class="num withdrawn">1</td>' in reviewers


def test_a_removed_reviewer_can_no_longer_review(
    backend: str, panel: dict[str, Any]
) -> None:
    _remove(panel, "wang", confirm="yes")
    client = Client()
    client.force_login(panel["wang"].user)
    slug = panel["campaign"].slug
    assert client.get(f"/campaigns/{slug}/review/").status_code == 403
    assert client.get(f"/campaigns/{slug}/review/{panel['done'].pk}/").status_code == (
        403
    )
    listing = client.get("/campaigns/").content.decode()
    assert f"/campaigns/{slug}/review/" not in listing


def test_assigning_again_fills_the_gaps_and_reports_what_stays_short(
    backend: str, panel: dict[str, Any], user_factory: Any
) -> None:
    campaign, client = panel["campaign"], panel["organiser"]
    _remove(panel, "wang", confirm="yes")
    _remove(panel, "zhou")
    # nobody is left on the panel: both entries are short, and said to be
    short = client.post(f"/campaigns/{campaign.slug}/assign/", follow=True)
    assert "2 件投稿缺少评审专家" in short.content.decode()
    add_reviewer(campaign, user_factory("reviewer_li", None), "广州图书馆")
    client.post(f"/campaigns/{campaign.slug}/assign/")
    active = ReviewAssignment.objects.filter(status__in=["assigned", "done"])
    assert sorted((a.submission.title, a.reviewer.user.username) for a in active) == [
        ("古籍修复体验", "reviewer_li"),
        ("城市书房夜读", "reviewer_li"),
    ]
    # the removed reviewers get nothing new
    assert not ReviewAssignment.objects.filter(
        reviewer__in=[panel["wang"], panel["zhou"]], status="assigned"
    ).exists()


def test_adding_a_removed_reviewer_again_brings_back_their_reviews(
    backend: str, panel: dict[str, Any]
) -> None:
    campaign, client = panel["campaign"], panel["organiser"]
    _remove(panel, "wang", confirm="yes")
    client.post(
        f"/campaigns/{campaign.slug}/reviewers/",
        {"username": "reviewer_wang", "institution": "国家图书馆"},
    )
    wang = panel["wang"]
    wang.refresh_from_db()
    assert wang.removed_at is None
    assert ReviewAssignment.objects.get(pk=panel["done"].pk).status == "done"
    assert len(selectors.core_reviews(campaign)) == 1


def test_removing_twice_or_from_another_call_is_refused(
    backend: str, panel: dict[str, Any]
) -> None:
    _remove(panel, "zhou")
    again = _remove(panel, "zhou")
    assert again.redirect_chain == []  # a 404: no longer on the panel
    assert again.status_code == 404
    other = new_campaign("other-call")
    path = f"/campaigns/{other.slug}/reviewers/{panel['wang'].pk}/remove/"
    assert panel["organiser"].post(path).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reviewer", 403), ("stranger", 403)]
)
def test_only_organisers_remove_reviewers(
    panel: dict[str, Any], personas: dict[str, Any], who: str, status: int
) -> None:
    client = Client()
    if who == "reviewer":
        client.force_login(panel["zhou"].user)
    elif who == "stranger":
        client.force_login(personas["coder_li"])
    path = f"/campaigns/{panel['campaign'].slug}/reviewers/{panel['wang'].pk}/remove/"
    response = client.post(path, {"confirm": "yes"})
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    panel["wang"].refresh_from_db()
    assert panel["wang"].removed_at is None
    assert ReviewAssignment.objects.get(pk=panel["done"].pk).status == "done"
