"""Withdrawing a submission: the sender from the receipt while the call is open,
the organiser at any time with a reason; it leaves assignment and the standings
but stays on the organiser's list."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import (
    add_reviewer,
    add_submission,
    docx_bytes,
    form_data,
    new_campaign,
    organiser,
    score,
    upload,
)
from django.test import Client

from libinnov.web.campaigns.access import receipt_token
from libinnov.web.campaigns.models import (
    Campaign,
    Review,
    ReviewAssignment,
    Submission,
)
from libinnov.web.cases.models import Case

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _send(campaign: Campaign) -> tuple[Client, str, Submission]:
    """A visitor sends a case through the form: their client, receipt, submission."""
    client = Client()
    data = form_data(summary="城市书房夜读：每周五晚开放的阅读推广活动。")
    response = client.post(f"/campaigns/{campaign.slug}/", data)
    assert response.status_code == 302
    return client, response["Location"], Submission.objects.get(title=data["title"])


def test_the_sender_withdraws_from_the_receipt_while_the_call_is_open(
    backend: str, user_factory: Any
) -> None:
    campaign = new_campaign()
    client, receipt, submission = _send(campaign)
    wang = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    ReviewAssignment.objects.create(submission=submission, reviewer=wang)
    page = client.get(receipt).content.decode()
    assert "撤回本投稿" in page and f'action="{receipt}withdraw/"' in page
    # the link is all it takes: a new browser with no session can use it
    done = Client().post(f"{receipt}withdraw/", {"reason": "已另投他处"}, follow=True)
    html = done.content.decode()
    assert f"投稿 {submission.ref} 已撤回" in html and 'data-status="withdrawn"' in html
    assert "撤回本投稿" not in html
    submission.refresh_from_db()
    assert submission.status == "withdrawn"
    assert (submission.withdrawn_by, submission.withdrawal_reason) == (
        "submitter",
        "已另投他处",
    )
    assert not ReviewAssignment.objects.filter(submission=submission).exists()
    again = Client().post(f"{receipt}withdraw/", follow=True)
    assert "该投稿已经撤回" in again.content.decode()


@pytest.mark.parametrize("state", ["closed", "past_deadline", "published"])
def test_the_sender_cannot_withdraw_once_closed_or_published(
    backend: str, state: str
) -> None:
    campaign = new_campaign()
    _client, receipt, submission = _send(campaign)
    if state == "closed":
        campaign.status = "reviewing"
        campaign.save()
    elif state == "past_deadline":
        from django.utils import timezone

        campaign.closes_at = timezone.now()
        campaign.save()
    else:
        submission.case = Case.objects.create(
            id="reading-2026-x", title=submission.title, library=submission.library
        )
        submission.save()
    page = Client().get(receipt).content.decode()
    assert "撤回本投稿" not in page
    refused = Client().post(f"{receipt}withdraw/", {"reason": "x"}, follow=True)
    message = "已发布到案例库" if state == "published" else "征集已截止"
    assert message in refused.content.decode()
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.withdrawn_at is None


def test_a_forged_or_foreign_receipt_withdraws_nothing(backend: str) -> None:
    campaign = new_campaign()
    other = new_campaign("other-call")
    _client, receipt, submission = _send(campaign)
    token = receipt_token(submission)
    forged = f"/campaigns/{campaign.slug}/receipt/{token[:-2]}xx/withdraw/"
    assert Client().post(forged).status_code == 404
    foreign = f"/campaigns/{other.slug}/receipt/{token}/withdraw/"
    assert Client().post(foreign).status_code == 404
    assert Client().get(f"{receipt}withdraw/").status_code == 405
    submission.refresh_from_db()
    assert submission.status == "submitted"


@pytest.fixture
def judged(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    """Two scored submissions (the first one wins), a third not yet scored."""
    campaign = new_campaign(reviewers_per_entry=1, normalisation="none")
    wang = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    subs = []
    for title, value in (("城市书房夜读", 9), ("古籍修复体验", 7)):
        submission = add_submission(campaign, title, "温州市图书馆")
        row = ReviewAssignment.objects.create(submission=submission, reviewer=wang)
        score(row, value)
        subs.append(submission)
    late = add_submission(campaign, "亲子绘本馆", "广州图书馆")
    open_row = ReviewAssignment.objects.create(submission=late, reviewer=wang)
    return {
        "campaign": campaign,
        "winner": subs[0],
        "runner_up": subs[1],
        "late": late,
        "open": open_row,
        "wang": wang,
        "client": organiser(personas["admin_sun"]),
    }


def _withdraw(judged: dict[str, Any], key: str, reason: str) -> Any:
    path = f"/campaigns/{judged['campaign'].slug}/manage/{judged[key].pk}/withdraw/"
    return judged["client"].post(path, {"reason": reason}, follow=True)


def test_the_organiser_withdraws_with_a_reason_and_it_leaves_the_judging(
    backend: str, judged: dict[str, Any]
) -> None:
    campaign, client = judged["campaign"], judged["client"]
    client.post(f"/campaigns/{campaign.slug}/results/")
    assert Submission.objects.get(pk=judged["winner"].pk).award == "first"
    response = _withdraw(judged, "winner", "与已发表案例重复")
    assert f"{judged['winner'].ref} 已撤回" in response.content.decode()
    winner = Submission.objects.get(pk=judged["winner"].pk)
    assert (winner.status, winner.award, winner.withdrawn_by) == (
        "withdrawn",
        "",
        "organiser",
    )
    assert Review.objects.filter(assignment__submission=winner).exists()  # kept
    standings = client.get(f"/campaigns/{campaign.slug}/standings/?format=json").json()
    assert winner.ref not in [r["ref"] for r in standings["results"]]
    client.post(f"/campaigns/{campaign.slug}/results/")
    assert Submission.objects.get(pk=judged["runner_up"].pk).award == "first"
    manage = client.get(f"/campaigns/{campaign.slug}/manage/").content.decode()
    row = manage[manage.index(f'data-ref="{winner.ref}"') :]
    assert 'data-status="withdrawn"' in row[:60] and "与已发表案例重复" in row
    assert "2 件投稿" in manage and "1 件已撤回" in manage
    page = client.get(f"/campaigns/{campaign.slug}/standings/").content.decode()
    assert "已撤回的投稿" in page and "与已发表案例重复" in page


def test_a_withdrawn_submission_leaves_assignment_and_the_reviewers_list(
    backend: str, judged: dict[str, Any], user_factory: Any
) -> None:
    campaign, client = judged["campaign"], judged["client"]
    _withdraw(judged, "late", "申报材料不全")
    assert not ReviewAssignment.objects.filter(pk=judged["open"].pk).exists()
    add_reviewer(campaign, user_factory("reviewer_li", None), "上海图书馆")
    client.post(f"/campaigns/{campaign.slug}/assign/")
    assert not ReviewAssignment.objects.filter(submission=judged["late"]).exists()
    reviewer = Client()
    reviewer.force_login(judged["wang"].user)
    mine = reviewer.get(f"/campaigns/{campaign.slug}/review/").content.decode()
    assert "亲子绘本馆" not in mine and "城市书房夜读" in mine
    _withdraw(judged, "winner", "重复投稿")
    done = ReviewAssignment.objects.get(submission=judged["winner"])
    assert (
        reviewer.get(f"/campaigns/{campaign.slug}/review/{done.pk}/").status_code == 404
    )
    progress = client.get(f"/campaigns/{campaign.slug}/progress/").content.decode()
    assert f'data-ref="{judged["late"].ref}"' not in progress


def test_the_organiser_must_give_a_reason_and_cannot_withdraw_twice(
    backend: str, judged: dict[str, Any]
) -> None:
    response = _withdraw(judged, "late", "  ")
    assert "请填写撤回原因" in response.content.decode()
    assert Submission.objects.get(pk=judged["late"].pk).status == "submitted"
    _withdraw(judged, "late", "申报材料不全")
    again = _withdraw(judged, "late", "再次撤回")
    assert "该投稿已经撤回" in again.content.decode()
    late = Submission.objects.get(pk=judged["late"].pk)
    assert late.withdrawal_reason == "申报材料不全"


def test_the_organiser_may_withdraw_a_published_submission(
    backend: str, judged: dict[str, Any]
) -> None:
    campaign, client = judged["campaign"], judged["client"]
    client.post(f"/campaigns/{campaign.slug}/results/")
    client.post(f"/campaigns/{campaign.slug}/publish/")
    response = _withdraw(judged, "winner", "作者要求撤回")
    html = response.content.decode()
    assert "已撤回" in html and "其案例仍在案例库中" in html
    winner = Submission.objects.get(pk=judged["winner"].pk)
    assert winner.status == "withdrawn" and winner.case_id is not None


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reviewer", 403), ("stranger", 403)]
)
def test_only_organisers_withdraw_from_the_manage_page(
    judged: dict[str, Any], personas: dict[str, Any], who: str, status: int
) -> None:
    client = Client()
    if who == "reviewer":
        client.force_login(judged["wang"].user)
    elif who == "stranger":
        client.force_login(personas["coder_li"])
    path = f"/campaigns/{judged['campaign'].slug}/manage/{judged['late'].pk}/withdraw/"
    assert client.post(path, {"reason": "x"}).status_code == status
    assert Submission.objects.get(pk=judged["late"].pk).status == "submitted"


def test_reviewers_lose_the_attachments_of_a_withdrawn_submission(
    personas: dict[str, Any], user_factory: Any
) -> None:
    campaign = new_campaign()
    data = form_data(summary="简介", attachments=upload("写作.docx", docx_bytes()))
    Client().post(f"/campaigns/{campaign.slug}/", data)
    submission = Submission.objects.get()
    wang = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    ReviewAssignment.objects.create(submission=submission, reviewer=wang, status="done")
    path = f"/campaigns/{campaign.slug}/attachments/{submission.attachments.get().pk}/"
    reviewer = Client()
    reviewer.force_login(wang.user)
    before = reviewer.get(path)
    assert before.status_code == 200
    assert b"".join(before.streaming_content)[:2] == b"PK"
    admin = organiser(personas["admin_sun"])
    admin.post(
        f"/campaigns/{campaign.slug}/manage/{submission.pk}/withdraw/",
        {"reason": "投稿人要求"},
    )
    assert reviewer.get(path).status_code == 403
    allowed = admin.get(path)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content)[:2] == b"PK"
