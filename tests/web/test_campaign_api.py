"""Campaigns in the REST API: the public calls, standings for organisers only,
the ``campaign`` filter on the case endpoints, and a schema that still validates."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from campaign_support import add_reviewer, add_submission, new_campaign, score
from django.test import Client
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from libinnov.campaigns.scoring import rank_entries
from libinnov.web.campaigns import selectors
from libinnov.web.campaigns.models import Campaign, ReviewAssignment
from libinnov.web.campaigns.services import campaign_publish
from libinnov.web.codebook.selectors import current_codebook, current_version

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

SLUG = "reading-2026"


def _token_client(user: Any) -> Client:
    token = Token.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def reviewed(personas: dict[str, Any], user_factory: Any) -> Campaign:
    """Three entries scored by one reviewer each, the best two published; a
    fourth not reviewed yet."""
    campaign = new_campaign(SLUG, reviewers_per_entry=1, shortlist_size=2)
    reviewer = add_reviewer(campaign, user_factory("reviewer_wang", None), "国家图书馆")
    plan = [
        ("城市书房夜读计划", "温州市图书馆", 9),
        ("亲子绘本共读营", "杭州图书馆", 7),
        ("古籍修复体验课", "南京图书馆", 5),
    ]
    for title, library, value in plan:
        submission = add_submission(campaign, title, library)
        score(
            ReviewAssignment.objects.create(submission=submission, reviewer=reviewer),
            value,
        )
    add_submission(campaign, "尚未评审的案例", "成都图书馆")
    campaign.submissions.filter(
        title__in=["城市书房夜读计划", "亲子绘本共读营"]
    ).update(status="shortlisted")
    campaign_publish(
        campaign=campaign,
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    return campaign


def test_anyone_lists_the_public_calls_with_their_counts(
    reviewed: Campaign,
) -> None:
    new_campaign("secret-2027", status="draft")
    data = Client().get("/api/campaigns/").json()
    assert [c["slug"] for c in data["results"]] == [SLUG]
    call = data["results"][0]
    assert call["title"] == reviewed.title and call["status"] == "open"
    assert call["rubric"] == reviewed.rubric
    assert call["counts"] == {"submissions": 4, "shortlisted": 2, "published": 2}
    assert "contact_email" not in str(data) and "reviewers_per_entry" not in call
    one = Client().get(f"/api/campaigns/{SLUG}/").json()
    assert one == call
    assert Client().get("/api/campaigns/secret-2027/").status_code == 404


def test_standings_are_for_organisers_only(
    reviewed: Campaign, personas: dict[str, Any]
) -> None:
    path = f"/api/campaigns/{SLUG}/standings/"
    assert Client().get(path).status_code in (401, 403)
    assert _token_client(personas["coder_li"]).get(path).status_code == 403
    reviewer = Client()
    reviewer.force_login(reviewed.reviewers.get().user)
    assert reviewer.get(path).status_code == 403
    admin = _token_client(personas["admin_sun"])
    assert admin.get(path).status_code == 200
    assert admin.get("/api/campaigns/no-such-call/standings/").status_code == 404


def test_standings_are_the_cores_ranking_with_results(
    reviewed: Campaign, personas: dict[str, Any]
) -> None:
    data = (
        _token_client(personas["admin_sun"])
        .get(f"/api/campaigns/{SLUG}/standings/")
        .json()
    )
    expected = rank_entries(
        selectors.core_reviews(reviewed),
        reviewed.get_rubric(),
        method=reviewed.normalisation,
        required_reviews=reviewed.reviewers_per_entry,
        entries=[s.ref for s in reviewed.submissions.all()],
    )
    assert data["method"] == "zscore" and data["count"] == 4
    assert [r["ref"] for r in data["results"]] == [s.entry_id for s in expected]
    first = data["results"][0]
    assert set(first) == {
        "rank", "ref", "title", "library", "score", "raw", "n_reviews", "spread",
        "criteria", "flags", "shortlisted", "award",
    }  # fmt: skip
    assert first["title"] == "城市书房夜读计划" and first["rank"] == 1
    assert first["shortlisted"] and first["n_reviews"] == 1
    assert math.isclose(first["raw"], expected[0].raw)
    assert set(first["criteria"]) == set(reviewed.get_rubric().keys)
    last = data["results"][-1]
    assert last["title"] == "尚未评审的案例" and last["n_reviews"] == 0
    assert last["score"] is None and last["raw"] is None  # NaN is no JSON
    assert last["rank"] is None  # not a rank shared with whoever is ranked last
    assert last["flags"] == ["too_few_reviews"] and not last["shortlisted"]


def test_a_draft_calls_standings_are_open_to_organisers(
    backend: str, personas: dict[str, Any]
) -> None:
    new_campaign("secret-2027", status="draft")
    admin = _token_client(personas["admin_sun"])
    response = admin.get("/api/campaigns/secret-2027/standings/")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_the_case_endpoints_take_the_campaign_filter(reviewed: Campaign) -> None:
    cases = Client().get("/api/cases/", {"campaign": SLUG}).json()
    assert cases["count"] == 2
    assert all(c["submission_ref"].startswith(f"{SLUG}/") for c in cases["results"])
    found = Client().get("/api/search/", {"campaign": SLUG, "q": "绘本"}).json()
    assert [r["title"] for r in found["results"]] == ["亲子绘本共读营"]
    analysis = Client().get("/api/analysis/", {"campaign": SLUG}).json()
    assert analysis["n_cases"] == 2
    bad = Client().get("/api/cases/", {"campaign": "no-such-call"})
    assert bad.status_code == 400 and "no-such-call" in bad.json()["error"]


def test_the_schema_documents_campaigns_and_still_validates(backend: str) -> None:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    paths = schema["paths"]
    assert {
        "/api/campaigns/",
        "/api/campaigns/{slug}/",
        "/api/campaigns/{slug}/standings/",
    } <= set(paths)
    for path in ("/api/cases/", "/api/search/", "/api/analysis/"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert "campaign" in names
    standing = schema["components"]["schemas"]["Standing"]["properties"]
    assert {"rank", "score", "raw", "n_reviews", "spread", "flags"} <= set(standing)
