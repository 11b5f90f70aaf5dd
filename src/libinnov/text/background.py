"""How common a word is in general Chinese, from the IDF table jieba ships.

A case set's keywords should be the words that are about libraries and their
services, not the words every Chinese report uses (建设, 发展, 推动). jieba's
``analyse/idf.txt`` holds inverse document frequencies from a large general
corpus; weighting a case set's words by it pushes such words down without a
hand-kept list. It is installed with jieba, so nothing is downloaded.
"""

from __future__ import annotations

import statistics
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple


class GeneralIdf(NamedTuple):
    """The general-corpus IDF of each known word, and the value for unknown words.

    The values stay as the table's text until asked for: parsing 270,000 floats
    would double the time of the first analysis in a process.
    """

    weights: MappingProxyType[str, str]
    unknown: float

    def of(self, word: str) -> float:
        value = self.weights.get(word)
        return self.unknown if value is None else float(value)


@lru_cache(maxsize=1)
def general_idf() -> GeneralIdf:
    """Read the table once per process (about 350,000 words).

    Words the table lacks, mostly library terms of our own dictionary such as
    阅读推广 or 嵌入式馆员, get the median, as ``jieba.analyse`` does: rare in
    general text, but not as rare as a one-off name.
    """
    path = resources.files("jieba") / "analyse" / "idf.txt"
    weights = dict(
        line.rsplit(" ", 1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if " " in line
    )
    unknown = statistics.median(map(float, weights.values()))
    return GeneralIdf(MappingProxyType(weights), unknown)
