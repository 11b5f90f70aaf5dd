"""Restoring a withdrawn submission: the organiser, with a reason, while what the
review decides can still change; its reviews count again and the withdrawal stays
on record."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import (
    add_reviewer,
    add_submission,
    messages_of,
    new_campaign,
    organiser,
    score,
)
from django.test import Client

from libinnov.web.campaigns.access import receipt_token
from libinnov.web.campaigns.models import ReviewAssignment, Submission
from libinnov.web.campaigns.services import submission_withdraw

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture
def call(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    """Two scored submissions; the winner withdrawn by the organiser."""
    campaign = new_campaign(reviewers_per_entry=1, normalisation="none")
    wang = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    subs = []
    for title, value in (("城市书房夜读", 9), ("古籍修复体验", 7)):
        submission = add_submission(campaign, title, "温州市图书馆")
        score(
            ReviewAssignment.objects.create(submission=submission, reviewer=wang), value
        )
        subs.append(submission)
    client = organiser(personas["admin_sun"])
    client.post(f"/campaigns/{campaign.slug}/results/")
    submission_withdraw(submission=subs[0], by="organiser", reason="疑似重复投稿")
    return {
        "campaign": campaign,
        "withdrawn": Submission.objects.get(pk=subs[0].pk),
        "other": subs[1],
        "wang": wang,
        "client": client,
    }


def _restore(call: dict[str, Any], reason: str, key: str = "withdrawn") -> Any:
    path = f"/campaigns/{call['campaign'].slug}/manage/{call[key].pk}/restore/"
    return call["client"].post(path, {"reason": reason}, follow=True)


def _refs(call: dict[str, Any]) -> list[str]:
    slug = call["campaign"].slug
    data = call["client"].get(f"/campaigns/{slug}/standings/?format=json").json()
    return [r["ref"] for r in data["results"]]


def test_the_organiser_restores_with_a_reason_and_its_reviews_count_again(
    backend: str, call: dict[str, Any]
) -> None:
    campaign, client, ref = call["campaign"], call["client"], call["withdrawn"].ref
    manage = client.get(f"/campaigns/{campaign.slug}/manage/").content.decode()
    assert "恢复投稿" in manage and ref not in _refs(call)
    response = _restore(call, "核实后并非重复投稿")
    assert f"{ref} 已恢复参评" in " ".join(messages_of(response))
    restored = Submission.objects.get(pk=call["withdrawn"].pk)
    assert restored.status == "submitted" and restored.restored_at is not None
    assert restored.restoration_reason == "核实后并非重复投稿"
    # the withdrawal stays on record beside the restoration
    assert restored.withdrawal_reason == "疑似重复投稿"
    html = response.content.decode()
    row = html[html.index(f'data-ref="{ref}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-status="submitted"' in row
    assert "曾由组织者撤回" in row and "疑似重复投稿" in row
    assert "由组织者恢复" in row and "核实后并非重复投稿" in row
    assert "恢复投稿" not in row and "撤回投稿" in row
    assert ref in _refs(call)
    client.post(f"/campaigns/{campaign.slug}/results/")
    assert Submission.objects.get(pk=restored.pk).award == "first"
    reviewer = Client()
    reviewer.force_login(call["wang"].user)
    mine = reviewer.get(f"/campaigns/{campaign.slug}/review/").content.decode()
    assert "城市书房夜读" in mine
    receipt = f"/campaigns/{campaign.slug}/receipt/{receipt_token(restored)}/"
    page = Client().get(receipt).content.decode()
    assert 'data-status="restored"' in page and "恢复参评" in page
    assert "核实后并非重复投稿" not in page  # the reason is the organisers' own


def test_in_english_the_restoration_reads_in_english(
    backend: str, call: dict[str, Any]
) -> None:
    call["client"].get("/lang/en/")
    response = _restore(call, "not a duplicate after all")
    html = response.content.decode()
    assert "is back in the call: its reviews count again" in html
    assert "withdrawn by the organiser" in html and "restored by the organiser" in html


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("no_reason", "请填写恢复原因"),
        ("not_withdrawn", "该投稿未被撤回"),
        ("closed", "征集已结束，结果已确定"),
        ("published", "结果已发布到案例库"),
    ],
)
def test_a_restoration_the_rules_forbid_changes_nothing(
    backend: str, call: dict[str, Any], state: str, message: str
) -> None:
    campaign, client = call["campaign"], call["client"]
    key, reason = "withdrawn", "核实后并非重复投稿"
    if state == "no_reason":
        reason = "  "
    elif state == "not_withdrawn":
        key = "other"
    elif state == "closed":
        campaign.status = "closed"
        campaign.save()
    else:
        client.post(f"/campaigns/{campaign.slug}/publish/")
        assert Submission.objects.filter(case__isnull=False).exists()
    before = {
        s.pk: (s.status, s.restored_at, s.award)
        for s in Submission.objects.filter(campaign=campaign)
    }
    response = _restore(call, reason, key)
    assert message in " ".join(messages_of(response))
    after = {
        s.pk: (s.status, s.restored_at, s.award)
        for s in Submission.objects.filter(campaign=campaign)
    }
    assert after == before


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reviewer", 403), ("stranger", 403)]
)
def test_only_organisers_restore(
    call: dict[str, Any], personas: dict[str, Any], who: str, status: int
) -> None:
    client = Client()
    if who == "reviewer":
        client.force_login(call["wang"].user)
    elif who == "stranger":
        client.force_login(personas["coder_li"])
    path = f"/campaigns/{call['campaign'].slug}/manage/{call['withdrawn'].pk}/restore/"
    assert client.post(path, {"reason": "x"}).status_code == status
    assert call["client"].get(path).status_code == 405
    assert Submission.objects.get(pk=call["withdrawn"].pk).status == "withdrawn"
