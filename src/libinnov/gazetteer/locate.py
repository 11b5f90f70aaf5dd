"""Which province a library is in: the curated table, then the address, then the name.

Every answer carries its reason; evidence that disagrees or points to several provinces
gives no answer (None) rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from libinnov.gazetteer.places import (
    Finding,
    Hit,
    province_in_address,
    province_in_name,
    scan,
)
from libinnov.gazetteer.tables import Institution, find_institution

# After a university's name these words make the preceding place its campus:
# 哈尔滨工业大学(威海), 北京师范大学珠海校区, 同济大学浙江学院, 西安交通大学苏州研究院.
_CAMPUS = ("校区", "分校", "研究生院", "研究院", "学院", "分院", "分馆", "校园")
# What may follow a body's name when the library is the body's own.
_OWN_LIBRARY = re.compile(
    r"图书馆|图书室|图书情报中心|文献情报中心|文献信息中心|信息中心|文献中心|资料室|总馆|本部|馆"
)


@dataclass(frozen=True)
class TableFinding:
    """What the curated table says; ``decisive`` False lets other evidence decide."""

    finding: Finding
    institution: Institution
    decisive: bool


def _broad(hit: Hit) -> bool:
    """A province or city with a single province: strong enough to place a campus."""
    return hit.level in ("province", "city") and len(hit.provinces) == 1


def _campus(after: str) -> Hit | None:
    """A place named right after a university's name as its campus, if any."""
    for hit in scan(after):
        follows = after[hit.end :]
        qualifier = hit.start == 0 and not _OWN_LIBRARY.sub("", follows)
        if _broad(hit) and (qualifier or follows.startswith(_CAMPUS)):
            return hit
    return None


def _province(hit: Hit) -> str:
    return next(iter(hit.provinces))


def from_table(name: str) -> TableFinding | None:
    """The curated table's answer for a name (a match key), checked against the name."""
    found = find_institution(name)
    if found is None:
        return None
    key, inst = found
    start = name.index(key)
    before, after = name[:start], name[start + len(key) :]
    if inst.province is None:
        why = (
            f"{inst.name} has campuses in several provinces and the name says not which"
        )
        return TableFinding(Finding(None, why), inst, decisive=False)
    if inst.has_branches and _OWN_LIBRARY.sub("", after):
        why = f"{inst.name} has units in several provinces"
        return TableFinding(Finding(None, why), inst, decisive=False)
    campus = _campus(after)
    if campus is not None and _province(campus) != inst.province:
        why = f"curated table ({inst.name}) with its campus in {campus.name}"
        return TableFinding(Finding(_province(campus), why), inst, decisive=True)
    others = [
        hit
        for hit in (*scan(before), *scan(after))
        if _broad(hit) and _province(hit) != inst.province
    ]
    if others:
        names = "、".join(hit.name for hit in others)
        why = (
            f"curated table puts {inst.name} in {inst.province}, "
            f"but the name also names {names}"
        )
        return TableFinding(Finding(None, why), inst, decisive=True)
    why = f"curated table ({inst.name})"
    return TableFinding(Finding(inst.province, why), inst, decisive=True)


@lru_cache(maxsize=8192)
def locate(name: str, address: str = "") -> Finding:
    """The province of a library from its name and address (both match keys)."""
    table = from_table(name)
    where = province_in_address(address) if address else None
    if table is not None and table.finding.province:
        if where is not None and where.province not in (None, table.finding.province):
            why = (
                f"{table.finding.reason} gives {table.finding.province}, "
                f"the {where.reason} gives {where.province}"
            )
            return Finding(None, why)
        return table.finding
    if where is not None and where.province:
        return where
    if table is not None and table.decisive:
        return table.finding
    named = province_in_name(name)
    if named.province:
        return named
    reasons = [f.reason for f in (table and table.finding, where, named) if f]
    return Finding(None, "; ".join(reasons))
