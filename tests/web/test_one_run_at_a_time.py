"""One background run of each kind at a time, held by the database.

Several server processes share one database, and a lock in one of them cannot see
a run another one started. Runs made here straight in the database stand for runs
another process started; the last test starts one from a second connection that
has not committed yet, as a process racing this one would.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import IntegrityError, connections
from django.utils import timezone

from libinnov.web.cases.services import atomic
from libinnov.web.codebook.selectors import current_codebook
from libinnov.web.coding import autocoding, training
from libinnov.web.coding.models import (
    INTERRUPTED,
    STALE_AFTER,
    AutoCodingRun,
    BackgroundRun,
    RunStatus,
    TrainingRun,
)
from libinnov.web.config import router

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _start_training() -> BackgroundRun:
    """A retraining that ends at once: a codebook with nothing to code fails it."""
    codebook = current_codebook()
    nothing = dataclasses.replace(
        codebook,
        dimensions=tuple(
            dataclasses.replace(d, retired=True) for d in codebook.dimensions
        ),
    )
    return training.run_start(
        user=None, codebook=nothing, version="x", background=False
    )


def _start_autocoding() -> BackgroundRun:
    """An automatic coding run over an empty library: done at once."""
    return autocoding.run_start(
        user=None, codebook=current_codebook(), version="x", background=False
    )


KINDS: dict[str, tuple[type[BackgroundRun], Callable[[], BackgroundRun], type]] = {
    "training": (TrainingRun, _start_training, training.TrainingBusy),
    "autocoding": (AutoCodingRun, _start_autocoding, autocoding.AutoCodingBusy),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_run_another_process_started_refuses_a_second_until_it_ends(
    backend: str, kind: str
) -> None:
    model, start, busy = KINDS[kind]
    other = model._default_manager.create(
        status=RunStatus.RUNNING, codebook_version="x"
    )
    assert other.slot is True
    with pytest.raises(busy):
        start()
    assert model._default_manager.count() == 1
    other.update(status=RunStatus.DONE, finished_at=timezone.now())
    assert model._default_manager.get(pk=other.pk).slot is None
    run = start()
    assert run.pk != other.pk and not run.active
    assert model._default_manager.filter(slot=True).count() == 0
    assert start().pk != run.pk  # and another after that


@pytest.mark.parametrize("kind", KINDS)
def test_the_database_itself_refuses_a_second_active_run(
    backend: str, kind: str
) -> None:
    model = KINDS[kind][0]
    manager = model._default_manager
    first = model.claim(codebook_version="x")
    assert first is not None and first.status == RunStatus.QUEUED
    assert model.claim(codebook_version="x") is None
    with pytest.raises(IntegrityError), atomic():
        manager.create(status=RunStatus.QUEUED, codebook_version="x")
    first.fail("the disk is full")
    second = model.claim(codebook_version="x")
    assert second is not None
    # finished runs, however many, never hold the slot
    manager.create(status=RunStatus.DONE, codebook_version="x")
    manager.create(status=RunStatus.FAILED, codebook_version="x")
    assert list(manager.filter(slot=True)) == [second]


@pytest.mark.parametrize("kind", KINDS)
def test_a_stale_run_is_given_up_and_frees_the_slot_and_a_live_one_is_not(
    backend: str, kind: str
) -> None:
    """A run a restart cut off stops blocking once it has been silent for
    STALE_AFTER, and is recorded as failed with the reason; until then it blocks."""
    model, start, busy = KINDS[kind]
    manager = model._default_manager
    other = manager.create(status=RunStatus.RUNNING, codebook_version="x")
    quiet = timezone.now() - STALE_AFTER + timedelta(minutes=1)
    manager.filter(pk=other.pk).update(updated_at=quiet)
    with pytest.raises(busy):
        start()
    assert manager.get(pk=other.pk).status == RunStatus.RUNNING
    manager.filter(pk=other.pk).update(updated_at=quiet - timedelta(minutes=2))
    run = start()
    assert run.pk != other.pk and not run.active
    other.refresh_from_db()
    assert other.status == RunStatus.FAILED and other.error == INTERRUPTED
    assert other.slot is None and other.finished_at is not None
    assert model.active_run() is None


@pytest.mark.postgres
@pytest.mark.django_db(databases=["postgres"], transaction=True)
def test_a_start_racing_an_uncommitted_start_elsewhere_is_refused() -> None:
    """The other connection inserts its run and commits a moment later: this
    start saw no active run, and its insert waits on the unique index, then fails."""
    router.pin("postgres")
    inserted, release = threading.Event(), threading.Event()
    other: list[AutoCodingRun] = []

    def other_process() -> None:
        try:
            with atomic():
                other.append(
                    AutoCodingRun.objects.create(
                        status=RunStatus.RUNNING, codebook_version="x"
                    )
                )
                inserted.set()
                release.wait(timeout=0.5)  # commits while this start waits
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_process)
    try:
        thread.start()
        assert inserted.wait(timeout=10)
        assert AutoCodingRun.active_run() is None  # not committed: invisible here
        with pytest.raises(autocoding.AutoCodingBusy) as refused:
            _start_autocoding()
        thread.join(timeout=10)
        assert refused.value.run == other[0]
        assert AutoCodingRun.objects.count() == 1
    finally:
        release.set()
        thread.join(timeout=10)
        router.pin(None)


@pytest.mark.django_db(databases=["default", "postgres"], transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_a_working_run_beats_while_it_works_and_not_after(
    backend: str, kind: str
) -> None:
    """A long stage saves no progress; the heartbeat keeps the run from looking
    stale meanwhile, from its own thread and connection, and stops with the work."""
    model = KINDS[kind][0]
    manager = model._default_manager
    run = manager.create(status=RunStatus.RUNNING, codebook_version="x")
    quiet = timezone.now() - STALE_AFTER - timedelta(minutes=1)
    manager.filter(pk=run.pk).update(updated_at=quiet)
    with run.heartbeat(every=timedelta(seconds=0.05)):
        time.sleep(0.5)  # one long model fit
    run.refresh_from_db()
    assert not run.stale and run.updated_at > quiet + STALE_AFTER
    assert model.active_run() == run
    manager.filter(pk=run.pk).update(updated_at=quiet)
    time.sleep(0.2)  # the beat has stopped with the work
    run.refresh_from_db()
    assert run.updated_at == quiet and run.stale


@pytest.mark.django_db(databases=["default", "postgres"], transaction=True)
def test_a_heartbeat_never_revives_a_run_that_ended(backend: str) -> None:
    run = TrainingRun.objects.create(status=RunStatus.RUNNING, codebook_version="x")
    with run.heartbeat(every=timedelta(seconds=0.05)):
        run.fail("the data cannot train a model")
        ended = TrainingRun.objects.get(pk=run.pk).updated_at
        time.sleep(0.3)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.updated_at == ended


def test_a_run_inside_a_transaction_has_no_heartbeat_to_wait_on_its_locks(
    backend: str,
) -> None:
    """Run in a request (``background=False``) or a test, the run's saves are
    seen by nobody before the commit; a beat from another connection would only
    wait on the row this transaction locked."""
    run = AutoCodingRun.objects.create(status=RunStatus.RUNNING, codebook_version="x")
    before = run.updated_at
    with run.heartbeat(every=timedelta(seconds=0.01)):
        time.sleep(0.1)
        beating = [t for t in threading.enumerate() if t.name.startswith("heartbeat")]
    assert beating == []
    run.refresh_from_db()
    assert run.updated_at == before
