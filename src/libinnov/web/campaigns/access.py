"""Who may open which campaign page; each view starts with one of these.

Organisers hold the ``admin`` role. A reviewer is a signed-in user an organiser
added to *that* campaign: reviewing for one call gives no access to another.
Anonymous visitors are sent to log in; others get a 403 (or a 404 for a draft,
so a call nobody published does not show it exists). A sender has no account: the
signed link of their receipt is what lets them see (and withdraw) their submission.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from libinnov.web.accounts.roles import require_role
from libinnov.web.campaigns.models import (
    Campaign,
    CampaignReviewer,
    ReviewAssignment,
    Status,
    Submission,
    SubmissionStatus,
)
from libinnov.web.campaigns.selectors import is_organiser

_RECEIPT_SALT = "libinnov.campaigns.receipt"


def visible_campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(Campaign, slug=slug)
    if campaign.status == Status.DRAFT and not is_organiser(request.user):
        raise Http404("no such campaign")
    return campaign


def organised_campaign(request: HttpRequest, slug: str) -> Campaign:
    require_role(request, "admin")
    return get_object_or_404(Campaign, slug=slug)


def campaign_reviewer(request: HttpRequest, campaign: Campaign) -> CampaignReviewer:
    """The signed-in user's reviewer row for this campaign, or a 403."""
    row = (
        CampaignReviewer.objects.active()
        .filter(campaign=campaign, user=request.user)
        .select_related("user")
        .first()
    )
    if row is None:
        raise PermissionDenied("not a reviewer of this campaign")
    return row


def own_assignment(reviewer: CampaignReviewer, assignment_id: int) -> ReviewAssignment:
    """One of the reviewer's own assignments; anyone else's, or one of a
    withdrawn submission, is a 404."""
    return get_object_or_404(
        ReviewAssignment.objects.select_related("submission__campaign").exclude(
            submission__status=SubmissionStatus.WITHDRAWN
        ),
        pk=assignment_id,
        reviewer=reviewer,
    )


def receipt_token(submission: Submission) -> str:
    """The signed part of a receipt's address: the sender's only credential."""
    return signing.dumps([submission.campaign.slug, submission.ref], salt=_RECEIPT_SALT)


def receipt_path(submission: Submission) -> str:
    """The address of a submission's receipt, as its confirmation links to it."""
    return reverse(
        "campaigns:receipt",
        kwargs={"slug": submission.campaign.slug, "token": receipt_token(submission)},
    )


def receipt_submission(slug: str, token: str) -> Submission:
    """The submission a receipt link names, or a 404 for a forged or foreign one."""
    try:
        signed_slug, ref = signing.loads(token, salt=_RECEIPT_SALT)
    except signing.BadSignature as exc:
        raise Http404("no such receipt") from exc
    if signed_slug != slug:
        raise Http404("no such receipt")
    submission = (
        Submission.objects.select_related("campaign")
        .filter(campaign__slug=slug, ref=ref)
        .first()
    )
    if submission is None:
        raise Http404("no such receipt")
    return submission
