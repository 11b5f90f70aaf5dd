from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from libinnov.cases import Case
from libinnov.codebook import Codebook
from libinnov.coding.model import CodingModel


@pytest.fixture(scope="session", autouse=True)
def private_model_cache() -> Iterator[Path]:
    """Tests build their own default model instead of touching the user's cache."""
    with tempfile.TemporaryDirectory(prefix="libinnov-cache-") as directory:
        old = os.environ.get("LIBINNOV_CACHE_DIR")
        os.environ["LIBINNOV_CACHE_DIR"] = directory
        yield Path(directory)
        if old is None:
            os.environ.pop("LIBINNOV_CACHE_DIR", None)
        else:
            os.environ["LIBINNOV_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def trained(sample_cases: list[Case], codebook: Codebook) -> CodingModel:
    """A model trained on the first 120 sample cases; the rest stay unseen."""
    return CodingModel.train(sample_cases[:120], codebook)


@pytest.fixture(scope="session")
def unseen(sample_cases: list[Case]) -> list[Case]:
    return sample_cases[120:]
