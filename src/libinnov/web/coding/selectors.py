"""Reading coding state: queues, blind views, disagreements and agreement data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet

from libinnov.codebook import Codebook
from libinnov.web.cases.models import Case
from libinnov.web.coding.models import (
    Action,
    CodeAssignment,
    CodeChange,
    CodingTask,
    TaskStatus,
    user_coder,
)


def queue_for(user: Any) -> QuerySet[CodingTask]:
    return CodingTask.objects.filter(coder=user, status=TaskStatus.OPEN).select_related(
        "case"
    )


def open_task(user: Any, case: Case) -> CodingTask | None:
    return CodingTask.objects.filter(coder=user, case=case).first()


def review_candidates() -> QuerySet[Case]:
    """Cases never confirmed by a person, most recently changed first."""
    human = CodeChange.objects.filter(coder__startswith="user:").values("case_id")
    return (
        Case.objects.exclude(pk__in=human)
        .only("id", "title", "library", "codes")
        .order_by("-updated_at", "id")
    )


def model_suggestions(case: Case) -> dict[str, CodeAssignment]:
    rows = CodeAssignment.objects.filter(case=case, coder__startswith="model:")
    return {a.dimension: a for a in rows.order_by("updated_at")}


def my_assignments(case: Case, user: Any) -> dict[str, CodeAssignment]:
    rows = CodeAssignment.objects.filter(case=case, coder=user_coder(user))
    return {a.dimension: a for a in rows}


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(sorted(value))
    return value


#: how many cases one query of the log asks about (SQLite's limit on parameters)
LOG_CHUNK = 500


def automatic_dimensions(cases: Sequence[Case]) -> dict[str, set[str]]:
    """``{case id: dimensions}`` whose final code the automatic coder set.

    Read from the log: the newest final row of a dimension is the model's
    ``auto`` one and the case still holds that value (a later import, a
    coder's decision or an adjudication logs a newer final row; a write through
    the API logs none but changes the value). Cases with none are left out.
    """
    out: dict[str, set[str]] = {}
    for start in range(0, len(cases), LOG_CHUNK):
        chunk = {c.pk: c for c in cases[start : start + LOG_CHUNK]}
        last: dict[tuple[str, str], tuple[str, Any]] = {}
        rows = (
            CodeChange.objects.filter(case_id__in=list(chunk), final=True)
            .order_by("id")
            .values_list("case_id", "dimension", "action", "value")
        )
        for case_id, dim, action, value in rows:
            last[(case_id, dim)] = (action, value)
        for (case_id, dim), (action, value) in last.items():
            codes = chunk[case_id].codes
            if (
                action == Action.AUTO
                and dim in codes
                and _norm(value) == _norm(codes[dim])
            ):
                out.setdefault(case_id, set()).add(dim)
    return out


def uncoded_filter(codebook: Codebook) -> Q:
    """Cases without a final code on some coded dimension (the key is absent).

    A blank value imported on a dimension that may be empty (no technology)
    is a code; an absent key is "not coded", as :mod:`libinnov.cases` reads files.
    """
    keys = [d.key for d in codebook.coded_dimensions]
    if not keys:
        return Q(pk__in=[])
    query = ~Q(codes__has_key=keys[0])
    for key in keys[1:]:
        query |= ~Q(codes__has_key=key)
    return query


def uncoded_cases(codebook: Codebook) -> QuerySet[Case]:
    return Case.objects.filter(uncoded_filter(codebook))


def blind_values(case: Case) -> dict[str, dict[str, Any]]:
    """``{dimension: {coder: value}}`` from the finished blind tasks of a case."""
    coders = [
        user_coder(t.coder)
        for t in CodingTask.objects.filter(
            case=case, blind=True, status=TaskStatus.DONE
        ).select_related("coder")
    ]
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for a in CodeAssignment.objects.filter(case=case, coder__in=coders):
        out[a.dimension][a.coder] = a.value
    return dict(out)


def disagreements(codebook: Codebook) -> list[dict[str, Any]]:
    """Double-coded cases where finished coders differ and no one has adjudicated.

    A dimension counts as settled once an adjudication was logged after the last
    coder's change on it.
    """
    done = (
        CodingTask.objects.filter(blind=True, status=TaskStatus.DONE)
        .values_list("case_id", flat=True)
        .distinct()
    )
    out: list[dict[str, Any]] = []
    for case in Case.objects.filter(pk__in=done).order_by("id"):
        values = blind_values(case)
        open_dims = []
        for dim in codebook.dimensions:
            per_coder = values.get(dim.key, {})
            if len(per_coder) < 2 or len({_norm(v) for v in per_coder.values()}) < 2:
                continue
            last_coded = (
                CodeChange.objects.filter(
                    case=case, dimension=dim.key, coder__in=list(per_coder)
                )
                .order_by("-created_at", "-id")
                .first()
            )
            settled = CodeChange.objects.filter(
                case=case, dimension=dim.key, action="adjudicate"
            )
            if last_coded is not None:
                settled = settled.filter(id__gt=last_coded.id)
            if not settled.exists():
                open_dims.append(dim.key)
        if open_dims:
            out.append({"case": case, "dimensions": open_dims, "values": values})
    return out


def ratings_by_dimension(codebook: Codebook) -> dict[str, dict[str, dict[str, Any]]]:
    """``{dimension: {case_id: {coder: value}}}`` for people and models."""
    out: dict[str, dict[str, dict[str, Any]]] = {
        d.key: defaultdict(dict) for d in codebook.coded_dimensions
    }
    rows = CodeAssignment.objects.filter(
        dimension__in=list(out), action__in=["suggest", "accept", "change"]
    ).values_list("dimension", "case_id", "coder", "value")
    for dim, case_id, coder, value in rows:
        out[dim][case_id][coder] = value
    return {d: dict(v) for d, v in out.items()}
