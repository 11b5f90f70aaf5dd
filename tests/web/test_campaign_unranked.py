"""A submission no one has scored yet has no rank on the standings page and in its
exports: listed after the ranked ones, it does not read as tied with the last."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from campaign_support import add_reviewer, add_submission, new_campaign, score
from django.test import Client
from openpyxl import load_workbook

from libinnov.web.campaigns.models import Campaign, ReviewAssignment

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture
def one_scored(backend: str, personas: dict[str, Any], user_factory: Any) -> Campaign:
    """One submission scored, two waiting for their reviews."""
    campaign = new_campaign(reviewers_per_entry=1)
    reviewer = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    scored = add_submission(campaign, "城市书房夜读计划", "温州市图书馆")
    score(ReviewAssignment.objects.create(submission=scored, reviewer=reviewer), 8)
    add_submission(campaign, "亲子绘本共读营", "杭州图书馆")
    add_submission(campaign, "古籍修复体验课", "南京图书馆")
    return campaign


def _organiser(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["admin_sun"])
    return client


def test_the_page_shows_no_rank_for_unscored_submissions(
    personas: dict[str, Any], one_scored: Campaign
) -> None:
    client = _organiser(personas)
    html = client.get(f"/campaigns/{one_scored.slug}/standings/").content.decode()
    assert re.findall(r'data-rank="([^"]*)"', html) == ["1", "", ""]
    cells = re.findall(r'<td class="num rank">(.*?)</td>', html)
    assert cells[0] == "1" and all(">—<" in c for c in cells[1:])
    data = client.get(f"/campaigns/{one_scored.slug}/standings/?format=json").json()
    assert [r["rank"] for r in data["results"]] == [1, None, None]
    assert data["results"][0]["title"] == "城市书房夜读计划"


def test_the_exports_show_no_rank_for_unscored_submissions(
    personas: dict[str, Any], one_scored: Campaign
) -> None:
    client = _organiser(personas)
    path = f"/campaigns/{one_scored.slug}/standings/export/"
    xlsx = client.get(path, {"fmt": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "名次", 1, "—", "—"
    ]  # fmt: skip
    text = b"".join(client.get(path, {"fmt": "csv"}).streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["1", "—", "—"]
