from __future__ import annotations

import pytest

from libinnov.cases import Case, case_from_record, stable_id
from libinnov.codebook import Codebook
from libinnov.exceptions import InvalidCase


def test_the_sample_round_trips_through_records(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    again = [case_from_record(c.to_record(codebook), codebook) for c in sample_cases]
    assert again == sample_cases


def test_the_sample_has_154_cases_with_unique_ids(sample_cases: list[Case]) -> None:
    assert len(sample_cases) == 154
    assert len({c.id for c in sample_cases}) == 154


def test_records_follow_the_contract_key_order(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    keys = list(sample_cases[0].to_record(codebook))
    assert keys[:8] == [
        "id",
        "title",
        "library",
        "library_type",
        "province",
        "region",
        "year",
        "summary",
    ]
    assert keys[8:13] == [
        "focus",
        "innovation_type",
        "strategy",
        "technology",
        "audience",
    ]


def test_it_accepts_labels_in_zh_en_traditional_and_fullwidth(
    codebook: Codebook,
) -> None:
    case = case_from_record(
        {
            "title": "t",
            "focus": "閱讀推廣；Space services、heritage",
            "technology": "Mobile, mini-programs, social media,ＶＲ/ＡＲ/元宇宙",
            "innovation_type": "综合型",
        },
        codebook,
    )
    assert case.codes["focus"] == ["reading", "space", "heritage"]
    assert case.codes["technology"] == ["mobile", "xr"]
    assert case.codes["innovation_type"] == "comprehensive"


def test_it_rejects_unknown_code_naming_row_and_field(codebook: Codebook) -> None:
    with pytest.raises(InvalidCase) as err:
        case_from_record(
            {"title": "t", "focus": "跳舞"}, codebook, file="x.csv", row=12
        )
    assert err.value.describe().startswith("x.csv, row 12, field 'focus': unknown code")


def test_it_requires_a_title_or_a_summary(codebook: Codebook) -> None:
    with pytest.raises(InvalidCase, match="title or a summary"):
        case_from_record({"library": "温州市图书馆"}, codebook)


def test_missing_ids_are_stable_and_content_based(codebook: Codebook) -> None:
    record = {
        "title": "城市书房",
        "library": "温州市图书馆",
        "summary": "二十四小时开放",
    }
    first = case_from_record(record, codebook)
    assert first.id == case_from_record(dict(record), codebook).id
    assert first.id == stable_id("城市書房", "温州市图书馆", "二十四小时开放")
    assert first.id != case_from_record({**record, "title": "别的"}, codebook).id


def test_region_is_derived_from_a_given_province(codebook: Codebook) -> None:
    case = case_from_record({"title": "t", "province": "浙江省"}, codebook)
    assert case.province == "浙江"
    assert case.codes["region"] == "east"


def test_given_region_wins_over_derivation(codebook: Codebook) -> None:
    case = case_from_record(
        {"title": "t", "province": "浙江", "region": "west"}, codebook
    )
    assert case.codes["region"] == "west"


@pytest.mark.parametrize("year", ["2023", "2023年", 2023, 2023.0, "２０２３年度"])
def test_it_reads_years_in_the_forms_people_type(
    codebook: Codebook, year: object
) -> None:
    assert case_from_record({"title": "t", "year": year}, codebook).year == 2023


def test_it_rejects_a_non_year(codebook: Codebook) -> None:
    with pytest.raises(InvalidCase, match="not a year"):
        case_from_record({"title": "t", "year": "去年"}, codebook, row=3)
