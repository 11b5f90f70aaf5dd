"""The database side of full-text search: FTS5 on SQLite, tsvectors on PostgreSQL.

Both index the token columns the core computes (:mod:`libinnov.search`), so a
query finds the same cases on either database; the PostgreSQL side is in
:mod:`~libinnov.web.cases.postgres_index`. :func:`ensure` runs after every
migrate and is idempotent: it recreates what a table rebuild dropped and refills
an index that is out of step with the cases.
"""

from __future__ import annotations

import logging
import os
from typing import Any, TypeAlias

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from libinnov.search import (
    RANK_WINDOW,
    Query,
    fts5_drop_statements,
    fts5_statements,
    ranked_rowids,
)
from libinnov.web.cases import postgres_index, search_facets
from libinnov.web.cases.hits import IndexFilter, IndexHits

log = logging.getLogger(__name__)
FTS_TABLE = "cases_fts"
CASE_TABLE = "cases_case"
_TRIGGERS = {f"{FTS_TABLE}_ai", f"{FTS_TABLE}_ad", f"{FTS_TABLE}_au"}


def ensure(connection: BaseDatabaseWrapper) -> None:
    """Create (or repair) the full-text index of the case table."""
    if connection.vendor == "postgresql":
        postgres_index.ensure(connection)
    elif connection.vendor == "sqlite":
        _ensure_fts5(connection)


_USABLE: dict[str, bool] = {}


def usable(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database's full-text index can hold Chinese words.

    PostgreSQL's parser drops CJK characters when the database's LC_CTYPE is the
    plain ``C`` locale; search then scans the text instead of finding nothing.
    """
    if connection.vendor != "postgresql":
        return True
    if connection.alias not in _USABLE:
        with connection.cursor() as cursor:
            cursor.execute("SELECT length(to_tsvector('simple', '古籍 阅读'))")
            _USABLE[connection.alias] = cursor.fetchone()[0] == 2
        if not _USABLE[connection.alias]:
            log.warning(
                "PostgreSQL cannot index Chinese words (use a UTF-8 LC_CTYPE such "
                "as C.UTF-8); search will scan the text"
            )
    return _USABLE[connection.alias]


def _ensure_fts5(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [CASE_TABLE],
        )
        have = {row[0] for row in cursor.fetchall()}
        if not (have >= _TRIGGERS and _in_step(cursor)):
            for statement in fts5_drop_statements(FTS_TABLE):
                cursor.execute(statement)
            for statement in fts5_statements(FTS_TABLE, CASE_TABLE):
                cursor.execute(statement)
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, case_id, title, body) "
                f"SELECT search_rowid, id, index_title, index_body FROM {CASE_TABLE}"
            )
        search_facets.ensure(cursor)


def _in_step(cursor: Any) -> bool:
    cursor.execute(f"SELECT count(*) FROM {CASE_TABLE}")
    cases = cursor.fetchone()[0]
    cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
    return bool(cursor.fetchone()[0] == cases)


def text_match(qs: QuerySet[Any], query: Query, vendor: str) -> QuerySet[Any]:
    """Cases whose tokens hold every query word, annotated with ``search_score``.

    Higher scores are better on both databases (BM25 with the title weighted on
    SQLite, ``ts_rank`` with title weight A on PostgreSQL). Case columns stay
    unqualified: Django renames the case table inside subqueries.
    """
    if vendor == "postgresql":
        tsquery = "plainto_tsquery('simple', %s)"
        return qs.annotate(
            search_score=RawSQL(
                f"ts_rank(search_vector, {tsquery})",
                [query.tsquery()],
                output_field=FloatField(),
            )
        ).filter(
            RawSQL(
                f"search_vector @@ {tsquery}",
                [query.tsquery()],
                output_field=BooleanField(),
            )
        )
    return qs.extra(
        tables=[FTS_TABLE],
        where=[
            f"{FTS_TABLE}.rowid = search_rowid",
            f"{FTS_TABLE} MATCH %s",
        ],
        params=[query.fts5()],
        select={"search_score": f"-{FTS_TABLE}.rank"},
    )


def rank_window() -> int:
    """How many of a common word's newest hits are ranked by relevance."""
    value = os.environ.get("LIBINNOV_SEARCH_RANK_WINDOW", "")
    return int(value) if value.strip() else RANK_WINDOW


def index_expression(query: Query, vendor: str) -> str | None:
    """The query as the database's own index takes it, if it has one."""
    if vendor == "sqlite":
        return query.fts5()
    if vendor == "postgresql":
        return query.tsquery()
    return None


def index_only(alias: str, expression: str, facets: IndexFilter | None = None) -> Hits:
    """The ranked hits of a word search, read without the case table.

    An unfiltered search is answered from the index alone, a filtered one from
    the index and the filter columns kept beside it (ranked exactly: only an
    unfiltered search is ranked within a window of its newest hits).
    """
    vendor = connections[alias].vendor
    if facets and vendor == "postgresql":
        return postgres_index.PostgresFilteredHits(alias, expression, facets)
    if facets:
        return search_facets.FilteredHits(alias, expression, facets)
    if vendor == "postgresql":
        return postgres_index.PostgresHits(alias, expression, rank_window())
    return IndexOnlyHits(alias, expression)


class IndexOnlyHits(IndexHits):
    """Ranked case ids straight from the FTS5 table, for a search with no filter.

    Counting and ranking in the full-text index alone avoids joining every hit
    back to the case table, which on a common word is most of the cost.
    """

    def __init__(self, alias: str, expression: str) -> None:
        super().__init__(alias, expression)
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            sql = f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            self._count = int(self._rows(sql, [self.expression])[0][0])
        return self._count

    def ranked(self, start: int, stop: int) -> list[str]:
        ranked = ranked_rowids(
            # the core writes sqlite3's ? placeholders; Django's cursor takes %s
            lambda sql, params: self._rows(sql.replace("?", "%s"), params),
            FTS_TABLE,
            self.expression,
            self.count(),
            start,
            stop,
            rank_window(),
        )
        rowids = [rowid for rowid, _ in ranked]
        if not rowids:
            return []
        marks = ", ".join(["%s"] * len(rowids))
        sql = f"SELECT rowid, case_id FROM {FTS_TABLE} WHERE rowid IN ({marks})"
        case_ids = dict(self._rows(sql, rowids))
        return [case_ids[r] for r in rowids]


Hits: TypeAlias = IndexHits
