"""Conflict-of-interest rules: which reviewer must not score which entry.

A conflict is decided on what people actually type: 武汉大学图书馆, 武漢大學 and
武汉大学 are one institution, so names are normalised (full-width, traditional
characters) and library-unit words are stripped before they are compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from libinnov.codebook.derive import short_province
from libinnov.gazetteer.places import place_index, short_name
from libinnov.text.normalise import match_key


@dataclass(frozen=True)
class Reviewer:
    """An expert on the panel, with what the conflict rules look at."""

    id: str
    name: str = ""
    institution: str = ""
    province: str = ""
    declared: frozenset[str] = frozenset()  # entry ids the reviewer declared


@dataclass(frozen=True)
class Entry:
    """A submission as review sees it."""

    id: str
    title: str = ""
    library: str = ""
    province: str = ""
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConflictRules:
    """Which relations bar a reviewer; same province is off unless a call asks."""

    same_institution: bool = True
    same_province: bool = False


#: the rules when a call says nothing: institution on, province off
DEFAULT_RULES = ConflictRules()
#: reason key -> (zh, en) label, in the order :func:`conflict` checks them
CONFLICT_REASONS: dict[str, tuple[str, str]] = {
    "declared": ("本人声明回避", "declared by the reviewer"),
    "author": ("评审专家为申报人", "the reviewer is an author"),
    "same_institution": ("同一单位", "same institution"),
    "same_province": ("同一省份", "same province"),
}

# The library (or information centre) of a body belongs to the body: longest first,
# so 图书与信息中心 goes whole rather than leaving 图书与.
_UNIT_SUFFIXES = tuple(
    sorted(
        (
            "图书馆",
            "图书与信息中心",
            "图书信息中心",
            "图书情报中心",
            "文献情报中心",
            "文献信息中心",
            "信息中心",
            "文献中心",
            "图书室",
            "资料室",
            "总馆",
            "分馆",
        ),
        key=len,
        reverse=True,
    )
)
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")
# A university's faculty library or school is still the university.
_PARENT_BODIES = ("大学", "学院")


@lru_cache(maxsize=4096)
def _core(name: str) -> str:
    """The body a name belongs to: 武漢大學圖書館（總館） -> 武汉大学.

    A library named after its place is written with or without the division word
    (浙江省图书馆 and 浙江图书馆, 广州市图书馆 and 广州图书馆), and the national
    library with or without 中国; both spellings give one body.
    """
    text = _BRACKETED.sub("", match_key(name))
    stripped = True
    while stripped:
        stripped = False
        for suffix in _UNIT_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                stripped = True
                break
    if text.startswith("中国国家"):
        text = text[len("中国") :]
    return _place_short(text)


def _place_short(text: str) -> str:
    """浙江省 -> 浙江 when the whole text is a division's full name.

    Only where the short name is that division alone: 吉林 is a province and a
    city, and 吉林省图书馆 and 吉林市图书馆 are two libraries.
    """
    places = place_index()
    if not any(place.full == text for place in places.get(text, ())):
        return text
    short = short_name(text)
    if short and len(places.get(short, ())) == 1:
        return short
    return text


def same_institution(a: str, b: str) -> bool:
    """Whether two names are one institution (an empty name never conflicts).

    >>> same_institution("武汉大学图书馆", "武漢大學")
    True
    >>> same_institution("武汉大学", "武汉市图书馆")
    False
    """
    core_a, core_b = _core(a), _core(b)
    if not core_a or not core_b:
        return False
    if core_a == core_b:
        return True
    short, long = sorted((core_a, core_b), key=len)
    return short.endswith(_PARENT_BODIES) and long.startswith(short)


def _same_province(a: str, b: str) -> bool:
    return bool(a.strip() and b.strip()) and short_province(a) == short_province(b)


def _is_author(reviewer: Reviewer, entry: Entry) -> bool:
    name = match_key(reviewer.name)
    return bool(name) and any(match_key(a) == name for a in entry.authors)


def conflict(
    reviewer: Reviewer, entry: Entry, rules: ConflictRules = DEFAULT_RULES
) -> str | None:
    """Why ``reviewer`` must not score ``entry`` (a key of CONFLICT_REASONS), or None.

    >>> wang = Reviewer("r1", institution="武汉大学")
    >>> conflict(wang, Entry("e1", library="武漢大學圖書館"))
    'same_institution'
    """
    if entry.id in reviewer.declared:
        return "declared"
    if _is_author(reviewer, entry):
        return "author"
    if rules.same_institution and same_institution(reviewer.institution, entry.library):
        return "same_institution"
    if rules.same_province and _same_province(reviewer.province, entry.province):
        return "same_province"
    return None


def entry_conflicts(
    entry: Entry, reviewers: Sequence[Reviewer], rules: ConflictRules = DEFAULT_RULES
) -> dict[str, str]:
    """Reviewer id -> reason, for every reviewer barred from ``entry``.

    What an organiser needs to see when an entry is left without enough reviewers.
    """
    found = ((r.id, conflict(r, entry, rules)) for r in reviewers)
    return {rid: reason for rid, reason in found if reason is not None}


def call_conflicts(
    entries: Sequence[Entry],
    reviewers: Sequence[Reviewer],
    rules: ConflictRules = DEFAULT_RULES,
) -> list[dict[str, str]]:
    """:func:`entry_conflicts` for every entry of a call, in entry order.

    Checking each pair grows with entries × reviewers (a million pairs in a call of
    5,000 with 200 experts); this looks each entry's relations up in indexes of the
    panel instead, so the cost grows with the conflicts found. The answer is the
    pairwise one, reason and panel order included.
    """
    by_name: defaultdict[str, list[int]] = defaultdict(list)
    by_body: defaultdict[str, list[int]] = defaultdict(list)
    by_parent: defaultdict[str, list[int]] = defaultdict(list)
    by_province: defaultdict[str, list[int]] = defaultdict(list)
    declared: defaultdict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(reviewers):
        if name := match_key(r.name):
            by_name[name].append(i)
        if body := _core(r.institution):
            by_body[body].append(i)
            for prefix in _parent_prefixes(body):
                by_parent[prefix].append(i)
        if r.province.strip():
            by_province[short_province(r.province)].append(i)
        for eid in r.declared:
            declared[eid].append(i)
    found: list[dict[str, str]] = []
    for entry in entries:
        # Weakest reason first, so a stronger one found later overwrites it.
        reasons: dict[int, str] = {}
        if rules.same_province and entry.province.strip():
            province = short_province(entry.province)
            _mark(reasons, by_province.get(province, ()), "same_province")
        if rules.same_institution and (body := _core(entry.library)):
            near = [*by_body.get(body, ()), *by_parent.get(body, ())]
            for prefix in _parent_prefixes(body):
                near += by_body.get(prefix, ())
            _mark(reasons, near, "same_institution")
        for author in {match_key(a) for a in entry.authors}:
            _mark(reasons, by_name.get(author, ()), "author")
        _mark(reasons, declared.get(entry.id, ()), "declared")
        found.append({reviewers[i].id: reasons[i] for i in sorted(reasons)})
    return found


def _parent_prefixes(body: str) -> list[str]:
    """The proper beginnings of ``body`` that name a parent body (大学, 学院)."""
    return [body[:n] for n in range(1, len(body)) if body[:n].endswith(_PARENT_BODIES)]


def _mark(reasons: dict[int, str], found: Iterable[int], reason: str) -> None:
    for i in found:
        reasons[i] = reason
