"""Simplified Chinese by default, English on request; labels from the codebook."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

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


def test_the_compiled_catalogue_matches_its_source() -> None:
    source = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = _ENTRY.findall(source)
    assert len(entries) > 50
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in entries:
        assert msgstr, f"untranslated: {msgid}"
        assert compiled.gettext(msgid) == msgstr
