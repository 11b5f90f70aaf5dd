"""Relevance ranking in FTS5 at a bounded cost, whatever the number of hits.

FTS5 scores every hit with BM25 before it can return the best twenty, about a
microsecond a hit: a word found in 70,000 cases costs 80 ms however few are shown.
Index rows are therefore numbered newest first (:func:`search_rowid` puts the
case's year in the high bits), which FTS5 reads in order and can stop early. A
query with more hits than :data:`RANK_WINDOW` is ranked by BM25 among its
``RANK_WINDOW`` newest hits, and the older hits follow newest first. A word that
common says little about relevance anyway, and newest-first is what a reader
scrolling that far expects; every query with fewer hits is ranked exactly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

#: hits ranked by BM25 for a common query (about 7 ms of scoring on one core)
RANK_WINDOW = 5000
_YEAR_BITS = 11
_HASH_BITS = 63 - _YEAR_BITS
_FIRST_YEAR = 1900

Execute = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def search_rowid(case_id: str, year: int | None = None) -> int:
    """The FTS5 row of a case: its year in the high bits, a hash of its id below.

    Keyed by a hash rather than SQLite's implicit rowid, which VACUUM may
    renumber; the year makes rowid order newest-first order, so a common query
    can be ranked over its newest hits without reading the rest.
    """
    digest = hashlib.blake2b(case_id.encode("utf-8"), digest_size=8).digest()
    low = int.from_bytes(digest, "big") >> (64 - _HASH_BITS)
    bucket = 0 if year is None else min(max(year - _FIRST_YEAR, 0), 2**_YEAR_BITS - 1)
    return (bucket << _HASH_BITS) | low


def ranked_rowids(
    execute: Execute,
    table: str,
    expression: str,
    total: int,
    start: int,
    stop: int,
    window: int = RANK_WINDOW,
) -> list[tuple[int, float]]:
    """``(rowid, score)`` of hits ``start`` to ``stop`` of a ``MATCH``, best first.

    ``total`` is the query's hit count (the caller has it for paging already);
    ``execute`` runs one SQL statement with parameters and returns its rows.
    Scores are negated BM25 ranks: higher is better.
    """
    if stop <= start:
        return []
    match = f"FROM {table} WHERE {table} MATCH ?"
    if total <= window:
        sql = f"SELECT rowid, -rank {match} ORDER BY rank LIMIT ? OFFSET ?"
        return _pairs(execute(sql, [expression, stop - start, start]))
    pairs: list[tuple[int, float]] = []
    if start < window:
        sql = (
            f"SELECT rowid, -score FROM (SELECT rowid, rank AS score {match} "
            "ORDER BY rowid DESC LIMIT ?) ORDER BY score, rowid DESC LIMIT ? OFFSET ?"
        )
        params = [expression, window, min(stop, window) - start, start]
        pairs += _pairs(execute(sql, params))
    if stop > window:
        skip = max(start, window)
        sql = f"SELECT rowid, -rank {match} ORDER BY rowid DESC LIMIT ? OFFSET ?"
        pairs += _pairs(execute(sql, [expression, stop - skip, skip]))
    return pairs


def _pairs(rows: list[tuple[Any, ...]]) -> list[tuple[int, float]]:
    return [(int(r[0]), float(r[1])) for r in rows]
