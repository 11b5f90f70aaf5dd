"""Coding the whole library automatically: only what nobody coded, in the background.

The run is real: the ``trained`` fixture puts a small model where the default model
lives, and the run codes with it in batches of two (so the id paging is exercised).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from campaign_support import add_submission, messages_of, new_campaign
from django.test import Client
from django.utils import timezone

from libinnov.cases import Case as CoreCase
from libinnov.cases import load_sample
from libinnov.coding import code_cases
from libinnov.web.cases.models import Case, CaseCode
from libinnov.web.cases.services import cases_import
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import autocoding, services
from libinnov.web.coding.engine import run_model, uncoded
from libinnov.web.coding.models import (
    AutoCodingRun,
    CodeAssignment,
    CodeChange,
    RunStatus,
)
from libinnov.web.coding.training import training_cases
from libinnov.web.config.router import active_alias

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

CODED = ("focus", "innovation_type", "strategy", "technology", "audience")
UNCODED = ("U-1", "U-2", "U-3", "U-4", "U-5")
AUTO_TAG = "自动编码，待确认"


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autocoding, "BATCH", 2)


def _without_codes(case: CoreCase, new_id: str, **codes: Any) -> CoreCase:
    """A sample case under a new id with only the given codes (and its region)."""
    kept = {k: v for k, v in case.codes.items() if k in ("region", "library_type")}
    return dataclasses.replace(
        case, id=new_id, codes={**kept, **codes}, confidence={}, evidence={}
    )


@pytest.fixture
def library(backend: str, personas: dict[str, Any]) -> dict[str, Any]:
    """Six fully coded cases, five uncoded, one imported with focus only, and one
    whose focus a coder set in the workbench."""
    sample = load_sample()
    codebook = current_codebook()
    version = current_version().version
    cores = [
        *sample[:6],
        *(_without_codes(c, i) for c, i in zip(sample[10:], UNCODED, strict=False)),
        _without_codes(sample[20], "P-1", focus=["reading"]),
        _without_codes(sample[21], "H-1"),
    ]
    cases_import(cores, codebook=codebook, codebook_version=version)
    services.coding_submit(
        case=Case.objects.get(pk="H-1"),
        user=personas["coder_li"],
        decisions={"focus": services.Decision("change", ["space"])},
        version=version,
    )
    return {
        "coded": {c.id: c.codes for c in sample[:6]},
        "P-1": ["reading"],
        "H-1": ["space"],
        "personas": personas,
    }


def _run(**kwargs: Any) -> AutoCodingRun:
    return autocoding.run_start(
        user=None,
        codebook=current_codebook(),
        version=current_version().version,
        background=False,
        **kwargs,
    )


def test_a_run_codes_only_the_dimensions_nobody_coded(
    library: dict[str, Any], trained: Any, small_batches: None
) -> None:
    run = _run()
    assert run.status == RunStatus.DONE, run.error
    assert (run.total, run.done, run.coded) == (7, 7, 7)
    assert run.codes == 5 * len(CODED) + 2 * (len(CODED) - 1)
    assert run.progress == 100
    label = str(trained.label)
    assert run.coder == label

    codebook = current_codebook()
    model = run_model(codebook)
    for case in Case.objects.filter(pk__in=UNCODED):
        expected = next(
            iter(code_cases([uncoded(case.to_core())], codebook, model=model))
        )
        for key in CODED:
            assert case.codes[key] == expected.codes[key]
            assert case.confidence[key] == expected.confidence[key]
            assert case.evidence[key] == expected.evidence[key]
        assert sorted(case.needs_review) == sorted(
            k for k in expected.needs_review if k in CODED
        )
        facets = set(
            CaseCode.objects.filter(case=case).values_list("dimension", "code")
        )
        assert ("focus", expected.codes["focus"][0]) in facets
        log = CodeChange.objects.filter(case=case, coder=label)
        assert sorted(
            log.filter(action="suggest", final=False).values_list(
                "dimension", flat=True
            )
        ) == sorted(CODED)
        assert sorted(
            log.filter(action="auto", final=True).values_list("dimension", flat=True)
        ) == sorted(CODED)
        assert (
            CodeAssignment.objects.get(
                case=case, dimension="focus", coder=label
            ).confidence
            == expected.confidence["focus"]
        )

    # codes from an import or a person stay as they were, the rest is filled
    partial = Case.objects.get(pk="P-1")
    assert partial.codes["focus"] == ["reading"]
    assert set(CODED) <= set(partial.codes)
    person = Case.objects.get(pk="H-1")
    assert person.codes["focus"] == ["space"]
    for case_id in ("P-1", "H-1"):
        finals = CodeChange.objects.filter(case_id=case_id, action="auto")
        assert "focus" not in set(finals.values_list("dimension", flat=True))
        assert finals.count() == len(CODED) - 1
        suggested = CodeChange.objects.filter(case_id=case_id, action="suggest")
        assert suggested.count() == len(CODED)  # the model's view is kept for κ
    for case_id, codes in library["coded"].items():
        assert Case.objects.get(pk=case_id).codes == codes
        assert not CodeChange.objects.filter(case_id=case_id, coder=label).exists()


def test_a_second_run_finds_nothing_to_do(
    library: dict[str, Any], trained: Any
) -> None:
    _run()
    log = CodeChange.objects.count()
    again = _run()
    assert again.status == RunStatus.DONE
    assert (again.total, again.done, again.coded, again.codes) == (0, 0, 0, 0)
    assert CodeChange.objects.count() == log
    client = Client()
    client.force_login(library["personas"]["adjudicator_chen"])
    html = client.get("/coding/model/").content.decode()
    assert 'data-count="0"' in html and "没有需要编码的案例" in html
    assert client.get("/coding/model/", {"format": "json"}).json()["uncoded"] == 0


def test_facets_and_the_dashboard_count_the_newly_coded_cases(
    library: dict[str, Any], trained: Any
) -> None:
    def counts() -> dict[str, int]:
        data = Client().get("/dashboard/", {"format": "json"}).json()
        return dict(data["dimensions"]["audience"]["counts"])

    def listed(code: str) -> int:
        response = Client().get("/cases/", {"audience": code, "format": "json"})
        return int(response.json()["count"])

    before = counts()
    assert before["unknown"] == 7  # the dashboard's bucket for "not coded"
    before_listed = {code: listed(code) for code in before if code != "unknown"}
    _run()
    after = counts()
    assert not after.get("unknown")
    added: dict[str, int] = {}
    for case in Case.objects.filter(pk__in=[*UNCODED, "P-1", "H-1"]):
        for code in case.codes["audience"]:
            added[code] = added.get(code, 0) + 1
    assert added
    for code, n in added.items():
        assert after.get(code, 0) == before.get(code, 0) + n
        assert listed(code) == before_listed.get(code, 0) + n


def test_retraining_learns_only_from_codes_set_by_imports_or_people(
    library: dict[str, Any], trained: Any
) -> None:
    _run()
    coder = library["personas"]["coder_li"]
    version = current_version().version
    confirmed = Case.objects.get(pk="U-1")
    services.coding_submit(
        case=confirmed,
        user=coder,
        decisions={
            "strategy": services.Decision("accept", confirmed.codes["strategy"])
        },
        version=version,
    )
    cases = {c.id: c for c in training_cases(current_codebook())}
    assert not set(UNCODED[1:]) & set(cases)  # only the model's codes: left out
    assert [k for k in CODED if k in cases["U-1"].codes] == ["strategy"]
    assert [k for k in CODED if k in cases["P-1"].codes] == ["focus"]
    assert cases["H-1"].codes["focus"] == ["space"]
    assert [k for k in CODED if k in cases["H-1"].codes] == ["focus"]
    for case_id, codes in library["coded"].items():
        assert cases[case_id].codes == codes
    # an import of the same case again makes its codes the truth
    again = Case.objects.get(pk="U-2").to_core()
    cases_import([again], codebook=current_codebook(), codebook_version=version)
    cases = {c.id: c for c in training_cases(current_codebook())}
    assert set(CODED) <= set(cases["U-2"].codes)


def test_pages_mark_automatic_codes_until_a_person_confirms_them(
    library: dict[str, Any], trained: Any
) -> None:
    _run()
    html = Client().get("/cases/P-1/").content.decode()
    assert html.count(AUTO_TAG) == len(CODED) - 1
    focus_row = html.split('data-dim="focus"')[1].split("</tr>")[0]
    assert AUTO_TAG not in focus_row
    record = Client().get("/cases/U-1/", {"format": "json"}).json()
    assert record["automatic"] == sorted(CODED)

    coder = Client()
    coder.force_login(library["personas"]["coder_li"])
    queue = coder.get("/coding/").content.decode()
    assert "/coding/cases/U-1/" in queue and AUTO_TAG in queue
    workbench = coder.get("/coding/cases/U-1/").content.decode()
    assert workbench.count(AUTO_TAG) == len(CODED)
    coder.post("/coding/cases/U-1/", {"action_focus": "accept"})
    html = Client().get("/cases/U-1/").content.decode()
    assert html.count(AUTO_TAG) == len(CODED) - 1
    first = next(iter(library["coded"]))
    assert (
        Client().get(f"/cases/{first}/", {"format": "json"}).json()["automatic"] == []
    )
    in_english = Client()
    in_english.get("/lang/en/")
    assert (
        "automatic, not yet confirmed" in in_english.get("/cases/U-3/").content.decode()
    )


def test_only_one_run_at_a_time_and_a_stale_one_is_given_up(
    library: dict[str, Any],
) -> None:
    running = AutoCodingRun.objects.create(
        status=RunStatus.RUNNING, codebook_version="x"
    )
    with pytest.raises(autocoding.AutoCodingBusy):
        _run()
    client = Client()
    client.force_login(library["personas"]["adjudicator_chen"])
    response = client.post("/coding/model/autocode/", follow=True)
    assert "已有一次自动编码正在进行" in response.content.decode()
    assert AutoCodingRun.objects.count() == 1
    assert (
        'id="autocode-start" disabled' in client.get("/coding/model/").content.decode()
    )

    long_ago = timezone.now() - timedelta(hours=1)
    AutoCodingRun.objects.filter(pk=running.pk).update(updated_at=long_ago)
    html = client.get("/coding/model/").content.decode()
    assert 'id="autocode-start" disabled' not in html
    assert AutoCodingRun.active_run() is None
    running.refresh_from_db()
    assert running.status == RunStatus.FAILED and "interrupted" in running.error


def test_coders_cannot_start_a_run_and_adjudicators_can(
    library: dict[str, Any],
    trained: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    personas = library["personas"]
    coder = Client()
    coder.force_login(personas["coder_li"])
    assert coder.post("/coding/model/autocode/").status_code == 403
    assert not AutoCodingRun.objects.exists()
    # the thread would read through its own connection, outside this test's
    # transaction: run it in place once the request has committed
    monkeypatch.setattr(autocoding, "_launch", autocoding.run_execute)
    adjudicator = Client()
    adjudicator.force_login(personas["adjudicator_chen"])
    with django_capture_on_commit_callbacks(using=active_alias(), execute=True):
        response = adjudicator.post("/coding/model/autocode/")
    assert response.status_code == 302
    assert response["Location"].endswith("/coding/model/#autocode")
    run = AutoCodingRun.objects.get()
    assert run.status == RunStatus.DONE and run.done == 7
    assert run.requested_by == personas["adjudicator_chen"]
    assert coder.get(f"/coding/model/autocode/{run.pk}/").status_code == 403


def test_the_page_shows_progress_and_a_run_reports_it_as_json(
    library: dict[str, Any],
) -> None:
    run = AutoCodingRun.objects.create(
        status=RunStatus.RUNNING,
        stage="coding",
        total=8,
        done=2,
        codebook_version="x",
    )
    client = Client()
    client.force_login(library["personas"]["adjudicator_chen"])
    html = client.get("/coding/model/").content.decode()
    assert "自动编码未编码的案例" in html
    assert 'data-count="7"' in html
    panel = html.split('id="autocode"')[1]
    assert f'hx-get="/coding/model/autocode/{run.pk}/"' in panel
    assert 'hx-trigger="every 1s"' in panel
    assert 'max="8" value="2"' in panel and "2 / 8" in panel
    data = client.get(f"/coding/model/autocode/{run.pk}/", {"format": "json"}).json()
    assert data["status"] == "running"
    assert (data["done"], data["total"], data["progress"]) == (2, 8, 25)
    listing = client.get("/coding/model/", {"format": "json"}).json()
    assert listing["uncoded"] == 7 and listing["auto_runs"][0]["id"] == run.pk
    run.status, run.done, run.coded, run.codes = RunStatus.DONE, 8, 8, 40
    run.save()
    done = client.get(f"/coding/model/autocode/{run.pk}/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 1s" not in done.content.decode()


def test_a_failed_batch_ends_the_run_and_what_was_coded_stays(
    library: dict[str, Any],
    trained: Any,
    small_batches: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    settle = autocoding.model_codes_settle

    def failing(**kwargs: Any) -> tuple[int, int]:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return settle(**kwargs)

    monkeypatch.setattr(autocoding, "model_codes_settle", failing)
    run = _run()
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: the disk is full"
    assert run.done == 2
    coded = [c.pk for c in Case.objects.all() if set(CODED) <= set(c.codes)]
    assert len(coded) == 6 + 2
    assert not AutoCodingRun.active_run()


def test_publishing_a_campaign_codes_its_new_cases(
    library: dict[str, Any],
    trained: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    monkeypatch.setattr(autocoding, "_launch", autocoding.run_execute)
    campaign = new_campaign("reading-2026")
    add_submission(campaign, "城市书房夜读计划", "温州市图书馆")
    add_submission(campaign, "亲子绘本共读营", "杭州图书馆")
    campaign.submissions.update(status="shortlisted")
    organiser = Client()
    organiser.force_login(library["personas"]["admin_sun"])
    with django_capture_on_commit_callbacks(using=active_alias(), execute=True):
        response = organiser.post("/campaigns/reading-2026/publish/", follow=True)
    shown = " ".join(messages_of(response))
    assert "自动编码器正在为新案例编码" in shown
    assert 'href="/coding/model/#autocode"' in response.content.decode()
    run = AutoCodingRun.objects.get()
    published = list(Case.objects.filter(campaign="reading-2026"))
    assert sorted(run.case_ids) == sorted(c.pk for c in published)
    assert run.status == RunStatus.DONE and run.done == 2
    for case in published:
        assert set(CODED) <= set(case.codes)
    assert not Case.objects.get(pk="U-1").codes.get("focus")  # not in the run


def test_publishing_while_a_run_is_going_says_where_to_start_one(
    library: dict[str, Any],
) -> None:
    AutoCodingRun.objects.create(status=RunStatus.RUNNING, codebook_version="x")
    campaign = new_campaign("reading-2026")
    add_submission(campaign, "城市书房夜读计划", "温州市图书馆")
    campaign.submissions.update(status="shortlisted")
    organiser = Client()
    organiser.force_login(library["personas"]["admin_sun"])
    response = organiser.post("/campaigns/reading-2026/publish/", follow=True)
    html = response.content.decode()
    assert "已将 1 件投稿发布到案例库" in html
    assert "已有一次自动编码正在进行" in html
    assert 'href="/coding/model/#autocode"' in html
    assert AutoCodingRun.objects.count() == 1


def test_rejecting_an_automatic_code_empties_it_for_good(
    library: dict[str, Any], trained: Any
) -> None:
    _run()
    coder = Client()
    coder.force_login(library["personas"]["coder_li"])
    coder.post("/coding/cases/U-1/", {"action_focus": "reject"})
    case = Case.objects.get(pk="U-1")
    assert case.codes["focus"] == []
    assert (
        "focus"
        not in Client().get("/cases/U-1/", {"format": "json"}).json()["automatic"]
    )
    _run()  # a person's "no" is a code: the next run leaves it
    assert Case.objects.get(pk="U-1").codes["focus"] == []
    # rejecting where a person set the code keeps that code
    coder.post("/coding/cases/H-1/", {"action_focus": "reject"})
    assert Case.objects.get(pk="H-1").codes["focus"] == library["H-1"]


def test_the_innovation_type_follows_a_focus_a_person_set(
    library: dict[str, Any], trained: Any
) -> None:
    _run()
    for case_id in ("P-1", "H-1"):  # focus from an import, and from a coder
        codes = Case.objects.get(pk=case_id).codes
        assert codes["focus"] == library[case_id]
        assert codes["innovation_type"] == library[case_id][0]
