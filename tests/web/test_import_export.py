"""Case import (preview, then all or nothing) and export of a filtered set."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from libinnov.web.cases.models import Case
from libinnov.web.coding.models import CodeChange

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

GOOD = [
    {
        "id": "X-1",
        "title": "城市书房夜读",
        "library": "杭州图书馆",
        "focus": "阅读推广",
    },
    {
        "id": "X-2",
        "title": "古籍修复体验课",
        "library": "浙江图书馆",
        "focus": "heritage",
    },
]


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def _admin(personas: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(personas["admin_sun"])
    return client


def test_an_import_is_previewed_before_anything_is_saved(
    backend: str, personas: dict[str, Any]
) -> None:
    client = _admin(personas)
    upload = SimpleUploadedFile("new.jsonl", _jsonl(GOOD))
    preview = client.post("/cases/import/", {"file": upload, "published": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "城市书房夜读" in html and "古籍修复体验课" in html
    assert Case.objects.count() == 0
    token = preview.context["token"]
    done = client.post(
        "/cases/import/", {"token": token, "published": "1"}, follow=True
    )
    assert done.redirect_chain and done.redirect_chain[0][1] == 302
    assert "已导入 2 个案例。" in done.content.decode()
    assert set(Case.objects.values_list("id", flat=True)) == {"X-1", "X-2"}
    assert Case.objects.get(pk="X-1").codes["focus"] == ["reading"]  # label → key
    assert CodeChange.objects.filter(case_id="X-1", action="import").exists()


def test_one_bad_row_rejects_the_whole_file_with_its_location(
    backend: str, personas: dict[str, Any]
) -> None:
    client = _admin(personas)
    bad = [*GOOD, {"id": "X-3", "title": "t", "focus": "没有这个代码"}]
    response = client.post(
        "/cases/import/", {"file": SimpleUploadedFile("bad.jsonl", _jsonl(bad))}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "bad.jsonl，第 3 行，字段「focus」：focus 没有代码「没有这个代码」" in html
    assert Case.objects.count() == 0


def test_only_admins_import(backend: str, personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["coder_li"])
    assert client.get("/cases/import/").status_code == 403


def test_the_filtered_set_exports_as_jsonl(sample_db: int) -> None:
    response = Client().get("/cases/export/", {"focus": "heritage", "fmt": "jsonl"})
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    records = [json.loads(line) for line in lines]
    expected = Client().get("/cases/", {"focus": "heritage", "format": "json"}).json()
    assert len(records) == expected["count"] > 0
    assert all("heritage" in r["focus"] for r in records)


def test_the_filtered_set_exports_as_csv_and_xlsx_that_read_back(
    sample_db: int, tmp_path: Any
) -> None:
    from libinnov.cases import read_cases

    expected = Client().get("/cases/", {"region": "west", "format": "json"}).json()
    for fmt in ("csv", "xlsx"):
        response = Client().get("/cases/export/", {"region": "west", "fmt": fmt})
        assert response.status_code == 200, response.content
        path = tmp_path / f"west.{fmt}"
        path.write_bytes(b"".join(response.streaming_content))
        cases = read_cases(path)
        assert len(cases) == expected["count"] > 0
        assert {c.codes.get("region") for c in cases} == {"west"}


def test_an_xlsx_file_imports_through_the_preview(
    backend: str, personas: dict[str, Any], tmp_path: Any
) -> None:
    from libinnov.cases import Case as CoreCase
    from libinnov.cases import write_cases

    path = tmp_path / "new.xlsx"
    write_cases(
        [CoreCase(id="X-9", title="少儿绘本共读", library="深圳少年儿童图书馆")], path
    )
    client = _admin(personas)
    upload = SimpleUploadedFile("new.xlsx", path.read_bytes())
    preview = client.post("/cases/import/", {"file": upload})
    assert preview.status_code == 200 and "少儿绘本共读" in preview.content.decode()
    client.post("/cases/import/", {"token": preview.context["token"]})
    assert Case.objects.get(pk="X-9").library == "深圳少年儿童图书馆"


def test_the_codebook_exports_as_xlsx_and_qdc(backend: str, tmp_path: Any) -> None:
    from libinnov.codebook import load_codebook
    from libinnov.web.codebook.selectors import current_codebook

    for fmt in ("xlsx", "qdc"):
        response = Client().get("/codebook/export/", {"fmt": fmt})
        assert response.status_code == 200
        path = tmp_path / f"codebook.{fmt}"
        path.write_bytes(b"".join(response.streaming_content))
        assert load_codebook(path).keys == current_codebook().keys
