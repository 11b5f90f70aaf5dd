"""The automatic coder in the workbench: suggestions with confidence and evidence.

The ``trained`` fixture (conftest) places a small model where the core keeps its
default model, as ``libinnov model build`` would.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from libinnov.web.cases.models import Case
from libinnov.web.coding.models import CodeAssignment, CodeChange

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def test_the_workbench_shows_model_codes_with_confidence_and_evidence(
    sample_db: int, personas: dict[str, Any], trained: Any
) -> None:
    coder = Client()
    coder.force_login(personas["coder_li"])
    html = coder.get("/coding/cases/A-021/").content.decode()
    label = str(trained.label)
    assert label in html
    assert "当前编码" in html  # the settled code is shown beside the suggestion
    rows = {a.dimension: a for a in CodeAssignment.objects.filter(coder=label)}
    focus = rows["focus"]
    assert focus.value and all(0 <= p <= 1 for p in focus.confidence.values())
    assert CodeChange.objects.filter(coder=label, action="suggest").count() == len(rows)
    case = Case.objects.get(pk="A-021")
    assert case.evidence  # evidence sentences stored on the case ...
    assert '<span class="ev" data-ev="' in html  # ... and found in the text
    coder.post("/coding/cases/A-021/", {"action_focus": "accept"})
    case.refresh_from_db()
    assert sorted(case.codes["focus"]) == sorted(focus.value)
    table = coder.get("/coding/agreement/", {"format": "json"}).json()
    assert table == []  # one case is too few to compare coders
    assert CodeChange.objects.filter(
        case_id="A-021", dimension="focus", action="accept", final=True
    ).exists()


def test_without_a_trained_model_the_page_offers_to_compute_codes(
    sample_db: int, personas: dict[str, Any]
) -> None:
    coder = Client()
    coder.force_login(personas["coder_li"])
    html = coder.get("/coding/cases/A-021/").content.decode()
    assert 'name="suggest"' in html
    assert not CodeAssignment.objects.filter(coder__startswith="model:").exists()
