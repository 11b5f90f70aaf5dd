"""Codebook edits are validated, versioned, and reach the facets without code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from libinnov.web.codebook.models import CodebookVersion
from libinnov.web.codebook.selectors import current_codebook

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _admin(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["admin_sun"])
    return client


def test_adding_a_code_creates_a_version_and_a_facet(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _admin(personas)
    before = current_codebook().version
    client.post(
        "/codebook/code/",
        {
            "dimension": "technology",
            "key": "blockchain",
            "label_zh": "区块链",
            "label_en": "Blockchain",
            "indicators": "区块链；分布式账本",
        },
    )
    codebook = current_codebook()
    assert codebook.version != before
    code = codebook.dimension("technology").code("blockchain")
    assert code.indicators == ("区块链", "分布式账本")
    assert CodebookVersion.objects.count() == 2
    assert "区块链" in client.get("/codebook/").content.decode()


def test_retiring_a_code_keeps_old_cases_readable(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _admin(personas)
    client.post(
        "/codebook/code/",
        {"dimension": "focus", "key": "heritage", "label_zh": "文化传承",
         "label_en": "Cultural heritage", "retired": "1"},
    )  # fmt: skip
    dim = current_codebook().dimension("focus")
    assert "heritage" not in dim.code_keys
    assert dim.code("heritage").retired
    page = Client().get("/cases/A-001/").content.decode()
    assert "文化传承" in page


def test_a_new_dimension_appears_as_a_facet(
    sample_db: int, personas: dict[str, Any]
) -> None:
    _admin(personas).post(
        "/codebook/dimension/",
        {"mode": "add", "key": "funding", "label_zh": "经费来源",
         "label_en": "Funding", "cardinality": "multi", "first_code": "gov"},
    )  # fmt: skip
    assert "funding" in current_codebook()
    html = Client().get("/cases/").content.decode()
    assert 'data-facet="funding"' in html


def test_retiring_a_dimension_hides_it_but_keeps_its_values(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _admin(personas)
    client.post("/codebook/dimension/", {"mode": "retire", "key": "audience"})
    codebook = current_codebook()
    assert codebook.dimension("audience").retired
    assert "audience" not in [d.key for d in codebook.coded_dimensions]
    assert 'data-facet="audience"' not in Client().get("/cases/").content.decode()
    record = Client().get("/cases/A-001/", {"format": "json"}).json()
    assert record["audience"]
    page = Client().get("/cases/A-001/").content.decode()
    assert "服务对象" in page or "audience" in page
    client.post("/codebook/dimension/", {"mode": "reinstate", "key": "audience"})
    assert not current_codebook().dimension("audience").retired
    assert 'data-facet="audience"' in Client().get("/cases/").content.decode()


def test_a_dimension_a_rule_is_built_on_cannot_be_retired(
    sample_db: int, personas: dict[str, Any]
) -> None:
    before = CodebookVersion.objects.count()
    response = _admin(personas).post(
        "/codebook/dimension/", {"mode": "retire", "key": "focus"}, follow=True
    )
    assert "innovation_type" in response.content.decode()
    assert CodebookVersion.objects.count() == before
    assert not current_codebook().dimension("focus").retired


def test_an_invalid_edit_is_refused_and_nothing_changes(
    sample_db: int, personas: dict[str, Any]
) -> None:
    response = _admin(personas).post(
        "/codebook/dimension/",
        {"mode": "add", "key": "focus", "label_zh": "重复", "label_en": "dup",
         "cardinality": "multi", "first_code": "x"},
        follow=True,
    )  # fmt: skip
    assert "维度「focus」定义了两次" in response.content.decode()
    assert CodebookVersion.objects.count() == 1


def test_a_coder_cannot_edit_the_codebook(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["coder_li"])
    response = client.post(
        "/codebook/code/",
        {"dimension": "focus", "key": "x", "label_zh": "x", "label_en": "x"},
    )
    assert response.status_code == 403


def test_the_codebook_exports_as_yaml_and_json(backend: str) -> None:
    import yaml

    response = Client().get("/codebook/export/", {"fmt": "yaml"})
    data = yaml.safe_load(b"".join(response.streaming_content))
    keys = [d["key"] for d in data["dimensions"]]
    assert keys == list(current_codebook().keys)
    twin = Client().get("/codebook/", {"format": "json"}).json()
    assert [d["key"] for d in twin["dimensions"]] == keys


def test_an_imported_codebook_is_previewed_then_saved(
    backend: str, personas: dict[str, Any], tmp_path: Any
) -> None:
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    from libinnov.codebook import codebook_to_dict

    data = codebook_to_dict(current_codebook())
    focus = next(d for d in data["dimensions"] if d["key"] == "focus")
    focus["codes"].append(
        {"key": "green", "label_zh": "绿色图书馆", "label_en": "Green"}
    )
    text = yaml.safe_dump(data, allow_unicode=True).encode()
    client = _admin(personas)
    preview = client.post(
        "/codebook/import/", {"file": SimpleUploadedFile("cb.yaml", text)}
    )
    assert "focus.green" in preview.content.decode()
    assert "green" not in current_codebook().dimension("focus").code_keys
    client.post("/codebook/import/", {"confirm": "1"})
    assert "green" in current_codebook().dimension("focus").code_keys


def test_an_invalid_codebook_file_changes_nothing(
    backend: str, personas: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = b"dimensions:\n  - key: Focus\n    cardinality: many\n"
    response = _admin(personas).post(
        "/codebook/import/", {"file": SimpleUploadedFile("bad.yaml", bad)}, follow=True
    )
    html = response.content.decode()
    assert "bad.yaml，第 2 行：维度键「Focus」只能包含小写英文字母" in html
    assert CodebookVersion.objects.count() == 1


def test_the_codebook_page_says_which_code_follows_a_dimension(
    backend: str, personas: dict[str, Any]
) -> None:
    html = Client().get("/codebook/").content.decode()
    assert "该维度有编码时即赋此码：" in html and "应用技术" in html
    client = _admin(personas)
    client.post(  # a label edit keeps the link
        "/codebook/code/",
        {
            "dimension": "strategy",
            "key": "technology",
            "label_zh": "借助先进技术",
            "label_en": "Advanced technology",
        },
    )
    code = current_codebook().dimension("strategy").code("technology")
    assert code.label_en == "Advanced technology" and code.follows == "technology"


def test_an_admin_links_and_unlinks_a_code_to_a_dimension(
    backend: str, personas: dict[str, Any]
) -> None:
    client = _admin(personas)
    form = {"dimension": "focus", "key": "digital", "label_zh": "数字与智慧服务",
            "label_en": "Digital and smart services"}  # fmt: skip
    client.post("/codebook/code/", {**form, "follows": "technology"})
    assert current_codebook().dimension("focus").code("digital").follows == "technology"
    assert CodebookVersion.objects.count() == 2
    client.post("/codebook/code/", {**form, "follows": "-"})
    assert current_codebook().dimension("focus").code("digital").follows is None
    # a single dimension cannot be followed: refused, nothing saved
    response = client.post(
        "/codebook/code/", {**form, "follows": "innovation_type"}, follow=True
    )
    assert current_codebook().dimension("focus").code("digital").follows is None
    assert CodebookVersion.objects.count() == 3
    assert "innovation_type" in response.content.decode()
