"""The shortlist and awards set by hand on the standings page: kept when the results
are saved again, shown as such, forgotten by "reset to the ranking"."""

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

from libinnov.web.campaigns.models import Campaign, ReviewAssignment, Submission

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

TITLES = {
    "A": "城市书房夜读",
    "B": "古籍修复体验",
    "C": "亲子绘本馆",
    "D": "数字阅读推广",
}


@pytest.fixture
def ranked(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    """A to D scored 9, 8, 7, 6 by one reviewer; top two shortlisted, one first
    and one second prize."""
    campaign = new_campaign(
        reviewers_per_entry=1, normalisation="none", shortlist_size=2
    )
    reviewer = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    refs = {}
    for (key, title), value in zip(TITLES.items(), (9, 8, 7, 6), strict=True):
        submission = add_submission(campaign, title, "温州市图书馆")
        score(
            ReviewAssignment.objects.create(submission=submission, reviewer=reviewer),
            value,
        )
        refs[key] = submission
    return {
        "campaign": campaign,
        "subs": refs,
        "reviewer": reviewer,
        "client": organiser(personas["admin_sun"]),
    }


def _state(campaign: Campaign) -> dict[str, tuple[bool, str]]:
    by_title = {v: k for k, v in TITLES.items()}
    return {
        by_title[s.title]: (s.shortlisted, s.award)
        for s in campaign.submissions.order_by("ref")
    }


def _set(ranked: dict[str, Any], key: str, **choice: str) -> Any:
    submission = ranked["subs"][key]
    path = f"/campaigns/{ranked['campaign'].slug}/results/{submission.pk}/"
    return ranked["client"].post(
        path, {"shortlist": "", "award": "", **choice}, follow=True
    )


def test_excluding_one_shortlists_the_next_and_says_it_was_by_hand(
    backend: str, ranked: dict[str, Any]
) -> None:
    campaign, client = ranked["campaign"], ranked["client"]
    client.post(f"/campaigns/{campaign.slug}/results/")
    assert _state(campaign) == {
        "A": (True, "first"),
        "B": (True, "second"),
        "C": (False, ""),
        "D": (False, ""),
    }
    response = _set(ranked, "A", shortlist="exclude")
    assert "已确定入围投稿 2 件，其中获奖 2 件" in response.content.decode()
    assert _state(campaign) == {
        "A": (False, ""),
        "B": (True, "first"),
        "C": (True, "second"),
        "D": (False, ""),
    }
    html = client.get(f"/campaigns/{campaign.slug}/standings/").content.decode()
    assert html.count('<span class="tag">手动设定</span>') == 1
    assert '<option value="exclude" selected>' in html
    data = client.get(f"/campaigns/{campaign.slug}/standings/?format=json").json()
    by_ref = {r["ref"]: r for r in data["results"]}
    assert by_ref[ranked["subs"]["A"].ref]["shortlist_by_hand"] is True
    assert by_ref[ranked["subs"]["B"].ref]["shortlist_by_hand"] is False


def test_an_award_by_hand_survives_saving_again_and_reset_forgets_it(
    backend: str, ranked: dict[str, Any]
) -> None:
    campaign, client = ranked["campaign"], ranked["client"]
    _set(ranked, "D", award="first")
    # D holds the only first prize; the ranking's top two share what is left
    expected = {
        "A": (True, "second"),
        "B": (True, ""),
        "C": (False, ""),
        "D": (True, "first"),
    }
    assert _state(campaign) == expected
    client.post(f"/campaigns/{campaign.slug}/results/")
    assert _state(campaign) == expected
    d = Submission.objects.get(pk=ranked["subs"]["D"].pk)
    assert d.award_by_hand and not d.shortlist_by_hand
    client.post(f"/campaigns/{campaign.slug}/results/reset/")
    assert _state(campaign) == {
        "A": (True, "first"),
        "B": (True, "second"),
        "C": (False, ""),
        "D": (False, ""),
    }
    assert not Submission.objects.filter(award_by_hand=True).exists()
    html = client.get(f"/campaigns/{campaign.slug}/standings/").content.decode()
    assert '<span class="tag">手动设定</span>' not in html


def test_including_one_and_clearing_an_award(
    backend: str, ranked: dict[str, Any]
) -> None:
    campaign = ranked["campaign"]
    _set(ranked, "C", shortlist="include")
    _set(ranked, "A", award="none")
    assert _state(campaign) == {
        "A": (True, ""),
        "B": (True, "first"),
        "C": (True, "second"),
        "D": (False, ""),
    }
    # back to the ranking for C only: it leaves the shortlist again
    _set(ranked, "C")
    assert _state(campaign)["C"] == (False, "")


def test_a_contradictory_choice_is_refused_and_changes_nothing(
    backend: str, ranked: dict[str, Any]
) -> None:
    campaign = ranked["campaign"]
    ranked["client"].post(f"/campaigns/{campaign.slug}/results/")
    before = _state(campaign)
    response = _set(ranked, "A", shortlist="exclude", award="first")
    ref = ranked["subs"]["A"].ref
    assert f"投稿「{ref}」已被排除出入围名单，不能获奖" in response.content.decode()
    assert _state(campaign) == before
    assert not Submission.objects.filter(shortlist_by_hand=True).exists()
    unknown = _set(ranked, "A", award="gold")
    assert "请从列表中选择" in unknown.content.decode()
    assert _state(campaign) == before


def test_the_public_page_lists_the_awards_once_the_call_is_closed(
    backend: str, ranked: dict[str, Any]
) -> None:
    campaign = ranked["campaign"]
    _set(ranked, "D", award="first")
    page = Client().get(f"/campaigns/{campaign.slug}/").content.decode()
    assert 'class="awards"' not in page  # results stay internal during review
    campaign.status = "closed"
    campaign.save()
    page = Client().get(f"/campaigns/{campaign.slug}/").content.decode()
    awards = page[page.index('class="awards"') :]
    assert awards.index("数字阅读推广") < awards.index("城市书房夜读")
    assert "一等奖" in awards and "二等奖" in awards
    assert "古籍修复体验" not in awards


ACTIONS = [
    ("results/{pk}/", {"shortlist": "exclude"}),
    ("results/reset/", {}),
    ("results/", {}),
]


@pytest.mark.parametrize(("action", "data"), ACTIONS)
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reviewer", 403), ("organiser", 302)]
)
def test_only_organisers_change_the_results(
    ranked: dict[str, Any],
    action: str,
    data: dict[str, str],
    who: str,
    status: int,
) -> None:
    campaign = ranked["campaign"]
    client = ranked["client"] if who == "organiser" else Client()
    if who == "reviewer":
        client.force_login(ranked["reviewer"].user)
    path = f"/campaigns/{campaign.slug}/{action.format(pk=ranked['subs']['A'].pk)}"
    response = client.post(path, data)
    assert response.status_code == status
    changed = campaign.submissions.exclude(status="submitted").exists()
    if who == "organiser":
        assert response["Location"].endswith("/standings/") and changed
    else:
        assert not changed
        assert client.get(path).status_code in (302, 403, 405)
