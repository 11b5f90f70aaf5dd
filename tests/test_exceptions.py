"""Errors keep their parts (template, values, file, row, field) apart, so any
language can be put on them later; English is what the CLI and the API say."""

from __future__ import annotations

from pathlib import Path

import pytest

from libinnov.campaigns import Rubric, parse_tiers
from libinnov.cases import read_cases
from libinnov.exceptions import CampaignError, InvalidCase, LibinnovError

FRENCH = {
    "'%(value)s' is not a year": "« %(value)s » n'est pas une année",
    "'%(value)s' is not a number": "« %(value)s » n'est pas un nombre",
    "row %(row)s": "ligne %(row)s",
    "field '%(field)s'": "champ « %(field)s »",
    "%(where)s, %(part)s": "%(where)s ; %(part)s",
    "%(where)s: %(message)s": "%(where)s — %(message)s",
}


def _french(template: str) -> str:
    return FRENCH.get(template, template)


def _bad_year(tmp_path: Path) -> InvalidCase:
    path = tmp_path / "cases.csv"
    path.write_text("标题,年份\n城市书房,2021\n古籍课堂,二〇二〇年\n", encoding="utf-8")
    with pytest.raises(InvalidCase) as caught:
        read_cases(path)
    return caught.value


def test_a_reader_error_carries_its_template_values_and_location(
    tmp_path: Path,
) -> None:
    error = _bad_year(tmp_path)
    assert error.template == "'%(value)s' is not a year"
    assert error.params == {"value": "二〇二〇年"}
    assert (error.file, error.line, error.row, error.field) == (
        str(tmp_path / "cases.csv"),
        None,
        3,
        "year",
    )
    assert error.message == "'二〇二〇年' is not a year"
    assert str(error) == f"{tmp_path / 'cases.csv'}, row 3, field 'year': " + (
        "'二〇二〇年' is not a year"
    )


def test_describe_puts_message_and_location_through_any_translator(
    tmp_path: Path,
) -> None:
    error = _bad_year(tmp_path)
    assert error.describe(_french, file="申报.csv") == (
        "申报.csv ; ligne 3 ; champ « year » — « 二〇二〇年 » n'est pas une année"
    )
    assert error.render(_french) == "« 二〇二〇年 » n'est pas une année"
    assert error.describe(file="申报.csv").startswith("申报.csv, row 3, field")


def test_a_broken_translation_falls_back_to_english() -> None:
    error = InvalidCase("'%(value)s' is not a year", value="明年", row=2)
    assert error.describe(lambda t: "%(nothing)s" if "year" in t else t) == (
        "row 2: '明年' is not a year"
    )


def test_an_error_moved_to_where_the_caller_knows_keeps_its_template() -> None:
    with pytest.raises(CampaignError) as caught:
        Rubric.default().validate_scores(
            dict.fromkeys(Rubric.default().keys, "7") | {"innovation": "八"},
            where="review 7",
        )
    error = caught.value
    assert error.template == "'%(value)s' is not a number"
    assert (error.file, error.field, error.params) == (
        "review 7",
        "innovation",
        {"value": "八"},
    )
    assert error.describe(_french) == (
        "review 7 ; champ « innovation » — « 八 » n'est pas un nombre"
    )


def test_award_tier_errors_name_the_field_and_the_piece_at_fault() -> None:
    with pytest.raises(CampaignError) as caught:
        parse_tiers("一等奖=1，金奖=2")
    assert caught.value.field == "awards"
    assert caught.value.params["name"] == "金奖"
    assert caught.value.message.startswith("unknown award tier '金奖' (known: ")


def test_a_message_without_values_is_left_as_it_is() -> None:
    error = LibinnovError("the file holds no cases", file="x.jsonl")
    assert error.params == {}
    assert error.describe() == "x.jsonl: the file holds no cases"
    assert LibinnovError("50% done", row=1).describe() == "row 1: 50% done"
