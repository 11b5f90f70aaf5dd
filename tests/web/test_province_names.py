"""English pages name provinces in English; values, filters and JSON stay Chinese."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from campaign_support import add_reviewer, add_submission, new_campaign
from django.test import Client

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _english(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get("/lang/en/")
    return client


def test_the_library_names_provinces_in_english_and_filters_in_chinese(
    sample_db: int,
) -> None:
    client = _english()
    html = client.get("/cases/").content.decode()
    facet = html.split('data-facet="province"')[1].split("</details>")[0]
    assert re.search(r'province=%E6%B1%9F%E8%8B%8F" data-value="江苏"', facet)
    shown = re.sub(r'data-value="[^"]*"', "", facet)
    assert "Jiangsu" in shown and "Inner Mongolia" in shown and "江苏" not in shown
    detail = client.get("/cases/A-007/").content.decode()
    assert "中国矿业大学图书馆 · Jiangsu · " in detail
    data = client.get("/cases/A-007/?format=json").json()
    assert data["province"] == "江苏"
    chinese = Client().get("/cases/A-007/").content.decode()
    assert "中国矿业大学图书馆 · 江苏 · " in chinese


def test_the_dashboard_labels_provinces_and_keeps_the_map_keys(
    sample_db: int,
) -> None:
    html = _english().get("/dashboard/?province=江苏").content.decode()
    assert '<span class="tag">Jiangsu</span>' in html
    assert re.search(r'data-province="江苏" data-count="\d+"><title>Jiangsu: ', html)
    assert ">JS</text>" in html and ">江苏</text>" not in html
    assert '<tr data-province="江苏"><td>Jiangsu</td>' in html
    script = html.split('id="chart-data" type="application/json">')[1].split("<")[0]
    chart_data = json.loads(script)
    assert chart_data["provinces"] == {"江苏": 16}
    assert chart_data["province_names"]["内蒙古"] == "Inner Mongolia"
    chinese = Client().get("/dashboard/?province=江苏").content.decode()
    assert "<title>江苏: " in chinese and ">江苏</text>" in chinese


def test_campaign_pages_name_provinces_in_english(
    backend: str, personas: dict[str, Any], user_factory: Any
) -> None:
    campaign = new_campaign()
    add_submission(campaign, "古籍活化工作坊", "浙江图书馆", year=2024)
    add_reviewer(campaign, user_factory("reviewer_wang", None), "武汉大学", "湖北省")
    client = _english(personas["admin_sun"])
    manage = client.get(f"/campaigns/{campaign.slug}/manage/").content.decode()
    assert "<td>Zhejiang</td>" in manage
    reviewers = client.get(f"/campaigns/{campaign.slug}/reviewers/").content.decode()
    assert "<td>Hubei</td>" in reviewers


def test_the_coding_workbench_names_the_province_in_english(
    sample_db: int, personas: dict[str, Any]
) -> None:
    html = _english(personas["coder_li"]).get("/coding/cases/A-007/").content.decode()
    assert "中国矿业大学图书馆 · Jiangsu · " in html
    coder = Client()
    coder.force_login(personas["coder_li"])
    assert (
        "中国矿业大学图书馆 · 江苏 · "
        in coder.get("/coding/cases/A-007/").content.decode()
    )
