from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from libinnov.analysis import analyze
from libinnov.cases import Case
from libinnov.cli import app
from libinnov.codebook import Codebook
from libinnov.reports import write_report

TITLES = (
    "概况",
    "地区分布",
    "图书馆类型",
    "创新类型",
    "服务聚焦点",
    "创新策略",
    "关联分析",
    "关键词",
    "主要发现",
    "附录",
)


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, sample_cases: list[Case],
               codebook: Codebook) -> Path:  # fmt: skip
    out = tmp_path_factory.mktemp("report")
    write_report(analyze(sample_cases, codebook), out)
    return out


def test_every_output_of_the_contract_is_written(report_dir: Path) -> None:
    for name in ("report.html", "report.pdf", "tables.xlsx", "summary.json"):
        assert (report_dir / name).stat().st_size > 1000
    assert (report_dir / "figures" / "province.png").exists()
    summary = json.loads((report_dir / "summary.json").read_text("utf-8"))
    assert {"n_cases", "dimensions", "crosstabs", "tests", "findings"} <= set(summary)


def test_the_html_is_self_contained(report_dir: Path) -> None:
    html = (report_dir / "report.html").read_text("utf-8")
    assert "<script src=" not in html and "http://" not in html.split("<script>")[0]
    assert 'registerMap("china"' in html
    for title in TITLES:
        assert title in html


def test_the_pdf_has_the_chinese_section_titles(report_dir: Path) -> None:
    assert shutil.which("pdftotext")
    text = subprocess.run(["pdftotext", str(report_dir / "report.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    for title in TITLES:
        assert title in text


def test_the_workbook_has_one_sheet_per_table(report_dir: Path) -> None:
    workbook = load_workbook(report_dir / "tables.xlsx", read_only=True)
    names = workbook.sheetnames
    assert "地区分布" in names and any("图书馆类型" in n for n in names)
    assert len(names) >= 10


@pytest.mark.browser
def test_every_chart_renders_offline_in_chromium(
    report_dir: Path,
    offline_page,
    artifacts_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    page = offline_page
    page.goto((report_dir / "report.html").as_uri())
    page.wait_for_function("window.libinnovCharts !== undefined")
    ids = page.evaluate("Object.keys(window.libinnovCharts)")
    assert "chart-province" in ids and len(ids) >= 8
    for chart_id in ids:
        series = page.evaluate(
            f"window.libinnovCharts['{chart_id}'].getOption().series[0].data.length"
        )
        assert series > 0, chart_id
        painted = page.evaluate(
            """(id) => { const c = document.querySelector('#' + id + ' canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n; }""",
            chart_id,
        )
        assert painted > 1000, chart_id
    page.click("#table-region tbody tr:first-child td[data-ids]")
    assert page.locator("#drill-list li").count() == 64
    page.screenshot(path=str(artifacts_dir / "report.png"), full_page=False)
    assert page.blocked == []


def test_analyze_codes_uncoded_cases_and_writes_english(tmp_path: Path) -> None:
    source = tmp_path / "cases.csv"
    source.write_text(
        "标题,图书馆,案例简介\n"
        "城市书房,温州市图书馆,我馆建设24小时城市书房，开展阅读推广活动。\n"
        "古籍修复,复旦大学图书馆,修复馆藏古籍善本，举办古籍展览。\n"
        "视障服务,上海图书馆,为视障读者提供有声读物和无障碍阅读服务。\n",
        encoding="gbk",
    )
    result = CliRunner().invoke(app, ["analyze", str(source), "-o", str(tmp_path / "out"),
                                      "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))
    assert summary["n_cases"] == 3
    assert sum(summary["dimensions"]["focus"]["counts"].values()) >= 3
    assert summary["dimensions"]["region"]["counts"]["east"] == 3
    assert "Regions" in (tmp_path / "out" / "report.html").read_text("utf-8")


def test_a_single_case_gives_a_valid_report_that_says_why_tests_were_not_run(
    tmp_path: Path, sample_cases: list[Case], codebook: Codebook
) -> None:
    written = write_report(analyze(sample_cases[:1], codebook), tmp_path,
                           formats=("html", "xlsx", "json"))  # fmt: skip
    html = written["html"].read_text("utf-8")
    assert "未检验：只有一个类别" in html
    summary = json.loads(written["json"].read_text("utf-8"))
    assert summary["n_cases"] == 1
    assert all(t["test"] == "none" for t in summary["tests"])


def test_findings_fold_under_their_bullet_on_a_narrow_terminal() -> None:
    from rich.console import Console

    from libinnov.commands.reports import _bullets

    findings = ["服务聚焦点主要集中在阅读推广（73）、社会教育与社区服务（54）、空间服务（33）。",
                "Public libraries lead with 75 cases (48.7%), 1.2 times the academic ones."]  # fmt: skip
    console = Console(width=30, record=True, file=io.StringIO())
    console.print(_bullets(findings))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert "•" not in lines  # no bullet left alone on its line
    assert sum(line.startswith("• ") for line in lines) == 2
    assert all(line.startswith(("• ", "  ")) for line in lines)
    body = "".join(line[2:] for line in lines)
    assert findings[0] in body


def test_a_chinese_report_names_its_columns_and_notes_in_chinese(
    report_dir: Path,
) -> None:
    html = (report_dir / "report.html").read_text("utf-8")
    for text in ("活跃度", "创新能力指数", "平均服务聚焦点数", "综合型占比",
                 "检验：", "调整残差", "多选维度", "各服务聚焦点的特征词"):  # fmt: skip
        assert text in html, text
    for english in ("focus_per_case", "adjusted residual", "multiple response",
                    "expected counts", "mean of the parts"):  # fmt: skip
        assert english not in html, english


def test_the_workbook_keeps_numbers_and_the_page_shows_them_rounded(
    report_dir: Path, sample_cases: list[Case]
) -> None:
    workbook = load_workbook(report_dir / "tables.xlsx")
    region = workbook["地区分布"]
    assert region["A1"].value == "类别"
    east = next(row for row in region.iter_rows(min_row=2) if row[0].value == "东部")
    share = sum(c.codes.get("region") == "east" for c in sample_cases) / len(
        sample_cases
    )
    assert east[2].value == pytest.approx(share, abs=1e-4)
    assert east[2].number_format == "0.0%"
    html = (report_dir / "report.html").read_text("utf-8")
    assert f"{share * 100:.1f}%" in html
    capability = workbook[next(n for n in workbook.sheetnames if "活跃度" in n)]
    header = [c.value for c in capability[1]]
    assert header[:4] == ["类别", "案例数", "活跃度", "创新能力指数"]
    first = [c for c in capability[2]]
    assert isinstance(first[3].value, int | float) and first[3].number_format == "0.00"


def test_the_report_follows_types_and_focus_areas_year_by_year(
    report_dir: Path, sample_cases: list[Case]
) -> None:
    html = (report_dir / "report.html").read_text("utf-8")
    assert "年度趋势" in html and "各年案例数" in html
    assert (
        'id="table-trend-focus"' in html and 'id="table-trend-innovation_type"' in html
    )
    assert (report_dir / "figures" / "years.png").exists()
    sheet = load_workbook(report_dir / "tables.xlsx")["年份 × 服务聚焦点"]
    first_year = min(c.year for c in sample_cases if c.year)
    assert sheet["A2"].value == str(first_year)
