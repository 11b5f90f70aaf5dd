"""Shared fixtures: the default codebook, the bundled sample and small Chinese cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from libinnov.cases import Case, load_sample
from libinnov.codebook import Codebook, default_codebook

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return default_codebook()


@pytest.fixture(scope="session")
def sample_cases() -> list[Case]:
    return load_sample()


@pytest.fixture(scope="session")
def sample_records(sample_cases: list[Case], codebook: Codebook) -> list[dict[str, object]]:
    return [c.to_record(codebook) for c in sample_cases]


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    return path
