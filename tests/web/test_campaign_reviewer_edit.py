"""Correcting a reviewer's name and e-mail address (their account's), institution
and province: a valid address no other reviewer of the call has, or nothing
changes."""

from __future__ import annotations

from typing import Any

import pytest
from campaign_support import (
    LOCMEM,
    add_reviewer,
    add_submission,
    messages_of,
    new_campaign,
    organiser,
)
from django.test import Client

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture
def panel(personas: dict[str, Any], user_factory: Any) -> dict[str, Any]:
    campaign = new_campaign(reviewers_per_entry=1)
    wang = user_factory("reviewer_wang", None)
    wang.email = "wang@old.example.org"
    wang.save()
    li = user_factory("reviewer_li", None)
    li.email = "li@lib.example.org"
    li.save()
    return {
        "campaign": campaign,
        "wang": add_reviewer(campaign, wang, "国家图书馆", "北京"),
        "li": add_reviewer(campaign, li, "上海图书馆"),
        "client": organiser(personas["admin_sun"]),
    }


def _path(panel: dict[str, Any], who: str = "wang") -> str:
    return f"/campaigns/{panel['campaign'].slug}/reviewers/{panel[who].pk}/edit/"


def _form(**changes: str) -> dict[str, str]:
    data = {
        "name": "王建国",
        "email": "wang@nlc.example.org",
        "institution": "国家图书馆",
        "province": "北京市",
    }
    data.update(changes)
    return data


def test_the_organiser_corrects_a_reviewers_name_and_address(
    backend: str, panel: dict[str, Any], settings: Any, mailoutbox: list[Any]
) -> None:
    client, campaign = panel["client"], panel["campaign"]
    listing = client.get(f"/campaigns/{campaign.slug}/reviewers/").content.decode()
    assert f'href="{_path(panel)}"' in listing
    form = client.get(_path(panel)).content.decode()
    assert 'value="wang@old.example.org"' in form and "reviewer_wang" in form
    response = client.post(
        _path(panel), _form(institution="中国国家图书馆"), follow=True
    )
    assert "王建国 的信息已保存" in " ".join(messages_of(response))
    user = panel["wang"].user
    user.refresh_from_db()
    assert (user.get_full_name(), user.email) == ("王建国", "wang@nlc.example.org")
    panel["wang"].refresh_from_db()
    assert (panel["wang"].institution, panel["wang"].province) == (
        "中国国家图书馆",
        "北京",
    )
    row = response.content.decode().split('data-user="reviewer_wang"')[1]
    assert "王建国" in row and "wang@nlc.example.org" in row
    # the notices follow the new address
    settings.EMAIL_BACKEND = LOCMEM
    add_submission(campaign, "城市书房夜读", "温州市图书馆")
    add_submission(campaign, "古籍修复体验", "南京图书馆")
    client.post(f"/campaigns/{campaign.slug}/assign/")
    assert "wang@nlc.example.org" in {m.to[0] for m in mailoutbox}
    assert "wang@old.example.org" not in {m.to[0] for m in mailoutbox}


def test_an_empty_address_means_no_notices(backend: str, panel: dict[str, Any]) -> None:
    response = panel["client"].post(_path(panel), _form(email=""), follow=True)
    assert response.redirect_chain
    row = response.content.decode().split('data-user="reviewer_wang"')[1]
    assert "无（不发送通知）" in row


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("wang at nlc", "请输入合法的邮件地址"),
        ("LI@lib.example.org", "已有另一位评审专家使用邮箱"),
    ],
)
def test_a_bad_or_taken_address_is_refused_and_nothing_changes(
    backend: str, panel: dict[str, Any], email: str, error: str
) -> None:
    response = panel["client"].post(_path(panel), _form(email=email))
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html and 'data-error-for="email"' in html
    assert "未保存任何内容" in html
    user = panel["wang"].user
    user.refresh_from_db()
    assert (user.email, user.get_full_name()) == ("wang@old.example.org", "")
    panel["wang"].refresh_from_db()
    assert panel["wang"].institution == "国家图书馆"


def test_an_address_used_in_another_call_is_fine(
    backend: str, panel: dict[str, Any], user_factory: Any
) -> None:
    other = new_campaign("other-call")
    zhou = user_factory("reviewer_zhou", None)
    zhou.email = "shared@example.org"
    zhou.save()
    add_reviewer(other, zhou)
    response = panel["client"].post(_path(panel), _form(email="shared@example.org"))
    assert response.status_code == 302
    panel["wang"].user.refresh_from_db()
    assert panel["wang"].user.email == "shared@example.org"


def test_in_english_the_form_and_its_errors_read_in_english(
    backend: str, panel: dict[str, Any]
) -> None:
    client = panel["client"]
    client.get("/lang/en/")
    assert "Edit a reviewer" in client.get(_path(panel)).content.decode()
    html = client.post(_path(panel), _form(email="li@lib.example.org")).content
    assert "Another reviewer of this call has the address" in html.decode()


def test_a_removed_reviewer_or_one_of_another_call_is_not_found(
    backend: str, panel: dict[str, Any]
) -> None:
    client = panel["client"]
    client.post(
        f"/campaigns/{panel['campaign'].slug}/reviewers/{panel['li'].pk}/remove/"
    )
    assert client.get(_path(panel, "li")).status_code == 404
    new_campaign("other-call")
    foreign = f"/campaigns/other-call/reviewers/{panel['wang'].pk}/edit/"
    assert client.get(foreign).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("reviewer", 403), ("stranger", 403)]
)
def test_only_organisers_edit_reviewers(
    panel: dict[str, Any], personas: dict[str, Any], who: str, status: int
) -> None:
    client = Client()
    if who == "reviewer":
        client.force_login(panel["wang"].user)
    elif who == "stranger":
        client.force_login(personas["coder_li"])
    assert client.get(_path(panel)).status_code == status
    assert client.post(_path(panel), _form()).status_code == status
    user = panel["wang"].user
    user.refresh_from_db()
    assert user.email == "wang@old.example.org"
