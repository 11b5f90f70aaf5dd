"""The PostgreSQL side of full-text search: each case's weighted tsvector, thrice.

The case table holds the vector in a generated column with a GIN index; searches
with a filter or a phrase to check are answered there, where the GIN index
combines with the indexes on year or province. A search with nothing but words is
answered from two tables keyed by the case's search rowid and kept by row
triggers, as the FTS5 table is on SQLite. ``cases_search`` is narrow (its vectors
are stored out of line) and has the GIN index: counting a common word visits its
6,000 small pages instead of the case table's 21,000 wide ones, and its rowids,
newest first, give the window that :mod:`libinnov.search.ranking` ranks.
``cases_search_rank`` holds the vectors inline, for ``ts_rank``: reading one back
from out of line costs 3-4 µs, several times what ranking it does, and a common
word ranks 5,000 of them.

Testing ``@@`` on a row reads its whole vector back, yet the planner prices the
test like comparing two numbers and so prefers a sequential scan for a word found
in most cases (0.35 s at 100k cases, against 16 ms through the index). Those
queries therefore run inside :func:`planned`, with sequential scans off and,
where walking the rowid index would test ``@@`` row by row, index scans too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

CASE_TABLE = "cases_case"
TABLE = "cases_search"
RANK_TABLE = "cases_search_rank"
TSQUERY = "plainto_tsquery('simple', %s)"

_VECTOR = f"""
ALTER TABLE {CASE_TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(index_title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(index_body, '')), 'D')
    ) STORED
"""
_CASE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {CASE_TABLE}_search_vector "
    f"ON {CASE_TABLE} USING gin (search_vector)"
)
_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid bigint PRIMARY KEY, "
    "case_id varchar(64) NOT NULL, vector tsvector NOT NULL)"
)
# a row of up to a page stays inline: ranking then reads no TOAST
_RANK_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {RANK_TABLE} (rowid bigint PRIMARY KEY, "
    "case_id varchar(64) NOT NULL, vector tsvector NOT NULL) "
    "WITH (toast_tuple_target = 8160)",
    f"ALTER TABLE {RANK_TABLE} ALTER COLUMN vector SET STORAGE MAIN",
)
_INDEX = f"CREATE INDEX IF NOT EXISTS {TABLE}_vector ON {TABLE} USING gin (vector)"
_SYNC = f"""
CREATE OR REPLACE FUNCTION {TABLE}_sync() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM {TABLE} WHERE rowid = OLD.search_rowid;
        DELETE FROM {RANK_TABLE} WHERE rowid = OLD.search_rowid;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.search_rowid IS NOT NULL THEN
        INSERT INTO {TABLE} VALUES (NEW.search_rowid, NEW.id, NEW.search_vector);
        INSERT INTO {RANK_TABLE}
            VALUES (NEW.search_rowid, NEW.id, NEW.search_vector);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_CLEAR = f"""
CREATE OR REPLACE FUNCTION {TABLE}_clear() RETURNS trigger AS $$
BEGIN
    TRUNCATE {TABLE}, {RANK_TABLE};
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_TRIGGERS = (
    f"CREATE OR REPLACE TRIGGER {TABLE}_ai AFTER INSERT ON {CASE_TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_ad AFTER DELETE ON {CASE_TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()",
    # re-coding a case leaves its tokens alone and so the index too
    f"CREATE OR REPLACE TRIGGER {TABLE}_au "
    f"AFTER UPDATE OF index_title, index_body, search_rowid ON {CASE_TABLE} "
    "FOR EACH ROW WHEN (OLD.index_title IS DISTINCT FROM NEW.index_title "
    "OR OLD.index_body IS DISTINCT FROM NEW.index_body "
    "OR OLD.search_rowid IS DISTINCT FROM NEW.search_rowid) "
    f"EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_at AFTER TRUNCATE ON {CASE_TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clear()",
)


def ensure(connection: BaseDatabaseWrapper) -> None:
    """Create the vector column, the search tables, their indexes and triggers;
    refill the search tables if they are out of step with the cases."""
    with connection.cursor() as cursor:
        for statement in (
            _VECTOR,
            _CASE_INDEX,
            _TABLE,
            *_RANK_TABLE,
            _SYNC,
            _CLEAR,
            *_TRIGGERS,
        ):
            cursor.execute(statement)
        if not _in_step(cursor):
            _refill(connection)
        cursor.execute(_INDEX)


def _in_step(cursor: Any) -> bool:
    cursor.execute(
        f"SELECT (SELECT count(*) FROM {CASE_TABLE} WHERE search_rowid IS NOT NULL), "
        f"(SELECT count(*) FROM {TABLE}), (SELECT count(*) FROM {RANK_TABLE})"
    )
    cases, indexed, ranked = cursor.fetchone()
    return bool(cases == indexed == ranked)


def _refill(connection: BaseDatabaseWrapper) -> None:
    """Fill both tables in one pass each, newest first, so that a common word's
    newest hits (the ones it ranks) lie together; the GIN index is built
    afterwards rather than grown row by row."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}, {RANK_TABLE}")
        cursor.execute(f"DROP INDEX IF EXISTS {TABLE}_vector")
        cursor.execute(
            f"INSERT INTO {TABLE} SELECT search_rowid, id, search_vector "
            f"FROM {CASE_TABLE} WHERE search_rowid IS NOT NULL "
            "ORDER BY search_rowid DESC"
        )
        cursor.execute(
            f"INSERT INTO {RANK_TABLE} SELECT rowid, case_id, vector FROM {TABLE} "
            "ORDER BY rowid DESC"
        )
        cursor.execute(_INDEX)
        cursor.execute(f"ANALYZE {TABLE}, {RANK_TABLE}")


@contextmanager
def planned(alias: str, *, index_scans: bool = True) -> Iterator[Any]:
    """A cursor whose statements are planned without sequential scans.

    The settings are local to a transaction (opened here if none is), so they
    never reach another request's statements on the same connection.
    """
    connection = connections[alias]
    nested = connection.in_atomic_block
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('enable_indexscan', %s, true)",
            ["on" if index_scans else "off"],
        )
        yield cursor
        if nested:  # the settings would outlive this block otherwise
            cursor.execute(
                "SET LOCAL enable_seqscan TO DEFAULT; "
                "SET LOCAL enable_indexscan TO DEFAULT"
            )


class PostgresHits:
    """Ranked case ids of an unfiltered search, read from the two search tables.

    One statement counts the hits and collects the rowids of the newest
    ``window`` of them; the page asked for is then ranked by ``ts_rank`` among
    those, and hits past the window follow newest first, as on SQLite (see
    :mod:`libinnov.search.ranking`). A query with no more hits than the window
    is ranked exactly as the case-table query ranks it (score, then case id).
    """

    def __init__(self, alias: str, expression: str, window: int) -> None:
        self.alias = alias
        self.expression = expression
        self.window = window
        self._total: int | None = None
        # the rowids as PostgreSQL's array text: they only go back to the server,
        # and 5,000 of them cost 3 ms to turn into a list and back
        self._newest = "{}"

    def _rows(self, sql: str, params: Sequence[Any], *, index_scans: bool) -> Any:
        with planned(self.alias, index_scans=index_scans) as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _scan(self) -> int:
        if self._total is None:
            sql = (
                "SELECT count(*), "
                "coalesce((array_agg(rowid ORDER BY rowid DESC))[1:%s], '{}')::text "
                f"FROM {TABLE} WHERE vector @@ {TSQUERY}"
            )
            rows = self._rows(sql, [self.window, self.expression], index_scans=False)
            total, newest = rows[0]
            self._total, self._newest = int(total), str(newest)
        return self._total

    def count(self) -> int:
        return self._scan()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[str]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("index-only hits are read by slices")
        total = self._scan()
        start = index.start or 0
        stop = total if index.stop is None else min(index.stop, total)
        ids: list[str] = []
        ranked = min(total, self.window)
        if start < min(stop, ranked):
            ties = "case_id" if total <= self.window else "rowid DESC"
            # a list rather than a join, which the planner may answer by merging
            # with the whole rowid index
            sql = (
                f"SELECT case_id FROM {RANK_TABLE} WHERE rowid = ANY(%s::bigint[]) "
                f"ORDER BY ts_rank(vector, {TSQUERY}) DESC, {ties} LIMIT %s OFFSET %s"
            )
            params = [self._newest, self.expression, min(stop, ranked) - start, start]
            ids += [row[0] for row in self._rows(sql, params, index_scans=True)]
        if stop > ranked:
            skip = max(start, ranked)
            sql = (
                f"SELECT case_id FROM {TABLE} WHERE vector @@ {TSQUERY} "
                "ORDER BY rowid DESC LIMIT %s OFFSET %s"
            )
            params = [self.expression, stop - skip, skip]
            ids += [row[0] for row in self._rows(sql, params, index_scans=False)]
        return ids

    def __iter__(self) -> Iterator[str]:
        return iter(self[0 : self.count()])
