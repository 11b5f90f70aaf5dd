"""Reviews, reviewers and entries read from real files; standings written and read back."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from libinnov.campaigns import (
    Assignment,
    Entry,
    Review,
    Reviewer,
    Rubric,
    award,
    parse_tiers,
    rank_entries,
    read_entries,
    read_reviewers,
    read_reviews,
    shortlist,
    write_assignments,
    write_standings,
)
from libinnov.exceptions import CampaignError, UnreadableFile

HEADER = [
    "案例编号",
    "标题",
    "评审专家",
    "创新性",
    "可操作性",
    "可持续性",
    "成效与价值",
    "示范推广性",
    "评语",
]
ROWS: list[list[Any]] = [
    ["A01", "城市书房", "王教授", 9, 8, "７", 8, 9, "创新突出"],
    ["A01", "城市书房", "李研究馆员", "８.５", 7, 7, 8, 8, ""],
    ["A02", "古籍修复", "王教授", 6, 7, 6, 5, 6, "成效一般"],
    ["A02", "古籍修复", "李研究馆员", 7, 6, 7, 6, "６", ""],
    ["A03", "阅读推广", "王教授", "", "", "", "", "", ""],  # assigned, not yet scored
]
EXPECTED = [
    Review(
        "A01",
        "王教授",
        {
            "innovation": 9.0,
            "feasibility": 8.0,
            "sustainability": 7.0,
            "results": 8.0,
            "transferability": 9.0,
        },
        "创新突出",
    ),
    Review(
        "A01",
        "李研究馆员",
        {
            "innovation": 8.5,
            "feasibility": 7.0,
            "sustainability": 7.0,
            "results": 8.0,
            "transferability": 8.0,
        },
        "",
    ),
    Review(
        "A02",
        "王教授",
        {
            "innovation": 6.0,
            "feasibility": 7.0,
            "sustainability": 6.0,
            "results": 5.0,
            "transferability": 6.0,
        },
        "成效一般",
    ),
    Review(
        "A02",
        "李研究馆员",
        {
            "innovation": 7.0,
            "feasibility": 6.0,
            "sustainability": 7.0,
            "results": 6.0,
            "transferability": 6.0,
        },
        "",
    ),
]


def _csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[Any]], sheet: str = "评分表") -> Path:
    workbook = Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["请在“评分表”中打分"])
    scores = workbook.create_sheet(sheet)
    for row in rows:
        scores.append(row)
    workbook.save(path)
    return path


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
    )
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_reviews_with_chinese_headers_read_in_any_office_encoding(
    tmp_path: Path, rubric: Rubric, encoding: str
) -> None:
    path = _csv(tmp_path / "reviews.csv", [HEADER, *ROWS], encoding)
    assert read_reviews(path, rubric) == EXPECTED


def test_xlsx_reviews_read_from_the_scores_sheet(
    tmp_path: Path, rubric: Rubric
) -> None:
    path = _xlsx(tmp_path / "reviews.xlsx", [HEADER, *ROWS])
    assert read_reviews(path, rubric) == EXPECTED


def test_excel_numbers_as_ids_read_as_the_digits(
    tmp_path: Path, rubric: Rubric
) -> None:
    header = [
        "编号",
        "专家",
        "innovation",
        "Feasibility",
        "可持续性",
        "results",
        "示范推广性",
    ]
    path = _xlsx(tmp_path / "reviews.xlsx", [header, [1001, 7, 8, 8, 8, 8, 8]])
    (only,) = read_reviews(path, rubric)
    assert (only.entry_id, only.reviewer_id) == ("1001", "7")


def test_jsonl_reviews_read_flat_or_with_nested_scores(
    tmp_path: Path, rubric: Rubric
) -> None:
    records = [
        {
            "entry": e.entry_id,
            "reviewer": e.reviewer_id,
            "scores": dict(e.scores),
            "comment": e.comment,
        }
        for e in EXPECTED[:2]
    ]
    records += [
        {
            "entry": e.entry_id,
            "reviewer": e.reviewer_id,
            **{k: str(v) for k, v in e.scores.items()},
            "comment": e.comment,
        }
        for e in EXPECTED[2:]
    ]
    assert read_reviews(_jsonl(tmp_path / "reviews.jsonl", records), rubric) == EXPECTED


def _bad_score_gbk(tmp: Path) -> Path:
    rows = [HEADER, *ROWS[:2], ["A02", "古籍修复", "王教授", 11, 7, 6, 5, 6, ""]]
    return _csv(tmp / "reviews.csv", rows, "gbk")


def _not_a_number(tmp: Path) -> Path:
    rows = [HEADER, ROWS[0], ["A02", "", "王教授", 6, "优", 6, 5, 6, ""]]
    return _xlsx(tmp / "reviews.xlsx", rows)


def _half_scored(tmp: Path) -> Path:
    rows = [HEADER, ROWS[0], ROWS[1], ["A02", "", "王教授", 6, 7, "", 5, 6, ""]]
    return _csv(tmp / "reviews.csv", rows)


def _no_reviewer(tmp: Path) -> Path:
    return _csv(tmp / "reviews.csv", [HEADER, ["A02", "", "", 6, 7, 6, 5, 6, ""]])


def _twice(tmp: Path) -> Path:
    return _csv(
        tmp / "reviews.csv",
        [HEADER, *ROWS[:4], ["Ａ０１", "", "王教授", 5, 5, 5, 5, 5, ""]],
    )


def _no_criterion_column(tmp: Path) -> Path:
    header = [h for h in HEADER if h != "可持续性"]
    return _csv(tmp / "reviews.csv", [header, ["A01", "", "王教授", 9, 8, 8, 9, ""]])


def _no_entry_column(tmp: Path) -> Path:
    return _csv(tmp / "reviews.csv", [HEADER[1:], ROWS[0][1:]])


def _two_innovation_columns(tmp: Path) -> Path:
    header = [*HEADER, "innovation"]
    return _csv(tmp / "reviews.csv", [header, [*ROWS[0], 5]])


def _jsonl_bad_line(tmp: Path) -> Path:
    good = {
        "entry": "A01",
        "reviewer": "王",
        "scores": {
            "创新性": 8,
            "可操作性": 8,
            "可持续性": 8,
            "成效与价值": 8,
            "示范推广性": 8,
        },
    }
    bad = {**good, "reviewer": "李", "scores": {**good["scores"], "美观性": 3}}
    return _jsonl(tmp / "reviews.jsonl", [good, good | {"reviewer": "赵"}, bad])


def _nothing_scored(tmp: Path) -> Path:
    return _csv(tmp / "reviews.csv", [HEADER, ROWS[4]])


@pytest.mark.parametrize(
    ("make", "row", "line", "field", "message"),
    [
        (_bad_score_gbk, 4, None, "创新性", "11 is outside 1-10"),
        (_not_a_number, 3, None, "可操作性", "'优' is not a number"),
        (_half_scored, 4, None, "可持续性", "no score for 可持续性"),
        (_no_reviewer, 2, None, "评审专家", "no reviewer id"),
        (_twice, 6, None, "评审专家", "'王教授' already scored 'A01' in row 2"),
        (_no_criterion_column, 1, None, "sustainability", "no column for 可持续性"),
        (_no_entry_column, 1, None, None, "no entry column"),
        (_two_innovation_columns, 1, None, "innovation", "both give innovation"),
        (_jsonl_bad_line, None, 3, "美观性", "unknown criterion '美观性'"),
        (_nothing_scored, None, None, None, "no scored reviews"),
    ],
)
def test_a_bad_review_file_names_the_file_row_and_column(
    tmp_path: Path,
    rubric: Rubric,
    make: Any,
    row: int | None,
    line: int | None,
    field: str | None,
    message: str,
) -> None:
    path = make(tmp_path)
    with pytest.raises(CampaignError) as caught:
        read_reviews(path, rubric)
    error = caught.value
    assert (error.file, error.row, error.line, error.field) == (
        str(path),
        row,
        line,
        field,
    )
    assert message in error.message


def test_an_unknown_file_type_is_unreadable(tmp_path: Path, rubric: Rubric) -> None:
    path = tmp_path / "reviews.docx"
    path.write_bytes(b"PK")
    with pytest.raises(UnreadableFile, match="unknown file type"):
        read_reviews(path, rubric)


def test_reviewers_read_with_declared_conflicts_and_names_as_ids(
    tmp_path: Path,
) -> None:
    rows = [
        ["姓名", "工作单位", "省份", "回避案例"],
        ["王教授", "武汉大学信息管理学院", "湖北省", "A01；A02、Ａ０３"],
        ["李研究馆员", "浙江图书馆", "浙江", ""],
    ]
    wang, li = read_reviewers(_csv(tmp_path / "panel.csv", rows, "gbk"))
    assert wang == Reviewer(
        id="王教授",
        name="王教授",
        institution="武汉大学信息管理学院",
        province="湖北省",
        declared=frozenset({"A01", "A02", "A03"}),
    )
    assert (li.id, li.declared) == ("李研究馆员", frozenset())


def test_reviewers_with_an_id_column_keep_it(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["id", "name", "institution"], [17, "Wang", "WHU"]]
    path = _xlsx(tmp_path / "panel.xlsx", rows, sheet="Reviewers")
    assert read_reviewers(path)[0].id == "17"


@pytest.mark.parametrize(
    ("rows", "row", "field", "message"),
    [
        (
            [["姓名", "单位"], ["王", "甲"], ["王", "乙"]],
            3,
            "姓名",
            "'王' appears twice",
        ),
        ([["编号", "姓名"], ["", ""]], None, None, "lists no reviewers"),
        (
            [["编号", "姓名", "单位"], ["r1", "王", ""], ["", "", "乙大学"]],
            3,
            "编号",
            "no reviewer id or name",
        ),
        ([["单位", "省份"], ["甲", "湖北"]], 1, None, "no id or name column"),
    ],
)
def test_a_bad_reviewer_list_names_the_row(
    tmp_path: Path,
    rows: list[list[Any]],
    row: int | None,
    field: str | None,
    message: str,
) -> None:
    with pytest.raises(CampaignError) as caught:
        read_reviewers(_csv(tmp_path / "panel.csv", rows))
    assert (caught.value.row, caught.value.field) == (row, field)
    assert message in caught.value.message


def test_entries_come_from_a_case_file_with_authors(tmp_path: Path) -> None:
    rows = [
        ["编号", "标题", "申报单位", "省份", "作者"],
        ["A01", "城市书房", "温州市图书馆", "浙江省", "张三；李四"],
        ["A02", "古籍修复", "武漢大學圖書館", "", ""],
    ]
    first, second = read_entries(_csv(tmp_path / "entries.csv", rows, "gbk"))
    assert first == Entry("A01", "城市书房", "温州市图书馆", "浙江", ("张三", "李四"))
    assert (second.library, second.province, second.authors) == (
        "武漢大學圖書館",
        "",
        (),
    )


def _ranked(rubric: Rubric) -> tuple[list[Any], dict[str, str], list[Any]]:
    standings = rank_entries(EXPECTED, rubric, entries=["A01", "A02", "A03"])
    chosen = shortlist(standings, size=1)
    return standings, award(chosen, parse_tiers("一等奖=1")), chosen


def test_standings_written_to_xlsx_read_back_with_chinese_headings(
    tmp_path: Path, rubric: Rubric
) -> None:
    standings, awards, chosen = _ranked(rubric)
    path = tmp_path / "standings.xlsx"
    entries = [Entry("A01", "城市书房", "温州市图书馆"), Entry("A02", "古籍修复")]
    write_standings(
        standings,
        path,
        awards=awards,
        shortlisted=chosen,
        rubric=rubric,
        entries=entries,
    )
    sheet = load_workbook(path).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:8] == [
        "名次",
        "案例编号",
        "标题",
        "单位",
        "得分",
        "原始得分",
        "评审数",
        "分歧（标准差）",
    ]
    assert rows[0][8:] == [
        "创新性",
        "可操作性",
        "可持续性",
        "成效与价值",
        "示范推广性",
        "入围",
        "奖项",
        "提示",
    ]
    assert rows[1][:4] == [1, "A01", "城市书房", "温州市图书馆"]
    assert rows[1][-3:] == ["是", "一等奖", None]
    assert rows[3][:2] == ["—", "A03"] and rows[3][4] is None  # unreviewed: no rank
    assert rows[3][-1] == "评审数不足"


def test_standings_as_csv_open_in_excel_and_as_json_for_programs(
    tmp_path: Path, rubric: Rubric
) -> None:
    standings, awards, chosen = _ranked(rubric)
    write_standings(
        standings,
        tmp_path / "s.csv",
        awards=awards,
        shortlisted=chosen,
        rubric=rubric,
        lang="en",
    )
    data = (tmp_path / "s.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header, first, *_, last = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[:3] == ["rank", "entry_id", "score"]
    assert first[header.index("award")] == "First prize"
    assert last[:3] == ["—", "A03", ""]
    write_standings(
        standings,
        tmp_path / "s.json",
        awards=awards,
        shortlisted=[s.entry_id for s in chosen],
    )
    records = json.loads((tmp_path / "s.json").read_text("utf-8"))
    assert [
        (r["entry_id"], r["rank"], r["award"], r["shortlisted"]) for r in records
    ] == [
        ("A01", 1, "first", True),
        ("A02", 2, None, False),
        ("A03", None, None, False),
    ]
    assert records[0]["score"] == pytest.approx(standings[0].score, abs=1e-6)
    assert records[2]["score"] is None and records[2]["flags"] == ["too_few_reviews"]
    write_standings(standings, tmp_path / "s.jsonl")
    lines = (tmp_path / "s.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(x)["entry_id"] for x in lines] == ["A01", "A02", "A03"]


def test_standings_to_an_unknown_type_write_nothing(
    tmp_path: Path, rubric: Rubric
) -> None:
    standings, _awards, _chosen = _ranked(rubric)
    with pytest.raises(UnreadableFile, match="cannot write"):
        write_standings(standings, tmp_path / "s.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_assignment_sheet_filled_in_reads_back_as_reviews(
    tmp_path: Path, rubric: Rubric, suffix: str
) -> None:
    assignment = Assignment(
        reviewers={"A01": ["r1", "r2"], "A02": ["r2"]}, short={}, load={}
    )
    path = tmp_path / f"assignments{suffix}"
    write_assignments(
        assignment,
        path,
        entries=[Entry("A01", "城市书房")],
        reviewers=[Reviewer("r1", "王教授")],
        rubric=rubric,
    )
    # the reviewers fill in two of the three rows
    if suffix == ".xlsx":
        workbook = load_workbook(path)
        sheet = workbook.active
        assert [c.value for c in sheet[1]] == [
            "案例编号",
            "标题",
            "评审专家",
            "专家姓名",
            "创新性",
            "可操作性",
            "可持续性",
            "成效与价值",
            "示范推广性",
            "评语",
        ]
        for row in (2, 4):
            for column in range(5, 10):
                sheet.cell(row=row, column=column, value=(row + column) % 10 + 1)
        workbook.save(path)
    else:
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
        rows[1][4:9] = ["7"] * 5
        rows[3][4:9] = ["９"] * 5
        _csv(path, rows, "gbk")
    reviews = read_reviews(path, rubric)
    assert [(r.entry_id, r.reviewer_id) for r in reviews] == [
        ("A01", "r1"),
        ("A02", "r2"),
    ]
    assert not math.isnan(rubric.total(reviews[0].scores))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "where", "message"),
    [
        ("r.csv", b"", {}, "the file is empty"),
        ("r.csv", "评审专家,评审专家\nA,B\n".encode(), {"row": 1}, "appears twice"),
        ("r.csv", b",\n1,2\n", {"row": 1}, "no header row"),
        ("r.csv", b"a,b\n1,2,3\n", {"row": 2}, "3 cells but the header has 2"),
        ("r.xlsx", b"not a zip", {}, "not a readable .xlsx"),
        ("r.json", b"[1, 2", {"line": 1}, "bad JSON"),
        ("r.json", b'{"reviews": []}', {}, "a list of objects"),
        (
            "r.json",
            b'[{"entry": "A"}, 5]',
            {"row": 2},
            "each item must be a JSON object",
        ),
        ("r.json", b"\xff\xfe[", {}, "JSON must be UTF-8"),
        ("r.jsonl", b'{"entry": "A"}\n[1]\n', {"line": 2}, "must be a JSON object"),
    ],
)
def test_a_file_that_is_no_table_is_unreadable_with_where(
    tmp_path: Path,
    rubric: Rubric,
    name: str,
    data: bytes,
    where: dict[str, int],
    message: str,
) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(UnreadableFile) as caught:
        read_reviews(path, rubric)
    assert caught.value.file == str(path)
    assert (caught.value.row, caught.value.line) == (
        where.get("row"),
        where.get("line"),
    )
    assert message in caught.value.message


def test_an_empty_workbook_or_a_missing_file_is_unreadable(
    tmp_path: Path, rubric: Rubric
) -> None:
    Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(UnreadableFile, match="the workbook is empty"):
        read_reviews(tmp_path / "empty.xlsx", rubric)
    with pytest.raises(UnreadableFile, match="no such file"):
        read_reviews(tmp_path / "missing.csv", rubric)


def test_json_list_reviews_read_like_jsonl(tmp_path: Path, rubric: Rubric) -> None:
    records = [
        {
            "entry": r.entry_id,
            "reviewer": r.reviewer_id,
            "scores": dict(r.scores),
            "comment": r.comment,
        }
        for r in EXPECTED
    ]
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    assert read_reviews(path, rubric) == EXPECTED


def test_entry_ids_that_differ_only_in_width_are_one_id(tmp_path: Path) -> None:
    rows = [["编号", "标题"], ["A01", "城市书房"], ["Ａ０１", "古籍修复"]]
    with pytest.raises(
        CampaignError, match="'A01' and 'Ａ０１' are the same id"
    ) as caught:
        read_entries(_csv(tmp_path / "entries.csv", rows))
    assert caught.value.field == "id"


def test_jsonl_records_need_not_share_keys(tmp_path: Path, rubric: Rubric) -> None:
    flat = {"entry": "A01", "reviewer": "王", **dict.fromkeys(rubric.keys, 8)}
    nested = {
        "entry": "A02",
        "reviewer": "王",
        "scores": dict.fromkeys(
            ["创新性", "可操作性", "可持续性", "成效与价值", "示范推广性"], 6
        ),
    }
    reviews = read_reviews(_jsonl(tmp_path / "r.jsonl", [flat, nested]), rubric)
    assert [rubric.total(r.scores) for r in reviews] == [8.0, 6.0]
