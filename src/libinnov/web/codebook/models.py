"""Every saved state of the codebook, so old codes stay readable after an edit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class CodebookVersion(models.Model):
    """One immutable version of the frame, stored in the YAML file's shape.

    Editing never updates a row: it adds a new version, and the newest is current.
    Code changes record the ``version`` they were made under.
    """

    version = models.CharField(max_length=64, unique=True)
    data = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-id",)

    def __str__(self) -> str:
        return self.version

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("codebook versions are immutable; add a new one")
        super().save(*args, **kwargs)
