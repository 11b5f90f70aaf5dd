"""Text normalisation for matching: widths, whitespace and traditional characters.

The original text of a case is always kept; these functions produce the form that
is compared, indexed and fed to models, so that ``圖書館``, ``图书馆`` and a
full-width ``ＡＩ`` all meet their simplified, half-width twins.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# Full-width ASCII (U+FF01..U+FF5E) maps to U+0021..U+007E, and the ideographic space
# to a space; but the full-width forms that are ordinary Chinese punctuation stay.
_CHINESE_PUNCTUATION = "！（），：；？～"
_WIDTH_TABLE = {
    cp: cp - 0xFEE0
    for cp in range(0xFF01, 0xFF5F)
    if chr(cp) not in _CHINESE_PUNCTUATION
} | {0x3000: 0x20}


def to_halfwidth(text: str) -> str:
    """Turn full-width ASCII letters, digits and the ideographic space into ASCII.

    Chinese punctuation (，。、；：) is not ASCII in disguise and is kept as it is.
    """
    return text.translate(_WIDTH_TABLE)


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones (OpenCC ``t2s``)."""
    if not text or text.isascii():
        return text
    converter = _t2s()
    return str(converter.convert(text))  # type: ignore[attr-defined]


def clean_whitespace(text: str) -> str:
    """Collapse runs of whitespace and strip both ends."""
    return _SPACE.sub(" ", text).strip()


def normalise_text(text: str) -> str:
    """The canonical form of a case text: half-width, simplified, tidy whitespace."""
    text = unicodedata.normalize("NFC", text)
    return clean_whitespace(to_simplified(to_halfwidth(text)))


@lru_cache(maxsize=65536)
def match_key(value: str) -> str:
    """A key for comparing short labels: normalised, case-folded, without spaces."""
    return normalise_text(str(value)).casefold().replace(" ", "")
