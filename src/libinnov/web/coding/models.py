"""Who coded what: current assignments, the append-only log, and coding tasks.

Coders are strings so people and models sit side by side: ``user:42`` or
``model:tfidf_lr@2026-03-01``; ``import:sample`` marks codes that came with a file.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from libinnov.web.cases.models import Case


class Action(models.TextChoices):
    SUGGEST = "suggest", "suggest"
    ACCEPT = "accept", "accept"
    CHANGE = "change", "change"
    REJECT = "reject", "reject"
    ADJUDICATE = "adjudicate", "adjudicate"
    IMPORT = "import", "import"


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


def user_coder(user: Any) -> str:
    return f"user:{user.pk}"
