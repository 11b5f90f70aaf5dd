"""Number the full-text index newest first: the case's year joins the row key.

Ranking a common word then reads only its newest hits (see
:mod:`libinnov.search.ranking`). On SQLite the FTS5 table is dropped first, so
the update does not re-index case by case; the migrate's post-migrate step
(:func:`libinnov.web.cases.search_index.ensure`) rebuilds it in one pass.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from libinnov.search import fts5_drop_statements, search_rowid

BATCH = 2000


def renumber(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in fts5_drop_statements("cases_fts"):
                cursor.execute(statement)
    manager = apps.get_model("cases", "Case").objects.using(connection.alias)
    batch = []
    for case in manager.only("id", "year").iterator(chunk_size=BATCH):
        case.search_rowid = search_rowid(case.id, case.year)
        batch.append(case)
        if len(batch) == BATCH:
            manager.bulk_update(batch, ["search_rowid"])
            batch = []
    manager.bulk_update(batch, ["search_rowid"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_search_rowid_unique")]

    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
