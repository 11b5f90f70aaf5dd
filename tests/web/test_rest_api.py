"""The REST API: reads for everyone, token-authenticated writes, an OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.test import Client
from rest_framework.authtoken.models import Token

from libinnov.web.cases.models import Case

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _token_client(user: Any) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_the_schema_documents_cases_search_and_analysis(backend: str) -> None:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = set(schema["paths"])
    for expected in (
        "/api/cases/",
        "/api/cases/{id}/",
        "/api/search/",
        "/api/analysis/",
        "/api/codebook/",
        "/api/changes/",
        "/api/cases/{case_id}/codes/",
    ):
        assert expected in paths


def test_cases_are_listed_with_the_library_filters(sample_db: int) -> None:
    data = Client().get("/api/cases/", {"focus": "heritage"}).json()
    expected = Case.objects.filter(
        code_rows__dimension="focus", code_rows__code="heritage"
    )
    assert data["count"] == expected.count() > 0


def test_search_ranks_and_highlights(sample_db: int) -> None:
    data = Client().get("/api/search/", {"q": "古籍"}).json()
    assert data["count"] > 0
    assert "<mark>古籍</mark>" in data["results"][0]["snippet"]


def test_writes_need_a_token_with_the_right_role(
    sample_db: int, personas: dict[str, Any]
) -> None:
    record = {
        "title": "城市书房夜读",
        "library": "杭州图书馆",
        "summary": "夜间开放的城市书房。",
    }
    assert Client().post(
        "/api/cases/", record, content_type="application/json"
    ).status_code in (401, 403)
    coder = _token_client(personas["coder_li"])
    assert (
        coder.post("/api/cases/", record, content_type="application/json").status_code
        == 403
    )
    admin = _token_client(personas["admin_sun"])
    response = admin.post("/api/cases/", record, content_type="application/json")
    assert response.status_code == 201, response.content
    created = Case.objects.get(pk=response.json()["id"])
    assert created.title == "城市书房夜读"


def test_patch_changes_only_the_fields_sent(
    sample_db: int, personas: dict[str, Any]
) -> None:
    admin = _token_client(personas["admin_sun"])
    before = Case.objects.get(pk="A-001")
    response = admin.patch(
        "/api/cases/A-001/",
        {"title": "古籍保护中心（修订）", "focus": ["heritage", "reading"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    after = Case.objects.get(pk="A-001")
    assert after.title == "古籍保护中心（修订）"
    assert after.codes["focus"] == ["heritage", "reading"]
    assert after.summary == before.summary
    assert after.library == before.library
    assert after.codes["strategy"] == before.codes["strategy"]
    assert after.published == before.published
    bad = admin.patch(
        "/api/cases/A-001/", {"focus": "nonsense"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert Case.objects.get(pk="A-001").codes == after.codes


def test_an_invalid_record_is_a_400_with_the_reason(
    sample_db: int, personas: dict[str, Any]
) -> None:
    admin = _token_client(personas["admin_sun"])
    response = admin.post(
        "/api/cases/",
        {"title": "x", "focus": "nonsense"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "nonsense" in response.json()["error"]


def test_a_coder_sets_codes_through_the_api_and_it_is_logged(
    sample_db: int, personas: dict[str, Any]
) -> None:
    coder = _token_client(personas["coder_li"])
    response = coder.post(
        "/api/cases/A-001/codes/",
        {"focus": ["heritage", "space"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["codes"]["focus"] == ["heritage", "space"]
    bad = coder.post(
        "/api/cases/A-001/codes/", {"focus": ["nope"]}, content_type="application/json"
    )
    assert bad.status_code == 400
    changes = Client().get("/api/changes/", {"case": "A-001"}).json()
    assert any(
        c["coder"] == f"user:{personas['coder_li'].pk}" for c in changes["results"]
    )


def test_analysis_counts_cases_per_code(sample_db: int) -> None:
    data = Client().get("/api/analysis/", {"region": "west"}).json()
    n = data["n_cases"]
    assert (
        n
        == Client().get("/cases/", {"region": "west", "format": "json"}).json()["count"]
    )
    assert data["dimensions"]["region"]["counts"]["west"] == n
    assert sum(data["provinces"].values()) == n


def test_a_list_instead_of_a_record_is_a_400(
    sample_db: int, personas: dict[str, Any]
) -> None:
    admin = _token_client(personas["admin_sun"])
    for url in ("/api/cases/", "/api/cases/A-001/codes/"):
        response = admin.post(url, ["x"], content_type="application/json")
        assert response.status_code == 400
