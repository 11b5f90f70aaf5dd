"""Automatic coding of case texts against a codebook, and reliability statistics.

The entry points most callers need are :func:`code_cases` (stream cases through the
default or a given model) and :func:`load_default_model`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook
from libinnov.coding.model import CodingModel, code_stream
from libinnov.coding.store import default_model_path, load_default_model

__all__ = [
    "CodingModel",
    "code_cases",
    "default_model_path",
    "load_default_model",
]


def code_cases(
    cases: Iterable[Case],
    codebook: Codebook,
    *,
    model: CodingModel | str | Path | None = None,
    only_missing: bool = False,
    anchored: bool | None = None,
) -> Iterator[Case]:
    """Code every case lazily, in input order, with confidence and evidence.

    Library facts (province, region, library type) come from the gazetteer; coded
    dimensions from the model. With ``only_missing`` the dimensions a case already
    has are kept as given. With ``anchored`` (by default ``only_missing``) the codes
    a case has steer the derived dimensions (the innovation type is chosen among
    its given focus areas) even where the model's own codes are returned.
    """
    from libinnov.cases.gazetteer import enrich_case

    if model is None:
        model = load_default_model(codebook)
    elif not isinstance(model, CodingModel):
        model = CodingModel.load(model, codebook)
    else:
        model.check_codebook(codebook)
    enriched = (enrich_case(case, codebook) for case in cases)
    yield from code_stream(
        enriched, model, only_missing=only_missing, anchored=anchored
    )
