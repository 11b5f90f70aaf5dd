"""Public campaign pages: the calls, one call with its submission form, the receipt
(where the sender may withdraw their submission while the call is open, and have
the confirmation e-mailed again).

None of these pages goes through the anonymous page cache: the form carries a
CSRF token, and a call's page changes when it opens or closes, which the library's
version (what cached pages are keyed on) knows nothing about.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.web.campaigns import labels, selectors, services
from libinnov.web.campaigns.access import (
    receipt_path,
    receipt_submission,
    visible_campaign,
)
from libinnov.web.campaigns.errors import CallClosed, Refused
from libinnov.web.campaigns.forms import SubmissionForm, WithdrawForm
from libinnov.web.campaigns.models import Campaign, Status, Submission, WithdrawnBy
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook


def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(selectors.listed_campaigns(request.user))
    if wants_json(request):
        public = [labels.campaign_record(c) for c in campaigns if c.is_public]
        return json_response({"count": len(public), "results": public})
    reviewing = selectors.reviewer_rows(request.user)
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns,
            "reviewing": [c for c in campaigns if c.pk in reviewing],
            "organiser": selectors.is_organiser(request.user),
        },
    )


def _submission_data(form: SubmissionForm) -> services.SubmissionData:
    data = form.cleaned_data
    return services.SubmissionData(
        title=data["title"],
        library=data["library"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        province=data.get("province") or "",
        year=data.get("year"),
        authors=data.get("authors") or "",
        summary=data.get("summary") or "",
    )


def _submit(
    request: HttpRequest, campaign: Campaign, form: SubmissionForm
) -> tuple[HttpResponse | None, int]:
    """Save the posted submission: a redirect to its receipt, or the status to
    render the form again with."""
    if not campaign.accepts_submissions:
        form.add_error(None, _("This call is closed: it no longer takes submissions."))
        return None, 403
    if not form.is_valid():
        return None, 400
    try:
        submission = services.submission_create(
            campaign=campaign,
            data=_submission_data(form),
            uploads=form.cleaned_data["attachments"],
            codebook=current_codebook(),
        )
    except Refused as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None, 403 if isinstance(exc, CallClosed) else 400
    receipt = receipt_path(submission)
    confirmed = services.submission_confirm(
        submission=submission, receipt_url=request.build_absolute_uri(receipt)
    )
    if not confirmed:
        messages.warning(
            request,
            _(
                "Your case is saved, but the confirmation e-mail could not be sent: "
                "keep the address of this page."
            ),
        )
    return redirect(receipt), 302


def campaign_detail(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = visible_campaign(request, slug)
    if wants_json(request):
        return json_response(labels.campaign_record(campaign))
    status = 200
    form = SubmissionForm()
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        done, status = _submit(request, campaign, form)
        if done is not None:
            return done
    awarded = []
    if campaign.status == Status.CLOSED:
        tiers = labels.tier_labels(campaign)
        order = {key: i for i, key in enumerate(tiers)}
        winners = campaign.submissions.exclude(award="")
        awarded = [
            (s, tiers.get(s.award, s.award))
            for s in sorted(winners, key=lambda s: (order.get(s.award, 99), s.ref))
        ]
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "rubric": labels.rubric_rows(campaign.get_rubric()),
            "form": form,
            "awarded": awarded,
            "reviewer": selectors.reviewer_rows(request.user).get(campaign.pk),
            "organiser": selectors.is_organiser(request.user),
        },
        status=status,
    )


def receipt(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The sender's confirmation, reachable only through the signed link."""
    submission = receipt_submission(slug, token)
    return render(
        request,
        "campaigns/receipt.html",
        {
            "campaign": submission.campaign,
            "submission": submission,
            "token": token,
            "form": WithdrawForm(required=False),
        },
    )


@require_POST
def receipt_withdraw(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The sender takes their submission back; the signed link is the credential."""
    submission = receipt_submission(slug, token)
    form = WithdrawForm(request.POST, required=False)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.submission_withdraw(
            submission=submission, by=WithdrawnBy.SUBMITTER, reason=reason
        )
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Submission %(ref)s is withdrawn.") % {"ref": submission.ref},
        )
    return redirect("campaigns:receipt", slug=slug, token=token)


@require_POST
def receipt_confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The sender asks for their confirmation e-mail again (the link in it is
    this receipt's)."""
    submission = receipt_submission(slug, token)
    confirm_again_for(request, submission, by_sender=True)
    return redirect("campaigns:receipt", slug=slug, token=token)


def confirm_again_for(
    request: HttpRequest, submission: Submission, *, by_sender: bool
) -> None:
    """Send the confirmation once more and tell whoever asked how it went (the
    receipt page and the organiser's overview)."""
    email = {"email": submission.contact_email}
    try:
        sent = services.submission_confirm_again(
            submission=submission,
            receipt_url=request.build_absolute_uri(receipt_path(submission)),
            by_sender=by_sender,
        )
    except Refused as exc:
        messages.error(request, f"{submission.ref}: {exc.message}")
        return
    if sent:
        messages.success(
            request, _("The confirmation is sent to %(email)s again.") % email
        )
    else:
        messages.warning(
            request,
            _("The confirmation e-mail to %(email)s could not be sent.") % email,
        )
