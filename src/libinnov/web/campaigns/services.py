"""Writes of a campaign: each one function, each in one transaction.

Every rule comes from :mod:`libinnov.campaigns` (conflicts, assignment, ranking,
shortlist, awards); these functions load the rows, call the core, and store what
it decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from libinnov.campaigns.assignment import Assignment, assign_reviewers
from libinnov.campaigns.conflicts import conflict
from libinnov.campaigns.scoring import award, shortlist
from libinnov.cases import Case as CoreCase
from libinnov.cases import case_from_record
from libinnov.cases.gazetteer import enrich_case
from libinnov.codebook import Codebook
from libinnov.codebook.derive import short_province
from libinnov.exceptions import LibinnovError
from libinnov.web.campaigns import selectors
from libinnov.web.campaigns.attachments import CheckedFile, checked_files
from libinnov.web.campaigns.errors import CallClosed, Refused
from libinnov.web.campaigns.models import (
    AssignmentStatus,
    Attachment,
    Campaign,
    CampaignReviewer,
    Review,
    ReviewAssignment,
    Status,
    Submission,
    SubmissionStatus,
)
from libinnov.web.cases.models import Case, Origin
from libinnov.web.cases.services import atomic, cases_import


@dataclass(frozen=True)
class SubmissionData:
    """What the public form asks for (attachments come separately)."""

    title: str
    library: str
    contact_name: str
    contact_email: str
    province: str = ""
    year: int | None = None
    authors: str = ""
    summary: str = ""


def reviewer_add(
    *,
    campaign: Campaign,
    user: AbstractBaseUser,
    institution: str = "",
    province: str = "",
) -> CampaignReviewer:
    """Add (or update) a reviewer with what the conflict rules compare."""
    row, _created = CampaignReviewer.objects.update_or_create(
        campaign=campaign,
        user=user,
        defaults={
            "institution": institution.strip(),
            "province": short_province(province) if province.strip() else "",
        },
    )
    return row


def library_facts(data: SubmissionData, codebook: Codebook) -> CoreCase:
    """The submission as a core case, with province and library type filled in
    from the library's name by the gazetteer, as imports are."""
    record = {
        "title": data.title,
        "library": data.library,
        "province": data.province,
        "year": data.year,
        "summary": data.summary,
    }
    return enrich_case(case_from_record(record, codebook), codebook)


def _attach(submission: Submission, checked: CheckedFile, stored: list[str]) -> None:
    """Store one checked file; its name goes into ``stored`` as soon as it is
    written, so a later failure can remove it."""
    attachment = Attachment(
        submission=submission,
        original_name=checked.name[:255],
        kind=checked.kind,
        size=checked.size,
        text=checked.text,
    )
    with checked.path.open("rb") as handle:
        attachment.file.save(checked.path.name, File(handle), save=False)
    stored.append(attachment.file.name)
    attachment.save()


def _next_ref(campaign: Campaign) -> str:
    """A reference like 2026-0001, numbered within the locked campaign row."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.accepts_submissions:
        raise CallClosed(_("This call is closed: it no longer takes submissions."))
    locked.last_number += 1
    locked.save(update_fields=["last_number"])
    return f"{timezone.localdate().year}-{locked.last_number:04d}"


def submission_create(
    *,
    campaign: Campaign,
    data: SubmissionData,
    uploads: Sequence[Any],
    codebook: Codebook,
) -> Submission:
    """Save a submission and its attachments: all of it, or nothing.

    Attachments are checked and read before the transaction; a file written to
    storage is deleted again if the transaction does not commit.
    """
    if not campaign.accepts_submissions:
        raise CallClosed(_("This call is closed: it no longer takes submissions."))
    stored: list[str] = []
    with checked_files(uploads) as files:
        if not data.summary.strip():
            texts = [f.summary for f in files]
            data = replace(data, summary="\n\n".join(texts))
        try:
            core = library_facts(data, codebook)
        except LibinnovError as exc:
            raise Refused(exc.message, field=exc.field) from exc
        try:
            with atomic():
                submission = Submission.objects.create(
                    campaign=campaign,
                    ref=_next_ref(campaign),
                    title=core.title,
                    library=core.library,
                    province=core.province or "",
                    library_type=str(core.codes.get("library_type") or ""),
                    year=core.year,
                    summary=core.summary,
                    authors=data.authors.strip(),
                    contact_name=data.contact_name.strip(),
                    contact_email=data.contact_email.strip(),
                )
                for checked in files:
                    _attach(submission, checked, stored)
        except BaseException:
            for name in stored:
                default_storage.delete(name)
            raise
    return submission


def assignments_make(*, campaign: Campaign) -> Assignment:
    """Give every submission its reviewers, keeping the assignments already made.

    The core never pairs a reviewer with a submission they conflict with
    (declared, author, same institution, same province when the campaign says
    so) and balances the load; what it could not fill is in ``short``.
    """
    if campaign.status == Status.CLOSED:
        raise Refused(_("The campaign is closed."))
    rules = campaign.conflict_rules()
    with atomic():
        entries = {e.id: e for e in selectors.core_entries(campaign)}
        reviewers = {r.id: r for r in selectors.core_reviewers(campaign)}
        rows = {
            (row.submission.ref, str(row.reviewer_id)): row
            for row in ReviewAssignment.objects.filter(
                submission__campaign=campaign, status__in=selectors.ACTIVE
            ).select_related("submission")
        }
        existing: dict[str, list[str]] = {}
        for ref, reviewer_id in rows:
            existing.setdefault(ref, []).append(reviewer_id)
        result = assign_reviewers(
            list(entries.values()),
            list(reviewers.values()),
            campaign.reviewers_per_entry,
            rules,
            existing=existing,
        )
        for ref, reviewer_ids in result.dropped.items():
            for reviewer_id in reviewer_ids:
                row = rows[(ref, reviewer_id)]
                row.status = AssignmentStatus.CONFLICT
                row.conflict_reason = (
                    conflict(reviewers[reviewer_id], entries[ref], rules) or ""
                )
                row.save(update_fields=["status", "conflict_reason", "updated_at"])
        by_ref = {s.ref: s for s in campaign.submissions.all()}
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(submission=by_ref[ref], reviewer_id=int(reviewer_id))
            for ref, reviewer_ids in result.reviewers.items()
            for reviewer_id in reviewer_ids
            if (ref, reviewer_id) not in rows
        )
    return result


def _check_reviewable(assignment: ReviewAssignment) -> None:
    if not assignment.submission.campaign.accepts_reviews:
        raise Refused(_("This campaign is not taking reviews now."))
    if assignment.status == AssignmentStatus.CONFLICT:
        raise Refused(_("You declared a conflict with this submission."))


def review_submit(
    *, assignment: ReviewAssignment, scores: Mapping[str, Any], comment: str = ""
) -> Review:
    """Store a reviewer's scores (checked by the campaign's rubric) and finish."""
    _check_reviewable(assignment)
    rubric = assignment.submission.campaign.get_rubric()
    try:
        checked = rubric.validate_scores(scores)
    except LibinnovError as exc:
        raise Refused(exc.message, field=exc.field) from exc
    with atomic():
        review, _created = Review.objects.update_or_create(
            assignment=assignment,
            defaults={"scores": checked, "comment": comment.strip()},
        )
        assignment.status = AssignmentStatus.DONE
        assignment.save(update_fields=["status", "updated_at"])
    return review


def conflict_declare(*, assignment: ReviewAssignment, note: str = "") -> None:
    """The reviewer steps back; the organiser's next assignment run fills the gap."""
    _check_reviewable(assignment)
    assignment.status = AssignmentStatus.CONFLICT
    assignment.conflict_reason = "declared"
    assignment.declared_note = note.strip()
    assignment.save(
        update_fields=["status", "conflict_reason", "declared_note", "updated_at"]
    )


def results_save(*, campaign: Campaign) -> tuple[list[str], dict[str, str]]:
    """Shortlist by the standings and award the shortlist by the campaign's tiers.

    Returns the shortlisted references and the awards (reference → tier key).
    """
    chosen = shortlist(selectors.standings(campaign), size=campaign.shortlist_size)
    awards = award(chosen, campaign.get_tiers())
    refs = [s.entry_id for s in chosen]
    with atomic():
        campaign.submissions.update(status=SubmissionStatus.SUBMITTED, award="")
        for submission in campaign.submissions.filter(ref__in=refs):
            submission.status = SubmissionStatus.SHORTLISTED
            submission.award = awards.get(submission.ref, "")
            submission.save(update_fields=["status", "award"])
    return refs, awards


def case_of(submission: Submission, codebook: Codebook) -> CoreCase:
    """The library case a submission becomes (contact details stay behind)."""
    record = {
        "id": f"{submission.campaign.slug}-{submission.ref}",
        "title": submission.title,
        "library": submission.library,
        "province": submission.province,
        "year": submission.year,
        "summary": submission.summary,
    }
    if submission.library_type and "library_type" in codebook:
        record["library_type"] = submission.library_type
    return enrich_case(case_from_record(record, codebook), codebook)


def campaign_publish(
    *, campaign: Campaign, codebook: Codebook, codebook_version: str
) -> list[Case]:
    """Shortlisted submissions become library cases, through the import service.

    So they are coded (province, region, library type) and indexed for search like
    imported cases. A submission already published is skipped, so publishing
    twice adds nothing.
    """
    todo = list(
        campaign.submissions.filter(
            status=SubmissionStatus.SHORTLISTED, case__isnull=True
        ).order_by("ref")
    )
    if not todo:
        return []
    cores = [case_of(s, codebook) for s in todo]
    with atomic():
        saved = cases_import(
            cores,
            codebook=codebook,
            codebook_version=codebook_version,
            origin=Origin.SUBMISSION,
            published=True,
            submission_refs={
                core.id: s.case_ref for s, core in zip(todo, cores, strict=True)
            },
        )
        by_id = {case.id: case for case in saved}
        for submission, core in zip(todo, cores, strict=True):
            submission.case = by_id[core.id]
            submission.save(update_fields=["case"])
    return saved
