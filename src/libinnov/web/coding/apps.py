from __future__ import annotations

from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "libinnov.web.coding"
    label = "coding"
    verbose_name = "Coding"
