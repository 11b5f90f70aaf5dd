"""Organiser pages (the ``admin`` role): set up a call, reviewers (adding,
correcting and removing), assignment and its e-mail notices, progress, standings,
shortlist and awards (by the ranking or by hand), withdrawing and restoring
submissions and sending their confirmation again, export, publishing."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.campaigns.io import write_standings
from libinnov.campaigns.scoring import Results, Standing
from libinnov.web.accounts.roles import require_role
from libinnov.web.campaigns import labels, selectors, services
from libinnov.web.campaigns.access import organised_campaign, receipt_path
from libinnov.web.campaigns.errors import NeedsConfirmation, Refused
from libinnov.web.campaigns.forms import (
    CampaignForm,
    ResultForm,
    ReviewerEditForm,
    ReviewerForm,
    WithdrawForm,
)
from libinnov.web.campaigns.models import (
    Campaign,
    Submission,
    SubmissionStatus,
    WithdrawnBy,
)
from libinnov.web.campaigns.views import confirm_again_for
from libinnov.web.cases.templatetags.libinnov_tags import lang
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding.model_views import autocode_new_cases

EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def _edit_page(
    request: HttpRequest, form: CampaignForm, campaign: Campaign | None
) -> HttpResponse:
    return render(
        request,
        "campaigns/edit.html",
        {"form": form, "campaign": campaign},
        status=400 if form.is_bound else 200,
    )


def campaign_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "admin")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.save()
        messages.success(request, _("The campaign is saved."))
        return redirect("campaigns:manage", slug=campaign.slug)
    return _edit_page(request, form, None)


def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        campaign = form.save()
        messages.success(request, _("The campaign is saved."))
        return redirect("campaigns:manage", slug=campaign.slug)
    return _edit_page(request, form, campaign)


def campaign_manage(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    submissions = list(
        campaign.submissions.prefetch_related("attachments").order_by("ref")
    )
    unconfirmed = [
        s.ref for s in submissions if s.confirmation_sent_at is None and not s.withdrawn
    ]
    return render(
        request,
        "campaigns/manage.html",
        {
            "campaign": campaign,
            "counts": selectors.counts(campaign),
            "submissions": submissions,
            "unconfirmed": unconfirmed,
            "withdraw_form": WithdrawForm(),
            "tiers": labels.tier_labels(campaign),
            "codebook": current_codebook(),
        },
    )


def _organised_submission(
    request: HttpRequest, slug: str, submission_id: int
) -> Submission:
    campaign = organised_campaign(request, slug)
    return get_object_or_404(campaign.submissions, pk=submission_id)


def _posted_reason(request: HttpRequest, missing: str) -> str:
    """The reason posted with a withdrawal or a restoration, required."""
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        raise Refused(missing, field="reason")
    return str(form.cleaned_data["reason"])


@require_POST
def withdraw(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    """The organiser takes a submission out of the call, with a reason."""
    submission = _organised_submission(request, slug, submission_id)
    try:
        cancelled = services.submission_withdraw(
            submission=submission,
            by=WithdrawnBy.ORGANISER,
            reason=_posted_reason(request, _("Give the reason for withdrawing it.")),
        )
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:manage", slug=slug)
    messages.success(
        request,
        _(
            "%(ref)s is withdrawn: it leaves assignment and the standings "
            "(%(n)d open assignments cancelled)."
        )
        % {"ref": submission.ref, "n": cancelled},
    )
    if submission.case_id is not None:
        messages.warning(
            request,
            _("Its case stays in the case library; unpublish it there if need be."),
        )
    receipt = request.build_absolute_uri(receipt_path(submission))
    if not services.withdrawal_notify(submission=submission, receipt_url=receipt):
        messages.warning(
            request,
            _(
                "The e-mail telling %(email)s of the withdrawal could not be "
                "sent: tell the sender yourself."
            )
            % {"email": submission.contact_email},
        )
    return redirect("campaigns:manage", slug=slug)


@require_POST
def restore(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    """The organiser brings a withdrawn submission back, with a reason."""
    submission = _organised_submission(request, slug, submission_id)
    try:
        notified = services.submission_restore(
            submission=submission,
            reason=_posted_reason(request, _("Give the reason for restoring it.")),
            receipt_url=request.build_absolute_uri(receipt_path(submission)),
        )
    except Refused as exc:
        messages.error(request, f"{submission.ref}: {exc.message}")
        return redirect("campaigns:manage", slug=slug)
    messages.success(
        request,
        _(
            "%(ref)s is back in the call: its reviews count again. Assign "
            "reviewers to fill its places, and save the results again."
        )
        % {"ref": submission.ref},
    )
    if not notified:
        messages.warning(
            request,
            _(
                "The e-mail telling %(email)s of the restoration could not be "
                "sent: tell the sender yourself."
            )
            % {"email": submission.contact_email},
        )
    return redirect("campaigns:manage", slug=slug)


@require_POST
def confirm_again(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    """E-mail the sender their reference and receipt link once more."""
    submission = _organised_submission(request, slug, submission_id)
    confirm_again_for(request, submission, by_sender=False)
    return redirect("campaigns:manage", slug=slug)


def reviewers(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = services.reviewer_add(
            campaign=campaign,
            user=form.cleaned_data["username"],
            institution=form.cleaned_data["institution"],
            province=form.cleaned_data["province"],
        )
        messages.success(
            request, _("%(name)s reviews for this call.") % {"name": row.name}
        )
        return redirect("campaigns:reviewers", slug=slug)
    on_panel, removed = selectors.panel(campaign)
    return render(
        request,
        "campaigns/reviewers.html",
        {
            "campaign": campaign,
            "form": form,
            "reviewers": on_panel,
            "removed": removed,
        },
        status=400 if form.is_bound else 200,
    )


def reviewer_edit(request: HttpRequest, slug: str, reviewer_id: int) -> HttpResponse:
    """Correct a reviewer's name, address, institution or province."""
    campaign = organised_campaign(request, slug)
    reviewer = get_object_or_404(
        campaign.reviewers.active().select_related("user"), pk=reviewer_id
    )
    user = reviewer.user
    form = ReviewerEditForm(
        request.POST or None,
        initial={
            "name": user.get_full_name(),
            "email": user.email,
            "institution": reviewer.institution,
            "province": reviewer.province,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_update(reviewer=reviewer, **form.cleaned_data)
        except Refused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": reviewer.name})
            return redirect("campaigns:reviewers", slug=slug)
    return render(
        request,
        "campaigns/reviewer_edit.html",
        {"campaign": campaign, "reviewer": reviewer, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def reviewer_remove(request: HttpRequest, slug: str, reviewer_id: int) -> HttpResponse:
    """Take a reviewer off the panel; with submitted reviews, only once confirmed."""
    campaign = organised_campaign(request, slug)
    reviewer = get_object_or_404(
        campaign.reviewers.active().select_related("user"), pk=reviewer_id
    )
    try:
        removal = services.reviewer_remove(
            reviewer=reviewer, confirmed=request.POST.get("confirm") == "yes"
        )
    except NeedsConfirmation as exc:
        member = next(
            m for m in selectors.panel(campaign)[0] if m.reviewer.pk == reviewer.pk
        )
        return render(
            request,
            "campaigns/reviewer_remove.html",
            {"campaign": campaign, "member": member, "message": exc.message},
        )
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:reviewers", slug=slug)
    messages.success(
        request,
        _(
            "%(name)s no longer reviews for this call: %(open)d open assignments "
            "cancelled, %(done)d submitted reviews withdrawn from the standings. "
            "Assign reviewers again to fill the gaps."
        )
        % {"name": reviewer.name, "open": removal.cancelled, "done": removal.withdrawn},
    )
    return redirect("campaigns:reviewers", slug=slug)


@require_POST
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    try:
        result = services.assignments_make(campaign=campaign)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("campaigns:progress", slug=slug)
    short = {ref: n for ref, n in result.short.items() if n}
    if short:
        messages.warning(
            request,
            _(
                "%(n)d submissions lack reviewers (conflicts or too few reviewers): "
                "%(refs)s"
            )
            % {"n": len(short), "refs": ", ".join(sorted(short))},
        )
    else:
        messages.success(request, _("Every submission has its reviewers."))
    _notify_reviewers(request, campaign)
    return redirect("campaigns:progress", slug=slug)


def _notify_reviewers(request: HttpRequest, campaign: Campaign) -> None:
    """E-mail reviewers their new assignments and tell the organiser who got it."""
    page = reverse("campaigns:my_assignments", kwargs={"slug": campaign.slug})
    report = services.assignment_notices_send(
        campaign=campaign, review_url=request.build_absolute_uri(page)
    )
    if report.sent:
        messages.info(
            request,
            _("E-mailed %(names)s about their new assignments.")
            % {"names": "、".join(report.sent)},
        )
    if report.failed:
        messages.warning(
            request,
            _(
                "The e-mail to %(names)s could not be sent; they see their "
                "assignments when they sign in, and the next run tries again."
            )
            % {"names": "、".join(report.failed)},
        )
    if report.no_address:
        messages.warning(
            request,
            _(
                "No e-mail address for %(names)s: tell them yourself, or add one "
                "to their account."
            )
            % {"names": "、".join(report.no_address)},
        )


def progress(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    per_reviewer, per_entry = selectors.progress(campaign)
    conflicts = [
        (row, labels.reason_label(row.conflict_reason))
        for entry in per_entry
        for row in entry.conflicts
    ]
    names = {p.reviewer.pk: p.reviewer.name for p in per_reviewer}
    barred = {
        entry.submission.pk: [
            f"{names[rid]}: {labels.reason_label(reason)}"
            for rid, reason in entry.barred.items()
        ]
        for entry in per_entry
    }
    return render(
        request,
        "campaigns/progress.html",
        {
            "campaign": campaign,
            "per_reviewer": per_reviewer,
            "per_entry": [(e, barred[e.submission.pk]) for e in per_entry],
            "conflicts": conflicts,
        },
    )


def _standing_rows(
    campaign: Campaign, standings: list[Standing]
) -> list[dict[str, Any]]:
    by_ref = {s.ref: s for s in campaign.submissions.active()}
    keys = campaign.get_rubric().keys
    tiers = labels.tier_labels(campaign)
    rows = []
    for standing in standings:
        submission = by_ref[standing.entry_id]
        rows.append(
            {
                "standing": standing,
                "submission": submission,
                "criteria": [standing.criteria.get(k) for k in keys],
                "flags": labels.flag_labels(standing.flags),
                "award": tiers.get(submission.award, submission.award),
                "form": ResultForm(
                    campaign,
                    initial=_by_hand(submission),
                    auto_id=f"id_%s_{submission.pk}",
                ),
            }
        )
    return rows


def _by_hand(submission: Any) -> dict[str, str]:
    """What the organiser chose by hand, as the standings row's form shows it."""
    shortlist = award = ""
    if submission.shortlist_by_hand:
        shortlist = "include" if submission.shortlisted else "exclude"
    if submission.award_by_hand:
        award = submission.award or services.NO_AWARD
    return {"shortlist": shortlist, "award": award}


def _standings_json(campaign: Campaign, rows: list[dict[str, Any]]) -> HttpResponse:
    """The API's standing records, plus what the organiser set by hand."""
    by_hand = {r["submission"].ref: r["submission"] for r in rows}
    results = [
        {
            **record,
            "shortlist_by_hand": by_hand[record["ref"]].shortlist_by_hand,
            "award_by_hand": by_hand[record["ref"]].award_by_hand,
        }
        for record in selectors.standing_records(campaign)
    ]
    return json_response(
        {"method": campaign.normalisation, "count": len(results), "results": results}
    )


def standings(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    rows = _standing_rows(campaign, selectors.standings(campaign))
    if wants_json(request):
        return _standings_json(campaign, rows)
    return render(
        request,
        "campaigns/standings.html",
        {
            "campaign": campaign,
            "rows": rows,
            "criteria": labels.rubric_rows(campaign.get_rubric()),
            "method": campaign.get_normalisation_display(),
            "counts": selectors.counts(campaign),
            "withdrawn": campaign.submissions.filter(
                status=SubmissionStatus.WITHDRAWN
            ).order_by("ref"),
        },
    )


def _saved(request: HttpRequest, results: Results) -> None:
    messages.success(
        request,
        _("Shortlisted %(n)d submissions; %(a)d awarded.")
        % {"n": len(results.shortlisted), "a": len(results.awards)},
    )


@require_POST
def results(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    try:
        _saved(request, services.results_save(campaign=campaign))
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:standings", slug=slug)


@require_POST
def result_set(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    """One submission's shortlist place and award, chosen by hand."""
    campaign = organised_campaign(request, slug)
    submission = get_object_or_404(campaign.submissions.active(), pk=submission_id)
    form = ResultForm(campaign, request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Choose from the lists."))
        results = services.result_set(
            submission=submission,
            shortlist=form.cleaned_data["shortlist"],
            award=form.cleaned_data["award"],
        )
    except Refused as exc:
        messages.error(request, f"{submission.ref}: {exc.message}")
    else:
        _saved(request, results)
    return redirect("campaigns:standings", slug=slug)


@require_POST
def results_reset(request: HttpRequest, slug: str) -> HttpResponse:
    """Forget every choice made by hand: the ranking decides again."""
    campaign = organised_campaign(request, slug)
    try:
        _saved(request, services.results_reset(campaign=campaign))
    except Refused as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:standings", slug=slug)


def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The standings with shortlist and awards as XLSX or CSV (the core's writer)."""
    campaign = organised_campaign(request, slug)
    fmt = request.GET.get("fmt", "xlsx")
    if fmt not in EXPORT_TYPES:
        return HttpResponse(_("Unknown export format."), status=400)
    submissions = list(campaign.submissions.active())
    folder = Path(tempfile.mkdtemp(prefix="libinnov-standings-"))
    target = folder / f"standings.{fmt}"
    try:
        write_standings(
            selectors.standings(campaign),
            target,
            awards={s.ref: s.award for s in submissions if s.award},
            shortlisted={s.ref for s in submissions if s.shortlisted},
            rubric=campaign.get_rubric(),
            lang=lang(),
            entries=selectors.core_entries(campaign),
        )
        data = target.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{campaign.slug}-standings.{fmt}",
        content_type=EXPORT_TYPES[fmt],
    )


@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    saved = services.campaign_publish(
        campaign=campaign,
        codebook=current_codebook(),
        codebook_version=current_version().version,
    )
    if saved:
        messages.success(
            request,
            _("Published %(n)d submissions to the case library.") % {"n": len(saved)},
        )
        autocode_new_cases(request, saved)
    else:
        messages.info(
            request, _("Nothing new to publish: shortlist submissions first.")
        )
    return redirect("campaigns:standings", slug=slug)
