"""Every code write goes through here: value, log row and facets in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from libinnov.codebook import Codebook
from libinnov.types import CodeValue
from libinnov.web.cases.models import Case
from libinnov.web.cases.services import atomic, case_update_codes
from libinnov.web.coding.models import (
    Action,
    CodeAssignment,
    CodeChange,
    CodingTask,
    TaskStatus,
    user_coder,
)


@dataclass(frozen=True)
class Decision:
    """What a coder did with one dimension's suggestion."""

    action: str  # accept | change | reject
    value: CodeValue


def import_logs(*, cases: Iterable[Case], coder: str, version: str) -> None:
    """Record the codes cases arrived with, so the log explains every final code."""
    CodeChange.objects.bulk_create(
        (
            CodeChange(
                case=case,
                dimension=dim,
                coder=coder,
                action=Action.IMPORT,
                value=value,
                confidence=case.confidence.get(dim, {}),
                codebook_version=version,
                final=True,
            )
            for case in cases
            for dim, value in case.codes.items()
        ),
        batch_size=1000,
    )


def code_assign(
    *,
    case: Case,
    dimension: str,
    value: CodeValue,
    coder: str,
    action: str,
    version: str,
    confidence: Mapping[str, float] | None = None,
) -> CodeAssignment:
    """Store one coder's value for one dimension and append it to the log."""
    with atomic():
        current = CodeAssignment.objects.filter(
            case=case, dimension=dimension, coder=coder
        ).first()
        previous = current.value if current else None
        assignment, _ = CodeAssignment.objects.update_or_create(
            case=case,
            dimension=dimension,
            coder=coder,
            defaults={
                "value": value,
                "confidence": dict(confidence or {}),
                "action": action,
                "codebook_version": version,
            },
        )
        CodeChange.objects.create(
            case=case,
            dimension=dimension,
            coder=coder,
            action=action,
            value=value,
            previous=previous,
            confidence=dict(confidence or {}),
            codebook_version=version,
        )
    return assignment


def code_settle(
    *,
    case: Case,
    values: Mapping[str, CodeValue],
    coder: str,
    action: str,
    version: str,
) -> None:
    """Make values final on the case (facets follow) and log each as final."""
    with atomic():
        changes = [
            CodeChange(
                case=case,
                dimension=dim,
                coder=coder,
                action=action,
                value=value,
                previous=case.codes.get(dim),
                codebook_version=version,
                final=True,
            )
            for dim, value in values.items()
        ]
        CodeChange.objects.bulk_create(changes)
        case_update_codes(case, values)
        if case.needs_review:
            case.needs_review = [d for d in case.needs_review if d not in values]
            case.save(update_fields=["needs_review", "updated_at"])


def coding_submit(
    *,
    case: Case,
    user: Any,
    decisions: Mapping[str, Decision],
    version: str,
    task: CodingTask | None = None,
) -> None:
    """Save a coder's decisions; outside blind double coding they become final."""
    coder = user_coder(user)
    with atomic():
        for dim, decision in decisions.items():
            code_assign(
                case=case,
                dimension=dim,
                value=decision.value,
                coder=coder,
                action=decision.action,
                version=version,
            )
        if task is None or not task.blind:
            for action in ("accept", "change"):
                final = {d: x.value for d, x in decisions.items() if x.action == action}
                if final:
                    code_settle(
                        case=case,
                        values=final,
                        coder=coder,
                        action=action,
                        version=version,
                    )
        if task is not None:
            task.status = TaskStatus.DONE
            task.done_at = timezone.now()
            task.save(update_fields=["status", "done_at"])


def model_suggest(
    *, case: Case, codebook: Codebook, version: str, train: bool = False
) -> dict[str, CodeAssignment]:
    """Run the core's automatic coder on a case and store its suggestions."""
    from libinnov.web.coding.engine import suggest

    result = suggest(case.to_core(), codebook, train=train)
    if result is None:
        return {}
    coder, core = result
    out: dict[str, CodeAssignment] = {}
    with atomic():
        for dim in codebook.coded_dimensions:
            if dim.key not in core.codes:
                continue
            out[dim.key] = code_assign(
                case=case,
                dimension=dim.key,
                value=core.codes[dim.key],
                coder=coder,
                action=Action.SUGGEST,
                version=version,
                confidence=core.confidence.get(dim.key, {}),
            )
        evidence = {k: dict(v) for k, v in core.evidence.items()}
        if evidence:
            case.evidence = {**case.evidence, **evidence}
            case.save(update_fields=["evidence", "updated_at"])
    return out


def double_coding_assign(
    *, cases: Iterable[Case], coders: list[Any], assigned_by: Any
) -> int:
    """Give every case to every coder as a blind task; returns tasks created."""
    if len(coders) < 2:
        raise ValueError("blind double coding needs at least two coders")
    created = 0
    with atomic():
        for case in cases:
            for coder in coders:
                _, new = CodingTask.objects.get_or_create(
                    case=case,
                    coder=coder,
                    defaults={"blind": True, "assigned_by": assigned_by},
                )
                created += int(new)
    return created


def adjudicate(
    *, case: Case, user: Any, values: Mapping[str, CodeValue], version: str
) -> None:
    """An adjudicator's final codes for the dimensions coders disagreed on."""
    code_settle(
        case=case,
        values=values,
        coder=user_coder(user),
        action=Action.ADJUDICATE,
        version=version,
    )
