"""Keywords: the words that carry a case set, and the words that set a group apart.

The whole set's keywords are ranked by summed TF-IDF over segmented texts, with
the IDF taken from general Chinese (:mod:`libinnov.text.background`): a word the
set's cases share ranks high, unless every Chinese report uses it (建设, 发展,
推动); a library-domain stopword list removes function words. A group's
keywords are its *distinctive* words: summed TF-IDF would give every focus area
the same 阅读 and 图书, so a group is compared with the other cases by the
log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn
2008, "Fightin' Words"), which ranks a word by how much more often the group's
cases use it than the rest, with rare words shrunk toward the corpus rate.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from libinnov.cases.model import Case
from libinnov.text.background import general_idf
from libinnov.text.normalise import normalise_text
from libinnov.text.segment import tokenize

#: Strength of the prior, in word occurrences: how far a word seen in a few cases
#: is pulled toward its corpus rate.
PRIOR_WEIGHT = 500.0
#: A distinctive word must occur in at least this many of the group's cases.
MIN_GROUP_CASES = 2


def _words(text: str) -> list[str]:
    return [w for w in tokenize(text) if len(w) > 1 and not w.isdigit()]


def _identity(words: list[str]) -> list[str]:
    return words


def keywords(
    cases: Sequence[Case], top: int = 20, tokens: dict[str, list[str]] | None = None
) -> list[tuple[str, float]]:
    """The ``top`` words with the highest summed TF-IDF weight over the cases.

    Each case's word counts are damped (1 + log n), weighted by the general IDF
    and scaled to unit length, so a long case weighs no more than a short one.
    """
    if not cases:
        return []
    docs = [tokens[c.id] if tokens else _words(c.text) for c in cases]
    if not any(docs):
        return []
    vectorizer = CountVectorizer(analyzer=_identity)
    counts = vectorizer.fit_transform(docs).astype(np.float64)
    counts.data = 1.0 + np.log(counts.data)
    vocabulary = vectorizer.get_feature_names_out()
    idf = general_idf()
    rarity = np.array([idf.of(str(w)) for w in vocabulary])
    matrix = normalize(sparse.csr_matrix(counts.multiply(rarity)))
    weights = np.asarray(matrix.sum(axis=0)).ravel()
    order = np.argsort(-weights, kind="stable")[:top]
    return [(str(vocabulary[i]), round(float(weights[i]), 3)) for i in order]


def case_tokens(cases: Sequence[Case]) -> dict[str, list[str]]:
    """Segment every case once; keyword tables for subsets reuse it."""
    return {c.id: _words(c.text) for c in cases}


def cases_using(cases: Sequence[Case], words: Sequence[str]) -> dict[str, list[str]]:
    """The ids of the cases whose text has each word anywhere, also inside a
    longer word (阅读 in 阅读推广): what a search for the word finds, so the count
    a reader sees next to a keyword is the count its search link shows."""
    texts = [(c.id, normalise_text(c.text).lower()) for c in cases]
    return {w: [i for i, text in texts if w.lower() in text] for w in words}


class Presence:
    """Which case uses which word (each word once per case), for group contrasts."""

    def __init__(self, tokens: dict[str, list[str]]) -> None:
        self.ids = list(tokens)
        vectorizer = CountVectorizer(analyzer=_identity, binary=True)
        docs = [tokens[i] for i in self.ids]
        if any(docs):
            self.matrix = sparse.csr_matrix(vectorizer.fit_transform(docs))
            self.vocabulary = [str(w) for w in vectorizer.get_feature_names_out()]
        else:
            self.matrix = sparse.csr_matrix((len(docs), 0))
            self.vocabulary = []
        self._column = {w: j for j, w in enumerate(self.vocabulary)}

    def distinctive(
        self, group: Collection[str], top: int = 8
    ) -> list[tuple[str, float]]:
        """The ``top`` words the ``group``'s cases use more than the others, with
        their z-scores; only words that are over-represented and in at least
        :data:`MIN_GROUP_CASES` of the group's cases."""
        inside = np.array([i in group for i in self.ids], dtype=bool)
        if not inside.any() or inside.all() or not self.vocabulary:
            return []
        y_in = np.asarray(self.matrix[inside].sum(axis=0), dtype=float).ravel()
        y_out = np.asarray(self.matrix[~inside].sum(axis=0), dtype=float).ravel()
        total = y_in + y_out
        alpha = PRIOR_WEIGHT * total / total.sum()
        n_in, n_out = y_in.sum(), y_out.sum()
        # a word that is the whole vocabulary has no odds: its z is not finite
        with np.errstate(divide="ignore", invalid="ignore"):
            log_in = np.log(y_in + alpha) - np.log(n_in + PRIOR_WEIGHT - y_in - alpha)
            log_out = np.log(y_out + alpha) - np.log(
                n_out + PRIOR_WEIGHT - y_out - alpha
            )
            z = (log_in - log_out) / np.sqrt(1 / (y_in + alpha) + 1 / (y_out + alpha))
        z[(y_in < MIN_GROUP_CASES) | ~(z > 0)] = -np.inf
        order = np.argsort(-z, kind="stable")[:top]
        return [
            (self.vocabulary[j], round(float(z[j]), 2))
            for j in order
            if np.isfinite(z[j])
        ]
