"""An English report names provinces in English; the map keeps its Chinese keys."""

from __future__ import annotations

import re

from libinnov.analysis import analyze
from libinnov.cases import Case
from libinnov.codebook import Codebook
from libinnov.reports.model import Chart, Report, build_report

CJK = re.compile(r"[\u4e00-\u9fff]")


def _map(report: Report) -> Chart:
    charts = [c for s in report.sections for c in s.charts]
    return next(c for c in charts if c.id == "chart-province")


def test_an_english_report_names_provinces_in_english(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    report = build_report(analyze(sample_cases, codebook, lang="en"))
    shown = {c["province"] for c in report.cases if c["province"]}
    assert {"Jiangsu", "Inner Mongolia", "Hong Kong"} <= shown
    assert not [p for p in shown if CJK.search(p)]
    chart = _map(report)
    assert "江苏省" in chart.labels  # the map's geometry is keyed by these
    assert chart.extra["names"]["江苏省"] == "Jiangsu"
    assert chart.extra["names"]["广西壮族自治区"] == "Guangxi"


def test_a_chinese_report_keeps_the_chinese_names(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    report = build_report(analyze(sample_cases, codebook))
    assert "江苏" in {c["province"] for c in report.cases}
    assert _map(report).extra["names"] == {}
