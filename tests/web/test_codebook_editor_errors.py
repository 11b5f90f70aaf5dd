"""A refused codebook edit says why next to the field and keeps what was typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from client_support import signed_in
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from libinnov.web.codebook.models import CodebookVersion

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _admin(personas: dict[str, Any], lang: str = "zh-hans") -> Client:
    return signed_in(personas["admin_sun"], lang)


def _form(html: str, form_id: str) -> str:
    return html.split(f'id="{form_id}"')[1].split("</form>")[0]


def _field(form: str, name: str) -> str:
    """The ``<p class="field">`` of one field, its input and its error."""
    return form.split(f'data-field="{name}"')[1].split("</p>")[0]


def test_a_bad_code_key_is_named_at_its_field_and_the_labels_stay(
    backend: str, personas: dict[str, Any]
) -> None:
    response = _admin(personas).post(
        "/codebook/code/",
        {"dimension": "technology", "key": "Block Chain", "label_zh": "区块链",
         "label_en": "Blockchain", "indicators": "区块链；分布式账本"},
    )  # fmt: skip
    assert response.status_code == 400
    form = _form(response.content.decode(), "code-editor")
    key = _field(form, "key")
    assert 'data-error-for="key"' in key and "小写英文字母" in key
    assert 'value="Block Chain"' in key and "autofocus" in key
    assert 'value="区块链"' in _field(form, "label_zh")
    assert 'value="Blockchain"' in _field(form, "label_en")
    assert 'value="区块链；分布式账本"' in _field(form, "indicators")
    assert '<option value="technology" selected>' in _field(form, "dimension")
    assert CodebookVersion.objects.count() == 1


def test_a_link_the_codebook_refuses_is_named_at_the_link(
    backend: str, personas: dict[str, Any]
) -> None:
    response = _admin(personas, "en").post(
        "/codebook/code/",
        {"dimension": "innovation_type", "key": "mixed", "label_zh": "混合",
         "label_en": "Mixed", "follows": "focus"},
    )  # fmt: skip
    assert response.status_code == 400
    follows = _field(_form(response.content.decode(), "code-editor"), "follows")
    assert 'data-error-for="follows"' in follows and "multi dimension" in follows
    assert CodebookVersion.objects.count() == 1


def test_a_taken_dimension_key_is_named_at_the_key(
    backend: str, personas: dict[str, Any]
) -> None:
    response = _admin(personas).post(
        "/codebook/dimension/",
        {"mode": "add", "key": "focus", "label_zh": "重复", "label_en": "dup",
         "cardinality": "single", "first_code": "x"},
    )  # fmt: skip
    assert response.status_code == 400
    form = _form(response.content.decode(), "dimension-editor")
    assert "维度「focus」定义了两次" in _field(form, "key")  # the page's language
    assert 'value="重复"' in _field(form, "label_zh")
    assert '<option value="single" selected>' in _field(form, "cardinality")
    missing = _admin(personas).post(
        "/codebook/dimension/",
        {"mode": "add", "key": "funding", "label_zh": "经费", "label_en": "Funding",
         "cardinality": "multi"},
    )  # fmt: skip
    first = _field(_form(missing.content.decode(), "dimension-editor"), "first_code")
    assert 'data-error-for="first_code"' in first
    assert CodebookVersion.objects.count() == 1


def test_a_dimension_that_cannot_retire_says_so_beside_its_button(
    backend: str, personas: dict[str, Any]
) -> None:
    response = _admin(personas).post(
        "/codebook/dimension/", {"mode": "retire", "key": "focus"}
    )
    assert response.status_code == 400
    section = response.content.decode().split('id="dim-focus"')[1].split("</h2>")[1]
    section = section.split('<table class="grid">')[0]
    assert re.search(r'data-retire="focus"[^>]*autofocus', section)
    assert 'data-error-for="retire"' in section and "innovation_type" in section


def test_a_refused_codebook_file_is_named_at_the_file_field(
    backend: str, personas: dict[str, Any]
) -> None:
    upload = SimpleUploadedFile("codebook.yaml", b"dimensions: 3\n")
    response = _admin(personas).post("/codebook/import/", {"file": upload})
    assert response.status_code == 400
    field = _field(_form(response.content.decode(), "codebook-import"), "file")
    assert 'data-error-for="file"' in field and "codebook.yaml" in field
    assert "autofocus" in field
