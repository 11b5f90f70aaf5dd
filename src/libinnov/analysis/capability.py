"""Activity and capability of library types and regions, with their parts shown.

activity  = the group's share of all cases.
capability = the mean of four parts, each scaled to 0..1 across the groups, so a
reader can see and re-weigh them: breadth of focus areas per case, strategies per
case, technologies per case, and the share of comprehensive cases (plus awards,
when the data has an ``award`` field).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from libinnov.analysis.index import CodeIndex, Pattern, index_for
from libinnov.cases.model import Case

PARTS = (
    "focus_per_case",
    "strategy_per_case",
    "technology_per_case",
    "comprehensive_share",
)

#: The parts as readers name them.
PART_LABELS = {
    "focus_per_case": {"zh": "平均服务聚焦点数", "en": "Focus areas per case"},
    "strategy_per_case": {"zh": "平均创新策略数", "en": "Strategies per case"},
    "technology_per_case": {"zh": "平均应用技术数", "en": "Technologies per case"},
    "comprehensive_share": {"zh": "综合型占比", "en": "Comprehensive share"},
    "award_share": {"zh": "获奖占比", "en": "Award share"},
}


def is_share(part: str) -> bool:
    """Whether a part is a share of cases (shown as a percentage), not a mean count."""
    return part.endswith("_share")


def part_label(part: str, lang: str = "zh") -> str:
    """A part's name for readers; an unknown part is shown as it is."""
    return PART_LABELS.get(part, {}).get(lang, part)


@dataclass
class GroupScore:
    group: str
    n_cases: int
    activity: float
    parts: dict[str, float]
    capability: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "n_cases": self.n_cases,
            "activity": self.activity,
            "capability": self.capability,
            "parts": self.parts,
        }


def _mean(values: np.ndarray) -> float:
    return round(float(np.mean(values)), 3) if len(values) else 0.0


def _members(index: CodeIndex, key: str) -> dict[str, np.ndarray]:
    """Each group's cases (positions), a case once per time it lists the code."""
    patterns, _ = index.column(key)
    groups = index.groups(key)
    holders: dict[str, list[int]] = {}
    for k, (p,) in enumerate(groups.combos):
        for code in patterns[p].codes:
            holders.setdefault(code, []).append(k)
    return {code: groups.members(ks) for code, ks in holders.items()}


def _per_case(
    index: CodeIndex, key: str, value: Callable[[Pattern], object]
) -> np.ndarray:
    """``value`` of each case's pattern of ``key``, worked out once per pattern."""
    patterns, ids = index.column(key)
    per_pattern = np.array([value(p) for p in patterns])
    values: np.ndarray = per_pattern[ids]
    return values


def _part_values(index: CodeIndex) -> dict[str, np.ndarray]:
    """Every case's value of each part (award only when some case has one)."""
    values = {
        "focus_per_case": _per_case(index, "focus", lambda p: len(p.listed)),
        "strategy_per_case": _per_case(index, "strategy", lambda p: len(p.listed)),
        "technology_per_case": _per_case(index, "technology", lambda p: len(p.listed)),
        "comprehensive_share": _per_case(
            index, "innovation_type", lambda p: p.raw == "comprehensive"
        ),
    }
    if any("award" in c.extra for c in index.cases):
        values["has_award"] = np.array(["award" in c.extra for c in index.cases])
        values["award_share"] = np.array(
            [bool(c.extra.get("award")) for c in index.cases]
        )
    return values


def capability(
    cases: Sequence[Case], key: str, *, index: CodeIndex | None = None
) -> list[GroupScore]:
    """Groups by ``key`` (library_type or region), most active first.

    ``index`` (built on ``cases``) lets the tables of one analysis share the
    reading of the codes.
    """
    index = index_for(cases, index)
    groups = _members(index, key)
    values = _part_values(index)
    raw: dict[str, dict[str, float]] = {}
    for group, members in groups.items():
        parts = {part: _mean(values[part][members]) for part in PARTS}
        if "has_award" in values and values["has_award"][members].any():
            parts["award_share"] = _mean(values["award_share"][members])
        raw[group] = parts
    scaled = _scaled(raw)
    total = len(cases)
    out = [
        GroupScore(
            g,
            len(members),
            round(len(members) / total, 4) if total else 0.0,
            raw[g],
            round(float(np.mean(list(scaled[g].values()))), 3),
        )
        for g, members in groups.items()
    ]
    return sorted(out, key=lambda s: (-s.activity, s.group))


def _scaled(raw: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each part scaled to 0..1 across the groups (a part a group lacks reads 0)."""
    names = sorted({p for parts in raw.values() for p in parts})
    scaled: dict[str, dict[str, float]] = {g: {} for g in raw}
    for part in names:
        values = [raw[g].get(part, 0.0) for g in raw]
        low, high = min(values), max(values)
        for g in raw:
            v = raw[g].get(part, 0.0)
            scaled[g][part] = (v - low) / (high - low) if high > low else 0.0
    return scaled
