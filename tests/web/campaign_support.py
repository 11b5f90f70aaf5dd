"""Builders shared by the campaign tests: real DOCX/PDF write-ups and a call.

Write-ups are made the way people make them (python-docx, and a PDF printed by
WeasyPrint with a CJK font), so the attachment checks read real files.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

TITLE = "城市书房：把图书馆开到市民家门口"
BODY = (
    "我馆自2014年起在全市建设城市书房，实行24小时自助开放，读者刷证即可入馆借阅。",
    "书房由政府、企业和社区共建，馆员统一配送图书并组织阅读推广活动。",
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The organiser's form for a new call, filled in.
CAMPAIGN_FORM = {
    "slug": "heritage-2026",
    "title": "古籍保护创新案例征集",
    "description": "征集古籍保护与活化利用的创新案例。",
    "status": "open",
    "closes_at": "2099-12-31T18:00",
    "reviewers_per_entry": "3",
    "normalisation": "zscore",
    "shortlist_size": "5",
    "tiers": "一等奖=1,second=2",
    "weight_innovation": "2",
    "weight_feasibility": "1",
    "weight_sustainability": "1",
    "weight_results": "1.5",
    "weight_transferability": "1",
}


def docx_bytes(title: str = TITLE, body: tuple[str, ...] = BODY) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("申报单位：温州市图书馆")
    document.add_paragraph("年份：2023")
    for paragraph in body:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(title: str = TITLE, body: tuple[str, ...] = BODY) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    html = (
        "<html><body style=\"font-family: 'Noto Sans CJK SC'\">"
        f"<h1>{title}</h1>{paragraphs}</body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def upload(name: str, data: bytes, content_type: str = DOCX_TYPE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def form_data(**changes: Any) -> dict[str, Any]:
    """A filled-in public submission form."""
    data: dict[str, Any] = {
        "title": "城市书房夜读计划",
        "library": "温州市图书馆",
        "province": "",
        "year": "2024",
        "authors": "王芳、李明",
        "summary": "",
        "contact_name": "王芳",
        "contact_email": "wang@example.org",
    }
    data.update(changes)
    return data


def new_campaign(slug: str = "reading-2026", **fields: Any) -> Any:
    from libinnov.web.campaigns.models import Campaign

    values: dict[str, Any] = {
        "title": "2026 年图书馆阅读推广创新案例征集",
        "description": "面向全国公共图书馆和高校图书馆征集阅读推广创新案例。",
        "status": "open",
        "reviewers_per_entry": 2,
        "award_tiers": [
            {
                "key": "first",
                "label_zh": "一等奖",
                "label_en": "First prize",
                "count": 1,
            },
            {
                "key": "second",
                "label_zh": "二等奖",
                "label_en": "Second prize",
                "count": 1,
            },
        ],
    }
    values.update(fields)
    return Campaign.objects.create(slug=slug, **values)


def add_submission(campaign: Any, title: str, library: str, **changes: Any) -> Any:
    """A submission saved through the same service the form uses."""
    from libinnov.web.campaigns.services import SubmissionData, submission_create
    from libinnov.web.codebook.selectors import current_codebook

    data = SubmissionData(
        title=title,
        library=library,
        contact_name="联系人",
        contact_email="contact@example.org",
        summary=changes.pop("summary", f"{title}：面向读者的阅读推广服务。"),
        **changes,
    )
    return submission_create(
        campaign=campaign, data=data, uploads=[], codebook=current_codebook()
    )


def add_reviewer(
    campaign: Any, user: Any, institution: str = "", province: str = ""
) -> Any:
    from libinnov.web.campaigns.services import reviewer_add

    return reviewer_add(
        campaign=campaign, user=user, institution=institution, province=province
    )


def score(assignment: Any, value: float, comment: str = "") -> Any:
    """Every criterion of the rubric scored ``value``."""
    from libinnov.web.campaigns.services import review_submit

    keys = assignment.submission.campaign.get_rubric().keys
    return review_submit(
        assignment=assignment, scores=dict.fromkeys(keys, value), comment=comment
    )


def organiser(user: Any) -> Any:
    """A test client signed in as ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def messages_of(response: Any) -> list[str]:
    """The flash messages a followed response showed."""
    return [str(m) for m in response.context["messages"]]


class BrokenMailBackend:
    """A mail server that is down: every message raises, as SMTP would."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
BROKEN = "campaign_support.BrokenMailBackend"


def receipt_links(body: str) -> list[str]:
    """The receipt addresses an e-mail body links to (paths on the test server).

    The links are signed with a timestamp, so two made a second apart differ:
    tests follow them rather than compare them with another receipt address.
    """
    return re.findall(r"http://testserver(/campaigns/\S+/receipt/\S+/)", body)
