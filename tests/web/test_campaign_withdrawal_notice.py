"""The sender hears of it when the organisers withdraw their submission; the
organisers' reason stays theirs."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import (
    BROKEN,
    LOCMEM,
    add_submission,
    form_data,
    messages_of,
    new_campaign,
    organiser,
    receipt_links,
)
from django.test import Client

from libinnov.web.campaigns.models import Submission

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = LOCMEM


def _withdraw(client: Client, submission: Submission, reason: str) -> Any:
    slug = submission.campaign.slug
    path = f"/campaigns/{slug}/manage/{submission.pk}/withdraw/"
    return client.post(path, {"reason": reason}, follow=True)


def test_the_sender_is_e_mailed_the_withdrawal_without_the_reason(
    backend: str, personas: dict[str, Any], mailoutbox: list[Any]
) -> None:
    submission = add_submission(new_campaign(), "城市书房夜读", "温州市图书馆")
    _withdraw(organiser(personas["admin_sun"]), submission, "疑似重复投稿")
    (message,) = mailoutbox
    assert message.to == ["contact@example.org"]
    assert (
        "投稿已被撤回" in message.subject and "Submission withdrawn" in message.subject
    )
    assert submission.ref in message.subject
    body = message.body
    assert "联系人，您好" in body and "Dear 联系人," in body
    assert "您的投稿“城市书房夜读”撤回，不再参加评审" in body
    assert "your submission “城市书房夜读” from the call" in body
    assert f"您的投稿编号: {submission.ref}" in body
    assert "疑似重复投稿" not in body  # the form tells organisers it is theirs
    links = receipt_links(body)
    assert len(links) == 2
    receipt = Client().get(links[0]).content.decode()
    assert submission.ref in receipt and 'data-status="withdrawn"' in receipt
    withdrawn = Submission.objects.get(pk=submission.pk)
    assert withdrawn.withdrawal_notice_sent_at is not None


def test_a_sender_who_withdrew_it_themselves_gets_no_mail(
    backend: str, mailoutbox: list[Any]
) -> None:
    campaign = new_campaign()
    client = Client()
    response = client.post(f"/campaigns/{campaign.slug}/", form_data(summary="夜读"))
    mailoutbox.clear()  # the confirmation
    client.post(f"{response['Location']}withdraw/", follow=True)
    submission = Submission.objects.get()
    assert submission.withdrawn and submission.withdrawn_by == "submitter"
    assert mailoutbox == []
    assert submission.withdrawal_notice_sent_at is None


def test_a_failed_withdrawal_notice_keeps_the_withdrawal_and_warns_the_organiser(
    backend: str, personas: dict[str, Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    submission = add_submission(new_campaign(), "城市书房夜读", "温州市图书馆")
    client = organiser(personas["admin_sun"])
    response = _withdraw(client, submission, "疑似重复投稿")
    notes = " ".join(messages_of(response))
    assert "发送至 contact@example.org 的撤回通知邮件未能发出" in notes
    withdrawn = Submission.objects.get(pk=submission.pk)
    assert withdrawn.withdrawn and withdrawn.withdrawal_notice_sent_at is None
    assert "撤回通知未发出" in response.content.decode()
    settings.EMAIL_BACKEND = LOCMEM  # a withdrawal by the sender is never flagged
    other = add_submission(submission.campaign, "古籍修复体验", "温州市图书馆")
    other.withdrawn_by, other.status = "submitter", "withdrawn"
    other.save()
    page = client.get(f"/campaigns/{submission.campaign.slug}/manage/")
    assert page.content.decode().count("撤回通知未发出") == 1
