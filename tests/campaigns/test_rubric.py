"""The rubric: the default contest criteria, checking scores, weights and files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from libinnov.campaigns import Criterion, Rubric, load_rubric, save_rubric
from libinnov.exceptions import CampaignError, UnreadableFile

FULL_SCORES = {
    "innovation": 8,
    "feasibility": 7,
    "sustainability": 6,
    "results": 9,
    "transferability": 5,
}


def test_the_default_is_the_five_contest_criteria_scored_one_to_ten(
    rubric: Rubric,
) -> None:
    assert rubric.keys == (
        "innovation",
        "feasibility",
        "sustainability",
        "results",
        "transferability",
    )
    assert [c.label_zh for c in rubric.criteria] == [
        "创新性",
        "可操作性",
        "可持续性",
        "成效与价值",
        "示范推广性",
    ]
    assert {(c.weight, c.low, c.high) for c in rubric.criteria} == {(1.0, 1, 10)}
    assert rubric.scale == (1.0, 10.0)
    assert rubric.criteria[0].label("en") == "Innovation"
    assert rubric.criteria[0].label() == "创新性"


def test_records_round_trip_through_json(rubric: Rubric) -> None:
    edited = Rubric.from_records(
        [
            {**r, "weight": 2} if r["key"] == "innovation" else r
            for r in rubric.to_records()
        ]
    )
    again = Rubric.from_records(json.loads(json.dumps(edited.to_records())))
    assert again == edited
    assert again.criterion("innovation").weight == 2.0


@pytest.mark.parametrize(
    "name", ["innovation", "INNOVATION", "创新性", "創新性", "Innovation", " 创新性 "]
)
def test_a_criterion_is_found_by_key_or_either_label(rubric: Rubric, name: str) -> None:
    assert rubric.criterion(name).key == "innovation"


def test_scores_may_be_typed_with_full_width_digits_and_labels(rubric: Rubric) -> None:
    scores = {
        "创新性": "８．５",
        "可操作性": "７.５",
        "sustainability": 6,
        "Results and value": "9",
        "示范推广性": 5.0,
    }
    assert rubric.validate_scores(scores) == {
        "innovation": 8.5,
        "feasibility": 7.5,
        "sustainability": 6.0,
        "results": 9.0,
        "transferability": 5.0,
    }


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"feasibility": None}, "feasibility", "no score for 可操作性"),
        ({"feasibility": " "}, "feasibility", "no score for 可操作性"),
        ({"results": 11}, "results", "outside 1-10"),
        ({"results": "0.5"}, "results", "outside 1-10"),
        ({"innovation": "优秀"}, "innovation", "'优秀' is not a number"),
        ({"innovation": True}, "innovation", "not a number"),
        ({"innovation": "nan"}, "innovation", "not a finite number"),
        ({"美观性": 5}, "美观性", "unknown criterion '美观性'"),
        ({"创新性": 5}, "innovation", "two scores for 'innovation'"),
    ],
)
def test_a_bad_score_names_the_criterion(
    rubric: Rubric, change: dict[str, Any], field: str, message: str
) -> None:
    scores: dict[str, Any] = {**FULL_SCORES, **change}
    with pytest.raises(CampaignError) as caught:
        rubric.validate_scores(scores, where="review 7")
    assert caught.value.field == field
    assert message in caught.value.message
    assert caught.value.describe().startswith("review 7, field")


def test_the_total_is_the_weighted_mean_on_the_reviewers_scale() -> None:
    rubric = Rubric.from_records(
        [
            {"key": "innovation", "label_zh": "创新性", "weight": 2},
            {"key": "feasibility", "label_zh": "可操作性"},
            {"key": "results", "label_zh": "成效", "weight": "１"},
        ]
    )
    # (2*9 + 1*6 + 1*3) / 4
    assert rubric.total({"innovation": 9, "feasibility": 6, "results": 3}) == 6.75


def test_the_scale_of_the_total_follows_weights_and_scales() -> None:
    rubric = Rubric.from_records(
        [
            {"key": "a", "weight": 3, "low": 0, "high": 5},
            {"key": "b", "weight": 1, "low": 1, "high": 9},
        ]
    )
    assert rubric.scale == (0.25, 6.0)


@pytest.mark.parametrize(
    ("records", "row", "field", "message"),
    [
        ([], None, None, "at least one criterion"),
        ([{"key": "a"}, {"key": "a"}], 2, "key", "'a' appears twice"),
        (
            [{"key": "a", "label_zh": "创新"}, {"key": "b", "label_zh": "創新"}],
            2,
            "label_zh",
            "names both",
        ),
        ([{"key": "a"}, {"key": "创新"}], 2, "key", "ASCII"),
        ([{"key": "a"}, {"label_zh": "创新性"}], 2, "key", "needs a key"),
        ([{"key": "a", "weight": 0}], 1, "weight", "above 0"),
        ([{"key": "a", "weight": -1}], 1, "weight", "above 0"),
        ([{"key": "a", "weight": "重"}], 1, "weight", "not a number"),
        ([{"key": "a", "low": 10, "high": 1}], 1, "low", "must go up"),
        ([{"key": "a", "high": 7.5}], 1, "high", "whole number"),
        ([{"key": "a"}, {"key": "b", "wieght": 2}], 2, "wieght", "unknown field"),
    ],
)
def test_a_bad_rubric_names_the_criterion_row_and_field(
    records: list[dict[str, Any]], row: int | None, field: str | None, message: str
) -> None:
    with pytest.raises(CampaignError) as caught:
        Rubric.from_records(records, where="rubric.yaml")
    assert caught.value.file == "rubric.yaml"
    assert (caught.value.row, caught.value.field) == (row, field)
    assert message in caught.value.message


def test_a_criterion_checks_itself_when_built_directly() -> None:
    with pytest.raises(CampaignError, match="above 0"):
        Criterion("a", "甲", "A", weight=0)


@pytest.mark.parametrize("name", ["rubric.yaml", "rubric.json"])
def test_a_saved_rubric_loads_back(tmp_path: Path, rubric: Rubric, name: str) -> None:
    path = tmp_path / name
    save_rubric(rubric, path)
    assert load_rubric(path) == rubric


def test_an_edited_yaml_rubric_loads_with_its_weights(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(
        "criteria:\n"
        "  - {key: innovation, label_zh: 创新性, weight: 2}\n"
        "  - {key: results, label_zh: 成效与价值, label_en: Results, low: 0, high: 5}\n",
        encoding="utf-8",
    )
    rubric = load_rubric(path)
    assert rubric.criterion("成效与价值").high == 5
    assert rubric.criterion("innovation").weight == 2.0


def test_a_json_list_of_criteria_loads(tmp_path: Path) -> None:
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps([{"key": "innovation", "label_zh": "创新性"}]), "utf-8")
    assert load_rubric(path).keys == ("innovation",)


@pytest.mark.parametrize(
    ("text", "error", "line", "message"),
    [
        ("criteria: [\n  {key: a\n", CampaignError, 3, "not valid YAML"),
        ("criteria: 5\n", CampaignError, None, "list of criteria"),
        ("criteria:\n  - {key: a, weight: 0}\n", CampaignError, None, "above 0"),
    ],
)
def test_a_bad_rubric_file_names_the_file(
    tmp_path: Path, text: str, error: type[Exception], line: int | None, message: str
) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as caught:
        load_rubric(path)
    assert isinstance(caught.value, CampaignError)
    assert caught.value.file == str(path)
    assert caught.value.line == line
    assert message in caught.value.message


def test_a_missing_rubric_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="no such file"):
        load_rubric(tmp_path / "nope.yaml")


def test_a_rubric_file_that_is_not_utf8_or_holds_no_mappings_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_bytes("- key: a\n  label_zh: 创新性\n".encode("gbk"))
    with pytest.raises(UnreadableFile, match="must be UTF-8"):
        load_rubric(path)
    path.write_text("- innovation\n", "utf-8")
    with pytest.raises(CampaignError, match="must be a mapping") as caught:
        load_rubric(path)
    assert caught.value.row == 1
    broken = tmp_path / "rubric.json"
    broken.write_text('[{"key": "a",]', "utf-8")
    with pytest.raises(CampaignError, match="bad JSON") as caught:
        load_rubric(broken)
    assert caught.value.line == 1
