"""Coding every case that lacks codes with the automatic coder, in the background.

Imported and campaign cases can arrive without focus, strategy and the other
coded dimensions; facets and the dashboard count only final codes. A run takes
the model the workbench suggests with, codes the uncoded cases in batches (ids
read a chunk at a time, so a library of any size stays out of memory) and makes
the model's codes final where a case had none (:func:`model_codes_settle`). Each
batch commits on its own: a failure ends the run and keeps what was coded. Only
one run at a time, in any server process; the page polls its progress.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from libinnov.cases import Case as CoreCase
from libinnov.codebook import Codebook
from libinnov.exceptions import LibinnovError
from libinnov.web.cases.models import Case
from libinnov.web.coding.models import AutoCodingRun, RunStatus, run_in_thread
from libinnov.web.coding.selectors import uncoded_cases
from libinnov.web.coding.services import model_codes_settle
from libinnov.web.config.router import active_alias

log = logging.getLogger(__name__)
#: cases read, coded and committed together
BATCH = 200


class AutoCodingBusy(RuntimeError):
    """A run is already queued or running (``run``, unless it ended meanwhile)."""

    def __init__(self, run: AutoCodingRun | None) -> None:
        name = f"run {run.pk}" if run is not None else "another run"
        super().__init__(f"automatic coding {name} is still going")
        self.run = run


def run_start(
    *,
    user: Any,
    codebook: Codebook,
    version: str,
    case_ids: Sequence[str] = (),
    background: bool = True,
) -> AutoCodingRun:
    """Queue a run over ``case_ids`` (default: the whole library) and start it.

    The database refuses a second active run, whichever process started the
    first (:meth:`AutoCodingRun.claim`). The thread starts once the caller's
    transaction commits, since it reads the run and the cases through its own
    connection.
    """
    busy = AutoCodingRun.active_run()  # also gives up a stale one, freeing its slot
    if busy is not None:
        raise AutoCodingBusy(busy)
    scope = uncoded_cases(codebook)
    if case_ids:
        scope = scope.filter(pk__in=list(case_ids))
    run = AutoCodingRun.claim(
        requested_by=user if getattr(user, "pk", None) else None,
        codebook_version=version,
        case_ids=list(case_ids),
        total=scope.count(),
        stage="queued",
    )
    if run is None:  # another process started one since active_run() looked
        raise AutoCodingBusy(AutoCodingRun.objects.filter(slot=True).first())
    if not background:
        run_execute(run.pk, codebook)
        run.refresh_from_db()
        return run
    transaction.on_commit(lambda: _launch(run.pk, codebook), using=active_alias())
    return run


def _launch(run_id: int, codebook: Codebook) -> None:
    run_in_thread(run_execute, run_id, codebook)


def _batches(codebook: Codebook, case_ids: Sequence[str]) -> Iterator[list[CoreCase]]:
    """The uncoded cases, text and codes, a batch at a time, by id, read when needed."""
    scope = uncoded_cases(codebook).order_by("pk")
    if case_ids:
        scope = scope.filter(pk__in=list(case_ids))
    rows = scope.values_list(*Case.CORE_FIELDS)
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = [Case.core_from_row(row) for row in page[:BATCH]]
        if not batch:
            return
        yield batch
        last = batch[-1].id


def run_execute(run_id: int, codebook: Codebook) -> None:
    """Code the run's uncoded cases batch by batch (never raises on bad data)."""
    run = AutoCodingRun.objects.get(pk=run_id)
    run.update(status=RunStatus.RUNNING, stage="model")
    try:
        with run.heartbeat():
            batches = _batches(codebook, run.case_ids)
            first = next(batches, None)
            if first is not None:
                _code(run, codebook, itertools.chain([first], batches))
        run.update(
            status=RunStatus.DONE,
            stage="done",
            total=run.done,
            finished_at=timezone.now(),
        )
    except LibinnovError as exc:  # e.g. no model fits the codebook: say why
        run.fail(exc.describe())
    except Exception as exc:
        log.exception("automatic coding run %s failed", run_id)
        run.fail(f"{type(exc).__name__}: {exc}")


def _code(
    run: AutoCodingRun, codebook: Codebook, batches: Iterable[list[CoreCase]]
) -> None:
    from libinnov.coding import code_cases
    from libinnov.web.coding.engine import run_model

    model = run_model(codebook)
    coder = str(model.label)
    run.update(coder=coder, stage="coding")
    for batch in batches:
        # the codes a case has steer the ones derived from them (innovation type
        # among a person's focus areas); the model's own codes are suggested
        coded = list(code_cases(batch, codebook, model=model, anchored=True))
        cases, codes = model_codes_settle(
            coded=coded, codebook=codebook, coder=coder, version=run.codebook_version
        )
        done = run.done + len(batch)
        run.update(
            done=done,
            total=max(run.total, done),
            coded=run.coded + cases,
            codes=run.codes + codes,
        )
