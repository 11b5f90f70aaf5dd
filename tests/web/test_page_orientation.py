"""Each page says where the reader is: the header and the sub-navigations mark the
current page, a campaign's pages name the call, the change log pages both ways, and
the JSON link appears only on pages that have a JSON twin."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import new_campaign
from django.test import Client

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_change_log_pages_both_ways(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _signed_in(personas["coder_li"])
    page_two = client.get("/coding/log/", {"page": 2}).content.decode()
    assert '<a href="?page=1">‹ 上一页</a>' in page_two
    assert '<a href="?page=3">下一页 ›</a>' in page_two and "<span>2 / " in page_two


def test_campaign_pages_name_the_call_and_the_page(personas: dict[str, Any]) -> None:
    campaign = new_campaign()
    client = _signed_in(personas["admin_sun"])
    edit = client.get(f"/campaigns/{campaign.slug}/edit/").content.decode()
    assert f"<title>设置与评审细则 · {campaign.title} · libinnov</title>" in edit
    reviewers = client.get(f"/campaigns/{campaign.slug}/reviewers/").content.decode()
    nav = reviewers[reviewers.index('class="subnav campaign-manage"') :]
    assert f'<span class="campaign-title">{campaign.title}</span>' in nav
    assert 'aria-current="page">评审专家</a>' in nav


def test_the_header_marks_the_section_the_reader_is_in(sample_db: int) -> None:
    html = Client().get("/dashboard/").content.decode()
    assert '<a href="/dashboard/" aria-current="page">数据看板</a>' in html
    assert html.count('aria-current="page"') == 1
    listing = Client().get("/cases/").content.decode()
    assert '<h1 class="visually-hidden">案例库</h1>' in listing


def test_a_json_link_appears_only_where_a_json_twin_exists(
    sample_db: int, personas: dict[str, Any]
) -> None:
    for path in ("/cases/", "/cases/A-001/", "/dashboard/", "/codebook/"):
        html = Client().get(path).content.decode()
        assert 'class="json-twin" href="?format=json"' in html, path
    assert "json-twin" not in Client().get("/accounts/login/").content.decode()
    admin = _signed_in(personas["admin_sun"])
    for path in ("/coding/", "/cases/import/", "/accounts/users/"):
        assert "json-twin" not in admin.get(path).content.decode(), path
    assert "json-twin" in admin.get("/coding/log/").content.decode()
