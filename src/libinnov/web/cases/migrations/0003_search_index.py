"""Token columns for full-text search, filled for the cases already stored.

The index itself (FTS5 on SQLite, a tsvector on PostgreSQL) is made after every
migrate by :mod:`libinnov.web.cases.search_index`, because SQLite drops a table's
triggers whenever a later migration rebuilds the table.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from libinnov.search import body_tokens, search_rowid, title_tokens


def fill_tokens(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("cases", "Case")
    alias = schema_editor.connection.alias
    batch = []
    for case in case_model.objects.using(alias).only(
        "id", "title", "library", "summary"
    ):
        case.index_title = title_tokens(case.title, case.library)
        case.index_body = body_tokens(case.summary)
        case.search_rowid = search_rowid(case.id)
        batch.append(case)
    case_model.objects.using(alias).bulk_update(
        batch, ["index_title", "index_body", "search_rowid"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_trigram_index")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="index_body",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="index_title",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="search_rowid",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop),
    ]
