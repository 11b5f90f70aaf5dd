"""Full-text search over cases that finds Chinese words of any length.

:mod:`~libinnov.search.analyzer` cuts texts and queries into the same tokens;
:mod:`~libinnov.search.index` keeps them in SQLite FTS5 (the web app adds a
PostgreSQL ``tsvector`` over the same tokens); :mod:`~libinnov.search.highlight`
finds the matches again in the original text for display.
"""

from __future__ import annotations

from libinnov.search.analyzer import Query, Term, index_tokens, parse_query
from libinnov.search.highlight import (
    match_spans,
    snippet_window,
    split_evidence,
    split_marked,
)
from libinnov.search.index import (
    CaseIndex,
    Hit,
    Results,
    body_tokens,
    fts5_drop_statements,
    fts5_statements,
    plain_text,
    title_tokens,
)
from libinnov.search.ranking import RANK_WINDOW, ranked_rowids, search_rowid

__all__ = [
    "RANK_WINDOW",
    "CaseIndex",
    "Hit",
    "Query",
    "Results",
    "Term",
    "body_tokens",
    "fts5_drop_statements",
    "fts5_statements",
    "index_tokens",
    "match_spans",
    "parse_query",
    "plain_text",
    "ranked_rowids",
    "search_rowid",
    "snippet_window",
    "split_evidence",
    "split_marked",
    "title_tokens",
]
