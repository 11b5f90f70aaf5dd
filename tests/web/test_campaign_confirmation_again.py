"""Sending a submission's confirmation again: the organiser from the overview at any
time, the sender from the receipt once every few minutes; never for a withdrawn
submission."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from campaign_support import (
    BROKEN,
    LOCMEM,
    add_reviewer,
    form_data,
    messages_of,
    new_campaign,
    organiser,
    receipt_links,
)
from django.test import Client
from django.utils import timezone

from libinnov.web.campaigns.models import Submission
from libinnov.web.campaigns.services import RESEND_AFTER, submission_withdraw

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = LOCMEM


def _send(campaign: Any) -> tuple[str, Submission]:
    """A visitor sends a case: the receipt's address and the submission."""
    response = Client().post(f"/campaigns/{campaign.slug}/", form_data(summary="夜读"))
    assert response.status_code == 302
    return response["Location"], Submission.objects.get()


def _again(client: Client, campaign: Any, submission: Submission) -> Any:
    path = f"/campaigns/{campaign.slug}/manage/{submission.pk}/confirm/"
    return client.post(path, follow=True)


def test_the_organiser_sends_a_failed_confirmation_again(
    backend: str, personas: dict[str, Any], settings: Any, mailoutbox: list[Any]
) -> None:
    campaign = new_campaign()
    settings.EMAIL_BACKEND = BROKEN
    _, submission = _send(campaign)
    assert submission.confirmation_sent_at is None
    client = organiser(personas["admin_sun"])
    failed = _again(client, campaign, submission)
    assert "发送至 wang@example.org 的确认邮件未能发出" in " ".join(messages_of(failed))
    settings.EMAIL_BACKEND = LOCMEM
    response = _again(client, campaign, submission)
    assert "确认邮件已重新发送至 wang@example.org" in " ".join(messages_of(response))
    (message,) = mailoutbox
    assert message.to == ["wang@example.org"] and submission.ref in message.subject
    links = receipt_links(message.body)
    assert len(links) == 2  # once per language; signed anew, so not == receipt
    assert submission.ref in Client().get(links[0]).content.decode()
    submission.refresh_from_db()
    assert submission.confirmation_sent_at is not None
    html = response.content.decode()
    assert "确认邮件未发出" not in html and "重新发送确认邮件" in html
    _again(client, campaign, submission)  # the organiser is never held back
    assert len(mailoutbox) == 2


def test_no_confirmation_goes_out_for_a_withdrawn_submission(
    backend: str, personas: dict[str, Any], mailoutbox: list[Any]
) -> None:
    campaign = new_campaign()
    receipt, submission = _send(campaign)
    submission_withdraw(submission=submission, by="submitter")
    mailoutbox.clear()
    response = _again(organiser(personas["admin_sun"]), campaign, submission)
    assert "该投稿已撤回" in " ".join(messages_of(response))
    refused = Client().post(f"{receipt}confirm/", follow=True)
    assert "该投稿已撤回" in " ".join(messages_of(refused))
    assert "重新发送给我" not in refused.content.decode()
    assert mailoutbox == []


def test_the_sender_asks_again_from_the_receipt_once_every_few_minutes(
    backend: str, mailoutbox: list[Any]
) -> None:
    campaign = new_campaign()
    receipt, submission = _send(campaign)
    page = Client().get(receipt).content.decode()
    assert "重新发送给我" in page and f'action="{receipt}confirm/"' in page
    assert "wang@example.org" in page
    soon = Client().post(f"{receipt}confirm/", follow=True)
    assert "如未收到，请几分钟后再试" in " ".join(messages_of(soon))
    assert len(mailoutbox) == 1  # only the first confirmation
    earlier = timezone.now() - RESEND_AFTER - timedelta(seconds=1)
    Submission.objects.filter(pk=submission.pk).update(confirmation_sent_at=earlier)
    later = Client().post(f"{receipt}confirm/", follow=True)
    assert "确认邮件已重新发送至 wang@example.org" in " ".join(messages_of(later))
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["wang@example.org"]
    submission.refresh_from_db()
    assert submission.confirmation_sent_at is not None
    assert submission.confirmation_sent_at > earlier


def test_a_sender_whose_confirmation_failed_may_ask_at_once(
    backend: str, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    receipt, _submission = _send(new_campaign())
    settings.EMAIL_BACKEND = LOCMEM
    Client().post(f"{receipt}confirm/")
    assert len(mailoutbox) == 1


def test_a_forged_receipt_sends_nothing(backend: str, mailoutbox: list[Any]) -> None:
    receipt, _submission = _send(new_campaign())
    mailoutbox.clear()
    assert Client().post(f"{receipt[:-3]}xx/confirm/").status_code == 404
    assert Client().get(f"{receipt}confirm/").status_code == 405
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reviewer", 403), ("stranger", 403)]
)
def test_only_organisers_send_it_from_the_overview(
    personas: dict[str, Any],
    user_factory: Any,
    mailoutbox: list[Any],
    who: str,
    status: int,
) -> None:
    campaign = new_campaign()
    _receipt, submission = _send(campaign)
    mailoutbox.clear()
    client = Client()
    if who == "reviewer":
        wang = add_reviewer(campaign, user_factory("reviewer_wang", None))
        client.force_login(wang.user)
    elif who == "stranger":
        client.force_login(personas["coder_li"])
    path = f"/campaigns/{campaign.slug}/manage/{submission.pk}/confirm/"
    assert client.post(path).status_code == status
    assert mailoutbox == []
