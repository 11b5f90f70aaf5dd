"""The automatic coder's page: which model suggests, and retraining it with a button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.web.accounts.roles import require_role
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import training
from libinnov.web.coding.models import TrainingRun

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


def model_page(request: HttpRequest) -> HttpResponse:
    require_role(request, "adjudicator")
    runs = list(TrainingRun.objects.all()[:10])
    if wants_json(request):
        in_use = training.model_in_use()
        return json_response(
            {
                "model_in_use": in_use.pk if in_use else "default",
                "runs": [_run_record(r) for r in runs],
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
            "codebook": current_codebook(),
        },
    )


def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's progress: the fragment the page polls, or its JSON."""
    require_role(request, "adjudicator")
    run = get_object_or_404(TrainingRun, pk=run_id)
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
