from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_triggers(using: str, **kwargs: Any) -> None:
    from libinnov.web.cases import library_state, search_index

    search_index.ensure(connections[using])
    library_state.ensure(connections[using])


class CasesConfig(AppConfig):
    name = "libinnov.web.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from libinnov.web.cases.selectors import forget_request_memo

        post_migrate.connect(_ensure_triggers, sender=self)
        request_started.connect(forget_request_memo)
        request_finished.connect(forget_request_memo)
