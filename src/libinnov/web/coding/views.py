"""The coding workbench: queue, code a case, double coding, adjudication, log."""

from __future__ import annotations

import random
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from libinnov.codebook import Codebook, Dimension
from libinnov.web.accounts.roles import has_role, require_role
from libinnov.web.cases.models import Case
from libinnov.web.cases.templatetags.libinnov_tags import lang
from libinnov.web.cases.views import evidence_by_code, json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import selectors, services
from libinnov.web.coding.engine import agreement_table
from libinnov.web.coding.models import (
    CodeAssignment,
    CodeChange,
    CodingTask,
    user_coder,
)

LOG_PAGE = 50
QUEUE_PAGE = 20


def workbench_dimensions(codebook: Codebook) -> list[Dimension]:
    """Dimensions a person decides: all but the derived ones."""
    return [d for d in codebook.active_dimensions if not d.derived]


def queue(request: HttpRequest) -> HttpResponse:
    """The coder's open tasks; with none, the cases no person has confirmed yet."""
    require_role(request, "coder")
    tasks = selectors.queue_for(request.user)
    has_tasks = tasks.exists()
    items = tasks if has_tasks else selectors.review_candidates()
    page = Paginator(items, QUEUE_PAGE).get_page(request.GET.get("page"))
    candidates = [] if has_tasks else list(page.object_list)
    return render(
        request,
        "coding/queue.html",
        {
            "tasks": list(page.object_list) if has_tasks else [],
            "candidates": candidates,
            "page": page,
            "automatic": selectors.automatic_dimensions(candidates),
            "codebook": current_codebook(),
            # whatever narrows the page stays in its page links
            "params": [
                (k, v) for k, vs in request.GET.lists() if k != "page" for v in vs
            ],
        },
    )


def _value_from_post(dim: Dimension, request: HttpRequest) -> Any:
    allowed = set(dim.code_keys)
    if dim.is_multi:
        return [v for v in request.POST.getlist(f"value_{dim.key}") if v in allowed]
    value = request.POST.get(f"value_{dim.key}", "")
    return value if value in allowed else None


def _decisions(
    request: HttpRequest, dims: list[Dimension], suggested: dict[str, Any]
) -> dict[str, services.Decision]:
    """Read accept/change/reject per dimension; untouched dimensions are skipped."""
    out: dict[str, services.Decision] = {}
    for dim in dims:
        action = request.POST.get(f"action_{dim.key}", "")
        if action == "accept" and dim.key in suggested:
            out[dim.key] = services.Decision("accept", suggested[dim.key])
        elif action == "change":
            out[dim.key] = services.Decision("change", _value_from_post(dim, request))
        elif action == "reject":
            out[dim.key] = services.Decision("reject", [] if dim.is_multi else None)
    return out


def _as_set(value: Any) -> set[str]:
    return set([value] if isinstance(value, str) else value or [])


def _workbench_row(
    dim: Dimension,
    *,
    suggested: Any,
    model: CodeAssignment | None,
    mine: CodeAssignment | None,
    final: Any,
    automatic: bool,
) -> dict[str, Any]:
    """One dimension of the workbench form.

    Where the model suggested codes and neither the coder nor the case's final
    codes say otherwise, "accept" starts selected and the suggested codes are the
    ones ticked, so a form sent untouched accepts what it shows (``_decisions``
    logs an accept of the suggestion). Where a final code differs (an expert's
    import, another coder's, an adjudication), nothing is preselected: a coder
    saving the page for another dimension must not replace it unseen. Without a
    suggestion nothing is selected and an untouched dimension is left alone.
    """
    language = lang()
    proposal = model.value if model is not None else None
    if model is None:
        accept = False
    elif mine is not None:
        accept = _as_set(mine.value) == _as_set(proposal)
    else:
        accept = final is None or _as_set(final) == _as_set(proposal)
    if accept:
        shown = proposal
    elif mine is not None:
        shown = mine.value
    else:  # the case's final codes where they differ, else the suggestion
        shown = final if final is not None else suggested
    chosen = _as_set(shown)
    confidence = model.confidence if model is not None else {}
    picked = _as_set(suggested)  # what an accept records
    return {
        "dim": dim,
        "label": dim.label(language),
        "suggested": suggested,
        "source": model.coder if model is not None else "",
        "accept": accept,
        "confidence": [(c, p) for c, p in confidence.items() if c in picked],
        "other_confidence": sorted(
            ((c, p) for c, p in confidence.items() if c not in picked),
            key=lambda item: -item[1],
        ),
        "codes": [
            {
                "key": c.key,
                "label": c.label(language),
                "checked": c.key in chosen,
                "suggested": c.key in picked,
            }
            for c in dim.codes
            if not c.retired or c.key in chosen
        ],
        "mine": mine,
        "final": final,
        "automatic": automatic,
    }


def code_case(request: HttpRequest, case_id: str) -> HttpResponse:
    require_role(request, "coder")
    codebook = current_codebook()
    version = current_version().version
    case = get_object_or_404(Case, pk=case_id)
    task = selectors.open_task(request.user, case)
    blind = bool(task and task.blind)
    dims = workbench_dimensions(codebook)
    model = {} if blind else selectors.model_suggestions(case)
    if not blind and not model:
        model = services.model_suggest(case=case, codebook=codebook, version=version)
    suggested: dict[str, Any] = {d: a.value for d, a in model.items()}
    if not blind:
        for dim in dims:
            suggested.setdefault(dim.key, case.codes.get(dim.key))
    if request.method == "POST" and request.POST.get("suggest") and not blind:
        found = services.model_suggest(
            case=case, codebook=codebook, version=version, train=True
        )
        if not found:
            messages.error(request, _("The automatic coder is not available."))
        return redirect("coding:code", case.pk)
    if request.method == "POST":
        decisions = _decisions(request, dims, suggested)
        services.coding_submit(
            case=case,
            user=request.user,
            decisions=decisions,
            version=version,
            task=task,
        )
        messages.success(
            request,
            _("Saved %(n)d decisions on %(case)s.")
            % {"n": len(decisions), "case": case.id},
        )
        nxt = selectors.queue_for(request.user).first()
        return redirect("coding:code", nxt.case_id) if nxt else redirect("coding:queue")
    mine = selectors.my_assignments(case, request.user)
    automatic = (
        set() if blind else selectors.automatic_dimensions([case]).get(case.pk, set())
    )
    rows = [
        _workbench_row(
            dim,
            suggested=suggested.get(dim.key),
            model=model.get(dim.key),
            mine=mine.get(dim.key),
            final=None if blind else case.codes.get(dim.key),
            automatic=dim.key in automatic,
        )
        for dim in dims
    ]
    evidence = {} if blind else evidence_by_code(case.evidence)
    chosen = request.GET.get("ev", "")
    for row in rows:
        row["evidence"] = [
            {"key": key, "code": key.partition(".")[2], "chosen": key == chosen}
            for key in (f"{row['dim'].key}.{c['key']}" for c in row["codes"])
            if key in evidence and row["source"]
        ]
    return render(
        request,
        "coding/code.html",
        {
            "case": case,
            "rows": rows,
            "blind": blind,
            "task": task,
            "codebook": codebook,
            "evidence": evidence,
            "chosen": chosen if chosen in evidence else "",
            "has_model": bool(model),
        },
    )


def change_log(request: HttpRequest) -> HttpResponse:
    """The append-only log, newest first; ``?case=`` and ``?coder=`` narrow it."""
    require_role(request, "coder")
    qs = CodeChange.objects.all()
    blind_hidden = not has_role(request.user, "adjudicator")
    if request.GET.get("case"):
        qs = qs.filter(case_id=request.GET["case"])
    if request.GET.get("coder"):
        qs = qs.filter(coder=request.GET["coder"])
    if blind_hidden:
        # coders in blind double coding must not read each other's codes here
        blind_cases = CodingTask.objects.filter(blind=True).values("case_id")
        qs = qs.exclude(
            Q(case_id__in=blind_cases)
            & Q(final=False)
            & Q(coder__startswith="user:")
            & ~Q(coder=user_coder(request.user))
        )
    page = Paginator(qs, LOG_PAGE).get_page(request.GET.get("page"))
    if wants_json(request):
        return json_response(
            {
                "count": page.paginator.count,
                "results": [
                    {
                        "case": c.case_id,
                        "dimension": c.dimension,
                        "coder": c.coder,
                        "action": c.action,
                        "value": c.value,
                        "previous": c.previous,
                        "confidence": c.confidence,
                        "codebook_version": c.codebook_version,
                        "final": c.final,
                        "created_at": c.created_at.isoformat(),
                    }
                    for c in page.object_list
                ],
            }
        )
    return render(
        request,
        "coding/log.html",
        {
            "page": page,
            "codebook": current_codebook(),
            "case_id": request.GET.get("case", ""),
            # the narrowing the page links keep
            "params": [
                (k, request.GET[k]) for k in ("case", "coder") if k in request.GET
            ],
        },
    )


def assign(request: HttpRequest) -> HttpResponse:
    """Admins give a random sample of cases to two or more coders, blind."""
    require_role(request, "admin")
    user_model = get_user_model()
    coders = [
        u for u in user_model.objects.order_by("username") if has_role(u, "coder")
    ]
    if request.method == "POST":
        chosen = [u for u in coders if str(u.pk) in request.POST.getlist("coders")]
        ids = [i.strip() for i in request.POST.get("ids", "").split() if i.strip()]
        if ids:
            cases = list(Case.objects.filter(pk__in=ids))
        else:
            size = max(1, min(int(request.POST.get("size", "10") or 10), 500))
            pool = list(Case.objects.values_list("pk", flat=True))
            picked = random.Random(request.POST.get("seed") or None).sample(
                pool, min(size, len(pool))
            )
            cases = list(Case.objects.filter(pk__in=picked))
        try:
            n = services.double_coding_assign(
                cases=cases, coders=chosen, assigned_by=request.user
            )
        except ValueError:
            messages.error(request, _("Choose at least two coders."))
        else:
            messages.success(request, _("Created %(n)d blind coding tasks.") % {"n": n})
            return redirect("coding:queue")
    return render(request, "coding/assign.html", {"coders": coders})


def disagreements(request: HttpRequest) -> HttpResponse:
    require_role(request, "adjudicator")
    codebook = current_codebook()
    items = selectors.disagreements(codebook)
    if wants_json(request):
        return json_response(
            [
                {
                    "case": i["case"].id,
                    "dimensions": i["dimensions"],
                    "values": i["values"],
                }
                for i in items
            ]
        )
    return render(
        request, "coding/disagreements.html", {"items": items, "codebook": codebook}
    )


def adjudicate(request: HttpRequest, case_id: str) -> HttpResponse:
    require_role(request, "adjudicator")
    codebook = current_codebook()
    case = get_object_or_404(Case, pk=case_id)
    values = selectors.blind_values(case)
    dims = [d for d in workbench_dimensions(codebook) if d.key in values]
    if request.method == "POST":
        final = {
            d.key: _value_from_post(d, request)
            for d in dims
            if f"set_{d.key}" in request.POST
        }
        services.adjudicate(
            case=case,
            user=request.user,
            values=final,
            version=current_version().version,
        )
        messages.success(
            request, _("Final codes saved for %(case)s.") % {"case": case.id}
        )
        return redirect("coding:disagreements")
    language = lang()
    rows = []
    for dim in dims:
        per_coder = values[dim.key]
        distinct = {
            repr(sorted(v) if isinstance(v, list) else v) for v in per_coder.values()
        }
        first = next(iter(per_coder.values()))
        chosen = set([first] if isinstance(first, str) else first or [])
        rows.append(
            {
                "dim": dim,
                "label": dim.label(language),
                "per_coder": per_coder,
                "agree": len(distinct) == 1,
                "codes": [
                    {
                        "key": c.key,
                        "label": c.label(language),
                        "checked": c.key in chosen,
                    }
                    for c in dim.codes
                ],
            }
        )
    return render(
        request,
        "coding/adjudicate.html",
        {"case": case, "rows": rows, "codebook": codebook},
    )


def agreement(request: HttpRequest) -> HttpResponse:
    """Agreement per dimension between every pair of coders, the model included."""
    require_role(request, "coder")
    codebook = current_codebook()
    ratings = selectors.ratings_by_dimension(codebook)
    table = [
        row
        for dim, per_case in ratings.items()
        for row in agreement_table(per_case, dim, codebook)
    ]
    if wants_json(request):
        return json_response(table)
    return render(
        request, "coding/agreement.html", {"table": table, "codebook": codebook}
    )
