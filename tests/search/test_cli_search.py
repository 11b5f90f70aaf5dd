from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from libinnov.cli import app


def _gbk_csv(tmp_path: Path) -> Path:
    path = tmp_path / "cases.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["案例名称", "图书馆", "案例简介"])
        writer.writerow(["古籍修复进校园", "苏州图书馆", "组织学生体验古籍修复。"])
        writer.writerow(["城市书房夜读", "温州市图书馆", "城市书房延长开放时间。"])
        writer.writerow(["閱讀推廣月", "高雄市立圖書館", "舉辦閱讀活動。"])
    return path


def test_search_prints_ranked_hits_as_json(tmp_path: Path) -> None:
    path = _gbk_csv(tmp_path)
    result = CliRunner().invoke(app, ["search", str(path), "阅读", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["total"] == 1
    assert data["results"][0]["title"] == "閱讀推廣月"


def test_search_table_lists_matches_only(tmp_path: Path) -> None:
    path = _gbk_csv(tmp_path)
    result = CliRunner().invoke(app, ["search", str(path), "古籍"])
    assert result.exit_code == 0, result.output
    assert "1 cases match" in result.output
    assert "城市书房夜读" not in result.output


def test_search_of_a_missing_file_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["search", "nope.jsonl", "古籍"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
