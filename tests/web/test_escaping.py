"""No case text is ever rendered unescaped, whatever page shows it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from libinnov.cases import Case as CoreCase
from libinnov.web.cases.services import case_save

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

EVIL_TITLE = "古籍<script>alert('t')</script>展"
EVIL_SUMMARY = (
    "阅读<img src=x onerror=alert(1)>推广。古籍</mark><script>alert(2)</script>"
)


@pytest.fixture
def evil_case(backend: str) -> str:
    case_save(
        core=CoreCase(
            id="EVIL-1",
            title=EVIL_TITLE,
            summary=EVIL_SUMMARY,
            library="<b>馆</b>",
            codes={"focus": ["heritage"]},
            evidence={"focus": {"heritage": ["古籍</mark><script>alert(3)</script>"]}},
        )
    )
    return "EVIL-1"


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>馆</b>" not in html
    assert "&lt;script&gt;" in html


def test_list_search_and_highlight_escape_case_text(evil_case: str) -> None:
    _assert_escaped(Client().get("/cases/", {"q": "古籍"}).content.decode())
    html = Client().get("/cases/", {"q": "script"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;<mark>script</mark>&gt;" in html


def test_case_and_coding_pages_escape_case_text(
    evil_case: str, personas: dict[str, Any]
) -> None:
    _assert_escaped(Client().get(f"/cases/{evil_case}/").content.decode())
    coder = Client()
    coder.force_login(personas["coder_li"])
    _assert_escaped(coder.get(f"/coding/cases/{evil_case}/").content.decode())


def test_the_api_snippet_escapes_case_text(evil_case: str) -> None:
    data = Client().get("/api/search/", {"q": "阅读"}).json()
    snippet = next(r["snippet"] for r in data["results"] if r["id"] == evil_case)
    assert "<img" not in snippet and "&lt;img" in snippet
