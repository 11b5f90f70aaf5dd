"""Every page has an icon, and /favicon.ico (asked for by browsers) finds it."""

from __future__ import annotations

from importlib import resources

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def test_pages_link_the_icon_and_favicon_ico_leads_to_it(backend: str) -> None:
    client = Client()
    html = client.get("/cases/").content.decode()
    assert '<link rel="icon" href="/static/libinnov/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/libinnov/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)


def test_the_icon_ships_in_the_package() -> None:
    icon = resources.files("libinnov.web") / "static" / "libinnov" / "favicon.svg"
    assert icon.read_text("utf-8").startswith("<svg")
