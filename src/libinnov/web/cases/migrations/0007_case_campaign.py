"""The campaign a case came from, in its own indexed column.

Filled from ``submission_ref`` (``<slug>/<reference>``) for the campaign cases
already published; the library's ``campaign=`` filter and facet read it. The
library's version moves on, so no page cached before (where ``campaign=`` was
ignored) is served again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import F


def fill(apps: Any, schema_editor: Any) -> None:
    manager = apps.get_model("cases", "Case").objects.using(
        schema_editor.connection.alias
    )
    refs = manager.filter(submission_ref__contains="/").values_list(
        "submission_ref", flat=True
    )
    for slug in {ref.partition("/")[0] for ref in refs}:
        manager.filter(submission_ref__startswith=f"{slug}/").update(campaign=slug)
    state = apps.get_model("cases", "LibraryState").objects
    state.using(schema_editor.connection.alias).update(changes=F("changes") + 1)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_library_state")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="campaign",
            field=models.CharField(blank=True, editable=False, max_length=50),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["campaign"], name="cases_case_campaign"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
