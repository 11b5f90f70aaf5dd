"""A full-text index of cases in SQLite FTS5, for the CLI and the Python API.

The web app keeps the same FTS5 table next to its case table (see
:func:`fts5_statements`) and, on PostgreSQL, a ``tsvector`` over the same tokens,
so a query finds the same cases whichever way it is asked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from libinnov.cases import Case
from libinnov.search.analyzer import Query, index_tokens, parse_query
from libinnov.search.ranking import RANK_WINDOW, ranked_rowids, search_rowid
from libinnov.text import normalise_text

TITLE_WEIGHT = 5.0
BODY_WEIGHT = 1.0


def title_tokens(title: str, library: str) -> str:
    """What the weighted title column holds: the title and the library's name."""
    return index_tokens(f"{title}\n{library}")


def body_tokens(summary: str) -> str:
    return index_tokens(summary)


def plain_text(title: str, library: str, summary: str) -> str:
    """The normalised, case-folded text phrases and short terms are checked on."""
    return normalise_text("\n".join((title, library, summary))).casefold()


def fts5_statements(table: str, content: str) -> list[str]:
    """DDL for an FTS5 table kept in step with ``content`` by triggers.

    ``content`` must have the columns ``id``, ``index_title``, ``index_body`` and
    ``search_rowid``; triggers fire only when the tokens change, so re-coding a
    case does not touch the index.
    """
    insert = (
        f"INSERT INTO {table}(rowid, case_id, title, body) "
        "VALUES (new.search_rowid, new.id, new.index_title, new.index_body);"
    )
    delete = f"DELETE FROM {table} WHERE rowid = old.search_rowid;"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} "
        "USING fts5(case_id UNINDEXED, title, body, tokenize='unicode61')",
        f"INSERT INTO {table}({table}, rank) "
        f"VALUES('rank', 'bm25(0.0, {TITLE_WEIGHT}, {BODY_WEIGHT})')",
        f"CREATE TRIGGER IF NOT EXISTS {table}_ai AFTER INSERT ON {content} "
        f"BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_ad AFTER DELETE ON {content} "
        f"BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {table}_au "
        f"AFTER UPDATE OF index_title, index_body, search_rowid ON {content} "
        "WHEN old.index_title IS NOT new.index_title "
        "OR old.index_body IS NOT new.index_body "
        "OR old.search_rowid IS NOT new.search_rowid "
        f"BEGIN {delete} {insert} END",
    ]


def fts5_drop_statements(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_au",
        f"DROP TRIGGER IF EXISTS {table}_ad",
        f"DROP TRIGGER IF EXISTS {table}_ai",
        f"DROP TABLE IF EXISTS {table}",
    ]


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    score: float


@dataclass(frozen=True)
class Results:
    """One page of hits and how many cases match in all."""

    query: Query
    total: int
    hits: tuple[Hit, ...]


class CaseIndex:
    """Cases indexed for full-text search in an SQLite database (in memory by default).

    >>> index = CaseIndex()
    >>> index.add([Case(id="a", title="古籍修复进校园", summary="")])
    1
    >>> [h.id for h in index.search("古籍").hits]
    ['a']
    """

    def __init__(self, path: str = ":memory:", rank_window: int = RANK_WINDOW) -> None:
        self.conn = sqlite3.connect(path)
        self.rank_window = rank_window
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS cases (id TEXT PRIMARY KEY, title TEXT, "
            "search_text TEXT, index_title TEXT, index_body TEXT, "
            "search_rowid INTEGER UNIQUE)"
        )
        for statement in fts5_statements("cases_fts", "cases"):
            self.conn.execute(statement)

    def add(self, cases: Iterable[Case]) -> int:
        """Index (or re-index) cases; returns how many were written."""
        rows = [
            (
                c.id,
                c.title,
                plain_text(c.title, c.library, c.summary),
                title_tokens(c.title, c.library),
                body_tokens(c.summary),
                search_rowid(c.id, c.year),
            )
            for c in cases
        ]
        with self.conn:
            self.conn.executemany(
                "DELETE FROM cases WHERE id = ?", [r[:1] for r in rows]
            )
            self.conn.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM cases").fetchone()[0])

    def search(self, q: str, limit: int = 20, offset: int = 0) -> Results:
        """Cases matching every term, best first (BM25, title weighted).

        A phrase with no exact hit is relaxed to its words, as in the case library,
        so a sentence typed as a query still finds the cases about its words.
        """
        query = parse_query(q)
        if not query:
            return Results(query, 0, ())
        if query.indexable and not any(t.verify for t in query.terms):
            return self._search_index_only(query, limit, offset)
        where, params = self._where(query)
        total = self.conn.execute(
            f"SELECT count(*) FROM cases c {where}", params
        ).fetchone()[0]
        if not total and query.indexable and any(t.verify for t in query.terms):
            where, params = self._where(query, strict=False)
            total = self.conn.execute(
                f"SELECT count(*) FROM cases c {where}", params
            ).fetchone()[0]
        order = "cases_fts.rank" if query.indexable else "c.id"
        rows = self.conn.execute(
            f"SELECT c.id, c.title, {self._score(query)} FROM cases c {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        hits = tuple(Hit(id=i, title=t, score=float(s)) for i, t, s in rows)
        return Results(query, int(total), hits)

    def _search_index_only(self, query: Query, limit: int, offset: int) -> Results:
        """Count and rank in the FTS5 table alone (see :mod:`.ranking`)."""
        expression = query.fts5()
        total = self.conn.execute(
            "SELECT count(*) FROM cases_fts WHERE cases_fts MATCH ?", [expression]
        ).fetchone()[0]
        ranked = ranked_rowids(
            lambda sql, params: self.conn.execute(sql, params).fetchall(),
            "cases_fts",
            expression,
            int(total),
            offset,
            offset + limit,
            self.rank_window,
        )
        marks = ", ".join("?" * len(ranked))
        titles = {
            rowid: (case_id, title)
            for rowid, case_id, title in self.conn.execute(
                "SELECT search_rowid, id, title FROM cases "
                f"WHERE search_rowid IN ({marks})",
                [rowid for rowid, _ in ranked],
            )
        }
        hits = (Hit(*titles[rowid], score=score) for rowid, score in ranked)
        return Results(query, int(total), tuple(hits))

    @staticmethod
    def _score(query: Query) -> str:
        return "-cases_fts.rank" if query.indexable else "0.0"

    @staticmethod
    def _where(query: Query, *, strict: bool = True) -> tuple[str, list[object]]:
        checks = [
            t.text for t in query.terms if (strict and t.verify) or not query.indexable
        ]
        clauses = ["instr(c.search_text, ?) > 0" for _ in checks]
        params: list[object] = list(checks)
        if query.indexable:
            join = "JOIN cases_fts ON cases_fts.rowid = c.search_rowid "
            clauses.insert(0, "cases_fts MATCH ?")
            params.insert(0, query.fts5())
            return join + "WHERE " + " AND ".join(clauses), params
        return "WHERE " + " AND ".join(clauses), params
