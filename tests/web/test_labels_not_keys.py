"""People read labels in their language, never the keys the code stores: roles,
change-log actions and a dimension's cardinality are translated, forms name their
fields, and English lists and counts read as English."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import add_reviewer, add_submission, new_campaign
from django.test import Client

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _signed_in(user: Any, lang: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.get(f"/lang/{lang}/")
    return client


def test_roles_read_as_words_in_the_header_and_on_the_users_page(
    personas: dict[str, Any],
) -> None:
    coder = _signed_in(personas["coder_li"]).get("/cases/").content.decode()
    assert "coder_li (编码者)" in coder
    english = _signed_in(personas["coder_li"], "en").get("/cases/").content.decode()
    assert "coder_li (Coder)" in english
    users = _signed_in(personas["admin_sun"]).get("/accounts/users/").content.decode()
    assert '<option value="adjudicator">裁定者</option>' in users
    assert "<td>admin_sun</td><td>管理员</td>" in users
    assert "<td>viewer</td>" not in users
    assert "留空则保留已有用户的密码" in users


def test_the_change_log_names_actions_and_explains_the_tick(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _signed_in(personas["coder_li"])
    html = client.get("/coding/log/").content.decode()
    assert "<td>导入 <span" in html and "<td>import <span" not in html
    assert "✓ 表示该变更设定了案例的最终编码" in html


def test_the_codebook_names_cardinality_and_labels_its_editor(
    backend: str, personas: dict[str, Any]
) -> None:
    html = _signed_in(personas["admin_sun"]).get("/codebook/").content.decode()
    assert "<small>单选 · 推导" in html and "<small>多选" in html
    assert "<small>single" not in html and "<option>multi</option>" not in html
    assert '<option value="region">地区 (region)</option>' in html
    assert 'placeholder="key"' not in html
    # retiring is reversible: not the loudest button on the page
    assert 'data-retire="focus" class="secondary"' in html


def test_the_import_page_says_which_columns_it_reads(
    backend: str, personas: dict[str, Any]
) -> None:
    html = _signed_in(personas["admin_sun"]).get("/cases/import/").content.decode()
    assert '<label for="import-file">案例文件</label>' in html
    assert 'aria-describedby="import-help"' in html
    assert "标题/title" in html and "只有标题或简介必填" in html


def test_english_joins_several_codes_with_commas(sample_db: int, codebook: Any) -> None:
    strategy = codebook.dimension("strategy")
    keys = ("national_needs", "resources")  # two of A-001's strategies, in order
    english = [strategy.code(k).label("en") for k in keys]
    client = Client()
    client.get("/lang/en/")
    html = client.get("/cases/A-001/").content.decode()
    assert ", ".join(english) in html and "、".join(english) not in html
    chinese = Client().get("/cases/A-001/").content.decode()
    assert "、".join(strategy.code(k).label("zh") for k in keys) in chinese


def test_english_counts_are_singular_for_one(personas: dict[str, Any]) -> None:
    campaign = new_campaign(reviewers_per_entry=1)
    add_submission(campaign, "城市书房夜读计划", "温州市图书馆")
    add_reviewer(campaign, personas["viewer_zhao"])
    client = _signed_in(personas["admin_sun"], "en")
    listing = client.get("/campaigns/").content.decode()
    assert "1 submission" in listing and "1 submissions" not in listing
    manage = client.get(f"/campaigns/{campaign.slug}/manage/").content.decode()
    assert "1 submission · 1 reviewer · 0 reviews done" in manage
    chinese = _signed_in(personas["admin_sun"]).get(
        f"/campaigns/{campaign.slug}/manage/"
    )
    assert "1 件投稿 · 1 位评审专家 · 已完成评审 0 份" in chinese.content.decode()


def test_a_submission_without_reviews_has_no_spread(
    personas: dict[str, Any],
) -> None:
    campaign = new_campaign()
    add_submission(campaign, "城市书房夜读计划", "温州市图书馆")
    client = _signed_in(personas["admin_sun"])
    standings = client.get(f"/campaigns/{campaign.slug}/standings/").content.decode()
    # no review: no spread either, as for the scores
    assert '<td class="num">0</td><td class="num">—</td>' in standings


def test_the_automatic_coder_counts_one_uncoded_case_in_the_singular(
    personas: dict[str, Any],
) -> None:
    import dataclasses

    from libinnov.cases import load_sample
    from libinnov.web.cases.services import cases_import
    from libinnov.web.codebook.selectors import current_codebook, current_version

    uncoded = dataclasses.replace(load_sample()[0], id="U-1", codes={})
    cases_import(
        [uncoded],
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    english = _signed_in(personas["adjudicator_chen"], "en").get("/coding/model/")
    text = english.content.decode()
    assert "1 case lacks a code on at least one coded dimension." in text
    assert "1 cases" not in text
    chinese = _signed_in(personas["adjudicator_chen"]).get("/coding/model/")
    assert "有 1 个案例至少在一个编码维度上尚无编码。" in chinese.content.decode()
