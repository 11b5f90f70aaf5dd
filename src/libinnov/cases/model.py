"""The case record: what one library did, with its codes and where they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from libinnov.codebook.model import Codebook
from libinnov.types import CodeValue, Record

#: Fields of the case-file contract that come before the codebook's dimensions.
CORE_FIELDS = (
    "id",
    "title",
    "library",
    "library_type",
    "province",
    "region",
    "year",
    "summary",
)
#: Keys a coder adds next to the codes.
CODER_FIELDS = ("confidence", "evidence", "needs_review")


@dataclass(frozen=True)
class Case:
    """One service innovation case.

    ``codes`` holds only the dimensions the case has been coded on: a missing key means
    "not coded yet", while an empty list on a multi dimension means "coded: none".
    """

    id: str
    title: str = ""
    summary: str = ""
    library: str = ""
    province: str | None = None
    year: int | None = None
    codes: Mapping[str, CodeValue] = field(default_factory=dict)
    confidence: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    evidence: Mapping[str, Mapping[str, list[str]]] = field(default_factory=dict)
    needs_review: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Title and summary together: what coders and search read."""
        return "\n".join(part for part in (self.title, self.summary) if part)

    def code(self, dimension: str) -> CodeValue:
        return self.codes.get(dimension)

    def codes_list(self, dimension: str) -> list[str]:
        """The codes on a dimension as a list, whatever its cardinality."""
        value = self.codes.get(dimension)
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)

    def with_codes(self, **changes: Any) -> Case:
        """A copy with some codes (by dimension key) replaced."""
        codes = dict(self.codes)
        codes.update(changes)
        return replace(self, codes=codes)

    def to_record(self, codebook: Codebook | None = None) -> Record:
        """The flat record of the case-file contract, in the contract's key order."""
        record: Record = {"id": self.id, "title": self.title, "library": self.library}
        record["library_type"] = self.codes.get("library_type")
        record["province"] = self.province
        record["region"] = self.codes.get("region")
        record["year"] = self.year
        record["summary"] = self.summary
        keys = codebook.keys if codebook is not None else tuple(self.codes)
        for key in keys:
            if key in ("library_type", "region") or key not in self.codes:
                continue
            value = self.codes[key]
            record[key] = list(value) if isinstance(value, list | tuple) else value
        for key, value in self.codes.items():
            record.setdefault(key, value)
        for key, value in self.extra.items():
            record.setdefault(key, value)
        if self.confidence:
            record["confidence"] = {k: dict(v) for k, v in self.confidence.items()}
        if self.evidence:
            record["evidence"] = {
                k: {c: list(s) for c, s in v.items()} for k, v in self.evidence.items()
            }
        if self.needs_review:
            record["needs_review"] = list(self.needs_review)
        return record
