"""Values that follow from other values by the codebook's own rules."""

from __future__ import annotations

from libinnov.codebook.model import Codebook
from libinnov.text.normalise import match_key


def derive_region(province: str | None, codebook: Codebook | None = None) -> str | None:
    """The region code of a province name (``"浙江省"`` → ``"east"``).

    The province lists live in the codebook's ``region`` dimension, so a user who splits
    regions differently edits the codebook, not this function.

    >>> derive_region("浙江省")
    'east'
    """
    if not province:
        return None
    if codebook is None:
        from libinnov.codebook.io import default_codebook

        codebook = default_codebook()
    if "region" not in codebook:
        return None
    name = short_province(province)
    for code in codebook.dimension("region").codes:
        if name in code.provinces:
            return code.key
    return None


_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


def short_province(name: str) -> str:
    """The short form of a province name (``广西壮族自治区`` → ``广西``)."""
    text = match_key(name)
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text
