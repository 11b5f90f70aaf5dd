"""Reading the current codebook as the core's :class:`~libinnov.codebook.Codebook`."""

from __future__ import annotations

from functools import lru_cache

from libinnov.codebook import Codebook, codebook_to_dict, default_codebook
from libinnov.codebook.validate import build_codebook
from libinnov.web.codebook.models import CodebookVersion
from libinnov.web.config.router import active_alias


@lru_cache(maxsize=32)
def _build(alias: str, version_id: int, version: str) -> Codebook:
    # keyed on the alias too: tests hold an SQLite and a PostgreSQL database at once
    row = CodebookVersion.objects.get(pk=version_id)
    return build_codebook(row.data, f"codebook {version}")


def current_version() -> CodebookVersion:
    """The newest stored version; the packaged default is stored on first use."""
    row = CodebookVersion.objects.order_by("-id").first()
    if row is None:
        base = default_codebook()
        row = CodebookVersion(
            version=base.version,
            data=codebook_to_dict(base),
            note="packaged default",
        )
        row.save()
    return row


def current_version_key() -> tuple[int, str]:
    """The newest version's id and name, without reading its (large) data."""
    row = CodebookVersion.objects.order_by("-id").values_list("pk", "version").first()
    if row is None:
        stored = current_version()
        return stored.pk, stored.version
    return row


def current_codebook() -> Codebook:
    pk, version = current_version_key()
    return _build(active_alias(), pk, version)


def codebook_at(version: str) -> Codebook | None:
    row = CodebookVersion.objects.filter(version=version).first()
    return _build(active_alias(), row.pk, row.version) if row else None
