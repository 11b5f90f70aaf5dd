"""The default model: trained deterministically on the bundled sample, cached."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from libinnov import __version__
from libinnov.cases.io import load_sample
from libinnov.codebook.io import codebook_to_dict, default_codebook
from libinnov.codebook.model import Codebook
from libinnov.coding.model import CodingModel, sample_digest
from libinnov.settings import cache_dir

_LOCK = threading.Lock()
#: Bumped whenever a model's pickled layout changes, so old caches are not loaded.
MODEL_FORMAT = 5
_LOADED: dict[str, CodingModel] = {}


def default_model_path(codebook: Codebook | None = None) -> Path:
    """Where the default model for this codebook, sample and version is cached."""
    codebook = codebook or default_codebook()
    digest = sample_digest(load_sample(codebook))
    name = f"default-{_content_digest(codebook)}-{digest}-{__version__}-f{MODEL_FORMAT}"
    return cache_dir() / "models" / f"{name}.joblib"


def _content_digest(codebook: Codebook) -> str:
    """A hash of the whole codebook: edited indicator terms need a new model too.

    (The fingerprint a model checks on load covers only keys and cardinalities, so
    a model stays usable across label edits; the cache must not.)
    """
    text = json.dumps(codebook_to_dict(codebook), sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def build_default_model(codebook: Codebook | None = None) -> CodingModel:
    codebook = codebook or default_codebook()
    model = CodingModel.train(load_sample(codebook), codebook, random_state=0)
    model.name = "default"
    return model


def load_default_model(codebook: Codebook | None = None) -> CodingModel:
    """The cached default model, trained on first use (a few seconds)."""
    codebook = codebook or default_codebook()
    path = default_model_path(codebook)
    with _LOCK:
        if str(path) in _LOADED:
            return _LOADED[str(path)]
        if path.exists():
            model = CodingModel.load(path, codebook)
        else:
            model = build_default_model(codebook)
            model.save(path)
        _LOADED[str(path)] = model
        return model
