"""On PostgreSQL, a trigram index makes substring search use an index.

Creating the extension needs a privileged role; without it the migration only
notes that search will scan, and nothing fails.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_trgm not available: substring search will scan';
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS cases_case_search_trgm
            ON cases_case USING gin (search_text gin_trgm_ops);
    END IF;
END $$;
"""
DROP = "DROP INDEX IF EXISTS cases_case_search_trgm;"


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
