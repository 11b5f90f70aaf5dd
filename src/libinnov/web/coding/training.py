"""Retraining the automatic coder from the library's settled codes, in the background.

One button starts a :class:`TrainingRun`; a thread cross-validates the model in use
against one trained with the new codes (:func:`libinnov.coding.compare`), trains
the new model on everything and makes it the one the workbench suggests with. The
page polls the run's progress. Only one run at a time, in any server process.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from libinnov.cases import Case as CoreCase
from libinnov.cases import load_sample
from libinnov.codebook import Codebook
from libinnov.coding.compare import Comparison, compare_training_sets
from libinnov.coding.model import CodingModel
from libinnov.exceptions import LibinnovError
from libinnov.settings import cache_dir
from libinnov.web.cases.models import Case
from libinnov.web.coding.models import RunStatus, TrainingRun, run_in_thread
from libinnov.web.coding.selectors import LOG_CHUNK, automatic_dimensions
from libinnov.web.config.router import active_alias

log = logging.getLogger(__name__)


class TrainingBusy(RuntimeError):
    """A run is already queued or running."""


def training_cases(codebook: Codebook) -> list[CoreCase]:
    """Every library case with settled codes, plus the bundled sample it lacks.

    Final codes come from imports and from people, which are the truth to learn
    from, and from the automatic coding run, which are not: a model retrained on
    its own guesses would only grow surer of them. So each case keeps only the
    dimensions an import or a person settled (one whose focus a coder confirmed
    but whose strategy the model filled teaches focus only), and a case with none
    left is not used. The sample keeps a small library from training on a
    handful of cases.
    """
    keys = [d.key for d in codebook.coded_dimensions]
    library: list[CoreCase] = []
    rows = Case.objects.only(
        "id", "title", "summary", "library", "province", "year", "codes"
    )
    chunk: list[Case] = []
    for case in rows.order_by("pk").iterator(chunk_size=LOG_CHUNK):
        chunk.append(case)
        if len(chunk) == LOG_CHUNK:
            library.extend(_settled(chunk, keys))
            chunk = []
    library.extend(_settled(chunk, keys))
    have = {c.id for c in library}
    return library + [c for c in load_sample(codebook) if c.id not in have]


def _settled(cases: list[Case], keys: list[str]) -> Iterator[CoreCase]:
    """The cases as training records, without the codes the model made final."""
    automatic = automatic_dimensions(cases)
    for case in cases:
        dropped = automatic.get(case.pk, set())
        codes = {k: v for k, v in case.codes.items() if k not in dropped}
        if any(codes.get(k) for k in keys):
            yield CoreCase(
                id=case.pk,
                title=case.title,
                summary=case.summary,
                library=case.library,
                province=case.province or None,
                year=case.year,
                codes=codes,
            )


def model_in_use() -> TrainingRun | None:
    """The newest finished run whose model file is still there."""
    for run in TrainingRun.objects.filter(status=RunStatus.DONE)[:5]:
        if run.model_path and Path(run.model_path).exists():
            return run
    return None


def _old_ids(codebook: Codebook) -> list[str]:
    run = model_in_use()
    if run is not None:
        return list(run.case_ids)
    return [c.id for c in load_sample(codebook)]


def run_start(
    *, user: Any, codebook: Codebook, version: str, background: bool = True
) -> TrainingRun:
    """Queue a run and start it (in a thread unless ``background`` is false).

    The database refuses a second active run, whichever process started the
    first (:meth:`TrainingRun.claim`); one a server restart cut off is given
    up first (:meth:`TrainingRun.active_run`).
    """
    if TrainingRun.active_run() is not None:
        raise TrainingBusy("a retraining is already running")
    run = TrainingRun.claim(
        requested_by=user if getattr(user, "pk", None) else None,
        codebook_version=version,
        folds=int(os.environ.get("LIBINNOV_RETRAIN_FOLDS", "5") or 5),
        stage="queued",
    )
    if run is None:
        raise TrainingBusy("a retraining is already running")
    if not background:
        run_execute(run.pk, codebook)
        run.refresh_from_db()
        return run
    # the thread reads the run through its own connection: start it once the
    # caller's transaction has made the run visible
    transaction.on_commit(lambda: _launch(run.pk, codebook), using=active_alias())
    return run


def _launch(run_id: int, codebook: Codebook) -> None:
    run_in_thread(run_execute, run_id, codebook)


def _compare_and_train(
    run: TrainingRun, codebook: Codebook
) -> tuple[Comparison, list[CoreCase], Path]:
    """Score the model in use against one trained with the new codes, then train
    on every settled case and save the model: the work between start and end."""
    cases = training_cases(codebook)
    old = _old_ids(codebook)

    def progress(done: int, total: int, _stage: str) -> None:
        stage = f"comparing:{done}/{total}"
        run.update(progress=int(90 * done / total), stage=stage)

    comparison = compare_training_sets(
        cases, old, codebook, folds=run.folds, progress=progress
    )
    run.update(progress=90, stage="training")
    model = CodingModel.train(cases, codebook, random_state=0)
    model.name = f"retrained-{run.pk}"
    path = cache_dir() / "models" / f"web-{codebook.fingerprint}-{run.pk}.joblib"
    model.save(path)
    return comparison, cases, path


def run_execute(run_id: int, codebook: Codebook) -> None:
    """Compare, train, save, and record the outcome on the run (never raises)."""
    run = TrainingRun.objects.get(pk=run_id)
    run.update(status=RunStatus.RUNNING, stage="collecting")
    try:
        with run.heartbeat():
            comparison, cases, path = _compare_and_train(run, codebook)
        run.update(
            status=RunStatus.DONE,
            progress=100,
            stage="done",
            n_cases=comparison.n_cases,
            n_new=comparison.n_new,
            folds=comparison.folds,
            case_ids=[c.id for c in cases],
            before={k: s.as_dict() for k, s in comparison.before.items()},
            after={k: s.as_dict() for k, s in comparison.after.items()},
            model_path=str(path),
            finished_at=timezone.now(),
        )
    except LibinnovError as exc:  # the data cannot train a model: say why
        run.fail(exc.describe())
    except Exception as exc:
        log.exception("training run %s failed", run_id)
        run.fail(f"{type(exc).__name__}: {exc}")
