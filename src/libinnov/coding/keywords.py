"""The rule coder: a codebook's indicator terms found in a case's sentences.

Terms are matched on segmented words, not raw substrings, so 云 does not fire inside
云南 and an editor's new term works at once. A term of two or more characters also
matches inside a longer word (视障 in 视障读者, 古籍 in 古籍修复), the way a search
engine indexes compounds; segmenters keep domain compounds whole, and a term the
dictionary does not know would otherwise never be found inside them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from libinnov.codebook.model import Codebook, Dimension
from libinnov.coding.document import SEPARATOR, Document, phrase

#: Distinct terms that make a code certain on indicator evidence alone.
TERMS_FOR_CERTAINTY = 3.0
#: Extra terms a hit in the first sentence counts for: it is the title when there
#: is one, and a title names what the service is, where the body also mentions
#: what it merely touches.
TITLE_BONUS = 2.0
MEMO_SIZE = 200_000


@dataclass(frozen=True)
class RuleHits:
    """Indicator matches for one code: the terms found and their sentences."""

    terms: tuple[str, ...] = ()
    sentences: tuple[int, ...] = field(default=())

    @property
    def strength(self) -> float:
        """0..1: one term is a hint; three, or one in the title, near-certain."""
        bonus = TITLE_BONUS if self.sentences[:1] == (0,) else 0.0
        return min(1.0, (len(self.terms) + bonus) / TERMS_FOR_CERTAINTY)


Target = tuple[str, str, str]  # dimension key, code key, term as written


@dataclass(frozen=True)
class TermIndex:
    """Every indicator term of some dimensions, compiled once for fast lookup.

    ``words`` maps a one-word term to the codes it indicates; ``phrases`` holds the
    terms that segment into several words, matched in a sentence's words run
    together (so 外来务工 is found in the single word 外来务工人员).
    """

    words: dict[str, tuple[Target, ...]]
    phrases: tuple[tuple[str, Target], ...]
    longest: int
    #: word -> every target it or a term inside it indicates; bounded, see _targets
    memo: dict[str, tuple[Target, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def build(cls, dimensions: Iterable[Dimension]) -> TermIndex:
        words: dict[str, list[Target]] = {}
        phrases: list[tuple[str, Target]] = []
        for dim in dimensions:
            for code in dim.codes:
                if code.retired:
                    continue
                for term in code.indicators:
                    needle = phrase(term)
                    parts = needle.strip(SEPARATOR).split(SEPARATOR)
                    if not parts[0]:
                        continue
                    target = (dim.key, code.key, term)
                    if len(parts) == 1:
                        words.setdefault(parts[0], []).append(target)
                    else:
                        phrases.append(("".join(parts), target))
        longest = max((len(w) for w in words), default=0)
        return cls({w: tuple(t) for w, t in words.items()}, tuple(phrases), longest)

    def _inside(self, word: str) -> Iterable[str]:
        """Terms of two or more characters inside a longer (non-ASCII) word."""
        if len(word) < 3 or word.isascii():
            return ()
        found = []
        for size in range(2, min(len(word) - 1, self.longest) + 1):
            for start in range(len(word) - size + 1):
                piece = word[start : start + size]
                if piece in self.words:
                    found.append(piece)
        return found

    def _targets(self, word: str) -> tuple[Target, ...]:
        """What a word indicates, memoised: words repeat across texts."""
        targets = self.memo.get(word)
        if targets is None:
            if len(self.memo) > MEMO_SIZE:  # keep memory flat on long streams
                self.memo.clear()
            keys = (word, *self._inside(word))
            targets = tuple(t for key in keys for t in self.words.get(key, ()))
            self.memo[word] = targets
        return targets

    def match(self, document: Document) -> dict[str, dict[str, RuleHits]]:
        """Per dimension, the codes whose terms occur, with their sentences."""
        found: dict[tuple[str, str], dict[str, set[int]]] = {}
        for i, sentence in enumerate(document.words):
            for word in sentence:
                for dim, code, term in self._targets(word):
                    found.setdefault((dim, code), {}).setdefault(term, set()).add(i)
            if self.phrases:
                joined = "".join(sentence)
                for needle, (dim, code, term) in self.phrases:
                    if needle in joined:
                        found.setdefault((dim, code), {}).setdefault(term, set()).add(i)
        hits: dict[str, dict[str, RuleHits]] = {}
        for (dim, code), terms in found.items():
            where = sorted({i for rows in terms.values() for i in rows})
            hits.setdefault(dim, {})[code] = RuleHits(tuple(terms), tuple(where))
        return hits


@lru_cache(maxsize=64)
def _index(dimensions: tuple[Dimension, ...]) -> TermIndex:
    return TermIndex.build(dimensions)


def term_index(dimensions: Iterable[Dimension]) -> TermIndex:
    """The compiled terms of ``dimensions`` (cached: codebooks are immutable)."""
    return _index(tuple(dimensions))


def match_dimension(dimension: Dimension, document: Document) -> dict[str, RuleHits]:
    """Codes of a dimension whose indicator terms occur in the document."""
    return term_index([dimension]).match(document).get(dimension.key, {})


def match_codebook(
    codebook: Codebook, document: Document, dimensions: Iterable[str]
) -> dict[str, dict[str, RuleHits]]:
    """Rule hits for several dimensions at once, in one pass over the words."""
    keys = list(dimensions)
    hits = term_index(codebook.dimension(k) for k in keys).match(document)
    return {key: hits.get(key, {}) for key in keys}
