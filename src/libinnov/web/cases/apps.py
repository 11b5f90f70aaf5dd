from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "libinnov.web.cases"
    label = "cases"
    verbose_name = "Cases"
