"""The codebook as immutable values: dimensions, their codes and the rules between them.

Keys are stable ASCII identifiers that data refers to; labels are only for display, so a
label can be renamed without touching a single coded case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from libinnov.text.normalise import match_key

Cardinality = Literal["single", "multi"]


@dataclass(frozen=True)
class Code:
    """One category of a dimension."""

    key: str
    label_zh: str
    label_en: str
    definition: str = ""
    indicators: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    retired: bool = False
    #: a dimension this code mirrors: given exactly when that dimension has a code
    #: (strategy ``technology`` follows the technology dimension)
    follows: str | None = None

    def label(self, lang: str = "zh") -> str:
        """The display label in ``lang`` ('zh' or 'en')."""
        return self.label_en if lang == "en" else self.label_zh


@dataclass(frozen=True)
class Dimension:
    """One question a coder answers about every case."""

    key: str
    label_zh: str
    label_en: str
    cardinality: Cardinality
    codes: tuple[Code, ...]
    derived: bool = False
    allow_empty: bool = False
    description: str = ""
    rule: str | None = None
    rule_source: str | None = None
    retired: bool = False

    @property
    def is_multi(self) -> bool:
        return self.cardinality == "multi"

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh

    @property
    def code_keys(self) -> tuple[str, ...]:
        """Keys of the codes still in use (retired codes stay readable, not offered)."""
        return tuple(c.key for c in self.codes if not c.retired)

    def code(self, key: str) -> Code:
        for code in self.codes:
            if code.key == key:
                return code
        raise KeyError(f"{self.key}: no code '{key}'")

    def resolve(self, value: str) -> str | None:
        """Map a code key or zh/en label (any width or script) to the code key."""
        return self._lookup.get(match_key(value))

    @cached_property
    def _lookup(self) -> dict[str, str]:
        # cached_property writes to the instance __dict__, which frozen allows.
        mapping: dict[str, str] = {}
        for code in self.codes:
            for alias in (code.key, code.label_zh, code.label_en):
                mapping.setdefault(match_key(alias), code.key)
        return mapping


@dataclass(frozen=True)
class Codebook:
    """A versioned coding frame."""

    name: str
    version: str
    dimensions: tuple[Dimension, ...]
    title_zh: str = ""
    title_en: str = ""
    source: str | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[Dimension]:
        return iter(self.dimensions)

    def __contains__(self, key: object) -> bool:
        return any(d.key == key for d in self.dimensions)

    def dimension(self, key: str) -> Dimension:
        for dim in self.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(f"codebook has no dimension '{key}'")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.dimensions)

    @property
    def active_dimensions(self) -> tuple[Dimension, ...]:
        """Dimensions still in use: retired ones stay readable on old cases only."""
        return tuple(d for d in self.dimensions if not d.retired)

    @property
    def coded_dimensions(self) -> tuple[Dimension, ...]:
        """Dimensions a coder (human or model) decides from the case text."""
        return tuple(
            d
            for d in self.active_dimensions
            if not d.derived and d.key != "library_type"
        )

    @property
    def fingerprint(self) -> str:
        """A short hash of keys and cardinalities: what a trained model depends on."""
        parts = [
            f"{d.key}:{d.cardinality}:{','.join(d.code_keys)}"
            for d in self.active_dimensions
        ]
        parts += [
            f"{d.key}.{c.key}>{c.follows}"
            for d in self.active_dimensions
            for c in d.codes
            if c.follows
        ]
        return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]
