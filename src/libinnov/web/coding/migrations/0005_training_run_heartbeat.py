from typing import Any

from django.db import migrations, models
from django.db.models.functions import Coalesce
from django.utils import timezone


def last_heard_of(apps: Any, schema_editor: Any) -> None:
    """A run was last heard of when it ended, or else when it was asked for: one
    left active by a restart long ago is given up at once, not 15 minutes on."""
    model = apps.get_model("coding", "TrainingRun")
    model.objects.update(updated_at=Coalesce("finished_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("coding", "0004_one_active_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="trainingrun",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=timezone.now),
            preserve_default=False,
        ),
        migrations.RunPython(last_heard_of, migrations.RunPython.noop),
    ]
