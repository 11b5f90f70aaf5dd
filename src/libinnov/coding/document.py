"""A case text prepared once for every coder: sentences, their words, and the whole.

Segmentation is the expensive step, so each text is segmented exactly once, sentence
by sentence; the document's words, the rule coder's matches and the per-sentence
evidence scores all reuse those words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from libinnov.text.normalise import normalise_text
from libinnov.text.segment import cut, segmenter, split_sentences, stopwords

_WORD = re.compile(r"[\w\u4e00-\u9fff]")
SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Document:
    """A normalised text split into sentences (original wording kept for evidence)."""

    sentences: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]
    normalised: str
    subwords: tuple[frozenset[str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(self.words)

    def features(self) -> list[str]:
        """Content words of the whole document (stopwords removed)."""
        stop = stopwords()
        return [w for sentence in self.words for w in sentence if w not in stop]

    def joined(self, index: int) -> str:
        """A sentence's words joined by a separator, for phrase matching."""
        return SEPARATOR + SEPARATOR.join(self.words[index]) + SEPARATOR


def _segment(text: str) -> tuple[str, ...]:
    words = cut(normalise_text(text))
    return tuple(w.lower() if w.isascii() else w for w in words if _WORD.search(w))


def _subwords(words: tuple[str, ...]) -> frozenset[str]:
    """Dictionary words inside longer words (古籍 in 古籍修复), as search engines index.

    Only words the dictionary knows are added, so 云 is not found inside 云南.
    """
    freq = segmenter().FREQ
    found: set[str] = set()
    for word in words:
        for size in (2, 3):
            if len(word) <= size:
                continue
            for start in range(len(word) - size + 1):
                piece = word[start : start + size]
                if freq.get(piece):
                    found.add(piece)
    return frozenset(found)


def prepare(text: str) -> Document:
    """Split, normalise and segment a case text (title and summary)."""
    sentences = tuple(split_sentences(text or ""))
    words = tuple(_segment(s) for s in sentences)
    subwords = tuple(_subwords(w) for w in words)
    return Document(sentences, words, normalise_text(text or ""), subwords)


@lru_cache(maxsize=4096)
def phrase(term: str) -> str:
    """An indicator term, segmented and joined like :meth:`Document.joined`."""
    return SEPARATOR + SEPARATOR.join(_segment(term)) + SEPARATOR
