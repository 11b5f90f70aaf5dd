"""The analysis of a filtered case set, from the core's analysis functions."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from libinnov.cases import Case as CoreCase
from libinnov.codebook import Codebook
from libinnov.web.cases.models import Case
from libinnov.web.cases.selectors import CACHE_SECONDS, facet_counts, version_key

log = logging.getLogger(__name__)
_LOCKS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)


def _analysis_records(qs: QuerySet[Case]) -> list[CoreCase]:
    """The fields analysis reads, without building model instances."""
    rows = qs.values_list(*Case.CORE_FIELDS).iterator(chunk_size=2000)
    return [Case.core_from_row(row) for row in rows]


def _core_summary(qs: QuerySet[Case], codebook: Codebook) -> dict[str, Any] | None:
    """``summary.json`` of the core's analysis, or ``None`` if it is not installed.

    Analysing a large case set takes seconds, so the result is cached per filter
    until any case changes (the key holds the library's version).
    """
    try:
        from libinnov.analysis import summarise
    except ImportError:
        return None
    from libinnov.web.cases.templatetags.libinnov_tags import lang

    key = version_key("dashboard", qs, codebook.version, lang())
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    with _LOCKS[key]:  # the same analysis asked twice at once is computed once
        cached = cache.get(key)
        if cached is not None:
            return dict(cached)
        cores = _analysis_records(qs)
        try:
            result = dict(summarise(cores, codebook, lang=lang()))
        except Exception:
            log.exception("the analysis core failed; showing counts only")
            return None
        cache.set(key, result, timeout=CACHE_SECONDS)
    _LOCKS.pop(key, None)
    return result


def summary(qs: QuerySet[Case], codebook: Codebook) -> dict[str, Any]:
    """``{"n_cases", "dimensions": {dim: {"counts", "shares"}}, ...}``.

    Counts come from the facet rows (cases per code, as the contract counts multi
    dimensions); tests and findings need the analysis core.
    """
    core = _core_summary(qs, codebook)
    if core is not None:
        return core
    n = qs.count()
    counts = facet_counts(qs, codebook)
    dims: dict[str, Any] = {}
    for dim in codebook.active_dimensions:
        c = {code.key: counts[dim.key][code.key] for code in dim.codes}
        dims[dim.key] = {
            "counts": c,
            "shares": {k: round(v / n, 3) if n else 0.0 for k, v in c.items()},
        }
    return {
        "n_cases": n,
        "dimensions": dims,
        "crosstabs": {},
        "tests": [],
        "findings": [],
    }


def _places_and_years(qs: QuerySet[Case], codebook: Codebook) -> dict[str, Any]:
    """Cases per province and per year (one grouped pass), cached like the rest."""
    return dict(
        cache.get_or_set(
            version_key("places", qs),
            lambda: facet_counts(qs, codebook, only="province"),
            CACHE_SECONDS,
        )
    )


def province_counts(qs: QuerySet[Case], codebook: Codebook) -> dict[str, int]:
    return dict(_places_and_years(qs, codebook)["province"])


def year_counts(qs: QuerySet[Case], codebook: Codebook) -> dict[int, int]:
    return dict(sorted(_places_and_years(qs, codebook)["year"].items()))
