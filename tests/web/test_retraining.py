"""Retraining the automatic coder from the library's settled codes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from libinnov.cases import load_sample
from libinnov.exceptions import ModelError
from libinnov.web.cases.services import case_save
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import training
from libinnov.web.coding.engine import suggest
from libinnov.web.coding.models import INTERRUPTED, STALE_AFTER, RunStatus, TrainingRun
from libinnov.web.config.router import active_alias

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


def test_each_step_of_a_long_comparison_beats_the_heartbeat(
    sample_db: int, quick_runs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every model the comparison trains saves the progress, and with it the
    time the run was last heard of: a long run is never taken for a dead one."""
    heard: list[tuple[bool, str]] = []

    def compare(*args: Any, progress: Any, **kwargs: Any) -> Any:
        for done in (1, 2):
            long_ago = timezone.now() - STALE_AFTER - timedelta(minutes=1)
            TrainingRun.objects.update(updated_at=long_ago)
            progress(done, 2, f"fold {done}/2")
            run = TrainingRun.objects.get()
            heard.append((run.stale, run.stage))
        raise ModelError("stopped after two steps")

    monkeypatch.setattr(training, "compare_training_sets", compare)
    run = training.run_start(
        user=None, codebook=current_codebook(), version="x", background=False
    )
    assert heard == [(False, "comparing:1/2"), (False, "comparing:2/2")]
    assert run.status == RunStatus.FAILED and "stopped after two steps" in run.error


def test_a_run_a_restart_cut_off_shows_as_failed_with_the_reason(
    sample_db: int, personas: dict[str, Any]
) -> None:
    run = TrainingRun.objects.create(
        status=RunStatus.RUNNING, progress=40, stage="training", codebook_version="x"
    )
    long_ago = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    TrainingRun.objects.filter(pk=run.pk).update(updated_at=long_ago)
    client = Client()
    client.force_login(personas["adjudicator_chen"])
    polled = client.get(f"/coding/model/runs/{run.pk}/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"  # the polling page reloads
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error == INTERRUPTED
    html = client.get("/coding/model/").content.decode()
    assert "已中断：15 分钟内没有任何进展（服务器可能已重启）" in html
    assert 'id="retrain" disabled' not in html and "every 1s" not in html
    client.get("/lang/en/")
    english = client.get("/coding/model/").content.decode()
    assert "Interrupted: no progress for 15 minutes" in english
    data = client.get(f"/coding/model/runs/{run.pk}/", {"format": "json"}).json()
    assert data["status"] == "failed" and data["error"] == INTERRUPTED


def test_a_stale_run_left_on_the_page_is_given_up_when_it_is_opened(
    sample_db: int, personas: dict[str, Any]
) -> None:
    """Nobody polls a run the server dropped overnight: the page gives it up."""
    run = TrainingRun.objects.create(status=RunStatus.QUEUED, codebook_version="x")
    long_ago = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    TrainingRun.objects.filter(pk=run.pk).update(updated_at=long_ago)
    client = Client()
    client.force_login(personas["adjudicator_chen"])
    html = client.get("/coding/model/").content.decode()
    assert 'data-status="failed"' in html and "已中断" in html
    assert TrainingRun.objects.get(pk=run.pk).slot is None


def test_the_page_starts_the_thread_only_once_the_run_is_committed(
    sample_db: int,
    personas: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The thread reads the run through its own connection, so it must not look
    before the request's transaction has made the run visible."""
    launched: list[int] = []
    monkeypatch.setattr(
        training, "_launch", lambda run_id, _cb: launched.append(run_id)
    )
    client = Client()
    client.force_login(personas["admin_sun"])
    with django_capture_on_commit_callbacks(using=active_alias()) as callbacks:
        client.post("/coding/model/retrain/")
        assert launched == []
    run = TrainingRun.objects.get()
    assert run.status == RunStatus.QUEUED and len(callbacks) == 1
    callbacks[0]()
    assert launched == [run.pk]
