"""Retraining the automatic coder from the library's settled codes."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from libinnov.cases import load_sample
from libinnov.web.cases.services import case_save
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import training
from libinnov.web.coding.engine import suggest
from libinnov.web.coding.models import RunStatus, TrainingRun

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


@pytest.fixture
def quick_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("LIBINNOV_RETRAIN_FOLDS", "2")
    monkeypatch.setenv("LIBINNOV_CACHE_DIR", str(tmp_path))
    return tmp_path


def _add_settled_cases(n: int) -> list[str]:
    """Copies of sample cases under new ids, as if coders had settled them."""
    ids = []
    for case in load_sample()[:n]:
        new = dataclasses.replace(case, id=f"N-{case.id}", title=case.title + "（续）")
        case_save(core=new)
        ids.append(new.id)
    return ids


def test_a_run_compares_the_model_in_use_with_the_new_one_and_takes_over(
    sample_db: int, personas: dict[str, Any], quick_runs: Path
) -> None:
    added = _add_settled_cases(12)
    codebook = current_codebook()
    run = training.run_start(
        user=personas["admin_sun"],
        codebook=codebook,
        version=current_version().version,
        background=False,
    )
    assert run.status == RunStatus.DONE, run.error
    assert run.progress == 100
    assert run.n_cases == sample_db + len(added)
    assert run.n_new == len(added)
    assert set(added) <= set(run.case_ids)
    for side in (run.before, run.after):
        assert {"focus", "strategy", "innovation_type"} <= set(side)
        assert 0 <= side["focus"]["macro_f1"] <= 1
        assert side["innovation_type"]["accuracy"] is not None
    assert Path(run.model_path).is_file()
    assert Path(run.model_path).is_relative_to(quick_runs)
    assert training.model_in_use() == run
    case = load_sample()[0]
    coder, coded = suggest(case, codebook) or ("", None)
    assert coder.startswith(f"model:retrained-{run.pk}@")
    assert coded is not None and coded.codes.get("focus")


def test_with_nothing_new_before_and_after_are_the_same(
    sample_db: int, quick_runs: Path
) -> None:
    run = training.run_start(
        user=None,
        codebook=current_codebook(),
        version=current_version().version,
        background=False,
    )
    assert run.status == RunStatus.DONE, run.error
    assert run.n_new == 0
    assert run.before == run.after


def test_only_one_run_at_a_time(sample_db: int, personas: dict[str, Any]) -> None:
    TrainingRun.objects.create(status=RunStatus.RUNNING, codebook_version="x")
    with pytest.raises(training.TrainingBusy):
        training.run_start(
            user=None, codebook=current_codebook(), version="x", background=False
        )
    client = Client()
    client.force_login(personas["admin_sun"])
    response = client.post("/coding/model/retrain/", follow=True)
    assert "已有一次重新训练正在进行" in response.content.decode()
    assert TrainingRun.objects.count() == 1


def test_the_page_polls_a_running_run_and_reports_it_as_json(
    sample_db: int, personas: dict[str, Any]
) -> None:
    run = TrainingRun.objects.create(
        status=RunStatus.RUNNING, progress=40, stage="fold 1/2", codebook_version="x"
    )
    client = Client()
    client.force_login(personas["adjudicator_chen"])
    html = client.get("/coding/model/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html
    assert "disabled" in html
    data = client.get(f"/coding/model/runs/{run.pk}/", {"format": "json"}).json()
    assert data["status"] == "running" and data["progress"] == 40
    run.status = RunStatus.DONE
    run.save()
    done = client.get(f"/coding/model/runs/{run.pk}/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "every 1s" not in done.content.decode()


def test_coders_cannot_retrain(sample_db: int, personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["coder_li"])
    assert client.get("/coding/model/").status_code == 403
    assert client.post("/coding/model/retrain/").status_code == 403
    assert not TrainingRun.objects.exists()


def test_a_run_that_cannot_train_fails_with_the_reason(
    sample_db: int, quick_runs: Path
) -> None:
    import dataclasses

    codebook = current_codebook()
    nothing = dataclasses.replace(
        codebook,
        dimensions=tuple(
            dataclasses.replace(d, retired=True) for d in codebook.dimensions
        ),
    )
    run = training.run_start(user=None, codebook=nothing, version="x", background=False)
    assert run.status == RunStatus.FAILED
    assert "no dimension to code" in run.error
    assert training.model_in_use() is None
    assert not TrainingRun.objects.filter(status=RunStatus.RUNNING).exists()
