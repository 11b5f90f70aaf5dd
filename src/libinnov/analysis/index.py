"""Each case's codes read once per analysis, shared by every table built from them.

Reading a case's codes (``codes_of``) for every table and every case was most of
the time of :func:`~libinnov.analysis.analyze` on large sets. Cases carry few
distinct code lists, so a :class:`CodeIndex` keeps each dimension's distinct
values (*patterns*) once, and which pattern each case has as an integer array.
A table is then worked out per pattern (or per pair of patterns), and its cells
get their case ids, in case order, from the cases grouped by pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Final, cast

import numpy as np

from libinnov.cases.model import Case

UNKNOWN = "unknown"


class _Missing:
    """The value of a dimension the case has not been coded on."""

    def __repr__(self) -> str:
        return "MISSING"


#: A dimension the case has not been coded on (``codes_of`` reads ``unknown``);
#: unlike any stored value, so never confused with a real code list.
MISSING: Final = _Missing()


@dataclass(frozen=True)
class Pattern:
    """One distinct value of a dimension, with the two ways the tables read it.

    ``codes`` is what ``codes_of`` gives (``unknown`` when not coded), ``listed``
    what ``Case.codes_list`` gives (nothing when not coded); ``raw`` is the
    stored value itself (a list as a tuple), for tests on the exact value.
    """

    raw: Hashable
    codes: tuple[str, ...]
    listed: tuple[str, ...]

    @property
    def distinct(self) -> tuple[str, ...]:
        """``codes`` once each, in order: a case counts once per code."""
        return tuple(dict.fromkeys(self.codes))


def _pattern(raw: Hashable) -> Pattern:
    if raw is MISSING:
        return Pattern(raw, (UNKNOWN,), ())
    if raw is None:
        return Pattern(raw, (), ())
    listed = (raw,) if isinstance(raw, str) else tuple(cast(Iterable[str], raw))
    return Pattern(raw, listed, listed)


def _field_pattern(value: Hashable) -> Pattern:
    """``province`` and ``year`` read as one code, ``unknown`` when empty."""
    code = str(value) if value else UNKNOWN
    return Pattern(value, (code,), (code,))


def _hashable(value: object) -> Hashable:
    """A stored code value as a dictionary key (lists become tuples)."""
    if value is None or value is MISSING or isinstance(value, str):
        return value
    return tuple(cast(Iterable[str], value))


def _numbered(values: list[object]) -> tuple[list[Hashable], list[int]]:
    """The distinct values (first seen first) and each value's number among them.

    Lists, the common case, become tuples in one quick pass; should some other
    unhashable value turn up, every value goes through :func:`_hashable`.
    """
    seen: dict[Hashable, int] = {}
    try:
        keys = [tuple(v) if v.__class__ is list else v for v in values]  # type: ignore[call-overload]
        ids = [seen.setdefault(v, len(seen)) for v in keys]
    except TypeError:
        seen.clear()
        ids = [seen.setdefault(_hashable(v), len(seen)) for v in values]
    return list(seen), ids


@dataclass(frozen=True)
class Groups:
    """Cases grouped by a combination of patterns, first-seen combination first.

    ``combos[k]`` holds one pattern index per column; ``members(k)`` the cases
    (as positions) with that combination, in case order.
    """

    combos: list[tuple[int, ...]]
    order: np.ndarray
    bounds: np.ndarray

    def size(self, k: int) -> int:
        return int(self.bounds[k + 1] - self.bounds[k])

    def members(self, ks: Sequence[int]) -> np.ndarray:
        """Positions of the cases in any of the combinations ``ks``, in case order."""
        parts = [self.order[self.bounds[k] : self.bounds[k + 1]] for k in ks]
        if not parts:
            return np.zeros(0, dtype=np.intp)
        return parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts))


def _first_seen_labels(
    pattern_ids: Sequence[np.ndarray], sizes: Sequence[int]
) -> tuple[np.ndarray, list[int]]:
    """Each case's combination as a number, numbered in order of first appearance.

    Returns the per-case labels and, per label, the combination encoded as one
    integer (mixed radix over ``sizes``).
    """
    joint = pattern_ids[0].astype(np.int64)
    for ids, size in zip(pattern_ids[1:], sizes[1:], strict=True):
        joint = joint * size + ids
    unique, first, inverse = np.unique(joint, return_index=True, return_inverse=True)
    seen = np.argsort(first, kind="stable")
    rank = np.empty_like(seen)
    rank[seen] = np.arange(len(seen))
    return rank[inverse.ravel()], unique[seen].tolist()


def _groups(pattern_ids: Sequence[np.ndarray], sizes: Sequence[int]) -> Groups:
    """Group case positions by their combination of pattern ids."""
    if len(pattern_ids) == 1:
        # pattern ids are numbered in order of first appearance already
        label, combined = pattern_ids[0], list(range(sizes[0]))
    else:
        label, combined = _first_seen_labels(pattern_ids, sizes)
    order = np.argsort(label, kind="stable")
    counts = np.bincount(label, minlength=len(combined))
    bounds = np.concatenate(([0], np.cumsum(counts)))
    combos = []
    for value in combined:
        combo = []
        for size in reversed(sizes):
            value, part = divmod(value, size)
            combo.append(part)
        combos.append(tuple(reversed(combo)))
    return Groups(combos, order, bounds)


class CodeIndex:
    """The distinct code patterns of a case set, read once and shared by tables.

    Columns and groupings are built on first use and kept, so every table of one
    analysis reads each case's codes once.
    """

    def __init__(self, cases: Sequence[Case]) -> None:
        self.cases = cases
        self.ids = np.array([case.id for case in cases], dtype=object)
        self._columns: dict[str, tuple[list[Pattern], np.ndarray]] = {}
        self._groups: dict[tuple[str, ...], Groups] = {}

    def __len__(self) -> int:
        return len(self.cases)

    def column(self, key: str) -> tuple[list[Pattern], np.ndarray]:
        """The distinct patterns of ``key`` (first seen first) and each case's one."""
        if key not in self._columns:
            self._columns[key] = self._read(key)
        return self._columns[key]

    def _read(self, key: str) -> tuple[list[Pattern], np.ndarray]:
        make: Callable[[Hashable], Pattern] = _pattern
        if key in ("province", "year"):
            values = list(map(attrgetter(key), self.cases))
            make = _field_pattern
        else:
            values = [case.codes.get(key, MISSING) for case in self.cases]
        distinct, ids = _numbered(values)
        patterns = [make(raw) for raw in distinct]
        return patterns, np.array(ids, dtype=np.intp)

    def coded(self, key: str) -> bool:
        """Whether any case has been coded on ``key``."""
        return any(p.raw is not MISSING for p in self.column(key)[0])

    def groups(self, *keys: str) -> Groups:
        """Cases grouped by their combination of patterns of ``keys``."""
        if keys not in self._groups:
            columns = [self.column(key) for key in keys]
            self._groups[keys] = _groups(
                [ids for _, ids in columns], [len(p) for p, _ in columns]
            )
        return self._groups[keys]

    def ids_of(self, positions: np.ndarray) -> list[str]:
        """The case ids at ``positions``."""
        return self.ids[positions].tolist()  # type: ignore[no-any-return]


def index_for(cases: Sequence[Case], index: CodeIndex | None) -> CodeIndex:
    """``index`` when it was built on this very ``cases``, else a new one."""
    if index is not None and index.cases is cases:
        return index
    return CodeIndex(cases)
