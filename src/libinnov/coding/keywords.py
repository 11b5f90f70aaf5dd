"""The rule coder: a codebook's indicator terms found in a case's sentences.

Terms are matched on segmented words, not raw substrings, so 课程 does not fire
inside 课程思政's neighbours by accident and an editor's new term works at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from libinnov.codebook.model import Codebook, Dimension
from libinnov.coding.document import SEPARATOR, Document, phrase


@dataclass(frozen=True)
class RuleHits:
    """Indicator matches for one code: the terms found and their sentences."""

    terms: tuple[str, ...] = ()
    sentences: tuple[int, ...] = field(default=())

    @property
    def strength(self) -> float:
        """0..1: one distinct term is a hint, three are near-certain."""
        return min(1.0, len(self.terms) / 3.0)


def match_dimension(dimension: Dimension, document: Document) -> dict[str, RuleHits]:
    """Codes of a dimension whose indicator terms occur in the document."""
    joined = [document.joined(i) for i in range(len(document.sentences))]
    hits: dict[str, RuleHits] = {}
    for code in dimension.codes:
        if code.retired or not code.indicators:
            continue
        terms: list[str] = []
        where: set[int] = set()
        for term in code.indicators:
            needle = phrase(term)
            if needle == "\x1f\x1f":
                continue
            single = needle.count(SEPARATOR) == 2
            found = [
                i
                for i, sentence in enumerate(joined)
                if needle in sentence
                or (single and needle.strip(SEPARATOR) in document.subwords[i])
            ]
            if found:
                terms.append(term)
                where.update(found)
        if terms:
            hits[code.key] = RuleHits(tuple(terms), tuple(sorted(where)))
    return hits


def match_codebook(
    codebook: Codebook, document: Document, dimensions: Iterable[str]
) -> dict[str, dict[str, RuleHits]]:
    """Rule hits for several dimensions at once."""
    return {
        key: match_dimension(codebook.dimension(key), document) for key in dimensions
    }
