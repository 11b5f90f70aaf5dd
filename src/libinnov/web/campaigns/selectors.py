"""Reads: what each person may see, and the stored campaign as the core's values.

The core (:mod:`libinnov.campaigns`) decides conflicts, assignment and ranking from
plain records; the functions here turn rows into those records, keyed by the
submission's reference (unique in its campaign) and the reviewer row's id.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from libinnov.campaigns.conflicts import Entry, Reviewer, call_conflicts
from libinnov.campaigns.scoring import Review as CoreReview
from libinnov.campaigns.scoring import Standing, rank_entries
from libinnov.web.accounts.roles import has_role
from libinnov.web.campaigns.models import (
    AssignmentStatus,
    Campaign,
    CampaignReviewer,
    Review,
    ReviewAssignment,
    Status,
    Submission,
    SubmissionStatus,
)

_NAMES = re.compile(r"[;；、,，\s]+")
#: assignments that count towards an entry's reviewers
ACTIVE = (AssignmentStatus.ASSIGNED, AssignmentStatus.DONE)


def is_organiser(user: Any) -> bool:
    return has_role(user, "admin")


def listed_campaigns(user: Any) -> QuerySet[Campaign]:
    """Public calls for everyone; drafts for organisers too."""
    qs = Campaign.objects.annotate(
        n_submissions=Count(
            "submissions", filter=~Q(submissions__status=SubmissionStatus.WITHDRAWN)
        )
    )
    return qs if is_organiser(user) else qs.exclude(status=Status.DRAFT)


def reviewer_rows(user: Any) -> dict[int, CampaignReviewer]:
    """The campaigns a signed-in user reviews for, by campaign id."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = (
        CampaignReviewer.objects.active()
        .filter(user=user)
        .exclude(campaign__status=Status.DRAFT)
    )
    return {r.campaign_id: r for r in rows}


def reviewer_assignments(reviewer: CampaignReviewer) -> QuerySet[ReviewAssignment]:
    """A reviewer's assignments, without submissions withdrawn since."""
    return (
        reviewer.assignments.select_related("submission")
        .exclude(submission__status=SubmissionStatus.WITHDRAWN)
        .order_by("status", "submission__ref")
    )


def entry_of(submission: Submission) -> Entry:
    authors = tuple(a for a in _NAMES.split(submission.authors) if a)
    return Entry(
        id=submission.ref,
        title=submission.title,
        library=submission.library,
        province=submission.province,
        authors=authors,
    )


def core_entries(campaign: Campaign) -> list[Entry]:
    return [entry_of(s) for s in campaign.submissions.active().order_by("ref")]


def core_reviewers(campaign: Campaign) -> list[Reviewer]:
    """Reviewers with the entries they declared (or were found) in conflict with."""
    declared: dict[int, set[str]] = defaultdict(set)
    conflicts = ReviewAssignment.objects.filter(
        reviewer__campaign=campaign, status=AssignmentStatus.CONFLICT
    ).values_list("reviewer_id", "submission__ref")
    for reviewer_id, ref in conflicts:
        declared[reviewer_id].add(ref)
    return [
        Reviewer(
            id=str(r.pk),
            name=r.name,
            institution=r.institution,
            province=r.province,
            declared=frozenset(declared[r.pk]),
        )
        for r in campaign.reviewers.active().select_related("user").order_by("pk")
    ]


def core_reviews(campaign: Campaign) -> list[CoreReview]:
    """Scores of finished assignments only: a conflict withdraws a review, and so
    does removing its reviewer (status withdrawn) or withdrawing its submission."""
    rows = (
        Review.objects.filter(
            assignment__submission__campaign=campaign,
            assignment__status=AssignmentStatus.DONE,
        )
        .exclude(assignment__submission__status=SubmissionStatus.WITHDRAWN)
        .values_list(
            "assignment__submission__ref",
            "assignment__reviewer_id",
            "scores",
            "comment",
        )
    )
    return [
        CoreReview(entry_id=ref, reviewer_id=str(rid), scores=scores, comment=comment)
        for ref, rid, scores, comment in rows
    ]


def standings(campaign: Campaign) -> list[Standing]:
    """The ranking with the campaign's normalisation; unreviewed entries last."""
    refs = list(
        campaign.submissions.active().order_by("ref").values_list("ref", flat=True)
    )
    return rank_entries(
        core_reviews(campaign),
        campaign.get_rubric(),
        method=campaign.normalisation,
        required_reviews=campaign.reviewers_per_entry,
        entries=refs,
    )


@dataclass
class ReviewerProgress:
    reviewer: CampaignReviewer
    assigned: int = 0
    done: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        return self.assigned + self.done


@dataclass
class EntryProgress:
    submission: Submission
    reviewers: list[ReviewAssignment] = field(default_factory=list)
    conflicts: list[ReviewAssignment] = field(default_factory=list)
    done: int = 0
    short: int = 0
    #: for an entry short of reviewers: reviewer row id -> why they cannot review it
    barred: dict[int, str] = field(default_factory=dict)


def progress(
    campaign: Campaign,
) -> tuple[list[ReviewerProgress], list[EntryProgress]]:
    """Done/assigned per reviewer, and per entry its reviewers, conflicts, gap."""
    per_reviewer = {
        r.pk: ReviewerProgress(r)
        for r in campaign.reviewers.active().select_related("user")
    }
    per_entry = {
        s.pk: EntryProgress(s) for s in campaign.submissions.active().order_by("ref")
    }
    rows = (
        _current(ReviewAssignment.objects.filter(submission__campaign=campaign))
        .exclude(status=AssignmentStatus.WITHDRAWN)
        .select_related("reviewer__user")
    )
    for row in rows:
        mine, entry = per_reviewer[row.reviewer_id], per_entry[row.submission_id]
        if row.status == AssignmentStatus.CONFLICT:
            mine.conflicts += 1
            entry.conflicts.append(row)
            continue
        entry.reviewers.append(row)
        if row.status == AssignmentStatus.DONE:
            mine.done += 1
            entry.done += 1
        else:
            mine.assigned += 1
    panel = core_reviewers(campaign)
    rules = campaign.conflict_rules()
    for entry in per_entry.values():
        entry.short = max(0, campaign.reviewers_per_entry - len(entry.reviewers))
    short = [entry for entry in per_entry.values() if entry.short]
    found = call_conflicts([entry_of(e.submission) for e in short], panel, rules)
    for entry, barred in zip(short, found, strict=True):
        entry.barred = {int(rid): reason for rid, reason in barred.items()}
    return list(per_reviewer.values()), list(per_entry.values())


def _current(rows: QuerySet[ReviewAssignment]) -> QuerySet[ReviewAssignment]:
    """Assignments of submissions still in the call, to reviewers still on it."""
    return rows.exclude(submission__status=SubmissionStatus.WITHDRAWN).filter(
        reviewer__removed_at__isnull=True
    )


def counts(campaign: Campaign) -> dict[str, int]:
    """Headline numbers for the organiser's overview."""
    rows = ReviewAssignment.objects.filter(submission__campaign=campaign)
    by_status = Counter(_current(rows).values_list("status", flat=True))
    by_submission = Counter(campaign.submissions.values_list("status", flat=True))
    return {
        "submissions": by_submission.total()
        - by_submission[SubmissionStatus.WITHDRAWN],
        "withdrawn": by_submission[SubmissionStatus.WITHDRAWN],
        "reviewers": campaign.reviewers.active().count(),
        "assigned": by_status[AssignmentStatus.ASSIGNED],
        "done": by_status[AssignmentStatus.DONE],
        "conflicts": by_status[AssignmentStatus.CONFLICT],
        "withdrawn_reviews": rows.filter(status=AssignmentStatus.WITHDRAWN)
        .exclude(submission__status=SubmissionStatus.WITHDRAWN)
        .count(),
        "shortlisted": by_submission[SubmissionStatus.SHORTLISTED],
    }


@dataclass
class PanelMember:
    """A reviewer on the reviewers page, with what removing them would touch."""

    reviewer: CampaignReviewer
    open: int = 0
    done: int = 0
    withdrawn: int = 0


def panel(campaign: Campaign) -> tuple[list[PanelMember], list[PanelMember]]:
    """The reviewers on the panel, and those removed (with their withdrawn reviews)."""
    members = {
        r.pk: PanelMember(r)
        for r in campaign.reviewers.select_related("user").order_by("user__username")
    }
    rows = (
        ReviewAssignment.objects.filter(reviewer__campaign=campaign)
        .exclude(submission__status=SubmissionStatus.WITHDRAWN)
        .values_list("reviewer_id", "status")
    )
    for reviewer_id, status in rows:
        member = members[reviewer_id]
        if status == AssignmentStatus.ASSIGNED:
            member.open += 1
        elif status == AssignmentStatus.DONE:
            member.done += 1
        elif status == AssignmentStatus.WITHDRAWN:
            member.withdrawn += 1
    on_panel = [m for m in members.values() if m.reviewer.removed_at is None]
    removed = [m for m in members.values() if m.reviewer.removed_at is not None]
    return on_panel, removed


def may_download(user: Any, submission: Submission) -> bool:
    """Organisers, and reviewers still reviewing (or done with) this submission
    while it is in the call."""
    if is_organiser(user):
        return True
    if not getattr(user, "is_authenticated", False) or submission.withdrawn:
        return False
    return submission.assignments.filter(
        reviewer__user=user, status__in=ACTIVE
    ).exists()


def _number(value: float) -> float | None:
    """NaN (no reviews yet) is no JSON number."""
    return None if math.isnan(value) else value


def standing_records(campaign: Campaign) -> list[dict[str, Any]]:
    """The core's standings of a call, with each submission's title and result.

    JSON-ready: the API and the organiser's ``?format=json`` both send these.
    """
    standings_: list[Standing] = standings(campaign)
    by_ref = {s.ref: s for s in campaign.submissions.all()}
    records = []
    for standing in standings_:
        submission = by_ref[standing.entry_id]
        records.append(
            {
                "rank": standing.rank,
                "ref": submission.ref,
                "title": submission.title,
                "library": submission.library,
                "score": _number(standing.score),
                "raw": _number(standing.raw),
                "n_reviews": standing.n_reviews,
                "spread": _number(standing.spread),
                "criteria": {k: _number(v) for k, v in standing.criteria.items()},
                "flags": list(standing.flags),
                "shortlisted": submission.shortlisted,
                "award": submission.award or None,
            }
        )
    return records
