"""The library's filter columns beside the FTS5 index, for a filtered word search.

A word search with a filter used to join every full-text hit to its case row,
about 3 µs a hit in the wide case table: 图书馆 with library_type=public took
0.87 s at 100k cases (81 ms now). ``cases_facets`` holds what the library
filters on (year, province, campaign, published and every settled code) in
narrow rows keyed by the case's search rowid, the FTS5 table's own row key;
probing it costs about 0.3 µs a hit, and only the hits that pass are scored.

Codes, which may be many per dimension, are one string of code numbers between
unit separators (``cases_facet_codes`` numbers each dimension and code), so a
code filter is a substring test on the row already read rather than a probe of
the code table per hit; numbers rather than ``dimension=code`` keep the string,
and the test, a fifth as long. Triggers on the case and code tables keep the
rows, as they keep the FTS5 table; :func:`ensure` recreates what a table rebuild
dropped and then refills the table.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from libinnov.web.cases.hits import IndexFilter, IndexHits

TABLE = "cases_facets"
#: a small number for each (dimension, code) pair, which rows hold instead
CODE_IDS = "cases_facet_codes"
CASE_TABLE = "cases_case"
CODE_TABLE = "cases_casecode"
FTS_TABLE = "cases_fts"
#: between the code numbers of a row, and around them
SEPARATOR = "\x1f"
#: hits ranked with the count, so the first pages need no second statement
HEAD = 100

_SEP = "char(31)"
_CASE_COLUMNS = ("id", "year", "province", "campaign", "published")
_CODE_ID = (
    f"(SELECT id FROM {CODE_IDS} WHERE dimension = {{row}}.dimension "
    f"AND code = {{row}}.code)"
)
_CODES_OF = (
    f"{_SEP} || coalesce((SELECT group_concat({_CODE_ID.format(row='k')}, {_SEP}) "
    f"FROM {CODE_TABLE} k WHERE k.case_id = {{case}}) || {_SEP}, '')"
)
_INSERT = (
    f"INSERT INTO {TABLE} (rowid, case_id, year, province, campaign, published, "
    f"codes) SELECT new.search_rowid, new.id, new.year, new.province, "
    f"new.campaign, new.published, {_CODES_OF.format(case='new.id')} "
    "WHERE new.search_rowid IS NOT NULL;"
)
_DELETE = f"DELETE FROM {TABLE} WHERE rowid = old.search_rowid;"
_ROW_OF = f"rowid = (SELECT search_rowid FROM {CASE_TABLE} WHERE id = {{case}})"
_ADD_CODE = (
    f"INSERT OR IGNORE INTO {CODE_IDS} (dimension, code) "
    "VALUES (new.dimension, new.code); "
    f"UPDATE {TABLE} SET codes = codes || {_CODE_ID.format(row='new')} || {_SEP} "
    f"WHERE {_ROW_OF.format(case='new.case_id')};"
)
_DROP_CODE = (
    f"UPDATE {TABLE} SET codes = replace(codes, "
    f"{_SEP} || {_CODE_ID.format(row='old')} || {_SEP}, {_SEP}) "
    f"WHERE {_ROW_OF.format(case='old.case_id')};"
)
_CHANGED = " OR ".join(
    f"old.{column} IS NOT new.{column}" for column in (*_CASE_COLUMNS, "search_rowid")
)
_TRIGGERS = {
    f"{TABLE}_ai": f"AFTER INSERT ON {CASE_TABLE} BEGIN {_INSERT} END",
    f"{TABLE}_ad": f"AFTER DELETE ON {CASE_TABLE} BEGIN {_DELETE} END",
    f"{TABLE}_au": (
        f"AFTER UPDATE OF {', '.join(_CASE_COLUMNS)}, search_rowid ON {CASE_TABLE} "
        f"WHEN {_CHANGED} BEGIN {_DELETE} {_INSERT} END"
    ),
    f"{TABLE}_code_ai": f"AFTER INSERT ON {CODE_TABLE} BEGIN {_ADD_CODE} END",
    f"{TABLE}_code_ad": f"AFTER DELETE ON {CODE_TABLE} BEGIN {_DROP_CODE} END",
    f"{TABLE}_code_au": (
        f"AFTER UPDATE ON {CODE_TABLE} BEGIN {_DROP_CODE} {_ADD_CODE} END"
    ),
}


def ensure(cursor: Any) -> None:
    """Create the tables and triggers; refill them if a trigger was missing (a
    table rebuild drops them, and what changed since went unseen) or if the
    rows are out of step with the cases."""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (rowid INTEGER PRIMARY KEY, "
        "case_id TEXT NOT NULL, year INTEGER, province TEXT NOT NULL, "
        "campaign TEXT NOT NULL, published INTEGER NOT NULL, codes TEXT NOT NULL)"
    )
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {CODE_IDS} (id INTEGER PRIMARY KEY, "
        "dimension TEXT NOT NULL, code TEXT NOT NULL, UNIQUE (dimension, code))"
    )
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
        f"('{CASE_TABLE}', '{CODE_TABLE}')"
    )
    have = {row[0] for row in cursor.fetchall()}
    for name, body in _TRIGGERS.items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    if not have >= set(_TRIGGERS) or not _in_step(cursor):
        _refill(cursor)


def _in_step(cursor: Any) -> bool:
    cursor.execute(
        f"SELECT (SELECT count(*) FROM {CASE_TABLE} WHERE search_rowid IS NOT NULL), "
        f"(SELECT count(*) FROM {TABLE})"
    )
    cases, rows = cursor.fetchone()
    return bool(cases == rows)


def _refill(cursor: Any) -> None:
    cursor.execute(f"DELETE FROM {TABLE}")
    cursor.execute(f"DELETE FROM {CODE_IDS}")
    cursor.execute(
        f"INSERT INTO {CODE_IDS} (dimension, code) "
        f"SELECT DISTINCT dimension, code FROM {CODE_TABLE} ORDER BY 1, 2"
    )
    cursor.execute(
        f"INSERT INTO {TABLE} (rowid, case_id, year, province, campaign, published, "
        f"codes) SELECT c.search_rowid, c.id, c.year, c.province, c.campaign, "
        f"c.published, {_CODES_OF.format(case='c.id')} FROM {CASE_TABLE} c "
        "WHERE c.search_rowid IS NOT NULL ORDER BY c.search_rowid"
    )


def _where(cursor: Any, facets: IndexFilter) -> tuple[list[str], list[Any]] | None:
    """SQL conditions on the facet table ``s`` and their parameters; ``None``
    when a dimension asked for holds none of its codes in any case."""
    clauses: list[str] = []
    params: list[Any] = []
    for dimension, codes in facets.codes:
        marks = ", ".join(["%s"] * len(codes))
        cursor.execute(
            f"SELECT id FROM {CODE_IDS} WHERE dimension = %s AND code IN ({marks})",
            [dimension, *codes],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return None
        tests = ["instr(s.codes, %s) > 0"] * len(ids)
        clauses.append("(" + " OR ".join(tests) + ")")
        params += [f"{SEPARATOR}{code_id}{SEPARATOR}" for code_id in ids]
    columns, values = facets.column_clauses("s")
    return [*clauses, *columns], [*params, *values]


class FilteredHits(IndexHits):
    """Ranked case ids of a filtered word search, from FTS5 and the facet table.

    Ranked exactly as the case-table query ranks them (BM25, then case id), never
    by the window of :mod:`libinnov.search.ranking`: a filter is asked for on
    purpose, and its hits are fewer. The index is read first, whatever the
    planner would guess, so a search costs at most one facet probe per hit. One
    statement counts the hits and ranks the first :data:`HEAD`, the pages people
    read; later pages are ranked when asked for.
    """

    def __init__(self, alias: str, expression: str, facets: IndexFilter) -> None:
        super().__init__(alias, expression)
        self.facets = facets
        self._count: int | None = None
        self._head: list[str] = []
        self._hits = ""
        self._params: list[Any] = []

    def count(self) -> int:
        if self._count is None:
            with connections[self.alias].cursor() as cursor:
                where = _where(cursor, self.facets)
            if where is None:
                self._count = 0
                return 0
            clauses, params = where
            self._hits = (
                f"SELECT s.case_id AS case_id, f.rank AS score FROM {FTS_TABLE} f "
                f"CROSS JOIN {TABLE} s ON s.rowid = f.rowid "
                f"WHERE f.{FTS_TABLE} MATCH %s AND {' AND '.join(clauses)}"
            )
            self._params = [self.expression, *params]
            # the hits once, counted and ranked: a second pass costs a probe a hit
            sql = (
                f"WITH hits AS ({self._hits}) SELECT case_id, "
                "(SELECT count(*) FROM hits) FROM hits "
                "ORDER BY score, case_id LIMIT %s"
            )
            rows = self._rows(sql, [*self._params, HEAD])
            self._count = int(rows[0][1]) if rows else 0
            self._head = [row[0] for row in rows]
        return self._count

    def ranked(self, start: int, stop: int) -> list[str]:
        if stop <= len(self._head) or len(self._head) == self.count():
            return self._head[start:stop]
        sql = f"{self._hits} ORDER BY score, case_id LIMIT %s OFFSET %s"
        rows = self._rows(sql, [*self._params, stop - start, start])
        return [row[0] for row in rows]
