"""What a campaign stores: the call, submissions and their files, reviews.

Rules (the rubric, conflicts, assignment, normalisation, ranking, awards) live in
:mod:`libinnov.campaigns`; these tables keep the core's values as JSON
(``Rubric.to_records``, award tiers as records) so the core reads them back as is.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from libinnov.campaigns.conflicts import ConflictRules
from libinnov.campaigns.rubric import Rubric
from libinnov.campaigns.scoring import DEFAULT_AWARD_TIERS, NORMALISATIONS, AwardTier


def default_rubric_records() -> list[dict[str, Any]]:
    return Rubric.default().to_records()


def default_tier_records() -> list[dict[str, Any]]:
    return [asdict(tier) for tier in DEFAULT_AWARD_TIERS]


NORMALISATION_LABELS = {
    "zscore": _("z-score per reviewer"),
    "rank": _("percentile rank per reviewer"),
    "none": _("raw weighted totals"),
}


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open for submissions")
    REVIEWING = "reviewing", _("under review")
    CLOSED = "closed", _("closed")


class Campaign(models.Model):
    """One call for cases, with the rules its review follows."""

    slug = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    closes_at = models.DateTimeField(null=True, blank=True)
    rubric = models.JSONField(default=default_rubric_records)
    reviewers_per_entry = models.PositiveSmallIntegerField(default=3)
    normalisation = models.CharField(
        max_length=16,
        choices=[(m, NORMALISATION_LABELS.get(m, m)) for m in NORMALISATIONS],
        default="zscore",
    )
    same_province = models.BooleanField(default=False)
    shortlist_size = models.PositiveIntegerField(default=10)
    award_tiers = models.JSONField(default=default_tier_records)
    #: the number of the last submission, so references never repeat
    last_number = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    def get_rubric(self) -> Rubric:
        return Rubric.from_records(self.rubric, where=f"campaign {self.slug}")

    def get_tiers(self) -> list[AwardTier]:
        return [AwardTier(**record) for record in self.award_tiers]

    def conflict_rules(self) -> ConflictRules:
        return ConflictRules(same_institution=True, same_province=self.same_province)

    @property
    def accepts_submissions(self) -> bool:
        """Open, and its deadline (if any) not passed."""
        if self.status != Status.OPEN:
            return False
        return self.closes_at is None or timezone.now() < self.closes_at

    @property
    def accepts_reviews(self) -> bool:
        return self.status in (Status.OPEN, Status.REVIEWING)

    @property
    def is_public(self) -> bool:
        return self.status != Status.DRAFT


class ReviewerQuerySet(models.QuerySet["CampaignReviewer"]):
    def active(self) -> ReviewerQuerySet:
        """Reviewers still on the panel (a removed one keeps their row)."""
        return self.filter(removed_at__isnull=True)


class CampaignReviewer(models.Model):
    """A user who reviews for one campaign, with what conflict rules compare.

    Removing a reviewer keeps the row (``removed_at``) so the reviews they had
    submitted stay in the database, withdrawn, and come back if they are added again.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="campaign_reviews",
    )
    institution = models.CharField(max_length=200, blank=True)
    province = models.CharField(max_length=32, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        ordering = ("user__username",)
        constraints = (
            models.UniqueConstraint(
                fields=["campaign", "user"], name="one_reviewer_row_per_campaign"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} @ {self.campaign.slug}"

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    SHORTLISTED = "shortlisted", _("shortlisted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class WithdrawnBy(models.TextChoices):
    SUBMITTER = "submitter", _("the submitter")
    ORGANISER = "organiser", _("the organiser")


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def active(self) -> SubmissionQuerySet:
        """Submissions still in the call: withdrawn ones are kept but not judged."""
        return self.exclude(status=SubmissionStatus.WITHDRAWN)


class Submission(models.Model):
    """One case sent to a call; becomes a library case once published.

    ``status`` and ``award`` hold the campaign's results. When the organiser set
    one by hand (``shortlist_by_hand``, ``award_by_hand``), the stored value is
    their choice, which saving the results again keeps.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="submissions"
    )
    ref = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    library = models.CharField(max_length=300)
    province = models.CharField(max_length=32, blank=True)
    library_type = models.CharField(max_length=64, blank=True)
    year = models.IntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    authors = models.CharField(max_length=300, blank=True)
    contact_name = models.CharField(max_length=100)
    contact_email = models.EmailField()
    status = models.CharField(
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    award = models.CharField(max_length=32, blank=True)
    shortlist_by_hand = models.BooleanField(default=False)
    award_by_hand = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(
        max_length=16, choices=WithdrawnBy.choices, blank=True
    )
    withdrawal_reason = models.TextField(blank=True)
    #: when the sender was e-mailed that the organisers withdrew it; empty if
    #: sending failed or the sender withdrew it themselves
    withdrawal_notice_sent_at = models.DateTimeField(null=True, blank=True)
    #: when and why an organiser brought it back into the call; the withdrawal
    #: above stays on record beside it
    restored_at = models.DateTimeField(null=True, blank=True)
    restoration_reason = models.TextField(blank=True)
    #: when the sender was e-mailed of the restoration; empty if sending failed
    restoration_notice_sent_at = models.DateTimeField(null=True, blank=True)
    #: when the confirmation e-mail went out; empty if sending failed
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ("campaign", "ref")
        constraints = (
            models.UniqueConstraint(
                fields=["campaign", "ref"], name="unique_ref_per_campaign"
            ),
        )

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def shortlisted(self) -> bool:
        return self.status == SubmissionStatus.SHORTLISTED

    @property
    def withdrawn(self) -> bool:
        return self.status == SubmissionStatus.WITHDRAWN

    @property
    def set_by_hand(self) -> bool:
        return self.shortlist_by_hand or self.award_by_hand

    @property
    def submitter_may_withdraw(self) -> bool:
        """While the call takes submissions, and never once in the case library."""
        return (
            not self.withdrawn
            and self.case_id is None
            and self.campaign.accepts_submissions
        )

    @property
    def restored(self) -> bool:
        """Back in the call after a withdrawal."""
        return not self.withdrawn and self.restored_at is not None

    @property
    def case_ref(self) -> str:
        """What the library case keeps in ``submission_ref``."""
        return f"{self.campaign.slug}/{self.ref}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored under the campaign and reference; the sender's file name is kept apart."""
    submission = instance.submission
    suffix = PurePath(filename).suffix.lower()
    return f"campaigns/{submission.campaign.slug}/{submission.ref}/file{suffix}"


class AttachmentKind(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"


class Attachment(models.Model):
    """A write-up sent with a submission, and the text read from it."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.original_name


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("to review")
    CONFLICT = "conflict", _("conflict of interest")
    DONE = "done", _("reviewed")
    #: reviewed, but the reviewer was removed: kept, not counted
    WITHDRAWN = "withdrawn", _("withdrawn with the reviewer")


class ReviewAssignment(models.Model):
    """One reviewer asked to score one submission."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        CampaignReviewer, on_delete=models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        max_length=16,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    conflict_reason = models.CharField(max_length=32, blank=True)
    declared_note = models.TextField(blank=True)
    #: when the reviewer was e-mailed about it; empty until a notice went out
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("submission__ref", "reviewer__user__username")
        constraints = (
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="one_assignment_per_pair"
            ),
        )

    def __str__(self) -> str:
        return f"{self.submission.ref} → {self.reviewer.user}"


class Review(models.Model):
    """The scores of one assignment (scored again, it is replaced)."""

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    scores = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review of {self.assignment}"
