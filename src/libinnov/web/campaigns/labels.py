"""Names of the core's keys (criteria, tiers, conflict reasons, flags) in the
visitor's language, and plain records for the JSON twins."""

from __future__ import annotations

from typing import Any

from libinnov.campaigns.conflicts import CONFLICT_REASONS
from libinnov.campaigns.rubric import Rubric
from libinnov.campaigns.scoring import FLAG_LABELS, AwardTier
from libinnov.web.campaigns.models import Campaign
from libinnov.web.cases.templatetags.libinnov_tags import lang


def _pick(pair: tuple[str, str] | None, key: str) -> str:
    if pair is None:
        return key
    return pair[1] if lang() == "en" else pair[0]


def tier_label(tier: AwardTier) -> str:
    return tier.label(lang())


def tier_labels(campaign: Campaign) -> dict[str, str]:
    return {t.key: tier_label(t) for t in campaign.get_tiers()}


def reason_label(reason: str) -> str:
    return _pick(CONFLICT_REASONS.get(reason), reason)


def flag_labels(flags: tuple[str, ...]) -> list[str]:
    return [_pick(FLAG_LABELS.get(f), f) for f in flags]


def rubric_rows(rubric: Rubric) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "label": c.label(lang()),
            "weight": c.weight,
            "low": c.low,
            "high": c.high,
        }
        for c in rubric.criteria
    ]


def campaign_record(campaign: Campaign) -> dict[str, Any]:
    """What anyone may read about a call (the JSON twin of its page)."""
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "description": campaign.description,
        "status": campaign.status,
        "closes_at": campaign.closes_at.isoformat() if campaign.closes_at else None,
        "accepts_submissions": campaign.accepts_submissions,
        "rubric": campaign.rubric,
        "award_tiers": campaign.award_tiers,
    }
