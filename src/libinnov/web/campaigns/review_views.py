"""Reviewer pages: my assignments, scoring one submission, declaring a conflict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.web.campaigns import labels, selectors, services
from libinnov.web.campaigns.access import (
    campaign_reviewer,
    own_assignment,
    visible_campaign,
)
from libinnov.web.campaigns.errors import Refused
from libinnov.web.campaigns.forms import ConflictForm, ScoreForm
from libinnov.web.campaigns.models import Attachment, Review, ReviewAssignment
from libinnov.web.codebook.selectors import current_codebook


@login_required
def my_assignments(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = visible_campaign(request, slug)
    reviewer = campaign_reviewer(request, campaign)
    return render(
        request,
        "campaigns/my_assignments.html",
        {
            "campaign": campaign,
            "reviewer": reviewer,
            "assignments": selectors.reviewer_assignments(reviewer),
        },
    )


def _score_page(
    request: HttpRequest,
    assignment: ReviewAssignment,
    form: ScoreForm,
    status: int = 200,
) -> HttpResponse:
    submission = assignment.submission
    return render(
        request,
        "campaigns/score.html",
        {
            "campaign": submission.campaign,
            "assignment": assignment,
            "submission": submission,
            "attachments": submission.attachments.all(),
            "form": form,
            "conflict_form": ConflictForm(),
            "codebook": current_codebook(),
            "reason": labels.reason_label(assignment.conflict_reason),
        },
        status=status,
    )


@login_required
def score(request: HttpRequest, slug: str, assignment_id: int) -> HttpResponse:
    campaign = visible_campaign(request, slug)
    assignment = own_assignment(campaign_reviewer(request, campaign), assignment_id)
    rubric = campaign.get_rubric()
    if request.method != "POST":
        review = Review.objects.filter(assignment=assignment).first()
        initial = ScoreForm.initial_for(review.scores, review.comment) if review else {}
        return _score_page(request, assignment, ScoreForm(rubric, initial=initial))
    form = ScoreForm(rubric, request.POST)
    if form.is_valid():
        try:
            services.review_submit(
                assignment=assignment,
                scores=form.scores,
                comment=form.cleaned_data["comment"],
            )
        except Refused as exc:
            name = f"score_{exc.field}"
            form.add_error(name if name in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Your scores for %(ref)s are saved.")
                % {"ref": assignment.submission.ref},
            )
            return redirect("campaigns:my_assignments", slug=slug)
    return _score_page(request, assignment, form, status=400)


@login_required
@require_POST
def declare_conflict(
    request: HttpRequest, slug: str, assignment_id: int
) -> HttpResponse:
    campaign = visible_campaign(request, slug)
    assignment = own_assignment(campaign_reviewer(request, campaign), assignment_id)
    form = ConflictForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.conflict_declare(assignment=assignment, note=note)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.info(
            request,
            _("You stepped back from %(ref)s; the organiser will assign someone else.")
            % {"ref": assignment.submission.ref},
        )
    return redirect("campaigns:my_assignments", slug=slug)


def attachment_download(
    request: HttpRequest, slug: str, attachment_id: int
) -> HttpResponse:
    """The sender's file, for organisers and the submission's reviewers only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = get_object_or_404(
        Attachment.objects.select_related("submission__campaign"),
        pk=attachment_id,
        submission__campaign__slug=slug,
    )
    if not selectors.may_download(request.user, attachment.submission):
        raise PermissionDenied("not a reviewer of this submission")
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
    )
