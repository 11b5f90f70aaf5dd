"""Every code write goes through here: value, log row and facets in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from libinnov.cases import Case as CoreCase
from libinnov.codebook import Codebook
from libinnov.types import CodeValue
from libinnov.web.cases.models import Case, CaseCode
from libinnov.web.cases.services import atomic, case_update_codes, codes_as_list
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
            for action in ("accept", "change", "reject"):
                final = {d: x.value for d, x in decisions.items() if x.action == action}
                if action == "reject" and final:
                    final = _rejected_automatic(case, final)
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


def _rejected_automatic(
    case: Case, rejected: Mapping[str, CodeValue]
) -> dict[str, CodeValue]:
    """The rejected dimensions whose final code the automatic run set.

    Rejecting a suggestion leaves a person's or an import's final code alone,
    but a code the automatic run made final was only ever the model's: the
    person's "no" replaces it with an empty code, which no later run refills.
    """
    from libinnov.web.coding.selectors import automatic_dimensions

    automatic = automatic_dimensions([case]).get(case.pk, set())
    return {d: v for d, v in rejected.items() if d in automatic}


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


def model_codes_settle(
    *,
    coded: Sequence[CoreCase],
    codebook: Codebook,
    coder: str,
    version: str,
) -> tuple[int, int]:
    """Store a model's codes for a batch of cases; fill only what nobody coded.

    The batch form of :func:`model_suggest` plus :func:`code_settle`, for the
    automatic coding run: every coded dimension is stored as the model's
    suggestion (``coder``'s assignment and a ``suggest`` log row, with
    confidence), and a dimension the case has no final code on becomes final,
    logged as ``auto``, with the model's confidence, evidence and review flag.
    Which dimensions are missing is read again here, with the rows locked, so a
    code a person or an import set meanwhile is never overwritten. Returns how
    many cases received final codes and how many codes that made.
    """
    keys = [d.key for d in codebook.coded_dimensions]
    by_id = {c.id: c for c in coded}
    now = timezone.now()
    with atomic():
        previous = {
            (case_id, dim): value
            for case_id, dim, value in CodeAssignment.objects.filter(
                case_id__in=list(by_id), coder=coder, dimension__in=keys
            ).values_list("case_id", "dimension", "value")
        }
        suggested = [
            (core.id, key, core.codes[key], dict(core.confidence.get(key, {})))
            for core in coded
            for key in keys
            if key in core.codes
        ]
        CodeAssignment.objects.bulk_create(
            [
                CodeAssignment(
                    case_id=case_id,
                    dimension=key,
                    coder=coder,
                    value=value,
                    confidence=confidence,
                    action=Action.SUGGEST,
                    codebook_version=version,
                )
                for case_id, key, value, confidence in suggested
            ],
            update_conflicts=True,
            unique_fields=["case", "dimension", "coder"],
            update_fields=[
                "value",
                "confidence",
                "action",
                "codebook_version",
                "updated_at",
            ],
        )
        log = [
            CodeChange(
                case_id=case_id,
                dimension=key,
                coder=coder,
                action=Action.SUGGEST,
                value=value,
                previous=previous.get((case_id, key)),
                confidence=confidence,
                codebook_version=version,
            )
            for case_id, key, value, confidence in suggested
        ]
        changed: list[Case] = []
        rows: list[CaseCode] = []
        for case in (
            Case.objects.select_for_update()
            .filter(pk__in=list(by_id))
            .only("id", "codes", "confidence", "evidence", "needs_review")
            .order_by("pk")
        ):
            core = by_id[case.pk]
            missing = [k for k in keys if k not in case.codes and k in core.codes]
            if not missing:
                continue
            review = list(case.needs_review)
            for key in missing:
                value = core.codes[key]
                confidence = dict(core.confidence.get(key, {}))
                log.append(
                    CodeChange(
                        case_id=case.pk,
                        dimension=key,
                        coder=coder,
                        action=Action.AUTO,
                        value=value,
                        confidence=confidence,
                        codebook_version=version,
                        final=True,
                    )
                )
                case.codes[key] = value
                case.confidence[key] = confidence
                case.evidence[key] = {
                    c: list(s) for c, s in core.evidence.get(key, {}).items()
                }
                if key in core.needs_review and key not in review:
                    review.append(key)
                rows.extend(
                    CaseCode(case_id=case.pk, dimension=key, code=code)
                    for code in dict.fromkeys(codes_as_list(value))
                )
            case.needs_review = review
            case.updated_at = now
            changed.append(case)
        CodeChange.objects.bulk_create(log, batch_size=1000)
        fields = ["codes", "confidence", "evidence", "needs_review", "updated_at"]
        Case.objects.bulk_update(changed, fields, batch_size=200)
        CaseCode.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    filled = sum(1 for c in log if c.final)
    return len(changed), filled


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
