"""Codebook edits: each validated by the core and saved as a new version."""

from __future__ import annotations

import copy
from typing import Any

from libinnov.codebook import Codebook, codebook_to_dict
from libinnov.codebook.validate import build_codebook
from libinnov.exceptions import InvalidCodebook
from libinnov.web.cases.services import atomic
from libinnov.web.codebook.models import CodebookVersion
from libinnov.web.codebook.selectors import current_version


def _next_version(base: str) -> str:
    root = base.split("+web.")[0]
    n = CodebookVersion.objects.filter(version__startswith=f"{root}+web.").count() + 1
    while CodebookVersion.objects.filter(version=f"{root}+web.{n}").exists():
        n += 1
    return f"{root}+web.{n}"


def codebook_save(
    *, data: dict[str, Any], user: Any, note: str, version: str | None = None
) -> CodebookVersion:
    """Validate ``data`` with the core and store it as the new current version."""
    with atomic():
        base = current_version()
        data = {**data, "version": version or _next_version(base.version)}
        build_codebook(copy.deepcopy(data))
        row = CodebookVersion(
            version=data["version"],
            data=data,
            note=note[:300],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        if CodebookVersion.objects.filter(version=row.version).exists():
            raise InvalidCodebook(
                "version %(version)s already exists", version=row.version
            )
        row.save()
    return row


def codebook_import(*, codebook: Codebook, user: Any) -> CodebookVersion:
    """Store an uploaded codebook as the new current version."""
    return codebook_save(data=codebook_to_dict(codebook), user=user, note="import")


def _dimension(data: dict[str, Any], key: str) -> dict[str, Any]:
    for dim in data["dimensions"]:
        if dim["key"] == key:
            return dim  # type: ignore[no-any-return]
    raise InvalidCodebook("no dimension '%(dimension)s'", dimension=key)


def code_upsert(
    *,
    dimension: str,
    key: str,
    label_zh: str,
    label_en: str,
    definition: str = "",
    indicators: list[str] | None = None,
    retired: bool = False,
    follows: str | None = None,
    user: Any,
) -> CodebookVersion:
    """Add a code to a dimension, or rename / redefine / retire an existing one.

    ``follows`` names the dimension whose codes the code mirrors, ``""`` removes
    the link and ``None`` leaves it as it is; the codebook's own validation decides
    whether the link is allowed (multi dimensions only, no loops).
    """
    data = copy.deepcopy(current_version().data)
    dim = _dimension(data, dimension)
    code = next((c for c in dim["codes"] if c["key"] == key), None)
    if code is None:
        code = {"key": key}
        dim["codes"].append(code)
    code.update(label_zh=label_zh, label_en=label_en)
    if definition:
        code["definition"] = definition
    if indicators is not None:
        code["indicators"] = indicators
    if follows:
        code["follows"] = follows
    elif follows == "":
        code.pop("follows", None)
    if retired:
        code["retired"] = True
    else:
        code.pop("retired", None)
    verb = "retire" if retired else "edit"
    return codebook_save(data=data, user=user, note=f"{verb} {dimension}.{key}")


def dimension_add(
    *,
    key: str,
    label_zh: str,
    label_en: str,
    cardinality: str,
    codes: list[dict[str, str]],
    user: Any,
) -> CodebookVersion:
    """Add a dimension with its first codes (facets and forms pick it up at once)."""
    data = copy.deepcopy(current_version().data)
    data["dimensions"].append(
        {
            "key": key,
            "label_zh": label_zh,
            "label_en": label_en,
            "cardinality": cardinality,
            "codes": codes,
        }
    )
    return codebook_save(data=data, user=user, note=f"add dimension {key}")


def dimension_retire(*, key: str, retired: bool, user: Any) -> CodebookVersion:
    """Retire a dimension (or bring it back): no longer offered, coded or analysed.

    Values already given stay stored and readable on the cases that have them. A
    dimension another one's rule is computed from cannot go first.
    """
    data = copy.deepcopy(current_version().data)
    dim = _dimension(data, key)
    if retired:
        users = [
            d["key"]
            for d in data["dimensions"]
            if d.get("rule_source") == key and not d.get("retired")
        ]
        if users:
            raise InvalidCodebook(
                "dimension '%(dimension)s' feeds the rule of %(users)s; "
                "retire that first",
                dimension=key,
                users=", ".join(users),
            )
        dim["retired"] = True
    else:
        dim.pop("retired", None)
    verb = "retire" if retired else "reinstate"
    return codebook_save(data=data, user=user, note=f"{verb} dimension {key}")


def dimension_relabel(
    *, key: str, label_zh: str, label_en: str, user: Any
) -> CodebookVersion:
    data = copy.deepcopy(current_version().data)
    dim = _dimension(data, key)
    dim.update(label_zh=label_zh, label_en=label_en)
    return codebook_save(data=data, user=user, note=f"rename dimension {key}")
