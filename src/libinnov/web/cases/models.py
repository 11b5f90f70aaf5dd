"""A stored case mirrors the core's :class:`libinnov.cases.Case` field for field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from libinnov.cases import Case as CoreCase


class Origin(models.TextChoices):
    SAMPLE = "sample", "sample"
    IMPORT = "import", "import"
    API = "api", "api"
    SUBMISSION = "submission", "campaign submission"


def campaign_of(submission_ref: str) -> str:
    """The campaign slug of a ``<slug>/<reference>`` submission reference, or ""."""
    slug, slash, _ref = submission_ref.partition("/")
    return slug if slash else ""


class Case(models.Model):
    """One case with its final codes.

    ``codes`` holds the settled value per dimension (a code or a list of codes);
    who proposed or changed them lives in the coding log. ``origin`` and
    ``submission_ref`` say where the case came from, so a campaign submission can
    become a case without changing this table; ``campaign`` is the slug part of
    ``submission_ref``, kept in its own indexed column for the library's
    ``campaign=`` filter (a prefix match would need a collation-specific index).
    """

    id = models.CharField(primary_key=True, max_length=64)
    title = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    library = models.CharField(max_length=300, blank=True)
    province = models.CharField(max_length=32, blank=True, db_index=True)
    year = models.IntegerField(null=True, blank=True, db_index=True)
    codes = models.JSONField(default=dict, blank=True)
    confidence = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    needs_review = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    index_title = models.TextField(blank=True, editable=False)
    index_body = models.TextField(blank=True, editable=False)
    search_rowid = models.BigIntegerField(null=True, editable=False, unique=True)
    published = models.BooleanField(default=True, db_index=True)
    origin = models.CharField(
        max_length=16, choices=Origin.choices, default=Origin.IMPORT
    )
    submission_ref = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=50, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ("id",)
        indexes = (models.Index(fields=["campaign"], name="cases_case_campaign"),)

    def __str__(self) -> str:
        return f"{self.id} {self.title}"

    def to_core(self) -> CoreCase:
        """The core record, for coders, search and analysis."""
        return CoreCase(
            id=self.id,
            title=self.title,
            summary=self.summary,
            library=self.library,
            province=self.province or None,
            year=self.year,
            codes=dict(self.codes),
            confidence=dict(self.confidence),
            evidence=dict(self.evidence),
            needs_review=tuple(self.needs_review),
            extra=dict(self.extra),
        )

    #: the columns :meth:`core_from_row` reads: what coding and analysis use,
    #: without the large JSON (confidence, evidence, extra) they never read
    CORE_FIELDS = ("id", "title", "summary", "library", "province", "year", "codes")

    @staticmethod
    def core_from_row(row: Sequence[Any]) -> CoreCase:
        """The core record from a ``values_list(*Case.CORE_FIELDS)`` row.

        Building model instances and decoding their large JSON took 7 of 16 s
        when the dashboard analysed a 100k library.
        """
        case_id, title, summary, library, province, year, codes = row
        return CoreCase(
            id=case_id,
            title=title,
            summary=summary,
            library=library,
            province=province or None,
            year=year,
            codes=codes or {},
        )

    def code_value(self, dimension: str) -> Any:
        return self.codes.get(dimension)


class CaseCode(models.Model):
    """One settled (case, dimension, code) triple: what facets and filters join on."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="code_rows")
    dimension = models.CharField(max_length=64)
    code = models.CharField(max_length=64)

    class Meta:
        indexes = (models.Index(fields=["dimension", "code"]),)
        constraints = (
            models.UniqueConstraint(
                fields=["case", "dimension", "code"], name="unique_case_code"
            ),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.dimension}={self.code}"


class LibraryState(models.Model):
    """One row counting every change to the case table, bumped by triggers.

    Caches of counts, rankings and whole pages key on this number, so it is read
    on every request: one primary-key lookup, where counting the cases to notice
    a deletion cost a scan of an index (a millisecond at 100k cases). The
    triggers live in :mod:`libinnov.web.cases.library_state`.
    """

    changes = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"library version {self.changes}"
