"""The same cases read from every format a library keeps them in, on real files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from libinnov.cases import Case, read_cases, write_cases
from libinnov.codebook import Codebook


def _zh_table(cases: list[Case], codebook: Codebook) -> list[list[object]]:
    """The sample as a Chinese office would type it: zh headers and zh labels."""
    dims = [d for d in codebook.dimensions if d.key not in ("library_type", "region")]
    header = [
        "编号",
        "标题",
        "图书馆",
        "图书馆类型",
        "省份",
        "地区",
        "年份",
        "案例简介",
    ]
    header += [d.label_zh for d in dims] + ["来源"]
    rows: list[list[object]] = [header]
    lt, rg = codebook.dimension("library_type"), codebook.dimension("region")
    for c in cases:
        row: list[object] = [
            c.id,
            c.title,
            c.library,
            lt.code(str(c.codes["library_type"])).label_zh,
            c.province,
            rg.code(str(c.codes["region"])).label_zh,
            c.year,
            c.summary,
        ]
        for d in dims:
            row.append("、".join(d.code(k).label_zh for k in c.codes_list(d.key)))
        row.append(c.extra.get("source_url", ""))
        rows.append(row)
    return rows


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_with_chinese_headers_and_labels_reads_back_identical(
    tmp_path: Path,
    sample_cases: list[Case],
    sample_records: list[dict[str, object]],
    codebook: Codebook,
    encoding: str,
) -> None:
    path = tmp_path / "cases.csv"
    with path.open("w", encoding=encoding, newline="", errors="strict") as handle:
        csv.writer(handle).writerows(_zh_table(sample_cases, codebook))
    if encoding == "gbk":
        assert path.read_bytes()[:2] != b"\xef\xbb"
    jsonl_path = tmp_path / "cases.jsonl"
    jsonl_path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample_records),
        encoding="utf-8",
    )
    jsonl = read_cases(jsonl_path)
    assert read_cases(path) == jsonl == sample_cases


def test_xlsx_with_chinese_headers_and_labels_reads_back_identical(
    tmp_path: Path, sample_cases: list[Case], codebook: Codebook
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in _zh_table(sample_cases, codebook):
        sheet.append(row)
    workbook.save(tmp_path / "cases.xlsx")
    assert read_cases(tmp_path / "cases.xlsx") == sample_cases


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_every_writer_round_trips_through_its_reader(
    tmp_path: Path, sample_cases: list[Case], suffix: str
) -> None:
    path = tmp_path / f"out{suffix}"
    assert write_cases(sample_cases, path) == len(sample_cases)
    assert read_cases(path) == sample_cases


def test_the_csv_writer_uses_a_bom_so_excel_reads_chinese(
    tmp_path: Path, sample_cases: list[Case]
) -> None:
    path = tmp_path / "out.csv"
    write_cases(sample_cases[:2], path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "；" in data.decode("utf-8-sig")


def test_a_tsv_file_is_read_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "cases.tsv"
    path.write_text("标题\t图书馆\t服务聚焦点\n城市书房\t温州市图书馆\t阅读推广,空间服务\n",
                    encoding="utf-8")  # fmt: skip
    (case,) = read_cases(path)
    assert case.codes["focus"] == ["reading", "space"]
    assert case.library == "温州市图书馆"


def test_a_json_list_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cases.json"
    path.write_text('[{"title": "古籍修复", "year": "2023年"}]', encoding="utf-8")
    (case,) = read_cases(path)
    assert (case.title, case.year) == ("古籍修复", 2023)
