"""Words for the full-text index and for queries, cut the same way on both sides.

Chinese has no spaces, so the index holds jieba's search-mode words (古籍修复 and
also 古籍, 修复) plus every two-character run inside longer words, so that a
two-character query (阅读, 古籍) finds the longer words that contain it. Queries are
cut in precise mode; a query word then matches an index token exactly. What the
words cannot promise (a phrase's order, a term of one character) is checked on the
normalised text afterwards, see :class:`Term`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from libinnov.text import normalise_text
from libinnov.text.segment import cut, stopwords

_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")
_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|(\S+)')
_SPACE_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
MAX_QUERY_CHARS = 200
#: an unquoted run longer than this is read as a question, not a fixed phrase
SENTENCE_CHARS = 8


def _search_words(text: str) -> list[str]:
    from libinnov.text.segment import _fast_segmenter, segmenter

    fast = _fast_segmenter()
    if fast is not None:
        return list(fast.cut_for_search(text))
    return list(segmenter().cut_for_search(text))


def index_tokens(text: str) -> str:
    """The space-separated tokens a text is indexed under (case-folded)."""
    tokens: list[str] = []
    for word in _search_words(normalise_text(text).casefold()):
        if not _WORDLIKE.search(word):
            continue
        word = word.strip()
        tokens.append(word)
        if len(word) > 2 and not word.isascii():
            tokens.extend(word[i : i + 2] for i in range(len(word) - 1))
    return " ".join(tokens)


@dataclass(frozen=True)
class Term:
    """One query term: a word, or a phrase the user wrote without spaces or quoted.

    ``words`` are the index tokens that must all be present; ``verify`` says the
    term must also occur as written in the normalised text, because the words alone
    do not pin down its order or it has words too short to index. A run of more
    than :data:`SENTENCE_CHARS` characters typed without quotes is a question
    (高校图书馆如何开展阅读推广) that no case says word for word: its words are
    enough, and checking every hit's text for it would cost a scan of them all.
    """

    text: str
    words: tuple[str, ...]
    quoted: bool = False

    @property
    def verify(self) -> bool:
        if self.words == (self.text,):
            return False
        return self.quoted or len(self.text) <= SENTENCE_CHARS

    @property
    def indexable(self) -> bool:
        return bool(self.words)


@dataclass(frozen=True)
class Query:
    """A parsed query: every term must match (AND)."""

    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def indexable(self) -> bool:
        """Whether the index can answer it; otherwise scan the text."""
        return bool(self.terms) and all(t.indexable for t in self.terms)

    @property
    def texts(self) -> list[str]:
        """The terms as normalised strings, for substring checks and highlighting."""
        return [t.text for t in self.terms]

    @property
    def words(self) -> list[str]:
        return list(dict.fromkeys(w for t in self.terms for w in t.words))

    def fts5(self) -> str:
        """An SQLite FTS5 MATCH expression: every word, each as a quoted string."""
        return " AND ".join('"' + w.replace('"', '""') + '"' for w in self.words)

    def tsquery(self) -> str:
        """Words for PostgreSQL's ``plainto_tsquery('simple', …)`` (ANDed)."""
        return " ".join(self.words)


@lru_cache(maxsize=4096)
def _term(text: str, quoted: bool) -> Term:
    words = [w.strip() for w in cut(text) if _WORDLIKE.search(w)]
    long_words = [w for w in words if len(w) > 1 or w.isascii()]
    # 如何, 开展 … say nothing about a case; a term of only such words keeps them
    content = [w for w in long_words if w not in stopwords()] or long_words
    return Term(text=text, words=tuple(dict.fromkeys(content)), quoted=quoted)


def parse_query(q: str) -> Query:
    """Split on spaces, keep "quoted phrases" together, normalise like the index.

    >>> [t.text for t in parse_query('閱讀推廣 "城市 书房"').terms]
    ['阅读推广', '城市 书房']
    """
    terms: list[Term] = []
    for quoted, curly, word in _PHRASE.findall(q[:MAX_QUERY_CHARS]):
        text = normalise_text(quoted or curly or word).casefold()
        text = _SPACE_IN_CHINESE.sub("", text)
        if text and _WORDLIKE.search(text) and text not in {t.text for t in terms}:
            terms.append(_term(text, bool(quoted or curly)))
    return Query(terms=tuple(terms))
