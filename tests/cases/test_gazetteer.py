from __future__ import annotations

from dataclasses import replace

import pytest

from libinnov.cases import Case, case_from_record
from libinnov.cases.gazetteer import enrich_case, infer_library_facts, institutions
from libinnov.codebook import Codebook


@pytest.mark.parametrize(
    ("library", "province", "region", "library_type"),
    [
        ("温州市图书馆", "浙江", "east", "public"),
        ("复旦大学图书馆", "上海", "east", "academic"),
        ("吉林大学图书馆", "吉林", "northeast", "academic"),
        ("中国科学院文献情报中心", "北京", "east", "research"),
        ("国家图书馆", "北京", "east", "public"),
        ("香港中文大学图书馆", "香港", "hmt", "academic"),
        ("东营党建图书馆", "山东", "east", "research"),
        ("溫州市圖書館", "浙江", "east", "public"),
        ("中国石油大学（华东）图书馆", "山东", "east", "academic"),
        ("中国石油大学(北京)图书馆", "北京", "east", "academic"),
        ("江南大学图书馆", "江苏", "east", "academic"),
        ("华中科技大学同济医学院附属同济医院图书馆", "湖北", "central", "research"),
        ("龙南师范附属小学图书室", "江西", "central", "school"),
        ("广西北部湾经济区图书馆服务联盟", "广西", "west", "other"),
        ("黔南民族师范学院图书馆", "贵州", "west", "academic"),
        ("北川图书馆", "四川", "west", "public"),
        ("高雄市立圖書館", "台湾", "hmt", "public"),
    ],
)
def test_it_infers_library_facts_from_the_name(
    library: str, province: str, region: str, library_type: str
) -> None:
    facts = infer_library_facts(library)
    assert (facts.province, facts.region, facts.library_type) == (
        province,
        region,
        library_type,
    )
    assert facts.needs_review == ()
    assert facts.basis


@pytest.mark.parametrize("library", ["朝阳区图书馆", "鼓楼区图书馆"])
def test_a_district_name_in_several_provinces_is_flagged_not_guessed(
    library: str,
) -> None:
    facts = infer_library_facts(library)
    assert facts.province is None and facts.region is None
    assert {"province", "region"} <= set(facts.needs_review)
    assert facts.library_type == "public"
    assert any("ambiguous" in b for b in facts.basis)


def test_an_address_settles_an_ambiguous_district() -> None:
    facts = infer_library_facts("鼓楼区图书馆", address="江苏省南京市鼓楼区北京西路")
    assert facts.province == "江苏"


def test_a_name_without_any_clue_is_flagged() -> None:
    facts = infer_library_facts("星光")
    assert facts.province is None and facts.library_type is None
    assert set(facts.needs_review) == {"province", "region", "library_type"}


def test_the_curated_table_covers_the_double_first_class_universities() -> None:
    table = institutions()
    for name in ("清华大学", "中国科学技术大学", "哈尔滨工业大学", "西北工业大学"):
        assert name in table
    assert sum(1 for _, t in table.values() if t == "academic") >= 147


def test_it_gets_the_bundled_sample_right_or_flags_it(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    """The done-when figure: ≥ 97 % right per field, and no confident wrong answer."""
    right = {"province": 0, "region": 0, "library_type": 0}
    for case in sample_cases:
        bare = replace(
            case,
            province=None,
            codes={k: v for k, v in case.codes.items() if k not in right},
        )
        enriched = enrich_case(bare, codebook)
        truth = {"province": case.province, **case.codes}
        got = {"province": enriched.province, **enriched.codes}
        for field in right:
            if got.get(field) == truth[field]:
                right[field] += 1
            else:
                assert got.get(field) is None, (case.library, field, got.get(field))
                assert field in enriched.needs_review
    for field, count in right.items():
        assert count / len(sample_cases) >= 0.97, (field, count)


def test_given_values_always_win(codebook: Codebook) -> None:
    case = case_from_record(
        {
            "title": "t",
            "library": "温州市图书馆",
            "province": "北京",
            "library_type": "school",
        },
        codebook,
    )
    enriched = enrich_case(case, codebook)
    assert enriched.province == "北京"
    assert enriched.codes["region"] == "east"
    assert enriched.codes["library_type"] == "school"
    assert enriched.needs_review == ()


def test_enrichment_fills_only_what_is_missing(codebook: Codebook) -> None:
    case = case_from_record({"title": "t", "library": "复旦大学图书馆"}, codebook)
    enriched = enrich_case(case, codebook)
    assert (enriched.province, enriched.codes["region"]) == ("上海", "east")
    assert enriched.codes["library_type"] == "academic"
