"""Activity and capability of library types and regions, with their parts shown.

activity  = the group's share of all cases.
capability = the mean of four parts, each scaled to 0..1 across the groups, so a
reader can see and re-weigh them: breadth of focus areas per case, strategies per
case, technologies per case, and the share of comprehensive cases (plus awards,
when the data has an ``award`` field).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from libinnov.analysis.tables import codes_of
from libinnov.cases.model import Case

PARTS = (
    "focus_per_case",
    "strategy_per_case",
    "technology_per_case",
    "comprehensive_share",
)


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


def _mean(values: list[float]) -> float:
    return round(float(np.mean(values)), 3) if values else 0.0


def capability(cases: Sequence[Case], key: str) -> list[GroupScore]:
    """Groups by ``key`` (library_type or region), most active first."""
    groups: dict[str, list[Case]] = {}
    for case in cases:
        for code in codes_of(case, key):
            groups.setdefault(code, []).append(case)
    raw: dict[str, dict[str, float]] = {}
    for group, members in groups.items():
        parts = {
            "focus_per_case": _mean([len(c.codes_list("focus")) for c in members]),
            "strategy_per_case": _mean(
                [len(c.codes_list("strategy")) for c in members]
            ),
            "technology_per_case": _mean(
                [len(c.codes_list("technology")) for c in members]
            ),
            "comprehensive_share": _mean(
                [c.codes.get("innovation_type") == "comprehensive" for c in members]
            ),
        }
        if any("award" in c.extra for c in members):
            parts["award_share"] = _mean([bool(c.extra.get("award")) for c in members])
        raw[group] = parts
    names = sorted({p for parts in raw.values() for p in parts})
    scaled: dict[str, dict[str, float]] = {g: {} for g in raw}
    for part in names:
        values = [raw[g].get(part, 0.0) for g in raw]
        low, high = min(values), max(values)
        for g in raw:
            v = raw[g].get(part, 0.0)
            scaled[g][part] = (v - low) / (high - low) if high > low else 0.0
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
