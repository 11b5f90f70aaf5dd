"""The case table's change counter: triggers that bump it, a read that is cheap.

Like the full-text triggers, these are (re)created after every migrate, because
SQLite drops a table's triggers when a migration rebuilds it. SQLite fires them
per row; PostgreSQL once per statement.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

CASE_TABLE = "cases_case"
STATE_TABLE = "cases_librarystate"
_BUMP = f"UPDATE {STATE_TABLE} SET changes = changes + 1 WHERE id = 1"
_EVENTS = {"ai": "INSERT", "au": "UPDATE", "ad": "DELETE"}

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION cases_library_changed() RETURNS trigger AS $$
BEGIN
    {_BUMP};
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_PG_TRIGGER = (
    "CREATE OR REPLACE TRIGGER cases_library_changed "
    f"AFTER INSERT OR UPDATE OR DELETE ON {CASE_TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION cases_library_changed()"
)


def ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the counter's row and triggers if they are missing."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {STATE_TABLE} WHERE id = 1")
        if not cursor.fetchone()[0]:
            cursor.execute(f"INSERT INTO {STATE_TABLE} (id, changes) VALUES (1, 0)")
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            cursor.execute(_PG_TRIGGER)
            return
        for suffix, event in _EVENTS.items():
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {STATE_TABLE}_{suffix} "
                f"AFTER {event} ON {CASE_TABLE} BEGIN {_BUMP}; END"
            )
