"""Codebook validation: one place that knows the schema, one error that says where.

The loader hands over plain dicts in which every mapping remembers the line it came
from (key ``__line__``), so an error can point at ``file, line N``.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from libinnov.codebook.model import Code, Codebook, Dimension
from libinnov.exceptions import InvalidCodebook

LINE = "__line__"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CARDINALITIES = ("single", "multi")
_KNOWN_RULES = ("comprehensive_or_dominant_focus",)


def _str_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in re.split(r"[;；、,，]", value) if v.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


def _fail(
    message: str, node: dict[str, Any] | None, source: str | None, **params: Any
) -> NoReturn:
    line = node.get(LINE) if isinstance(node, dict) else None
    raise InvalidCodebook(message, file=source, line=line, **params)


def build_codebook(data: Any, source: str | None = None) -> Codebook:
    """Check a parsed codebook document and turn it into a :class:`Codebook`.

    Raises
    ------
    InvalidCodebook
        naming the file, line, dimension and code of the first problem found.
    """
    if not isinstance(data, dict):
        raise InvalidCodebook(
            "a codebook must be a mapping with 'dimensions'", file=source
        )
    dims_raw = data.get("dimensions")
    if not isinstance(dims_raw, list) or not dims_raw:
        _fail("a codebook needs a non-empty list 'dimensions'", data, source)
    dimensions = [_build_dimension(d, source) for d in dims_raw]
    seen: set[str] = set()
    for dim, raw in zip(dimensions, dims_raw, strict=True):
        if dim.key in seen:
            _fail(
                "dimension '%(dimension)s' is defined twice",
                raw,
                source,
                dimension=dim.key,
            )
        seen.add(dim.key)
    for dim, raw in zip(dimensions, dims_raw, strict=True):
        for code, code_raw in zip(dim.codes, raw["codes"], strict=True):
            if not code.follows:
                continue
            if code.follows not in seen or code.follows == dim.key:
                _fail(
                    "dimension '%(dimension)s', code '%(code)s': follows "
                    "'%(follows)s', which is not another dimension of this codebook",
                    code_raw,
                    source,
                    dimension=dim.key,
                    code=code.key,
                    follows=code.follows,
                )
            if not dim.is_multi:
                _fail(
                    "dimension '%(dimension)s', code '%(code)s': only a code of a "
                    "multi dimension can follow another dimension",
                    code_raw,
                    source,
                    dimension=dim.key,
                    code=code.key,
                )
            followed = next(d for d in dimensions if d.key == code.follows)
            if not followed.is_multi:
                # a single dimension holds a code in every coded case, so the
                # link would put this code on every case
                _fail(
                    "dimension '%(dimension)s', code '%(code)s': follows "
                    "'%(follows)s', a single dimension; only a multi dimension "
                    "can be followed",
                    code_raw,
                    source,
                    dimension=dim.key,
                    code=code.key,
                    follows=code.follows,
                )
        if dim.rule_source and dim.rule_source not in seen:
            _fail(
                "dimension '%(dimension)s': rule_source '%(rule_source)s' is not a "
                "dimension of this codebook",
                raw,
                source,
                dimension=dim.key,
                rule_source=dim.rule_source,
            )
    return Codebook(
        name=str(data.get("name") or "codebook"),
        version=str(data.get("version") or "1"),
        dimensions=tuple(dimensions),
        title_zh=str(data.get("title_zh") or ""),
        title_en=str(data.get("title_en") or ""),
        source=source,
    )


def _build_dimension(raw: Any, source: str | None) -> Dimension:
    if not isinstance(raw, dict):
        raise InvalidCodebook("each dimension must be a mapping", file=source)
    key = str(raw.get("key") or "")
    if not _KEY.match(key):
        _fail(
            "dimension key '%(key)s' must be lower-case ASCII letters, digits or _",
            raw,
            source,
            key=key,
        )
    cardinality = raw.get("cardinality", "single")
    if cardinality not in _CARDINALITIES:
        _fail(
            "dimension '%(dimension)s': cardinality must be single or multi, "
            "not '%(value)s'",
            raw,
            source,
            dimension=key,
            value=cardinality,
        )
    rule = raw.get("rule")
    if rule is not None and rule not in _KNOWN_RULES:
        _fail(
            "dimension '%(dimension)s': unknown rule '%(rule)s'",
            raw,
            source,
            dimension=key,
            rule=rule,
        )
    codes_raw = raw.get("codes")
    if not isinstance(codes_raw, list) or not codes_raw:
        _fail(
            "dimension '%(dimension)s' needs a non-empty list 'codes'",
            raw,
            source,
            dimension=key,
        )
    codes = tuple(_build_code(key, c, source) for c in codes_raw)
    seen: set[str] = set()
    for code, craw in zip(codes, codes_raw, strict=True):
        if code.key in seen:
            _fail(
                "dimension '%(dimension)s': code '%(code)s' is defined twice",
                craw,
                source,
                dimension=key,
                code=code.key,
            )
        seen.add(code.key)
    return Dimension(
        key=key,
        label_zh=str(raw.get("label_zh") or key),
        label_en=str(raw.get("label_en") or key),
        cardinality=cardinality,
        codes=codes,
        derived=bool(raw.get("derived", False)),
        allow_empty=bool(raw.get("allow_empty", False)),
        retired=bool(raw.get("retired", False)),
        description=str(raw.get("description") or ""),
        rule=rule,
        rule_source=raw.get("rule_source"),
    )


def _build_code(dim_key: str, raw: Any, source: str | None) -> Code:
    if not isinstance(raw, dict):
        raise InvalidCodebook(
            "dimension '%(dimension)s': each code must be a mapping",
            file=source,
            dimension=dim_key,
        )
    key = str(raw.get("key") or "")
    if not _KEY.match(key):
        _fail(
            "dimension '%(dimension)s': code key '%(key)s' must be lower-case "
            "ASCII, digits or _",
            raw,
            source,
            dimension=dim_key,
            key=key,
        )
    if not raw.get("label_zh") and not raw.get("label_en"):
        _fail(
            "dimension '%(dimension)s', code '%(code)s': needs label_zh or label_en",
            raw,
            source,
            dimension=dim_key,
            code=key,
        )
    return Code(
        key=key,
        label_zh=str(raw.get("label_zh") or raw.get("label_en")),
        label_en=str(raw.get("label_en") or raw.get("label_zh")),
        definition=str(raw.get("definition") or ""),
        indicators=_str_list(raw.get("indicators")),
        provinces=_str_list(raw.get("provinces")),
        retired=bool(raw.get("retired", False)),
        follows=str(raw["follows"]) if raw.get("follows") else None,
    )
