"""Ranked case ids read straight from a search index, and the filters it takes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections


@dataclass(frozen=True)
class IndexFilter:
    """A library filter as the search index's facet columns answer it: codes
    (OR within a dimension, AND across), provinces, years and campaigns, and
    whether only published cases count."""

    codes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    provinces: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    campaigns: tuple[str, ...] = ()
    published_only: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.codes
            or self.provinces
            or self.years
            or self.campaigns
            or self.published_only
        )

    def column_clauses(self, table: str) -> tuple[list[str], list[Any]]:
        """SQL conditions on the columns of ``table`` that mirror the case
        table's (all but the codes), and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        for column, values in (
            ("province", self.provinces),
            ("year", self.years),
            ("campaign", self.campaigns),
        ):
            if values:
                marks = ", ".join(["%s"] * len(values))
                clauses.append(f"{table}.{column} IN ({marks})")
                params += values
        if self.published_only:
            clauses.append(f"{table}.published")
        return clauses, params


class IndexHits:
    """The hits of one query, counted and sliced the way
    :class:`django.core.paginator.Paginator` pages through a sequence.

    Subclasses count the hits and rank the ones from ``start`` to ``stop``;
    neither is asked before it is needed, so a page costs what it shows.
    """

    def __init__(self, alias: str, expression: str) -> None:
        self.alias = alias
        self.expression = expression

    def _rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def count(self) -> int:
        raise NotImplementedError

    def ranked(self, start: int, stop: int) -> list[str]:
        """Case ids of hits ``start`` to ``stop`` (at most the count), best first."""
        raise NotImplementedError

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[str]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("index-only hits are read by slices")
        total = self.count()
        stop = total if index.stop is None else min(index.stop, total)
        start = index.start or 0
        return self.ranked(start, stop) if start < stop else []

    def __iter__(self) -> Iterator[str]:
        return iter(self[0 : self.count()])
