"""``libinnov campaign rubric|assign|rank`` end to end on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from libinnov.campaigns import (
    Rubric,
    conflict,
    load_rubric,
    read_entries,
    read_reviewers,
)
from libinnov.cli import app

runner = CliRunner()
ENTRIES = [
    ["编号", "标题", "申报单位", "省份", "作者"],
    ["A01", "城市书房", "温州市图书馆", "浙江", "张三"],
    ["A02", "古籍修复", "武漢大學圖書館", "湖北", ""],
    ["A03", "阅读推广", "浙江图书馆", "浙江", "李四"],
    ["A04", "智慧空间", "复旦大学图书馆", "上海", ""],
]
PANEL = [
    ["姓名", "单位", "省份", "回避"],
    ["王教授", "武汉大学", "湖北", "A04"],
    ["李四", "国家图书馆", "北京", ""],
    ["赵研究馆员", "浙江图书馆", "浙江", ""],
]


def _csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _invoke(*args: str | Path) -> Any:
    result = runner.invoke(app, ["campaign", *map(str, args)])
    assert "Traceback" not in result.output
    return result


def test_rubric_prints_the_criteria_and_writes_a_file_to_edit(tmp_path: Path) -> None:
    result = _invoke("rubric", "-o", tmp_path / "rubric.yaml")
    assert result.exit_code == 0, result.output
    assert "创新性" in result.output and "示范推广性" in result.output
    assert load_rubric(tmp_path / "rubric.yaml") == Rubric.default()
    english = _invoke("rubric", "--lang", "en")
    assert "Transferability" in english.output and "创新性" not in english.output


def test_rubric_checks_an_edited_file(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text("- {key: innovation, label_zh: 创新性, weight: 0}\n", "utf-8")
    result = _invoke("rubric", "--rubric", path)
    assert result.exit_code == 2
    assert f"{path}, row 1, field 'weight'" in result.output.replace("\n", "")


def test_assign_writes_a_review_sheet_with_no_conflicts_and_reports_the_short(
    tmp_path: Path,
) -> None:
    entries = _csv(tmp_path / "entries.csv", ENTRIES, "gbk")
    panel = _xlsx(tmp_path / "panel.xlsx", PANEL)
    out = tmp_path / "assignments.xlsx"
    result = _invoke("assign", entries, panel, "--per-entry", "2", "-o", out)
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("案例编号", "标题", "评审专家", "专家姓名")
    pairs = [(r[0], r[2]) for r in rows[1:]]
    by_id = {e.id: e for e in read_entries(entries)}
    reviewers = {r.id: r for r in read_reviewers(panel)}
    assert all(conflict(reviewers[r], by_id[e]) is None for e, r in pairs)
    # A03: 李四 wrote it and 赵 works there, so only 王 is left
    assert [r for e, r in pairs if e == "A03"] == ["王教授"]
    assert "A03" in result.output and "评审专家为申报人" in result.output
    assert "7 assignments for 4 entries, 1 short" in result.output


def test_the_same_province_rule_is_an_option(tmp_path: Path) -> None:
    entries = _csv(tmp_path / "entries.csv", ENTRIES)
    panel = _csv(tmp_path / "panel.csv", PANEL)
    out = tmp_path / "assignments.csv"
    result = _invoke(
        "assign", entries, panel, "--same-province", "-o", out, "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert {r["reviewer_id"] for r in rows if r["entry_id"] in ("A01", "A03")} <= {
        "王教授",
        "李四",
    }
    assert "same province" in result.output


REVIEWS = [
    [
        "案例编号",
        "评审专家",
        "创新性",
        "可操作性",
        "可持续性",
        "成效与价值",
        "示范推广性",
        "评语",
    ],
    ["A01", "王", "９", 9, 9, 9, 9, "很好"],
    ["A02", "王", 7, 7, 7, 7, 7, ""],
    ["A03", "王", 5, 5, 5, 5, 5, ""],
    ["A01", "李", 6, 6, 6, 6, 6, ""],
    ["A02", "李", 4, 4, 4, 4, 4, ""],
    ["A04", "李", 3, 3, 3, 3, 3, ""],
]


def test_rank_writes_standings_with_shortlist_and_awards(tmp_path: Path) -> None:
    reviews = _csv(tmp_path / "reviews.csv", REVIEWS, "gbk")
    entries = _csv(
        tmp_path / "entries.csv", [*ENTRIES, ["A05", "无人评审", "某馆", "", ""]]
    )
    out = tmp_path / "standings.xlsx"
    result = _invoke(
        "rank", reviews, "--entries", entries, "--required-reviews", "2",
        "--shortlist", "2", "--awards", "一等奖=1，二等奖=1", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "一等奖" in result.output and "2 shortlisted, 2 awarded" in result.output
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    table = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    # A03 is 王's lowest by two sds, A04 李's lowest by less than one: after
    # removing each reviewer's leniency A04 comes out ahead.
    assert [(r["案例编号"], r["名次"], r["奖项"]) for r in table] == [
        ("A01", 1, "一等奖"),
        ("A02", 2, "二等奖"),
        ("A04", 3, None),
        ("A03", 4, None),
        ("A05", "—", None),  # no one reviewed it: no rank, not a tie for fifth
    ]
    assert [r["入围"] for r in table] == ["是", "是", None, None, None]
    assert table[4]["提示"] == "评审数不足" and table[4]["标题"] == "无人评审"


def test_rank_to_json_in_english_and_with_a_shortlist_share(tmp_path: Path) -> None:
    reviews = _csv(tmp_path / "reviews.csv", REVIEWS)
    out = tmp_path / "standings.json"
    result = _invoke(
        "rank", reviews, "--normalise", "none", "--shortlist-share", "0.5",
        "--awards", "first=1", "--lang", "en", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text("utf-8"))
    assert [(r["entry_id"], r["raw"], r["shortlisted"]) for r in records] == [
        ("A01", 7.5, True),
        ("A02", 5.5, True),
        ("A03", 5.0, False),
        ("A04", 3.0, False),
    ]
    assert records[0]["award"] == "first"
    assert "First" in result.output


def test_a_bad_score_stops_with_file_row_and_column_and_writes_nothing(
    tmp_path: Path,
) -> None:
    rows = [*REVIEWS[:3], ["A03", "王", 5, 5, "十一", 5, 5, ""]]
    reviews = _csv(tmp_path / "reviews.csv", rows, "gbk")
    out = tmp_path / "standings.csv"
    result = _invoke("rank", reviews, "-o", out)
    assert result.exit_code == 2
    assert f"{reviews}, row 4, field '可持续性'" in result.output.replace("\n", "")
    assert not out.exists()


def test_conflicting_options_are_refused(tmp_path: Path) -> None:
    reviews = _csv(tmp_path / "reviews.csv", REVIEWS)
    both = _invoke("rank", reviews, "--shortlist", "2", "--shortlist-share", "0.2")
    assert both.exit_code == 2 and "not both" in both.output
    method = _invoke("rank", reviews, "--normalise", "median")
    assert method.exit_code == 2 and "zscore, rank, none" in method.output
    tiers = _invoke("rank", reviews, "--awards", "特等奖=1")
    assert tiers.exit_code == 2 and "unknown award tier" in tiers.output


def test_assign_then_score_then_rank(tmp_path: Path) -> None:
    entries = _csv(tmp_path / "entries.csv", ENTRIES)
    panel = _csv(tmp_path / "panel.csv", PANEL)
    sheet = tmp_path / "review-form.csv"
    assert _invoke("assign", entries, panel, "-o", sheet).exit_code == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig"))))
    for number, row in enumerate(rows[1:]):
        row[4:9] = [str(4 + number % 6)] * 5
    _csv(sheet, rows, "gbk")
    result = _invoke("rank", sheet, "--entries", entries, "-o", tmp_path / "s.jsonl")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "s.jsonl").read_text("utf-8").splitlines()
    assert sorted(json.loads(x)["entry_id"] for x in lines) == [
        "A01",
        "A02",
        "A03",
        "A04",
    ]


def test_an_unknown_language_is_refused() -> None:
    result = _invoke("rubric", "--lang", "fr")
    assert result.exit_code == 2 and "zh or en" in result.output
