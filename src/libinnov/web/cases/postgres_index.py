"""The PostgreSQL side of full-text search: each case's weighted tsvector, thrice.

The case table holds the vector in a generated column with a GIN index; searches
with a phrase to check are answered there, where the GIN index combines with the
indexes on year or province. A search with nothing but words is answered from
two tables keyed by the case's search rowid and kept by row triggers, as the FTS5
table is on SQLite. ``cases_search`` is narrow (its vectors
are stored out of line) and has the GIN index: counting a common word visits its
6,000 small pages instead of the case table's 21,000 wide ones, and its rowids,
newest first, give the window that :mod:`libinnov.search.ranking` ranks.
``cases_search_rank`` holds the vectors inline, for ``ts_rank``: reading one back
from out of line costs 3-4 µs, several times what ranking it does, and a common
word ranks 5,000 of them. ``cases_search`` also carries the case's filter columns
(year, province, campaign, published, and its codes as ``dimension=code`` strings,
kept by statement triggers on the code table), so a word search with a filter is
answered there too (:class:`PostgresFilteredHits`).

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

from libinnov.web.cases.hits import IndexFilter, IndexHits

CASE_TABLE = "cases_case"
CODE_TABLE = "cases_casecode"
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
#: the case table's filter columns, copied beside the vectors; codes from
#: ``cases_casecode`` as ``dimension=code`` strings
_FACETS = ("year integer", "province text", "campaign text", "published boolean")
_FACET_COLUMNS = f"ALTER TABLE {TABLE} " + ", ".join(
    f"ADD COLUMN IF NOT EXISTS {c}" for c in (*_FACETS, "codes text[]")
)
_CODES_OF = (
    f"ARRAY(SELECT k.dimension || '=' || k.code FROM {CODE_TABLE} k "
    "WHERE k.case_id = {case})"
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
        INSERT INTO {TABLE} (rowid, case_id, vector, year, province, campaign,
                published, codes)
            VALUES (NEW.search_rowid, NEW.id, NEW.search_vector, NEW.year,
                NEW.province, NEW.campaign, NEW.published,
                {_CODES_OF.format(case="NEW.id")});
        INSERT INTO {RANK_TABLE}
            VALUES (NEW.search_rowid, NEW.id, NEW.search_vector);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
# once per statement: a bulk import writes a thousand code rows at a time
_SYNC_CODES = f"""
CREATE OR REPLACE FUNCTION {TABLE}_codes() RETURNS trigger AS $$
BEGIN
    UPDATE {TABLE} s SET codes = {_CODES_OF.format(case="c.id")}
    FROM {CASE_TABLE} c
    WHERE c.id IN (SELECT case_id FROM changed) AND s.rowid = c.search_rowid;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_CLEAR = f"""
CREATE OR REPLACE FUNCTION {TABLE}_clear() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = '{CODE_TABLE}' THEN
        UPDATE {TABLE} SET codes = '{{}}';
    ELSE
        TRUNCATE {TABLE}, {RANK_TABLE};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""
_WATCHED = ("index_title", "index_body", "search_rowid", "year", "province")
_WATCHED += ("campaign", "published")
_TRIGGERS = (
    f"CREATE OR REPLACE TRIGGER {TABLE}_ai AFTER INSERT ON {CASE_TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_ad AFTER DELETE ON {CASE_TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_sync()",
    # re-coding a case leaves its tokens alone: its code rows' triggers follow it
    f"CREATE OR REPLACE TRIGGER {TABLE}_au "
    f"AFTER UPDATE OF {', '.join(_WATCHED)} ON {CASE_TABLE} FOR EACH ROW WHEN ("
    + " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in _WATCHED)
    + f") EXECUTE FUNCTION {TABLE}_sync()",
    f"CREATE OR REPLACE TRIGGER {TABLE}_at AFTER TRUNCATE ON {CASE_TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clear()",
    *(
        f"CREATE OR REPLACE TRIGGER {TABLE}_{name} AFTER {event} ON {CODE_TABLE} "
        f"REFERENCING {rows} TABLE AS changed "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_codes()"
        for name, event, rows in (
            ("codes_ai", "INSERT", "NEW"),
            ("codes_ad", "DELETE", "OLD"),
            ("codes_au_old", "UPDATE", "OLD"),
            ("codes_au_new", "UPDATE", "NEW"),
        )
    ),
    f"CREATE OR REPLACE TRIGGER {TABLE}_codes_at AFTER TRUNCATE ON {CODE_TABLE} "
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
            _FACET_COLUMNS,
            *_RANK_TABLE,
            _SYNC,
            _SYNC_CODES,
            _CLEAR,
            *_TRIGGERS,
        ):
            cursor.execute(statement)
        if not _in_step(cursor):
            _refill(connection)
        cursor.execute(_INDEX)


def _in_step(cursor: Any) -> bool:
    """Whether both tables hold a row per case, and the facet columns are
    filled (rows from before them have no codes, not even none)."""
    cursor.execute(
        f"SELECT (SELECT count(*) FROM {CASE_TABLE} WHERE search_rowid IS NOT NULL), "
        f"(SELECT count(*) FROM {TABLE}), (SELECT count(*) FROM {RANK_TABLE}), "
        f"EXISTS (SELECT FROM {TABLE} WHERE codes IS NULL)"
    )
    cases, indexed, ranked, unfilled = cursor.fetchone()
    return bool(cases == indexed == ranked and not unfilled)


def _refill(connection: BaseDatabaseWrapper) -> None:
    """Fill both tables in one pass each, newest first, so that a common word's
    newest hits (the ones it ranks) lie together; the GIN index is built
    afterwards rather than grown row by row."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}, {RANK_TABLE}")
        cursor.execute(f"DROP INDEX IF EXISTS {TABLE}_vector")
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, case_id, vector, year, province, "
            "campaign, published, codes) SELECT c.search_rowid, c.id, "
            "c.search_vector, c.year, c.province, c.campaign, c.published, "
            f"coalesce(k.codes, '{{}}') FROM {CASE_TABLE} c LEFT JOIN ("
            "SELECT case_id, array_agg(dimension || '=' || code) AS codes "
            f"FROM {CODE_TABLE} GROUP BY case_id) k ON k.case_id = c.id "
            "WHERE c.search_rowid IS NOT NULL ORDER BY c.search_rowid DESC"
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


class PostgresHits(IndexHits):
    """Ranked case ids of an unfiltered search, read from the two search tables.

    One statement counts the hits and collects the rowids of the newest
    ``window`` of them; the page asked for is then ranked by ``ts_rank`` among
    those, and hits past the window follow newest first, as on SQLite (see
    :mod:`libinnov.search.ranking`). A query with no more hits than the window
    is ranked exactly as the case-table query ranks it (score, then case id).
    """

    def __init__(self, alias: str, expression: str, window: int) -> None:
        super().__init__(alias, expression)
        self.window = window
        self._total: int | None = None
        # the rowids as PostgreSQL's array text: they only go back to the server,
        # and 5,000 of them cost 3 ms to turn into a list and back
        self._newest = "{}"

    def _planned(self, sql: str, params: Sequence[Any], *, index_scans: bool) -> Any:
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
            rows = self._planned(sql, [self.window, self.expression], index_scans=False)
            total, newest = rows[0]
            self._total, self._newest = int(total), str(newest)
        return self._total

    def count(self) -> int:
        return self._scan()

    def ranked(self, start: int, stop: int) -> list[str]:
        total = self._scan()
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
            ids += [row[0] for row in self._planned(sql, params, index_scans=True)]
        if stop > ranked:
            skip = max(start, ranked)
            sql = (
                f"SELECT case_id FROM {TABLE} WHERE vector @@ {TSQUERY} "
                "ORDER BY rowid DESC LIMIT %s OFFSET %s"
            )
            params = [self.expression, stop - skip, skip]
            ids += [row[0] for row in self._planned(sql, params, index_scans=False)]
        return ids


class PostgresFilteredHits(IndexHits):
    """Ranked case ids of a filtered word search, from the two search tables.

    ``cases_search`` carries the filter columns, so the statement that counts
    the hits (visiting each hit's small row, as :class:`PostgresHits` does)
    also drops those the filter leaves out and collects the rowids of the rest;
    ``cases_search_rank`` ranks them all, exactly as the case-table query does
    (``ts_rank``, then case id): a filter is asked for on purpose.
    """

    def __init__(self, alias: str, expression: str, facets: IndexFilter) -> None:
        super().__init__(alias, expression)
        self.facets = facets
        self._total: int | None = None
        self._rowids = "{}"

    def count(self) -> int:
        if self._total is None:
            clauses, params = self.facets.column_clauses(TABLE)
            for dimension, codes in self.facets.codes:
                clauses.append(f"{TABLE}.codes && %s::text[]")
                params.append([f"{dimension}={code}" for code in codes])
            sql = (
                "SELECT count(*), coalesce(array_agg(rowid), '{}')::text "
                f"FROM {TABLE} WHERE vector @@ {TSQUERY} AND {' AND '.join(clauses)}"
            )
            with planned(self.alias, index_scans=False) as cursor:
                cursor.execute(sql, [self.expression, *params])
                total, rowids = cursor.fetchone()
            self._total, self._rowids = int(total), str(rowids)
        return self._total

    def ranked(self, start: int, stop: int) -> list[str]:
        self.count()
        sql = (
            f"SELECT case_id FROM {RANK_TABLE} WHERE rowid = ANY(%s::bigint[]) "
            f"ORDER BY ts_rank(vector, {TSQUERY}) DESC, case_id LIMIT %s OFFSET %s"
        )
        with planned(self.alias) as cursor:
            cursor.execute(sql, [self._rowids, self.expression, stop - start, start])
            return [row[0] for row in cursor.fetchall()]
