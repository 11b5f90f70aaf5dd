"""The coding workbench: decisions, the append-only log, blind double coding."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from libinnov.web.cases.models import Case, CaseCode
from libinnov.web.coding.models import CodeAssignment, CodeChange, CodingTask

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_log_in(sample_db: int) -> None:
    response = Client().get("/coding/cases/A-001/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_viewer_may_not_code(sample_db: int, personas: dict[str, Any]) -> None:
    response = _client(personas["viewer_zhao"]).get("/coding/cases/A-001/")
    assert response.status_code == 403


def test_a_coder_changes_a_code_and_the_log_records_it(
    sample_db: int, personas: dict[str, Any]
) -> None:
    coder = personas["coder_li"]
    client = _client(coder)
    page = client.get("/coding/cases/A-001/")
    assert page.status_code == 200
    assert 'data-dim="focus"' in page.content.decode()
    response = client.post(
        "/coding/cases/A-001/",
        {
            "action_focus": "change",
            "value_focus": ["heritage", "digital"],
            "action_innovation_type": "accept",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk="A-001")
    assert sorted(case.codes["focus"]) == ["digital", "heritage"]
    assert set(
        CaseCode.objects.filter(case=case, dimension="focus").values_list(
            "code", flat=True
        )
    ) == {"digital", "heritage"}
    mine = CodeChange.objects.filter(case=case, coder=f"user:{coder.pk}")
    assert {c.action for c in mine} == {"change", "accept"}
    final = CodeChange.objects.get(
        case=case, dimension="focus", final=True, coder=f"user:{coder.pk}"
    )
    assert final.previous == ["heritage"]
    assert final.codebook_version
    log = client.get("/coding/log/", {"case": "A-001", "format": "json"}).json()
    assert any(
        r["coder"] == f"user:{coder.pk}" and r["dimension"] == "focus"
        for r in log["results"]
    )


def test_rejecting_a_suggestion_keeps_the_final_code(
    sample_db: int, personas: dict[str, Any]
) -> None:
    client = _client(personas["coder_li"])
    client.post("/coding/cases/A-001/", {"action_focus": "reject"})
    assert Case.objects.get(pk="A-001").codes["focus"] == ["heritage"]
    change = CodeChange.objects.get(case_id="A-001", action="reject")
    assert change.value == []


def test_the_change_log_cannot_be_edited_or_deleted(sample_db: int) -> None:
    change = CodeChange.objects.filter(case_id="A-001").first()
    assert change is not None
    change.value = ["space"]
    with pytest.raises(ValueError, match="append-only"):
        change.save()
    with pytest.raises(ValueError, match="append-only"):
        change.delete()


def test_blind_double_coding_hides_codes_and_ends_in_adjudication(
    sample_db: int, personas: dict[str, Any]
) -> None:
    admin = _client(personas["admin_sun"])
    li, wu = personas["coder_li"], personas["coder_wu"]
    response = admin.post(
        "/coding/assign/", {"coders": [li.pk, wu.pk], "ids": "A-002\nA-003"}
    )
    assert response.status_code == 302
    assert CodingTask.objects.filter(blind=True).count() == 4

    li_client, wu_client = _client(li), _client(wu)
    queue = li_client.get("/coding/").content.decode()
    assert "/coding/cases/A-002/" in queue
    blind_page = li_client.get("/coding/cases/A-002/").content.decode()
    assert "Suggested" not in blind_page and "建议" not in blind_page
    li_client.post(
        "/coding/cases/A-002/",
        {"action_focus": "change", "value_focus": ["heritage"]},
    )
    wu_client.post(
        "/coding/cases/A-002/",
        {"action_focus": "change", "value_focus": ["heritage", "space"]},
    )
    before = Case.objects.get(pk="A-002").codes["focus"]
    # blind decisions do not touch the final codes
    assert Case.objects.get(pk="A-002").codes["focus"] == before
    # and a coder's log view does not show the other coder's blind values
    log = li_client.get("/coding/log/", {"case": "A-002", "format": "json"}).json()
    assert not any(r["coder"] == f"user:{wu.pk}" for r in log["results"])

    judge = _client(personas["adjudicator_chen"])
    listing = judge.get("/coding/disagreements/", {"format": "json"}).json()
    assert listing == [
        {
            "case": "A-002",
            "dimensions": ["focus"],
            "values": {
                "focus": {
                    f"user:{li.pk}": ["heritage"],
                    f"user:{wu.pk}": ["heritage", "space"],
                }
            },
        }
    ]
    judge.post(
        "/coding/adjudicate/A-002/",
        {"set_focus": "1", "value_focus": ["heritage", "space"]},
    )
    assert sorted(Case.objects.get(pk="A-002").codes["focus"]) == ["heritage", "space"]
    assert judge.get("/coding/disagreements/", {"format": "json"}).json() == []
    settled = CodeChange.objects.get(case_id="A-002", action="adjudicate")
    assert settled.final and settled.coder == f"user:{personas['adjudicator_chen'].pk}"


def test_agreement_is_computed_between_coders(
    sample_db: int, personas: dict[str, Any]
) -> None:
    li, wu = personas["coder_li"], personas["coder_wu"]
    for user, values in ((li, ["reading", "heritage"]), (wu, ["reading", "space"])):
        client = _client(user)
        for case_id, focus in zip(
            ("A-010", "A-011", "A-012"), [*values, "reading"], strict=True
        ):
            client.post(
                f"/coding/cases/{case_id}/",
                {"action_focus": "change", "value_focus": [focus]},
            )
    table = _client(li).get("/coding/agreement/", {"format": "json"}).json()
    row = next(r for r in table if r["dimension"] == "focus")
    assert row["n"] == 3
    assert row["percent"] == pytest.approx(2 / 3)
    # the core's statistics, with bootstrap intervals
    assert "alpha" in row and len(row["alpha_ci"]) == 2
    assert CodeAssignment.objects.filter(dimension="focus").count() == 6
