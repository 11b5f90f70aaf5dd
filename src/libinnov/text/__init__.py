"""Chinese text handling: normalisation, segmentation, sentences and keywords."""

from __future__ import annotations

from libinnov.text.normalise import (
    clean_whitespace,
    match_key,
    normalise_text,
    to_halfwidth,
    to_simplified,
)
from libinnov.text.segment import split_sentences, tokenize

__all__ = [
    "clean_whitespace",
    "match_key",
    "normalise_text",
    "split_sentences",
    "to_halfwidth",
    "to_simplified",
    "tokenize",
]
