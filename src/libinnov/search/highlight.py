"""Where query terms occur in the original text, for highlighting and snippets.

Terms are normalised (simplified, half-width, lower case) but the page shows the
text as written, so matching runs on a normalised copy of the same length and the
spans point back into the original: 閱讀 is highlighted for the query 阅读.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import pairwise

from libinnov.text import to_halfwidth, to_simplified

Span = tuple[int, int]


def _aligned(text: str) -> str:
    """A normalised copy with one character per original character."""
    whole = to_simplified(to_halfwidth(text)).lower()
    if len(whole) == len(text):
        return whole
    chars = (to_simplified(to_halfwidth(c)).lower() for c in text)
    return "".join(c if len(c) == 1 else o for c, o in zip(chars, text, strict=True))


def match_spans(text: str, terms: Iterable[str]) -> list[Span]:
    """Non-overlapping (start, end) spans of the terms in ``text``, longest first."""
    ordered = sorted({t.lower() for t in terms if t}, key=len, reverse=True)
    if not ordered or not text:
        return []
    pattern = re.compile("|".join(re.escape(t) for t in ordered))
    return [m.span() for m in pattern.finditer(_aligned(text))]


def split_marked(text: str, terms: Iterable[str]) -> list[tuple[str, bool]]:
    """The text as pieces, each flagged whether it is a match (for safe rendering)."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in match_spans(text, terms):
        if start > last:
            pieces.append((text[last:start], False))
        pieces.append((text[start:end], True))
        last = end
    if last < len(text):
        pieces.append((text[last:], False))
    return pieces


def split_evidence(
    text: str, terms: Iterable[str], evidence: Mapping[str, Iterable[str]]
) -> list[tuple[str, bool, tuple[str, ...]]]:
    """The text as pieces, each with whether a term matches it and which evidence
    keys (a code's sentences, under any name) cover it.

    Evidence sentences may overlap each other and the terms, so the text is cut
    wherever a match or a sentence starts or ends: every piece is wholly inside
    or wholly outside each of them, and wrapping pieces never crosses tags.

    >>> split_evidence("甲。读书。", ["读"], {"r": ["读书。"]})
    [('甲。', False, ()), ('读', True, ('r',)), ('书。', False, ('r',))]
    """
    hits = match_spans(text, terms)
    covered = [
        (start, end, key)
        for key, sentences in evidence.items()
        for start, end in match_spans(text, [s.strip() for s in sentences])
    ]
    cuts = sorted(
        {0, len(text)}
        | {p for span in hits for p in span}
        | {p for start, end, _key in covered for p in (start, end)}
    )
    pieces: list[tuple[str, bool, tuple[str, ...]]] = []
    for start, end in pairwise(cuts):
        hit = any(s <= start and end <= e for s, e in hits)
        keys = tuple(dict.fromkeys(k for s, e, k in covered if s <= start and end <= e))
        pieces.append((text[start:end], hit, keys))
    return pieces


def snippet_window(text: str, terms: Iterable[str], width: int = 140) -> Span:
    """The ``width``-character window holding the most matches (the start if none)."""
    spans = match_spans(text, terms)
    if not spans or len(text) <= width:
        return 0, min(len(text), width)
    best_start, best_hits = 0, -1
    for start, _ in spans:
        left = max(0, start - width // 4)
        hits = sum(1 for s, e in spans if s >= left and e <= left + width)
        if hits > best_hits:
            best_start, best_hits = left, hits
    best_start = min(best_start, max(0, len(text) - width))
    return best_start, best_start + width
