"""Which uncoded cases a human should code next (uncertainty sampling).

A case teaches the model most where the model is least sure: codes whose blended
score sits near their threshold, and single dimensions whose top two codes are close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from libinnov.cases.model import Case
from libinnov.coding.document import prepare
from libinnov.coding.model import RULE_THRESHOLD, CodingModel


@dataclass(frozen=True)
class Suggestion:
    case_id: str
    title: str
    uncertainty: float
    reason: str


def suggest_next(
    model: CodingModel, uncoded: Sequence[Case], n: int = 20
) -> list[Suggestion]:
    """The ``n`` most uncertain cases, most uncertain first, each with its reason."""
    ranked: list[Suggestion] = []
    for case in uncoded:
        document = prepare(case.text)
        if document.is_empty:
            ranked.append(Suggestion(case.id, case.title, 1.0, "no codable text"))
            continue
        results = model.code_document(document)
        worst, reason = 0.0, ""
        for key, result in results.items():
            dim = model.codebook.dimension(key)
            cuts = model.thresholds.get(key, {})
            for code, score in result.confidence.items():
                if dim.is_multi:
                    cut = cuts.get(code, RULE_THRESHOLD)
                    doubt = 1.0 - min(1.0, abs(score - cut) / max(cut, 1 - cut))
                else:
                    others = sorted(result.confidence.values(), reverse=True)
                    doubt = 1.0 - (others[0] - (others[1] if len(others) > 1 else 0.0))
                if doubt > worst:
                    worst = doubt
                    reason = f"{key}: {code} scored {score:.2f}" + (
                        f" against a threshold of {cuts.get(code, RULE_THRESHOLD):.2f}"
                        if dim.is_multi
                        else " with a close runner-up"
                    )
        ranked.append(Suggestion(case.id, case.title, round(worst, 3), reason))
    ranked.sort(key=lambda s: (-s.uncertainty, s.case_id))
    return ranked[:n]
