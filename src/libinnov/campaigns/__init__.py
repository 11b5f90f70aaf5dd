"""Case campaigns: rubric, conflicts of interest, reviewer assignment and ranking.

A library association's call collects submissions; experts score them on a rubric,
never an entry they have a conflict with; scores are normalised across reviewers,
ranked, shortlisted and awarded. Everything here is plain Python: the CLI
(``libinnov campaign``) and the web app (``libinnov.web.campaigns``) both call it.
"""

from __future__ import annotations

from libinnov.campaigns.assignment import Assignment, assign_reviewers
from libinnov.campaigns.conflicts import (
    CONFLICT_REASONS,
    ConflictRules,
    Entry,
    Reviewer,
    call_conflicts,
    conflict,
    entry_conflicts,
    same_institution,
)
from libinnov.campaigns.io import (
    read_entries,
    read_reviewers,
    read_reviews,
    write_assignments,
    write_standings,
)
from libinnov.campaigns.rubric import Criterion, Rubric, load_rubric, save_rubric
from libinnov.campaigns.scoring import (
    DEFAULT_AWARD_TIERS,
    DISAGREE_SPREAD,
    FLAG_LABELS,
    NORMALISATIONS,
    AwardTier,
    Results,
    Review,
    Standing,
    award,
    decide_results,
    normalised_totals,
    parse_tiers,
    rank_entries,
    shortlist,
)

__all__ = [
    "CONFLICT_REASONS",
    "DEFAULT_AWARD_TIERS",
    "DISAGREE_SPREAD",
    "FLAG_LABELS",
    "NORMALISATIONS",
    "Assignment",
    "AwardTier",
    "ConflictRules",
    "Criterion",
    "Entry",
    "Results",
    "Review",
    "Reviewer",
    "Rubric",
    "Standing",
    "assign_reviewers",
    "award",
    "call_conflicts",
    "conflict",
    "decide_results",
    "entry_conflicts",
    "load_rubric",
    "normalised_totals",
    "parse_tiers",
    "rank_entries",
    "read_entries",
    "read_reviewers",
    "read_reviews",
    "same_institution",
    "save_rubric",
    "shortlist",
    "write_assignments",
    "write_standings",
]
