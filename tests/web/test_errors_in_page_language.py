"""Errors the core raises reach the reader in the page's language, still naming the
file, row and field and the value at fault: Chinese by default, English on request.
The JSON API keeps speaking English."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from campaign_support import (
    CAMPAIGN_FORM,
    add_reviewer,
    add_submission,
    new_campaign,
)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from libinnov.web.campaigns.models import Campaign, Review, ReviewAssignment
from libinnov.web.cases.models import Case
from libinnov.web.codebook.models import CodebookVersion

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _client(lang: str, user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    if lang == "en":
        client.get("/lang/en/")
    return client


def _text(response: Any) -> str:
    """The page as people read it: tags and escapes gone, whitespace folded."""
    page = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(page))


def _jsonl(*lines: bytes) -> bytes:
    return b"".join(line + b"\n" for line in lines)


def _json(record: dict[str, str]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode()


CASE_FILES = {
    "bad year": (
        "申报汇总.csv",
        "标题,图书馆,年份\n城市书房,温州市图书馆,2021\n古籍课堂,浙江图书馆,二〇二〇年\n".encode(),
        "申报汇总.csv，第 3 行，字段「year」：「二〇二〇年」不是年份",
        "申报汇总.csv, row 3, field 'year': '二〇二〇年' is not a year",
    ),
    "unknown code": (
        "cases.jsonl",
        _jsonl(
            _json({"title": "城市书房", "region": "east"}),
            _json({"title": "古籍课堂", "region": "华东"}),
        ),
        "cases.jsonl，第 2 行，字段「region」：region 没有代码「华东」"
        "（可用：east, central, west, northeast, hmt）",
        "cases.jsonl, line 2, field 'region': unknown code '华东' for region "
        "(known: east, central, west, northeast, hmt)",
    ),
    "wrong encoding": (
        "gbk.jsonl",
        _jsonl(_json({"title": "城市书房"}), '{"title": "古籍课堂"}'.encode("gbk")),
        "gbk.jsonl，第 2 行：不是 UTF-8 文本",
        "gbk.jsonl, line 2: not UTF-8 text",
    ),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("problem", list(CASE_FILES))
def test_a_bad_case_file_is_refused_in_the_page_language_and_nothing_is_saved(
    backend: str, personas: dict[str, Any], problem: str, lang: str
) -> None:
    name, data, zh, en = CASE_FILES[problem]
    client = _client(lang, personas["admin_sun"])
    response = client.post("/cases/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert (zh if lang == "zh" else en) in _text(response)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "申报汇总.csv，第 2 行，字段「year」：「明年」不是年份"),
        ("en", "申报汇总.csv, row 2, field 'year': '明年' is not a year"),
    ],
)
def test_a_file_that_went_bad_after_its_preview_saves_nothing_and_names_the_upload(
    backend: str, personas: dict[str, Any], lang: str, expected: str
) -> None:
    from libinnov.web.cases.transfer import _staged

    client = _client(lang, personas["admin_sun"])
    good = "标题,年份\n城市书房,2021\n".encode()
    preview = client.post(
        "/cases/import/", {"file": SimpleUploadedFile("申报汇总.csv", good)}
    )
    token = preview.context["token"]
    staged = _staged(token)
    assert staged is not None
    staged.write_bytes("标题,年份\n城市书房,明年\n".encode())
    response = client.post(
        "/cases/import/", {"token": token, "filename": "申报汇总.csv"}, follow=True
    )
    assert expected in _text(response)
    assert str(staged) not in response.content.decode()  # no server paths
    assert Case.objects.count() == 0


@pytest.fixture
def review_form(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    campaign = new_campaign()
    submission = add_submission(campaign, "城市书房夜读", "温州市图书馆")
    wang = user_factory("reviewer_wang", None)
    row = add_reviewer(campaign, wang, institution="南京大学")
    assignment = ReviewAssignment.objects.create(submission=submission, reviewer=row)
    return {"reviewer": wang, "path": f"/campaigns/{campaign.slug}/review/"
            f"{assignment.pk}/"}  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "out_of_range", "not_a_number"),
    [
        ("zh", "创新性（innovation）的评分 11 不在 1-10 之间", "「八分」不是数字"),
        ("en", "11 is outside 1-10 for 创新性 (innovation)", "'八分' is not a number"),
    ],
)
def test_a_score_out_of_range_is_refused_next_to_its_field_in_the_page_language(
    backend: str,
    review_form: dict[str, Any],
    lang: str,
    out_of_range: str,
    not_a_number: str,
) -> None:
    keys = ("innovation", "feasibility", "sustainability", "results", "transferability")
    scores = {f"score_{k}": "7" for k in keys}
    scores |= {"score_innovation": "11", "score_feasibility": "八分"}
    response = _client(lang, review_form["reviewer"]).post(review_form["path"], scores)
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert f'data-error-for="score_innovation">{out_of_range}</span>' in page
    assert f'data-error-for="score_feasibility">{not_a_number}</span>' in page
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("lang", "tiers", "expected"),
    [
        ("zh", "金奖=1", "未知奖项「金奖」（可用：first/一等奖、second/二等奖"),
        (
            "en",
            "金奖=1",
            "unknown award tier '金奖' (known: first/一等奖、second/二等奖",
        ),
        ("zh", "一等奖=1，二等奖", "「二等奖」不是“奖项=名额”的写法（如 一等奖=3"),
        ("en", "一等奖=1，二等奖", "'二等奖' is not tier=count (e.g. first=3"),
        ("zh", "一等奖=一", "「一」不是数字"),
        ("en", "一等奖=一", "'一' is not a number"),
    ],
)
def test_bad_award_tiers_are_refused_next_to_the_field_in_the_page_language(
    backend: str, personas: dict[str, Any], lang: str, tiers: str, expected: str
) -> None:
    client = _client(lang, personas["admin_sun"])
    response = client.post("/campaigns/new/", {**CAMPAIGN_FORM, "tiers": tiers})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert f'data-error-for="tiers">{expected}' in page
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "region 没有代码「nowhere」（可用：east, central, west, northeast, hmt）"),
        ("en", "unknown code 'nowhere' for region (known: east, central, west, "
               "northeast, hmt)"),
    ],
)  # fmt: skip
def test_a_bad_filter_value_is_named_in_the_page_language_and_in_english_json(
    sample_db: int, lang: str, expected: str
) -> None:
    client = _client(lang)
    for path in ("/cases/", "/dashboard/"):
        response = client.get(path, {"region": "nowhere"})
        assert response.status_code == 400
        assert expected in _text(response)
        twin = client.get(path, {"region": "nowhere", "format": "json"})
        assert twin.status_code == 400
        assert twin.json()["error"].startswith("unknown code 'nowhere' for region")
    years = client.get("/cases/", {"year": "去年"})
    assert ("年份必须是数字，如 2023" if lang == "zh" else "year must be a number") in (
        _text(years)
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "codebook.yaml，第 3 行：维度「focus」：cardinality 只能是 single 或 "
               "multi，不能是「many」"),
        ("en", "codebook.yaml, line 3: dimension 'focus': cardinality must be single "
               "or multi, not 'many'"),
    ],
)  # fmt: skip
def test_a_bad_codebook_file_is_named_by_file_and_line_in_the_page_language(
    backend: str, personas: dict[str, Any], lang: str, expected: str
) -> None:
    bad = b"name: mine\ndimensions:\n  - key: focus\n    cardinality: many\n"
    response = _client(lang, personas["admin_sun"]).post(
        "/codebook/import/",
        {"file": SimpleUploadedFile("codebook.yaml", bad)},
        follow=True,
    )
    assert expected in _text(response)
    assert CodebookVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "维度「focus」是 innovation_type 的规则来源，请先停用后者"),
        (
            "en",
            "dimension 'focus' feeds the rule of innovation_type; retire that first",
        ),
    ],
)
def test_a_refused_codebook_edit_says_why_in_the_page_language(
    sample_db: int, personas: dict[str, Any], lang: str, expected: str
) -> None:
    response = _client(lang, personas["admin_sun"]).post(
        "/codebook/dimension/", {"mode": "retire", "key": "focus"}, follow=True
    )
    assert expected in _text(response)
    assert CodebookVersion.objects.count() == 1
