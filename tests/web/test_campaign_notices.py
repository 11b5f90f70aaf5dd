"""E-mail notices: the sender's confirmation and reviewers' new assignments, in
Chinese and English; a failed send loses nothing and is reported."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from campaign_support import (
    BROKEN,
    LOCMEM,
    add_reviewer,
    add_submission,
    form_data,
    new_campaign,
    organiser,
    receipt_links,
)
from django.test import Client

from libinnov.web.campaigns.models import ReviewAssignment, Submission
from libinnov.web.config.mailurl import EmailURLError, default_sender, parse_email_url

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture(autouse=True)
def _mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = LOCMEM
    settings.DEFAULT_FROM_EMAIL = "案例征集 <cases@example.org>"


def test_the_sender_gets_the_reference_and_receipt_link_in_both_languages(
    personas: dict[str, Any], mailoutbox: list[Any]
) -> None:
    campaign = new_campaign()
    response = Client().post(
        f"/campaigns/{campaign.slug}/",
        form_data(summary="每周五晚开放的城市书房夜读活动。"),
    )
    submission = Submission.objects.get()
    (message,) = mailoutbox
    assert message.to == ["wang@example.org"]
    assert message.from_email == "案例征集 <cases@example.org>"
    assert submission.ref in message.subject
    assert "投稿已收到" in message.subject and "Submission received" in message.subject
    assert response.status_code == 302
    links = receipt_links(message.body)
    assert len(links) == 2  # once per language
    assert submission.ref in Client().get(links[0]).content.decode()
    assert f"您的投稿编号: {submission.ref}" in message.body
    assert f"Your reference number: {submission.ref}" in message.body
    assert "王芳，您好" in message.body and "Dear 王芳," in message.body
    assert "城市书房夜读计划" in message.body
    assert submission.confirmation_sent_at is not None
    manage = organiser(personas["admin_sun"]).get(f"/campaigns/{campaign.slug}/manage/")
    assert "确认邮件未发出" not in manage.content.decode()


def test_a_failed_confirmation_keeps_the_submission_and_warns_both_sides(
    personas: dict[str, Any],
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = BROKEN
    campaign = new_campaign()
    with caplog.at_level(logging.ERROR, logger="libinnov.web.campaigns.notices"):
        response = Client().post(
            f"/campaigns/{campaign.slug}/",
            form_data(summary="城市书房夜读。"),
            follow=True,
        )
    submission = Submission.objects.get()
    assert response.status_code == 200 and submission.ref in response.content.decode()
    assert "确认邮件未能发出" in response.content.decode()
    assert submission.confirmation_sent_at is None
    assert any("could not send" in r.message for r in caplog.records)
    page = organiser(personas["admin_sun"]).get(f"/campaigns/{campaign.slug}/manage/")
    manage = page.content.decode()
    assert "确认邮件未发出" in manage
    assert f"以下投稿的确认邮件发送失败：{submission.ref}" in manage


@pytest.fixture
def panel(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    campaign = new_campaign(reviewers_per_entry=1)
    wang = user_factory("reviewer_wang", None)
    wang.email, wang.first_name = "wang@lib.example.org", "王教授"
    wang.save()
    li = user_factory("reviewer_li", None)
    li.email = "li@lib.example.org"
    li.save()
    add_reviewer(campaign, wang, "国家图书馆")
    add_reviewer(campaign, li, "上海图书馆")
    for title, library in (
        ("城市书房夜读", "温州市图书馆"),
        ("古籍修复体验", "南京图书馆"),
    ):
        add_submission(campaign, title, library)
    return {"campaign": campaign, "client": organiser(personas["admin_sun"])}


def _assign(panel: dict[str, Any]) -> str:
    slug = panel["campaign"].slug
    return (
        panel["client"].post(f"/campaigns/{slug}/assign/", follow=True).content.decode()
    )


def test_each_reviewer_is_told_of_new_assignments_once(
    panel: dict[str, Any], mailoutbox: list[Any]
) -> None:
    campaign = panel["campaign"]
    html = _assign(panel)
    assert len(mailoutbox) == 2
    by_address = {m.to[0]: m for m in mailoutbox}
    for row in ReviewAssignment.objects.select_related("submission", "reviewer__user"):
        body = by_address[row.reviewer.user.email].body
        assert f"- {row.submission.ref} {row.submission.title}" in body
        assert row.notified_at is not None
    wang = by_address["wang@lib.example.org"]
    assert "新的评审任务" in wang.subject and "New review assignments" in wang.subject
    assert "王教授，您好" in wang.body and "Dear 王教授," in wang.body
    assert f"http://testserver/campaigns/{campaign.slug}/review/" in wang.body
    assert "已发送邮件，通知" in html
    _assign(panel)
    assert len(mailoutbox) == 2  # nothing new, nobody told twice
    late = add_submission(campaign, "亲子绘本馆", "广州图书馆")
    _assign(panel)
    (third,) = mailoutbox[2:]
    row = ReviewAssignment.objects.get(submission=late)
    assert third.to == [row.reviewer.user.email]
    assert late.ref in third.body
    assert not re.search(r"城市书房夜读|古籍修复体验", third.body)


def test_a_failed_notice_is_reported_and_sent_with_the_next_run(
    panel: dict[str, Any],
    settings: Any,
    mailoutbox: list[Any],
    user_factory: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    add_reviewer(panel["campaign"], user_factory("reviewer_zhou", None), "广州图书馆")
    # A third submission, so that even loads give zhou (who has no address) one.
    add_submission(panel["campaign"], "少儿编程课堂", "首都图书馆")
    settings.EMAIL_BACKEND = BROKEN
    with caplog.at_level(logging.ERROR, logger="libinnov.web.campaigns.notices"):
        html = _assign(panel)
    assert "的邮件未能发出" in html
    assert "reviewer_zhou 没有电子邮箱" in html
    assert ReviewAssignment.objects.count() == 3  # the assignments are saved
    assert not ReviewAssignment.objects.filter(notified_at__isnull=False).exists()
    settings.EMAIL_BACKEND = LOCMEM
    _assign(panel)
    told = {m.to[0] for m in mailoutbox}
    expected = {
        row.reviewer.user.email
        for row in ReviewAssignment.objects.select_related("reviewer__user")
        if row.reviewer.user.email
    }
    assert told == expected and expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp+tls://cases%40example.org:p%40ss@smtp.example.org",
            {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "HOST": "smtp.example.org",
                "PORT": 587,
                "HOST_USER": "cases@example.org",
                "HOST_PASSWORD": "p@ss",
                "USE_TLS": True,
                "USE_SSL": False,
            },
        ),
        ("smtps://u:p@smtp.qq.com", {"PORT": 465, "USE_SSL": True, "USE_TLS": False}),
        ("smtp://relay:2525?timeout=3", {"PORT": 2525, "TIMEOUT": 3, "HOST_USER": ""}),
        ("console:", {"BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("file:///var/mail/libinnov", {"FILE_PATH": "/var/mail/libinnov"}),
        ("", {"BACKEND": "django.core.mail.backends.filebased.EmailBackend"}),
    ],
)
def test_email_urls_become_django_settings(url: str, expected: dict[str, Any]) -> None:
    mail = parse_email_url(url, mail_dir=Path("/data/mail"))
    assert {k: mail[k] for k in expected} == expected


@pytest.mark.parametrize(
    "url", ["pop3://host", "smtp://", "file://relative/dir", "smtp://h:x"]
)
def test_unusable_email_urls_are_errors(url: str) -> None:
    with pytest.raises(EmailURLError):
        parse_email_url(url, mail_dir=Path("/data/mail"))


def test_mail_is_written_to_files_in_the_data_dir_unless_configured() -> None:
    from libinnov.web.config import settings as configured

    assert configured.EMAIL_BACKEND.endswith("filebased.EmailBackend")
    # beside the attachments, in the data dir the settings were read with
    data = Path(configured.MEDIA_ROOT).parent
    assert Path(configured.EMAIL_FILE_PATH) == data / "mail"
    assert default_sender({"HOST_USER": "cases@example.org"}) == "cases@example.org"
    assert "noreply" in default_sender({"HOST_USER": "relay"})
