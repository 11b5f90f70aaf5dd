"""Rules the codebook states between dimensions, kept out of any model.

``comprehensive_or_dominant_focus``: a case is ``comprehensive`` when it integrates
three or more focus areas with none dominant; otherwise its innovation type is its
dominant focus area.
"""

from __future__ import annotations

from collections.abc import Mapping

#: By default a focus area dominates when it is 10 % ahead of the runner-up; a
#: trained model learns its own margin from coded cases (``CodingModel``).
DOMINANCE_RATIO = 1.1
COMPREHENSIVE = "comprehensive"


def dominant_or_comprehensive(
    weights: Mapping[str, float],
    focus: list[str],
    allowed: set[str],
    ratio: float = DOMINANCE_RATIO,
) -> tuple[str, float]:
    """Apply the rule to the focus codes of a case.

    Parameters
    ----------
    weights:
        how strongly the case is about each focus area (e.g. a classifier's
        probabilities for the innovation type, or the share of evidence).
    focus:
        the focus codes the case has.
    allowed:
        the innovation-type codes of the codebook.
    ratio:
        how many times the runner-up's weight the strongest area needs to
        dominate (the codebook says "none dominant" without a number; a model
        learns it from coded cases).

    Returns the innovation-type code and how sure the rule is (0..1).

    >>> dominant_or_comprehensive({"reading": .5, "space": .2}, ["reading", "space"],
    ...                           {"reading", "space", "comprehensive"})
    ('reading', 0.5)
    """
    candidates = [c for c in focus if c in allowed] or [
        c for c in weights if c in allowed and c != COMPREHENSIVE
    ]
    if not candidates:
        return (COMPREHENSIVE if COMPREHENSIVE in allowed else "", 0.0)
    ranked = sorted(candidates, key=lambda c: weights.get(c, 0.0), reverse=True)
    top = weights.get(ranked[0], 0.0)
    second = weights.get(ranked[1], 0.0) if len(ranked) > 1 else 0.0
    dominant = top >= ratio * second
    if len(focus) >= 3 and not dominant and COMPREHENSIVE in allowed:
        return COMPREHENSIVE, 1.0 - (top - second)
    return ranked[0], top
