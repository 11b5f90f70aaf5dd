"""Organiser pages (the ``admin`` role): set up a call, reviewers, assignment,
progress, standings, shortlist and awards, export, publishing."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.campaigns.io import write_standings
from libinnov.campaigns.scoring import Standing
from libinnov.web.accounts.roles import require_role
from libinnov.web.campaigns import labels, selectors, services
from libinnov.web.campaigns.access import organised_campaign
from libinnov.web.campaigns.errors import Refused
from libinnov.web.campaigns.forms import CampaignForm, ReviewerForm
from libinnov.web.campaigns.models import Campaign
from libinnov.web.cases.templatetags.libinnov_tags import lang
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook, current_version

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
    submissions = campaign.submissions.prefetch_related("attachments").order_by("ref")
    return render(
        request,
        "campaigns/manage.html",
        {
            "campaign": campaign,
            "counts": selectors.counts(campaign),
            "submissions": submissions,
            "tiers": labels.tier_labels(campaign),
            "codebook": current_codebook(),
        },
    )


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
    return render(
        request,
        "campaigns/reviewers.html",
        {
            "campaign": campaign,
            "form": form,
            "reviewers": campaign.reviewers.select_related("user"),
        },
        status=400 if form.is_bound else 200,
    )


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
    return redirect("campaigns:progress", slug=slug)


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
    by_ref = {s.ref: s for s in campaign.submissions.all()}
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
            }
        )
    return rows


def _standings_json(rows: list[dict[str, Any]], method: str) -> HttpResponse:
    results = [
        {
            "ref": r["submission"].ref,
            "title": r["submission"].title,
            "library": r["submission"].library,
            "rank": r["standing"].rank,
            "score": r["standing"].score,
            "raw": r["standing"].raw,
            "n_reviews": r["standing"].n_reviews,
            "spread": r["standing"].spread,
            "criteria": dict(r["standing"].criteria),
            "flags": list(r["standing"].flags),
            "shortlisted": r["submission"].shortlisted,
            "award": r["submission"].award or None,
        }
        for r in rows
    ]
    return json_response({"method": method, "count": len(results), "results": results})


def standings(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    rows = _standing_rows(campaign, selectors.standings(campaign))
    if wants_json(request):
        return _standings_json(rows, campaign.normalisation)
    return render(
        request,
        "campaigns/standings.html",
        {
            "campaign": campaign,
            "rows": rows,
            "criteria": labels.rubric_rows(campaign.get_rubric()),
            "method": campaign.get_normalisation_display(),
            "counts": selectors.counts(campaign),
        },
    )


@require_POST
def results(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = organised_campaign(request, slug)
    refs, awards = services.results_save(campaign=campaign)
    messages.success(
        request,
        _("Shortlisted %(n)d submissions; %(a)d awarded.")
        % {"n": len(refs), "a": len(awards)},
    )
    return redirect("campaigns:standings", slug=slug)


def export(request: HttpRequest, slug: str) -> HttpResponse:
    """The standings with shortlist and awards as XLSX or CSV (the core's writer)."""
    campaign = organised_campaign(request, slug)
    fmt = request.GET.get("fmt", "xlsx")
    if fmt not in EXPORT_TYPES:
        return HttpResponse(_("Unknown export format."), status=400)
    submissions = list(campaign.submissions.all())
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
    else:
        messages.info(
            request, _("Nothing new to publish: shortlist submissions first.")
        )
    return redirect("campaigns:standings", slug=slug)
