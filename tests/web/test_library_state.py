"""The change counter every cache keys on: bumped by triggers on both databases."""

from __future__ import annotations

import pytest
from django.db import connections

from libinnov.cases import Case as CoreCase
from libinnov.web.cases import library_state, selectors
from libinnov.web.cases.models import Case, LibraryState
from libinnov.web.cases.services import case_save
from libinnov.web.config.router import active_alias

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _version() -> str:
    selectors.forget_request_memo()
    return selectors.library_version()


def test_every_insert_update_and_delete_changes_the_version(backend: str) -> None:
    seen = {_version()}
    case_save(core=CoreCase(id="v1", title="古籍修复", summary=""))
    seen.add(_version())
    Case.objects.filter(id="v1").update(published=False)  # no updated_at change
    seen.add(_version())
    Case.objects.filter(id="v1").delete()
    seen.add(_version())
    assert len(seen) == 4
    assert all(v.startswith("v") for v in seen)


def test_ensure_is_idempotent_and_repairs_a_lost_row(backend: str) -> None:
    connection = connections[active_alias()]
    library_state.ensure(connection)
    library_state.ensure(connection)
    assert LibraryState.objects.count() == 1
    LibraryState.objects.all().delete()
    case_save(core=CoreCase(id="v2", title="城市书房", summary=""))
    fallback = _version()
    assert fallback.startswith("1:")  # case count and newest change
    library_state.ensure(connection)
    before = _version()
    case_save(core=CoreCase(id="v3", title="城市书房", summary=""))
    assert _version() != before


@pytest.mark.django_db(databases=["default"])
def test_sqlite_recreates_triggers_a_table_rebuild_dropped() -> None:
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cases_librarystate_au")
    library_state.ensure(connection)
    case_save(core=CoreCase(id="v4", title="古籍", summary=""))
    before = _version()
    Case.objects.filter(id="v4").update(published=False)
    assert _version() != before
