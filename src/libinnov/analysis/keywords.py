"""Keywords: TF-IDF over segmented texts with a library-domain stopword list."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from libinnov.cases.model import Case
from libinnov.text.segment import tokenize


def _words(text: str) -> list[str]:
    return [w for w in tokenize(text) if len(w) > 1 and not w.isdigit()]


def keywords(
    cases: Sequence[Case], top: int = 20, tokens: dict[str, list[str]] | None = None
) -> list[tuple[str, float]]:
    """The ``top`` words with the highest summed TF-IDF weight over the cases."""
    if not cases:
        return []
    docs = [tokens[c.id] if tokens else _words(c.text) for c in cases]
    if not any(docs):
        return []
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
    matrix = vectorizer.fit_transform(docs)
    weights = np.asarray(matrix.sum(axis=0)).ravel()
    vocabulary = vectorizer.get_feature_names_out()
    order = np.argsort(-weights, kind="stable")[:top]
    return [(str(vocabulary[i]), round(float(weights[i]), 3)) for i in order]


def case_tokens(cases: Sequence[Case]) -> dict[str, list[str]]:
    """Segment every case once; keyword tables for subsets reuse it."""
    return {c.id: _words(c.text) for c in cases}
