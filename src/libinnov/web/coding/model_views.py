"""The automatic coder's page: which model suggests, retraining it, and coding the
cases that lack codes, each with a button and a progress the page polls."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.web.accounts.roles import require_role
from libinnov.web.cases.models import Case
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import autocoding, training
from libinnov.web.coding.models import AutoCodingRun, TrainingRun
from libinnov.web.coding.selectors import uncoded_cases

METRICS = (("macro_f1", "macro-F1"), ("micro_f1", "micro-F1"), ("accuracy", "acc."))


def _run_record(run: TrainingRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "stage": run.stage,
        "n_cases": run.n_cases,
        "n_new": run.n_new,
        "folds": run.folds,
        "before": run.before,
        "after": run.after,
        "error": run.error,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def stage_label(stage: str) -> str:
    """A run's stage (``collecting``, ``comparing:3/10``, ``training``) for people."""
    name, _sep, steps = stage.partition(":")
    if name == "comparing" and steps:
        done, _slash, total = steps.partition("/")
        return _("Cross-validating: model %(done)s of %(total)s") % {
            "done": done,
            "total": total,
        }
    labels = {
        "queued": _("Waiting to start"),
        "collecting": _("Collecting the settled codes"),
        "training": _("Training the new model on all settled codes"),
    }
    return str(labels.get(name, stage))


def _comparison(run: TrainingRun) -> list[dict[str, Any]]:
    """One row per dimension and metric: before, after and the change."""
    rows = []
    for dim, after in run.after.items():
        before = run.before.get(dim, {})
        for key, label in METRICS:
            if after.get(key) is None:
                continue
            old = before.get(key)
            rows.append(
                {
                    "dimension": dim,
                    "metric": label,
                    "before": old,
                    "after": after[key],
                    "delta": None if old is None else after[key] - old,
                }
            )
    return rows


def _auto_record(run: AutoCodingRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "stage": run.stage,
        "done": run.done,
        "total": run.total,
        "progress": run.progress,
        "coded": run.coded,
        "codes": run.codes,
        "coder": run.coder,
        "case_ids": run.case_ids,
        "error": run.error,
        "created_at": run.created_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def auto_stage_label(run: AutoCodingRun) -> str:
    """An automatic coding run's stage for people."""
    if run.stage == "coding":
        return _("Coding: %(done)s of %(total)s cases") % {
            "done": run.done,
            "total": run.total,
        }
    labels = {
        "queued": _("Waiting to start"),
        "model": _("Preparing the model (the first run trains it)"),
    }
    return str(labels.get(run.stage, run.stage))


def model_page(request: HttpRequest) -> HttpResponse:
    require_role(request, "adjudicator")
    # give up runs a restart cut off: they show as failed, and may start again
    TrainingRun.active_run()
    AutoCodingRun.active_run()
    runs = list(TrainingRun.objects.all()[:10])
    codebook = current_codebook()
    auto = AutoCodingRun.objects.first()
    uncoded = uncoded_cases(codebook).count()
    if wants_json(request):
        in_use = training.model_in_use()
        return json_response(
            {
                "model_in_use": in_use.pk if in_use else "default",
                "runs": [_run_record(r) for r in runs],
                "uncoded": uncoded,
                "auto_runs": [
                    _auto_record(r) for r in AutoCodingRun.objects.all()[:10]
                ],
            }
        )
    return render(
        request,
        "coding/model.html",
        {
            "runs": runs,
            "latest": runs[0] if runs else None,
            "rows": _comparison(runs[0]) if runs else [],
            "stage": stage_label(runs[0].stage) if runs else "",
            "in_use": training.model_in_use(),
            "codebook": codebook,
            "uncoded": uncoded,
            "auto": auto,
            "auto_stage": auto_stage_label(auto) if auto else "",
        },
    )


def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's progress: the fragment the page polls, or its JSON."""
    require_role(request, "adjudicator")
    run = get_object_or_404(TrainingRun, pk=run_id)
    run.give_up_if_stale()
    if wants_json(request):
        return json_response(_run_record(run))
    response = render(
        request,
        "coding/_run.html",
        {
            "run": run,
            "rows": _comparison(run),
            "stage": stage_label(run.stage),
            "codebook": current_codebook(),
        },
    )
    if request.headers.get("HX-Request") and not run.active:
        response["HX-Refresh"] = "true"  # the page's button and history follow
    return response


@require_POST
def retrain(request: HttpRequest) -> HttpResponse:
    require_role(request, "adjudicator")
    try:
        training.run_start(
            user=request.user,
            codebook=current_codebook(),
            version=current_version().version,
        )
    except training.TrainingBusy:
        messages.info(request, _("A retraining is already running."))
    return redirect("coding:model")


def auto_run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """An automatic coding run's progress: the polled fragment, or its JSON."""
    require_role(request, "adjudicator")
    run = get_object_or_404(AutoCodingRun, pk=run_id)
    run.give_up_if_stale()
    if wants_json(request):
        return json_response(_auto_record(run))
    response = render(
        request,
        "coding/_autorun.html",
        {"auto": run, "auto_stage": auto_stage_label(run)},
    )
    if request.headers.get("HX-Request") and not run.active:
        response["HX-Refresh"] = "true"  # the count of uncoded cases follows
    return response


@require_POST
def autocode(request: HttpRequest) -> HttpResponse:
    """Start coding every case that lacks codes."""
    require_role(request, "adjudicator")
    try:
        autocoding.run_start(
            user=request.user,
            codebook=current_codebook(),
            version=current_version().version,
        )
    except autocoding.AutoCodingBusy:
        messages.info(request, _("An automatic coding run is already going."))
    return redirect(reverse("coding:model") + "#autocode")


def autocode_new_cases(request: HttpRequest, cases: Sequence[Case]) -> None:
    """Start coding cases just added to the library, and tell the user so.

    For the views that add cases without codes (publishing a campaign): when a
    run is already going the cases wait for the next one, and the message says
    where to start it.
    """
    page = reverse("coding:model") + "#autocode"
    try:
        autocoding.run_start(
            user=request.user,
            codebook=current_codebook(),
            version=current_version().version,
            case_ids=[c.pk for c in cases],
        )
    except autocoding.AutoCodingBusy:
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "The new cases are not coded yet: an automatic coding run is "
                    "already going. Start one for them once it ends."
                ),
                page,
                _("Automatic coder"),
            ),
        )
        return
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("The automatic coder is coding the new cases."),
            page,
            _("Progress"),
        ),
    )
