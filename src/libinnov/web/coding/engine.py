"""The bridge to the core's automatic coder and agreement statistics.

The web layer works without them (no suggestions, a simpler agreement table); an
error inside the core is logged and the page still renders.
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from libinnov.cases import Case as CoreCase
from libinnov.codebook import Codebook
from libinnov.exceptions import LibinnovError

log = logging.getLogger(__name__)


def _default_model(codebook: Codebook, train: bool) -> Any | None:
    """The model retrained in the web app, else the core's default model.

    The default is used if it is trained (or ``train`` says: train it now).
    Training takes seconds to minutes, so pages only use a model that is already
    on disk; the workbench's button asks for training explicitly.
    """
    from libinnov.coding import load_default_model
    from libinnov.web.coding.training import model_in_use

    run = model_in_use()
    if run is not None:
        retrained = _load_model(run.model_path, codebook)
        if retrained is not None:
            return retrained

    if not train and not _model_path(codebook).exists():
        return None
    return load_default_model(codebook)


@lru_cache(maxsize=4)
def _load_model(path: str, codebook: Codebook) -> Any | None:
    """A retrained model from disk; ``None`` if the codebook changed since."""
    from libinnov.coding import CodingModel

    try:
        return CodingModel.load(path, codebook)
    except LibinnovError as exc:
        log.info("not using %s: %s", path, exc.describe())
        return None


@lru_cache(maxsize=8)
def _model_path(codebook: Codebook) -> Path:
    # the path hashes the whole sample: worth computing once per codebook
    from libinnov.coding import default_model_path

    return default_model_path(codebook)


def uncoded(case: CoreCase) -> CoreCase:
    """What the model reads: the text and library facts, none of the codes."""
    return CoreCase(
        id=case.id,
        title=case.title,
        summary=case.summary,
        library=case.library,
        province=case.province,
        year=case.year,
    )


def run_model(codebook: Codebook) -> Any:
    """The model the workbench suggests with, training the default one if need be.

    For background runs: unlike :func:`suggest` it raises (``ImportError`` without
    the coding extra, :class:`LibinnovError` when no model fits the codebook).
    """
    model = _default_model(codebook, True)
    if model is None:  # not reached: training was allowed
        raise LookupError("no automatic coder is available")
    return model


def suggest(
    case: CoreCase, codebook: Codebook, *, train: bool = False
) -> tuple[str, CoreCase] | None:
    """``(coder, coded case)`` from the core's model, or ``None`` without one."""
    try:
        from libinnov.coding import code_cases
    except ImportError:
        return None
    try:
        model = _default_model(codebook, train)
        if model is None:
            return None
        coded = next(iter(code_cases([uncoded(case)], codebook, model=model)))
    except LibinnovError as exc:  # e.g. the codebook was edited since training
        log.warning("no automatic codes for case %s: %s", case.id, exc.describe())
        return None
    except Exception:
        log.exception("automatic coding failed for case %s", case.id)
        return None
    return str(model.label), coded


def _same(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return sorted(a) == sorted(b)
    return a == b


def _kappa(pairs: list[tuple[object, object]]) -> float | None:
    """Cohen's κ treating each distinct value (a code or a code set) as a category."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(_same(a, b) for a, b in pairs) / n
    keys = [repr(sorted(v) if isinstance(v, list) else v) for p in pairs for v in p]
    first = keys[0::2]
    second = keys[1::2]
    expected = sum((first.count(k) / n) * (second.count(k) / n) for k in set(keys))
    if expected >= 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def agreement_table(
    ratings: dict[str, dict[str, object]],
    dimension: str,
    codebook: Codebook | None = None,
) -> list[dict[str, object]]:
    """Agreement per pair of coders on one dimension, from the core's statistics.

    Percent agreement, Cohen's κ and Krippendorff's α, each with a bootstrap 95 %
    interval (``libinnov.coding.agreement``); the model counts as one more coder.
    """
    from libinnov.coding.agreement import compare_values

    coders = sorted({c for per_case in ratings.values() for c in per_case})
    dim = codebook.dimension(dimension) if codebook and dimension in codebook else None
    rows: list[dict[str, object]] = []
    for i, a in enumerate(coders):
        for b in coders[i + 1 :]:
            pairs = [(v[a], v[b]) for v in ratings.values() if a in v and b in v]
            if len(pairs) < 2:
                continue
            if dim is not None:
                stats = compare_values(
                    pairs, dim.code_keys, multi=dim.is_multi, rounds=200
                )
                percent, kappa = stats["percent"], stats.get("cohen_kappa")
                alpha = stats["krippendorff_alpha"]
                rows.append(
                    {
                        "dimension": dimension,
                        "coders": (a, b),
                        "n": len(pairs),
                        "percent": percent.value,
                        "kappa": None
                        if kappa is None or math.isnan(kappa.value)
                        else kappa.value,
                        "kappa_ci": None if kappa is None else (kappa.low, kappa.high),
                        "alpha": None if math.isnan(alpha.value) else alpha.value,
                        "alpha_ci": (alpha.low, alpha.high),
                    }
                )
                continue
            agree = sum(_same(x, y) for x, y in pairs) / len(pairs)
            rows.append(
                {
                    "dimension": dimension,
                    "coders": (a, b),
                    "n": len(pairs),
                    "percent": agree,
                    "kappa": _kappa(pairs),
                }
            )
    return rows
