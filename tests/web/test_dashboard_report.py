"""'Download this as a report' from the dashboard, on both databases."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def test_the_dashboard_offers_the_report_of_its_filter(sample_db: int) -> None:
    page = Client().get("/dashboard/", {"region": "east"}).content.decode()
    assert "/dashboard/report.pdf?region=east" in page
    assert "/dashboard/report.xlsx?region=east" in page


def test_the_html_report_covers_the_filtered_cases(sample_db: int) -> None:
    response = Client().get("/dashboard/report.html", {"region": "east"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report.html"'
    html = response.content.decode()
    assert "地区分布" in html and 'registerMap("china"' in html
    assert "共分析 64 个案例" in html


def test_the_xlsx_report_has_its_tables(sample_db: int) -> None:
    response = Client().get("/dashboard/report.xlsx", {"library_type": "academic"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "地区分布" in workbook.sheetnames


def test_an_empty_filter_result_is_a_clear_400(sample_db: int) -> None:
    response = Client().get("/dashboard/report.html", {"q": "不存在的词语组合"})
    assert response.status_code == 400
    assert response.content.decode() == "案例集为空，没有可分析的内容"


def test_the_dashboard_shows_findings_and_tests_from_the_core(sample_db: int) -> None:
    data = Client().get("/dashboard/", {"format": "json"}).json()
    assert data["n_cases"] == sample_db
    assert data["findings"] and data["findings"][0].startswith("共分析")
    assert {t["rows"] for t in data["tests"]} >= {"library_type", "region"}
