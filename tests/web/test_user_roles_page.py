"""Admins change a person's role without touching their password."""

from __future__ import annotations

from typing import Any

import pytest
from client_support import signed_in
from django.contrib.auth import get_user_model
from django.test import Client

from libinnov.web.accounts.roles import user_role

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _admin(personas: dict[str, Any], lang: str = "zh-hans") -> Client:
    return signed_in(personas["admin_sun"], lang)


def _account(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_a_role_changes_and_the_password_stays(personas: dict[str, Any]) -> None:
    admin = _admin(personas)
    page = admin.get("/accounts/users/").content.decode()
    row = page.split('data-user="coder_li"')[1].split("</tr>")[0]
    assert '<option value="coder" selected>' in row  # each row offers its role
    response = admin.post(
        "/accounts/users/", {"username": "coder_li", "role": "adjudicator"}
    )
    assert response.status_code == 302
    li = _account("coder_li")
    assert user_role(li) == "adjudicator"
    assert Client().login(username="coder_li", password="pw")


def test_a_blank_password_keeps_it_and_a_new_one_replaces_it(
    personas: dict[str, Any],
) -> None:
    admin = _admin(personas)
    admin.post(
        "/accounts/users/",
        {"username": "viewer_zhao", "role": "coder", "password": ""},
    )
    assert Client().login(username="viewer_zhao", password="pw")
    admin.post(
        "/accounts/users/",
        {"username": "viewer_zhao", "role": "coder", "password": "a-new-secret"},
    )
    assert not Client().login(username="viewer_zhao", password="pw")
    assert Client().login(username="viewer_zhao", password="a-new-secret")


def test_a_new_user_still_needs_a_password(personas: dict[str, Any]) -> None:
    admin = _admin(personas)
    response = admin.post("/accounts/users/", {"username": "wang", "role": "coder"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error-for="password">新用户必须设置密码。' in html
    assert 'value="wang"' in html  # what was typed stays
    assert not get_user_model().objects.filter(username="wang").exists()
    short = _admin(personas, "en").post(
        "/accounts/users/", {"username": "wang", "role": "coder", "password": "short"}
    )
    assert short.status_code == 400
    assert 'data-error-for="password">Ensure this value has at least 8' in (
        short.content.decode()
    )
    assert not get_user_model().objects.filter(username="wang").exists()
