"""Simplified Chinese by default, English on request; labels from the codebook."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.test import Client

import libinnov.web

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])
CATALOGUE = Path(libinnov.web.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
_ENTRY = re.compile(r'^msgid "(.+)"\nmsgstr "(.*)"$', re.MULTILINE)


def test_pages_are_in_simplified_chinese_by_default(sample_db: int) -> None:
    html = Client().get("/cases/A-001/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "相似案例" in html and "文化传承" in html


def test_visitors_can_switch_to_english(sample_db: int) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    html = client.get("/cases/A-001/").content.decode()
    assert '<html lang="en">' in html
    assert "Similar cases" in html and "Cultural heritage" in html
    assert "相似案例" not in html


def test_the_header_link_switches_language_and_returns_to_the_page(
    sample_db: int,
) -> None:
    client = Client()
    html = client.get("/cases/?q=古籍").content.decode()
    assert 'href="/lang/en/?next=/cases/%3Fq%3D' in html
    assert "csrfmiddlewaretoken" not in html  # so the page can be shared (cached)
    response = client.get("/lang/en/", {"next": "/cases/?q=古籍"})
    assert response.status_code == 302
    assert unquote(response["Location"]) == "/cases/?q=古籍"
    assert '<html lang="en">' in client.get("/cases/").content.decode()
    assert 'href="/lang/zh-hans/?next=' in client.get("/cases/").content.decode()


def test_the_language_link_goes_nowhere_else_and_knows_its_languages() -> None:
    client = Client()
    response = client.get("/lang/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    stranger = Client()
    assert stranger.get("/lang/xx/").status_code == 404
    assert "django_language" not in stranger.cookies


def test_the_compiled_catalogue_matches_its_source() -> None:
    source = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = _ENTRY.findall(source)
    assert len(entries) > 50
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in entries:
        assert msgstr, f"untranslated: {msgid}"
        assert compiled.gettext(msgid) == msgstr
