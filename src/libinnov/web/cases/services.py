"""Writing cases: one function per change, each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import F

from libinnov.cases import Case as CoreCase
from libinnov.cases import load_sample
from libinnov.codebook import Codebook
from libinnov.search import body_tokens, plain_text, search_rowid, title_tokens
from libinnov.types import CodeValue
from libinnov.web.cases.models import (
    Case,
    CaseCode,
    LibraryState,
    Origin,
    campaign_of,
)
from libinnov.web.config.router import active_alias


def atomic() -> Any:
    """``transaction.atomic`` on the database the ORM is routed to."""
    return transaction.atomic(using=active_alias())


def search_fields_of(
    case_id: str, title: str, library: str, summary: str, year: int | None
) -> dict[str, Any]:
    """The columns full-text search runs on (the database's index follows them)."""
    return {
        "search_text": plain_text(title, library, summary),
        "index_title": title_tokens(title, library),
        "index_body": body_tokens(summary),
        "search_rowid": search_rowid(case_id, year),
    }


def codes_as_list(value: CodeValue) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def case_codes_sync(case: Case) -> None:
    """Rebuild the facet rows of a case from its ``codes``."""
    CaseCode.objects.filter(case=case).delete()
    CaseCode.objects.bulk_create(
        CaseCode(case=case, dimension=dim, code=code)
        for dim, value in case.codes.items()
        for code in dict.fromkeys(codes_as_list(value))
    )


def _fields_from_core(core: CoreCase) -> dict[str, Any]:
    return {
        "title": core.title,
        "summary": core.summary,
        "library": core.library,
        "province": core.province or "",
        "year": core.year,
        "codes": {k: v for k, v in core.codes.items()},
        "confidence": {k: dict(v) for k, v in core.confidence.items()},
        "evidence": {
            k: {c: list(s) for c, s in v.items()} for k, v in core.evidence.items()
        },
        "needs_review": list(core.needs_review),
        "extra": dict(core.extra),
        **search_fields_of(core.id, core.title, core.library, core.summary, core.year),
    }


def _submission_fields(submission_ref: str | None) -> dict[str, str]:
    """``submission_ref`` and the campaign it names; nothing when ``None``."""
    if submission_ref is None:
        return {}
    return {"submission_ref": submission_ref, "campaign": campaign_of(submission_ref)}


def case_save(
    *,
    core: CoreCase,
    origin: str = Origin.IMPORT,
    published: bool = True,
    submission_ref: str | None = None,
) -> Case:
    """Insert or replace one case from a core record, with its facet rows.

    A replaced case keeps the campaign submission it came from unless
    ``submission_ref`` is given: correcting a published campaign case (through
    the API, or by importing it again) leaves it in its campaign's analysis.
    """
    with atomic():
        case, _ = Case.objects.update_or_create(
            id=core.id,
            defaults={
                **_fields_from_core(core),
                "origin": origin,
                "published": published,
                **_submission_fields(submission_ref),
            },
        )
        case_codes_sync(case)
    return case


def cases_import(
    cores: Iterable[CoreCase],
    *,
    codebook: Codebook,
    codebook_version: str,
    origin: str = Origin.IMPORT,
    published: bool = True,
    submission_refs: Mapping[str, str] | None = None,
) -> list[Case]:
    """Save many cases and log their codes; all of them or, on any error, none.

    New cases are written in bulk (a 100k-case import must not take one
    transaction per row); cases whose id exists are replaced one by one.
    ``submission_refs`` maps a case id to the campaign submission it came from.
    """
    refs = submission_refs or {}
    from libinnov.web.coding.services import import_logs

    cores = list(cores)
    existing = set(
        Case.objects.filter(id__in=[c.id for c in cores]).values_list("id", flat=True)
    )
    with atomic():
        fresh = [
            Case(
                id=c.id,
                origin=origin,
                published=published,
                **_submission_fields(refs.get(c.id, "")),
                **_fields_from_core(c),
            )
            for c in cores
            if c.id not in existing
        ]
        Case.objects.bulk_create(fresh, batch_size=500)
        CaseCode.objects.bulk_create(
            (
                CaseCode(case=case, dimension=dim, code=code)
                for case in fresh
                for dim, value in case.codes.items()
                for code in dict.fromkeys(codes_as_list(value))
            ),
            batch_size=1000,
        )
        replaced = [
            case_save(
                core=c,
                origin=origin,
                published=published,
                submission_ref=refs.get(c.id),
            )
            for c in cores
            if c.id in existing
        ]
        saved = fresh + replaced
        import_logs(cases=saved, coder=f"import:{origin}", version=codebook_version)
    return saved


@lru_cache(maxsize=2)
def _sample(codebook: Codebook) -> tuple[CoreCase, ...]:
    return tuple(load_sample(codebook))


def sample_load(*, codebook: Codebook, codebook_version: str) -> int:
    """Load the bundled sample into an empty library; returns how many were added."""
    if Case.objects.exists():
        return 0
    cases = cases_import(
        _sample(codebook),
        codebook=codebook,
        codebook_version=codebook_version,
        origin=Origin.SAMPLE,
    )
    return len(cases)


def case_update_codes(case: Case, codes: Mapping[str, CodeValue]) -> None:
    """Set some final codes of a case (callers log the change)."""
    merged = dict(case.codes)
    merged.update(codes)
    case.codes = merged
    case.save(update_fields=["codes", "updated_at"])
    case_codes_sync(case)


def library_version_bump() -> None:
    """Make a new library version for a change the case table's triggers miss.

    Library pages show the titles of the calls their cases came from (the
    campaign facet, the dashboard's filter), and every cached page and count
    keys on the library's version.
    """
    LibraryState.objects.filter(pk=1).update(changes=F("changes") + 1)
