"""The coding queue says how many cases wait and pages through all of them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from client_support import signed_in

from libinnov.web.cases.models import Case
from libinnov.web.coding import services

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _listed(html: str) -> list[str]:
    return re.findall(r'<li><a href="/coding/cases/([^/]+)/">', html)


def test_the_queue_counts_every_unconfirmed_case_and_pages_through_them(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = signed_in(personas["coder_li"])
    first = client.get("/coding/").content.decode()
    assert f"{sample_db} 个案例" in first
    pages = -(-sample_db // 20)
    assert f"<span>1 / {pages}</span>" in first
    assert 'href="?page=2"' in first
    seen: list[str] = []
    for number in range(1, pages + 1):
        html = client.get("/coding/", {"page": number}).content.decode()
        seen += _listed(html)
    assert len(seen) == sample_db == len(set(seen))
    english = signed_in(personas["coder_li"], "en").get("/coding/").content.decode()
    assert f"{sample_db} cases" in english


def test_the_page_links_keep_what_narrows_the_queue(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = signed_in(personas["coder_li"])
    html = client.get("/coding/", {"page": 2, "sort": "new"}).content.decode()
    assert 'href="?sort=new&amp;page=1"' in html
    assert 'href="?sort=new&amp;page=3"' in html


def test_assigned_tasks_are_counted_and_paged_too(
    sample_db: int, personas: dict[str, Any]
) -> None:
    li = personas["coder_li"]
    services.double_coding_assign(
        cases=Case.objects.order_by("id")[:25],
        coders=[li, personas["coder_wu"]],
        assigned_by=personas["admin_sun"],
    )
    english = signed_in(li, "en")
    first = english.get("/coding/").content.decode()
    assert "25 cases are assigned to you." in first
    assert len(_listed(first)) == 20
    second = english.get("/coding/", {"page": 2}).content.decode()
    assert len(_listed(second)) == 5 and "<span>2 / 2</span>" in second
    chinese = signed_in(li).get("/coding/").content.decode()
    assert "共有 25 个案例分配给你。" in chinese
