"""``libinnov cases convert|validate`` end to end, including every kind of bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from libinnov.cases import Case, read_cases
from libinnov.cli import app

runner = CliRunner()


def _jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def test_convert_writes_enriched_cases_and_a_summary(tmp_path: Path) -> None:
    source = _jsonl(
        tmp_path / "in.jsonl",
        [
            {"title": "城市书房", "library": "温州市图书馆", "summary": "24小时开放"},
            {"title": "古籍修复", "library": "复旦大学图书馆", "province": "上海"},
            {"title": "社区阅读", "library": "朝阳区图书馆"},
        ],
    )
    out = tmp_path / "out.xlsx"
    result = runner.invoke(app, ["cases", "convert", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "cases read" in result.output and "needs review" in result.output
    first, second, third = read_cases(out)
    assert (first.province, first.codes["region"], first.codes["library_type"]) == (
        "浙江",
        "east",
        "public",
    )
    assert second.codes["library_type"] == "academic"
    assert third.province is None and "province" in third.needs_review


def test_validate_reads_everything_and_writes_nothing(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [{"title": "城市书房"}])
    result = runner.invoke(app, ["cases", "validate", str(source)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def _bad_json_line_7(tmp: Path) -> Path:
    lines = [json.dumps({"title": f"案例{i}"}, ensure_ascii=False) for i in range(6)]
    lines.append('{"title": "坏的" "summary": 1}')
    (tmp / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp / "bad.jsonl"


def _unknown_code_row_12(tmp: Path) -> Path:
    rows = ["标题,服务聚焦点"] + [f"案例{i},阅读推广" for i in range(10)] + ["坏,跳舞"]
    (tmp / "bad.csv").write_text("\n".join(rows) + "\n", encoding="gbk")
    return tmp / "bad.csv"


def _no_title_nor_summary(tmp: Path) -> Path:
    (tmp / "bad.csv").write_text(
        "标题,图书馆\n案例,温州市图书馆\n,宁波图书馆\n", "utf-8"
    )
    return tmp / "bad.csv"


def _undecodable(tmp: Path) -> Path:
    (tmp / "bad.csv").write_bytes(b"title\n" + bytes(range(0x80, 0x100)) * 4)
    return tmp / "bad.csv"


def _xlsx_without_header(tmp: Path) -> Path:
    workbook = Workbook()
    workbook.active.append([2023, 1, 2])
    workbook.active.append([2024, 3, 4])
    workbook.save(tmp / "bad.xlsx")
    return tmp / "bad.xlsx"


def _empty(tmp: Path) -> Path:
    (tmp / "bad.jsonl").write_bytes(b"")
    return tmp / "bad.jsonl"


def _duplicate_ids(tmp: Path) -> Path:
    return _jsonl(
        tmp / "bad.jsonl", [{"id": "A", "title": "x"}, {"id": "A", "title": "y"}]
    )


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], tuple[str, ...]]] = {
    "bad JSON on line 7": (_bad_json_line_7, ("bad.jsonl", "line 7", "bad JSON")),
    "unknown code in row 12": (
        _unknown_code_row_12,
        ("bad.csv", "row 12", "field 'focus'", "unknown code '跳舞'"),
    ),
    "neither title nor summary": (
        _no_title_nor_summary,
        ("bad.csv", "row 3", "field 'title'", "title or a summary"),
    ),
    "undecodable encoding": (_undecodable, ("bad.csv", "cannot decode")),
    "xlsx without header row": (
        _xlsx_without_header,
        ("bad.xlsx", "row 1", "no header row"),
    ),
    "empty file": (_empty, ("bad.jsonl", "no cases")),
    "duplicate ids": (
        _duplicate_ids,
        ("bad.jsonl", "line 2", "field 'id'", "duplicate id 'A'"),
    ),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_input_stops_with_a_clear_message_and_writes_nothing(
    tmp_path: Path, kind: str
) -> None:
    make, expected = BAD_INPUTS[kind]
    source = make(tmp_path)
    out = tmp_path / "out" / "cases.jsonl"
    result = runner.invoke(app, ["cases", "convert", str(source), "-o", str(out)])
    assert result.exit_code == 2, result.output
    message = " ".join(result.output.split())
    for part in expected:
        assert part in message
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_failing_convert_leaves_an_existing_output_untouched(
    tmp_path: Path, sample_cases: list[Case]
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    source = _duplicate_ids(tmp_path)
    result = runner.invoke(app, ["cases", "convert", str(source), "-o", str(out)])
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
