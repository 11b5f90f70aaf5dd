"""Turning a raw record from any reader into a validated :class:`Case`."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from libinnov.cases.model import CODER_FIELDS, Case
from libinnov.codebook.derive import derive_region, short_province
from libinnov.codebook.model import Codebook, Dimension
from libinnov.exceptions import InvalidCase
from libinnov.text.normalise import clean_whitespace, normalise_text

MULTI_SEPARATORS = re.compile(r"[;；、,，\n]+")
_YEAR = re.compile(r"(19|20)\d{2}")


def stable_id(title: str, library: str, summary: str) -> str:
    """An id that stays the same when the same case is read again."""
    basis = "\x1f".join(normalise_text(x) for x in (title, library, summary))
    return "c-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN from spreadsheets
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    if _is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_whitespace(str(value))


def _paragraphs(value: Any) -> str:
    """Like :func:`_text` but keeps paragraph breaks, which write-ups rely on."""
    if _is_blank(value):
        return ""
    lines = (clean_whitespace(line) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def parse_year(value: Any, *, where: dict[str, Any]) -> int | None:
    if _is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        year = int(value)
    else:
        match = _YEAR.search(normalise_text(str(value)))
        if not match:
            raise InvalidCase(
                "'%(value)s' is not a year", field="year", value=value, **where
            )
        year = int(match.group(0))
    if not 1900 <= year <= 2100:
        raise InvalidCase(
            "%(year)s is not a plausible year", field="year", year=year, **where
        )
    return year


def _resolve(dim: Dimension, value: Any, where: dict[str, Any]) -> str:
    text = _text(value)
    key = dim.resolve(text)
    if key is None:
        known = ", ".join(dim.code_keys)
        raise InvalidCase(
            "unknown code '%(value)s' for %(dimension)s (known: %(known)s)",
            field=dim.key,
            value=text,
            dimension=dim.key,
            known=known,
            **where,
        )
    return key


def _protect_labels(dim: Dimension, text: str) -> str:
    """Swap labels holding a separator (``Mobile, mini-programs``) for their key."""
    text = normalise_text(text)
    for code in dim.codes:
        for label in (code.label_zh, code.label_en):
            if MULTI_SEPARATORS.search(label):
                text = re.sub(
                    re.escape(normalise_text(label)),
                    code.key,
                    text,
                    flags=re.IGNORECASE,
                )
    return text


def parse_codes(dim: Dimension, value: Any, *, where: dict[str, Any]) -> Any:
    """A dimension's value from a cell or JSON value: codes or zh/en labels."""
    if dim.is_multi:
        if _is_blank(value):
            return []
        items = (
            list(value)
            if isinstance(value, list | tuple)
            else MULTI_SEPARATORS.split(_protect_labels(dim, str(value)))
        )
        keys: list[str] = []
        for item in items:
            if _is_blank(item):
                continue
            key = _resolve(dim, item, where)
            if key not in keys:
                keys.append(key)
        return keys
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise InvalidCase(
                "%(dimension)s takes one code, got %(count)s",
                field=dim.key,
                dimension=dim.key,
                count=len(value),
                **where,
            )
        value = value[0]
    return _resolve(dim, value, where)


def _mapping(value: Any, name: str, where: dict[str, Any]) -> dict[str, Any]:
    """A coder's nested field; spreadsheets carry it as JSON text."""
    if _is_blank(value):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise InvalidCase(
                "not JSON (%(reason)s)", field=name, reason=exc.msg, **where
            ) from exc
    if not isinstance(value, dict):
        raise InvalidCase("must be an object", field=name, **where)
    return value


def _names(value: Any) -> tuple[str, ...]:
    if _is_blank(value):
        return ()
    items = MULTI_SEPARATORS.split(value) if isinstance(value, str) else value
    return tuple(str(i).strip() for i in items if str(i).strip())


def _uncoded(dim: Dimension, value: Any) -> bool:
    """A blank cell means "not coded", except on dimensions that may be empty."""
    if isinstance(value, list | tuple):
        return False
    return _is_blank(value) and not (dim.is_multi and dim.allow_empty)


def case_from_record(
    raw: Mapping[str, Any],
    codebook: Codebook,
    *,
    file: str | None = None,
    row: int | None = None,
    line: int | None = None,
) -> Case:
    """Validate and normalise one record whose keys are already contract field names.

    Raises
    ------
    InvalidCase
        naming the file, row or line, and field.
    """
    where: dict[str, Any] = {"file": file, "row": row, "line": line}
    title = _text(raw.get("title"))
    summary = _paragraphs(raw.get("summary"))
    if not title and not summary:
        raise InvalidCase("a case needs a title or a summary", field="title", **where)
    library = _text(raw.get("library"))
    province_raw = _text(raw.get("province"))
    province = short_province(province_raw) if province_raw else None
    codes: dict[str, Any] = {}
    for dim in codebook.dimensions:
        if dim.key in raw and not _uncoded(dim, raw[dim.key]):
            codes[dim.key] = parse_codes(dim, raw[dim.key], where=where)
    if province and "region" in codebook and "region" not in codes:
        region = derive_region(province, codebook)
        if region:
            codes["region"] = region
    known = {"title", "summary", "library", "province", "year", "id", *codebook.keys}
    extra = {
        k: v
        for k, v in raw.items()
        if k not in known and k not in CODER_FIELDS and not _is_blank(v)
    }
    case_id = _text(raw.get("id")) or stable_id(title, library, summary)
    return Case(
        id=case_id,
        title=title,
        summary=summary,
        library=library,
        province=province,
        year=parse_year(raw.get("year"), where=where),
        codes=codes,
        confidence=_mapping(raw.get("confidence"), "confidence", where),
        evidence=_mapping(raw.get("evidence"), "evidence", where),
        needs_review=_names(raw.get("needs_review")),
        extra=extra,
    )
