from __future__ import annotations

from django.apps import AppConfig


class CodebookConfig(AppConfig):
    name = "libinnov.web.codebook"
    label = "codebook"
    verbose_name = "Codebook"
