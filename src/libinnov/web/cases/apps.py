from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save


def _ensure_triggers(using: str, **kwargs: Any) -> None:
    from libinnov.web.cases import library_state, search_index

    search_index.ensure(connections[using])
    library_state.ensure(connections[using])


def _campaign_changed(instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """A call whose cases are in the library changed: a new library version.

    Its title labels the library's campaign facet, and whole pages are cached
    until the library's version changes. Deleting a call always counts: its
    submissions are gone by then.
    """
    from libinnov.web.cases.services import library_version_bump

    shown = {"title", "slug", "status"}
    if update_fields is not None and not shown & set(update_fields):
        return
    published = instance.submissions.filter(case__isnull=False)
    if kwargs["signal"] is post_delete or published.exists():
        library_version_bump()


class CasesConfig(AppConfig):
    name = "libinnov.web.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from libinnov.web.cases.selectors import forget_request_memo

        post_migrate.connect(_ensure_triggers, sender=self)
        for signal in (post_save, post_delete):
            signal.connect(_campaign_changed, sender="campaigns.Campaign")
        request_started.connect(forget_request_memo)
        request_finished.connect(forget_request_memo)
