"""The public side of a campaign: the calls, the form, attachments, the receipt."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from campaign_support import (
    BODY,
    add_submission,
    docx_bytes,
    form_data,
    new_campaign,
    pdf_bytes,
    upload,
)
from django.conf import settings
from django.test import Client
from django.utils import timezone

from libinnov.web.campaigns.models import Attachment, Campaign, Submission

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Path) -> None:
    """Each test's attachments in a folder of its own (xdist workers share one)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "campaigns"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_list_shows_open_and_closed_calls_but_not_drafts(backend: str) -> None:
    new_campaign("open-call", title="开放中的征集")
    new_campaign("past-call", title="已结束的征集", status="closed")
    new_campaign("draft-call", title="草稿征集", status="draft")
    html = Client().get("/campaigns/").content.decode()
    assert "开放中的征集" in html and "已结束的征集" in html
    assert "草稿征集" not in html
    listed = Client().get("/campaigns/?format=json").json()
    assert {c["slug"] for c in listed["results"]} == {"open-call", "past-call"}
    assert Client().get("/campaigns/draft-call/").status_code == 404


def test_a_visitor_submits_a_docx_write_up_and_gets_a_reference(backend: str) -> None:
    campaign = new_campaign()
    files_before = set(_media_files())
    data = form_data(attachments=upload("城市书房.docx", docx_bytes()))
    response = Client().post(f"/campaigns/{campaign.slug}/", data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    year = timezone.localdate().year
    assert submission.ref == f"{year}-0001"
    # the empty summary was filled from the write-up, without its title line
    assert BODY[0] in submission.summary and "城市书房：" not in submission.summary
    # province and library type come from the library's name, as imports do
    assert submission.province == "浙江"
    assert submission.library_type == "public"
    (attachment,) = Attachment.objects.all()
    assert attachment.kind == "docx" and attachment.original_name == "城市书房.docx"
    assert "阅读推广活动" in attachment.text
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert stored.read_bytes()[:2] == b"PK"
    assert set(_media_files()) - files_before == {stored}
    receipt = Client().get(response["Location"]).content.decode()
    assert f"{year}-0001" in receipt and "城市书房夜读计划" in receipt


def test_a_pdf_write_up_is_read_too(backend: str) -> None:
    campaign = new_campaign()
    data = form_data(
        attachments=upload("case.pdf", pdf_bytes(), "application/pdf"),
        library="北京大学图书馆",
    )
    assert Client().post(f"/campaigns/{campaign.slug}/", data).status_code == 302
    submission = Submission.objects.get()
    assert "城市书房" in submission.summary and "阅读推广活动" in submission.summary
    assert submission.province == "北京"
    assert submission.library_type == "academic"
    assert submission.attachments.get().kind == "pdf"


def test_the_summary_typed_in_the_form_wins_over_the_attachment() -> None:
    campaign = new_campaign()
    data = form_data(
        summary="我们自己写的简介。", attachments=upload("a.docx", docx_bytes())
    )
    Client().post(f"/campaigns/{campaign.slug}/", data)
    assert Submission.objects.get().summary == "我们自己写的简介。"


def test_references_count_up_within_a_campaign() -> None:
    campaign = new_campaign()
    other = new_campaign("other-call")
    first = add_submission(campaign, "第一个案例", "杭州图书馆")
    second = add_submission(campaign, "第二个案例", "宁波图书馆")
    elsewhere = add_submission(other, "别处的案例", "南京图书馆")
    assert [first.ref[-4:], second.ref[-4:], elsewhere.ref[-4:]] == [
        "0001",
        "0002",
        "0001",
    ]


def _not_a_docx() -> Any:
    return upload("case.docx", b"this is not a word file at all")


def _docx_called_pdf() -> Any:
    return upload("case.pdf", docx_bytes(), "application/pdf")


def _text_file() -> Any:
    return upload("case.txt", "城市书房".encode(), "text/plain")


def _pdf_without_text() -> Any:
    from weasyprint import HTML

    blank = HTML(string="<html><body><div style='height:5cm'></div></body></html>")
    return upload("scan.pdf", bytes(blank.write_pdf()), "application/pdf")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_a_docx, "不是真正的 DOCX 文件"),
        (_docx_called_pdf, "不是真正的 PDF 文件"),
        (_text_file, "不是 DOCX 或 PDF 文件"),
        (_pdf_without_text, "无法读取"),
    ],
    ids=["garbage-docx", "docx-named-pdf", "txt", "pdf-without-text"],
)
def test_a_bad_attachment_is_refused_and_nothing_is_saved(
    backend: str, make: Any, message: str
) -> None:
    campaign = new_campaign()
    files_before = set(_media_files())
    data = form_data(
        summary="简介",
        attachments=[upload("good.docx", docx_bytes()), make()],
    )
    response = Client().post(f"/campaigns/{campaign.slug}/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "未保存任何内容" in html
    assert 'data-error-for="attachments"' in html
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0
    assert set(_media_files()) == files_before
    assert Campaign.objects.get().last_number == 0


def test_an_oversized_attachment_is_refused(settings: Any) -> None:
    settings.CAMPAIGN_ATTACHMENT_MAX_BYTES = 1024
    campaign = new_campaign()
    data = form_data(attachments=upload("big.docx", docx_bytes()))
    response = Client().post(f"/campaigns/{campaign.slug}/", data)
    assert response.status_code == 400
    assert "超过" in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_submission_needs_a_summary_or_a_write_up() -> None:
    campaign = new_campaign()
    response = Client().post(f"/campaigns/{campaign.slug}/", form_data())
    assert response.status_code == 400
    assert 'data-error-for="summary"' in response.content.decode()
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "reviewing"},
        {"status": "open", "closes_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["reviewing", "deadline-passed"],
)
def test_submitting_after_the_call_closed_is_refused(
    backend: str, fields: dict[str, Any]
) -> None:
    campaign = new_campaign(**fields)
    page = Client().get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "<form" not in page.split("</header>", 1)[1].split("<footer>")[0]
    data = form_data(summary="简介", attachments=upload("a.docx", docx_bytes()))
    response = Client().post(f"/campaigns/{campaign.slug}/", data)
    assert response.status_code == 403
    assert "征集已截止" in response.content.decode()
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_call_closed_while_the_files_were_read_saves_nothing(backend: str) -> None:
    from libinnov.web.campaigns.errors import CallClosed
    from libinnov.web.campaigns.services import SubmissionData, submission_create
    from libinnov.web.codebook.selectors import current_codebook

    campaign = new_campaign()  # the sender's page loaded it open...
    Campaign.objects.filter(pk=campaign.pk).update(status="reviewing")  # ...then not
    files_before = set(_media_files())
    data = SubmissionData(
        title="迟到的案例",
        library="杭州图书馆",
        contact_name="王",
        contact_email="w@x.cn",
    )
    with pytest.raises(CallClosed):
        submission_create(
            campaign=campaign,
            data=data,
            uploads=[upload("a.docx", docx_bytes())],
            codebook=current_codebook(),
        )
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0
    assert set(_media_files()) == files_before
    assert Campaign.objects.get().last_number == 0


def test_the_receipt_opens_only_with_its_signed_link() -> None:
    campaign = new_campaign()
    response = Client().post(f"/campaigns/{campaign.slug}/", form_data(summary="简介"))
    link = response["Location"]
    assert Client().get(link).status_code == 200
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = link.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert Client().get(forged).status_code == 404
    other = new_campaign("other-call")
    assert Client().get(link.replace(campaign.slug, other.slug)).status_code == 404


def test_the_call_page_shows_its_rubric_in_both_languages() -> None:
    campaign = new_campaign()
    html = Client().get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "创新性" in html and "示范推广性" in html and "提交案例" in html
    english = Client()
    english.get("/lang/en/", {"next": "/"})
    html = english.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert '<html lang="en">' in html
    assert "Innovation" in html and "Transferability" in html
    assert "Submit the case" in html and "创新性" not in html
    record = Client().get(f"/campaigns/{campaign.slug}/?format=json").json()
    assert record["accepts_submissions"] is True
    assert record["rubric"][0]["key"] == "innovation"


def test_campaign_pages_are_never_served_stale_from_the_page_cache() -> None:
    campaign = new_campaign()
    visitor = Client()
    first = visitor.get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "csrfmiddlewaretoken" in first
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    again = Client().get(f"/campaigns/{campaign.slug}/").content.decode()
    assert "csrfmiddlewaretoken" not in again.split("<main>")[1]
    assert re.search(r"不接受投稿", again)
    new_campaign("fresh-call", title="新开的征集")
    assert "新开的征集" in Client().get("/campaigns/").content.decode()


def test_the_navigation_links_to_the_campaigns() -> None:
    html = Client().get("/campaigns/").content.decode()
    assert 'href="/campaigns/"' in html.split("</nav>")[0]
