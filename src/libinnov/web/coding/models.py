"""Who coded what: current assignments, the append-only log, and coding tasks.

Coders are strings so people and models sit side by side: ``user:42`` or
``model:tfidf_lr@2026-03-01``; ``import:sample`` marks codes that came with a file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Self

from django.conf import settings
from django.db import (
    DatabaseError,
    IntegrityError,
    connections,
    models,
    router,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from libinnov.web.cases.models import Case

log = logging.getLogger(__name__)


class Action(models.TextChoices):
    SUGGEST = "suggest", "suggest"
    ACCEPT = "accept", "accept"
    CHANGE = "change", "change"
    REJECT = "reject", "reject"
    ADJUDICATE = "adjudicate", "adjudicate"
    IMPORT = "import", "import"
    AUTO = "auto", "auto"


class CodeAssignment(models.Model):
    """The latest value one coder gave one case on one dimension."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    dimension = models.CharField(max_length=64)
    coder = models.CharField(max_length=120, db_index=True)
    value = models.JSONField(null=True, blank=True)
    confidence = models.JSONField(default=dict, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    codebook_version = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["case", "dimension", "coder"], name="one_value_per_coder"
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.dimension} {self.coder}={self.value}"


class CodeChange(models.Model):
    """One row per decision, never updated or deleted: the provenance log."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    dimension = models.CharField(max_length=64)
    coder = models.CharField(max_length=120, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    value = models.JSONField(null=True, blank=True)
    previous = models.JSONField(null=True, blank=True)
    confidence = models.JSONField(default=dict, blank=True)
    codebook_version = models.CharField(max_length=64)
    final = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.created_at} {self.coder} {self.action} {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("the code change log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("the code change log is append-only")


class TaskStatus(models.TextChoices):
    OPEN = "open", "open"
    DONE = "done", "done"


class CodingTask(models.Model):
    """A case in a coder's queue; ``blind`` tasks hide other coders' codes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coding_tasks"
    )
    blind = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["case", "coder"], name="one_task_per_coder"
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} → {self.coder_id} ({self.status})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
#: an active run not heard from for this long was cut off (the server stopped)
STALE_AFTER = timedelta(minutes=15)
#: how often a working run says it is alive, well inside STALE_AFTER
HEARTBEAT_EVERY = timedelta(minutes=1)
#: the error a run given up as stale records (the page shows it translated)
INTERRUPTED = "interrupted: no progress for 15 minutes (the server stopped?)"


class BackgroundRun(models.Model):
    """What every background run of the coding app records: who asked, how far it
    is, and how it ended. The page polls it; the thread writes it.

    Only one run of a kind may be queued or running. A lock in the process cannot
    see a run another server process started, so the database holds the rule:
    ``slot`` is true while the run is active and empty once it has ended, and it
    is unique (empty values never collide), so a second active run cannot be
    inserted. :meth:`save` keeps it in step with ``status``.

    A run whose server stopped would hold the slot for ever, so every save
    stamps ``updated_at`` (the thread saves its progress as it goes) and
    :meth:`active_run` gives up an active run silent for :data:`STALE_AFTER`.
    """

    status = models.CharField(
        max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    slot = models.BooleanField(null=True, editable=False)
    stage = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL
    )
    codebook_version = models.CharField(max_length=64)
    case_ids = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["slot"], name="%(app_label)s_%(class)s_one_active"
            ),
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.slot = True if self.active else None
        fields = kwargs.get("update_fields")
        if fields is not None and "status" in fields:
            kwargs["update_fields"] = {*fields, "slot"}
        super().save(*args, **kwargs)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def stale(self) -> bool:
        return self.active and self.updated_at < timezone.now() - STALE_AFTER

    @property
    def failure(self) -> str:
        """Why the run failed, for people (errors the app words itself translated)."""
        if self.error == INTERRUPTED:
            return gettext(
                "Interrupted: no progress for %(minutes)d minutes (the server "
                "probably restarted). Start it again."
            ) % {"minutes": STALE_AFTER // timedelta(minutes=1)}
        return self.error

    @classmethod
    def active_run(cls) -> Self | None:
        """The queued or running run, if any; a stale one is marked failed."""
        run = cls._default_manager.filter(status__in=ACTIVE).first()
        if run is not None and run.give_up_if_stale():
            return None
        return run

    def give_up_if_stale(self) -> bool:
        """Mark the run failed if it went stale, which frees its slot."""
        if not self.stale:
            return False
        self.fail(INTERRUPTED)
        return True

    @classmethod
    def claim(cls, **fields: Any) -> Self | None:
        """Insert a queued run, or ``None`` when another one holds the slot.

        The insert runs in a savepoint, so a refusal leaves the caller's
        transaction usable (PostgreSQL aborts a transaction on any error).
        """
        try:
            with transaction.atomic(using=router.db_for_write(cls)):
                return cls.objects.create(status=RunStatus.QUEUED, **fields)
        except IntegrityError:
            return None

    @contextmanager
    def heartbeat(self, every: timedelta = HEARTBEAT_EVERY) -> Iterator[None]:
        """Stamp ``updated_at`` every ``every`` while the body works.

        Progress saves alone leave long silences (one model fit on a large
        library can outlast :data:`STALE_AFTER`), and a run given up while its
        thread still works would let a second one start. A beat from a thread of
        the same process is alive exactly as long as the work is; it touches the
        row only while the run is active, so it never revives an ended run.
        """
        alias = self._state.db or router.db_for_write(type(self))
        if connections[alias].in_atomic_block:
            # nobody else sees this run's saves before the commit, and a beat from
            # another connection would wait on the row lock this transaction holds
            yield
            return
        stop = threading.Event()
        rows = (
            type(self)
            ._default_manager.db_manager(alias)
            .filter(pk=self.pk, status__in=ACTIVE)
        )

        def beat() -> None:
            try:
                while not stop.wait(every.total_seconds()):
                    try:
                        rows.update(updated_at=timezone.now())
                    except DatabaseError:  # e.g. SQLite busy: the next beat may pass
                        log.warning("%s: heartbeat not saved", self, exc_info=True)
            finally:
                connections.close_all()  # this thread's own connections

        thread = threading.Thread(target=beat, name=f"heartbeat-{self}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def update(self, **fields: Any) -> None:
        """Set and save ``fields`` alone (and any ``auto_now`` stamp)."""
        for key, value in fields.items():
            setattr(self, key, value)
        stamps = [
            f.name for f in self._meta.concrete_fields if getattr(f, "auto_now", False)
        ]
        self.save(update_fields=[*fields, *stamps])

    def fail(self, error: str) -> None:
        self.update(
            status=RunStatus.FAILED,
            stage="failed",
            error=error,
            finished_at=timezone.now(),
        )


def run_in_thread(
    execute: Callable[[int, Any], None], run_id: int, codebook: Any
) -> None:
    """Start ``execute(run_id, codebook)`` in a thread of its own.

    The thread has its own database connections, closed when it ends. ``execute``
    records the run's end itself; what escapes it means the row is gone (a test
    database torn down) and is only logged.
    """

    def work() -> None:
        try:
            execute(run_id, codebook)
        except Exception:
            log.exception("background run %s could not record its end", run_id)
        finally:
            connections.close_all()  # this thread's own connections

    threading.Thread(target=work, name=f"run-{run_id}", daemon=True).start()


class TrainingRun(BackgroundRun):
    """One retraining of the automatic coder from the library's settled codes.

    ``before`` and ``after`` hold cross-validated scores on the same held-out
    cases (``{dimension: DimensionScore.as_dict()}``): the model in use against
    the model trained with the new codes. The newest finished run with a model
    file is the one the workbench suggests with.
    """

    progress = models.PositiveSmallIntegerField(default=0)
    n_cases = models.PositiveIntegerField(default=0)
    n_new = models.PositiveIntegerField(default=0)
    folds = models.PositiveSmallIntegerField(default=5)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    model_path = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"training run {self.pk} ({self.status})"


class AutoCodingRun(BackgroundRun):
    """One pass of the automatic coder over the cases that lack codes.

    Each case missing a final code on some coded dimension gets the model's
    suggestion on every dimension, and the missing ones become final (logged as
    ``auto`` by ``coder``). ``case_ids`` limits the run to those cases (a
    published campaign's); empty means the whole library. ``done`` of ``total``
    cases are through; ``coded`` of them received final codes, ``codes`` in all.
    """

    coder = models.CharField(max_length=120, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    coded = models.PositiveIntegerField(default=0)
    codes = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"automatic coding run {self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        """Per cent of the cases through, for the progress bar."""
        if not self.total:
            return 100 if self.status == RunStatus.DONE else 0
        return min(100, int(100 * self.done / self.total))


def user_coder(user: Any) -> str:
    return f"user:{user.pk}"
