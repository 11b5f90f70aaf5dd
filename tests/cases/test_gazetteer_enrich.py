"""Enriching cases: the sample's figures, given values winning, codebook-driven types."""

from __future__ import annotations

import socket
import time
from dataclasses import replace

import pytest

from libinnov.cases import Case, case_from_record
from libinnov.cases.gazetteer import enrich_case, infer_library_facts
from libinnov.codebook import Codebook
from libinnov.codebook.model import Code
from libinnov.gazetteer import locate, places, tables

FIELDS = ("province", "region", "library_type")


def _strip(case: Case) -> Case:
    codes = {k: v for k, v in case.codes.items() if k not in FIELDS}
    return replace(case, province=None, codes=codes, needs_review=())


def test_it_gets_the_bundled_sample_right_or_flags_it(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    """Done when: ≥ 97 % right per field from the name alone, no confident error."""
    right = dict.fromkeys(FIELDS, 0)
    for case in sample_cases:
        enriched = enrich_case(_strip(case), codebook)
        truth = {"province": case.province, **case.codes}
        got = {"province": enriched.province, **enriched.codes}
        for field in FIELDS:
            if got.get(field) == truth[field]:
                right[field] += 1
            else:
                assert got.get(field) is None, (case.library, field, got.get(field))
                assert field in enriched.needs_review, (case.library, field)
    for field, count in right.items():
        assert count / len(sample_cases) >= 0.97, (field, count)


def test_given_values_always_win(codebook: Codebook) -> None:
    record = {
        "title": "t",
        "library": "温州市图书馆",
        "province": "北京",
        "library_type": "school",
    }
    enriched = enrich_case(case_from_record(record, codebook), codebook)
    assert enriched.province == "北京"
    assert enriched.codes["region"] == "east"
    assert enriched.codes["library_type"] == "school"
    assert enriched.needs_review == ()


def test_a_given_province_fixes_the_region_even_against_the_name(
    codebook: Codebook,
) -> None:
    case = Case(id="x", title="t", library="温州市图书馆", province="四川")
    enriched = enrich_case(case, codebook)
    assert (enriched.province, enriched.codes["region"]) == ("四川", "west")
    assert enriched.codes["library_type"] == "public"


def test_an_inferred_province_that_contradicts_a_given_region_is_not_used(
    codebook: Codebook,
) -> None:
    case = Case(id="x", title="t", library="温州市图书馆", codes={"region": "west"})
    enriched = enrich_case(case, codebook)
    assert enriched.province is None and enriched.codes["region"] == "west"
    assert "province" in enriched.needs_review


def test_enrichment_fills_only_what_is_missing(codebook: Codebook) -> None:
    case = case_from_record({"title": "t", "library": "复旦大学图书馆"}, codebook)
    enriched = enrich_case(case, codebook)
    assert (enriched.province, enriched.codes["region"]) == ("上海", "east")
    assert enriched.codes["library_type"] == "academic"
    assert enriched.title == case.title and enriched.id == case.id


def test_enrichment_uses_the_address_and_flags_what_stays_open(
    codebook: Codebook,
) -> None:
    bare = Case(id="a", title="t", library="鼓楼区图书馆")
    with_address = replace(bare, extra={"address": "福建省福州市鼓楼区"})
    assert enrich_case(with_address, codebook).province == "福建"
    flagged = enrich_case(replace(bare, needs_review=("topic",)), codebook)
    assert flagged.province is None
    assert flagged.needs_review == ("topic", "province", "region")


def test_a_complete_case_comes_back_unchanged(codebook: Codebook) -> None:
    case = Case(
        id="c",
        library="星光",
        province="浙江",
        codes={"region": "east", "library_type": "other"},
    )
    assert enrich_case(case, codebook) is case


def _with_indicators(codebook: Codebook, extra: dict[str, tuple[str, ...]]) -> Codebook:
    dim = codebook.dimension("library_type")
    codes = [
        replace(code, indicators=code.indicators + extra.pop(code.key, ()))
        for code in dim.codes
    ]
    codes += [Code(key, key, key, indicators=words) for key, words in extra.items()]
    dims = tuple(
        replace(d, codes=tuple(codes)) if d.key == "library_type" else d
        for d in codebook.dimensions
    )
    return replace(codebook, dimensions=dims)


def test_codebook_indicators_change_the_library_type(codebook: Codebook) -> None:
    assert infer_library_facts("阳光读书驿站", codebook=codebook).library_type is None
    edited = _with_indicators(codebook, {"other": ("读书驿站",), "museum": ("博物馆",)})
    assert infer_library_facts("阳光读书驿站", codebook=edited).library_type == "other"
    facts = infer_library_facts("温州博物馆图书馆", codebook=edited)
    assert facts.library_type == "museum"


def test_a_codebook_without_library_type_leaves_it_out(codebook: Codebook) -> None:
    dims = tuple(d for d in codebook.dimensions if d.key != "library_type")
    facts = infer_library_facts("星光", codebook=replace(codebook, dimensions=dims))
    assert facts.library_type is None and facts.needs_review == ("province", "region")


def test_it_works_without_network(
    monkeypatch: pytest.MonkeyPatch, sample_cases: list[Case], codebook: Codebook
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for cached in (places.place_index, tables.institutions, locate.locate):
        cached.cache_clear()
    start = time.perf_counter()
    enriched = [enrich_case(_strip(case), codebook) for case in sample_cases]
    assert time.perf_counter() - start < 5
    assert sum(case.province is not None for case in enriched) >= 150
