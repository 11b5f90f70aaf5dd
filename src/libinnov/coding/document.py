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
from libinnov.text.segment import cut, split_sentences, stopwords

_WORD = re.compile(r"[\w\u4e00-\u9fff]")
SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Document:
    """A normalised text split into sentences (original wording kept for evidence)."""

    sentences: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]
    normalised: str

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


def _is_word(token: str) -> bool:
    return token.isalnum() or bool(_WORD.search(token))


def _segment(text: str) -> tuple[str, ...]:
    """Words of already-normalised text, punctuation dropped, ASCII lower-cased."""
    return tuple(w.lower() if w.isascii() else w for w in cut(text) if _is_word(w))


def prepare(text: str) -> Document:
    """Split, normalise and segment a case text (title and summary).

    Each sentence is normalised once; the whole text's normal form is the
    normalised sentences joined, so nothing is converted twice.
    """
    sentences = tuple(split_sentences(text or ""))
    normalised = [normalise_text(s) for s in sentences]
    words = tuple(_segment(n) for n in normalised)
    return Document(sentences, words, " ".join(normalised))


@lru_cache(maxsize=4096)
def phrase(term: str) -> str:
    """An indicator term, segmented and joined like :meth:`Document.joined`."""
    return SEPARATOR + SEPARATOR.join(_segment(normalise_text(term))) + SEPARATOR
