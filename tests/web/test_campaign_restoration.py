"""Restoring a withdrawn submission: the organiser, with a reason, while what the
review decides can still change; its reviews count again, the withdrawal stays
on record, and the sender is e-mailed the news and the reason."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from campaign_support import (
    BROKEN,
    LOCMEM,
    add_reviewer,
    add_submission,
    messages_of,
    new_campaign,
    organiser,
    receipt_links,
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
    assert "核实后并非重复投稿" not in page  # it went by e-mail, not on the receipt


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
    backend: str,
    call: dict[str, Any],
    state: str,
    message: str,
    mailoutbox: list[Any],
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
    assert mailoutbox == []


def test_the_sender_is_e_mailed_the_restoration_and_the_reason(
    backend: str, call: dict[str, Any], settings: Any, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    campaign, withdrawn = call["campaign"], call["withdrawn"]
    manage = f"/campaigns/{campaign.slug}/manage/"
    form = call["client"].get(manage).content.decode()
    assert "此原因将通过邮件告知投稿人" in form  # said before the reason is written
    _restore(call, "核实后并非重复投稿")
    (message,) = mailoutbox
    assert message.to == ["contact@example.org"] == [withdrawn.contact_email]
    assert message.subject == (
        f"[{campaign.title}] 投稿已恢复参评 / Submission restored {withdrawn.ref}"
    )
    body = message.body
    assert "联系人，您好" in body and "Dear 联系人," in body
    assert "投稿“城市书房夜读”恢复参评" in body
    assert "your submission “城市书房夜读” back into the call" in body
    assert f"您的投稿编号: {withdrawn.ref}" in body
    assert f"Your reference number: {withdrawn.ref}" in body
    assert "组织者说明的原因: 核实后并非重复投稿" in body
    assert "The organisers' reason: 核实后并非重复投稿" in body
    links = receipt_links(body)
    assert len(links) == 2  # once per language
    receipt = Client().get(links[0]).content.decode()
    assert withdrawn.ref in receipt and 'data-status="restored"' in receipt
    assert "疑似重复投稿" not in body  # the withdrawal's reason is not news to send
    restored = Submission.objects.get(pk=withdrawn.pk)
    assert restored.restoration_notice_sent_at is not None
    assert "恢复参评通知未发出" not in call["client"].get(manage).content.decode()


def test_a_failed_restoration_notice_keeps_the_restoration_and_warns_the_organiser(
    backend: str,
    call: dict[str, Any],
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    with caplog.at_level(logging.ERROR, logger="libinnov.web.campaigns.notices"):
        response = _restore(call, "核实后并非重复投稿")
    shown = " ".join(messages_of(response))
    ref = call["withdrawn"].ref
    assert f"{ref} 已恢复参评" in shown
    assert "发送至 contact@example.org 的恢复参评通知邮件未能发出" in shown
    restored = Submission.objects.get(pk=call["withdrawn"].pk)
    assert (
        restored.status == "submitted" and restored.restoration_notice_sent_at is None
    )
    assert any("could not send" in r.message for r in caplog.records)
    html = response.content.decode()
    row = html[html.index(f'data-ref="{ref}"') :]
    assert "恢复参评通知未发出" in row[: row.index("</tr>")]


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
