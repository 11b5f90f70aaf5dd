"""Writing a report: HTML (self-contained), PDF, XLSX, figures and summary.json.

Each writer takes the same :class:`~libinnov.reports.model.Report` and writes to a
file object, so the web layer can stream the same bytes the CLI writes to disk.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from libinnov.analysis import Analysis
from libinnov.assets import china_map_js, echarts_js
from libinnov.codebook.io import atomic_write_bytes
from libinnov.reports.model import Report, build_report
from libinnov.reports.templating import environment


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def html_report(report: Report, handle: BinaryIO) -> None:
    charts = [dataclasses.asdict(c) for s in report.sections for c in s.charts]
    data = {"charts": charts, "cases": report.cases}
    page = (
        environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            echarts=echarts_js(),
            china=china_map_js(),
            data=_script_json(data),
        )
    )
    handle.write(page.encode("utf-8"))


def xlsx_report(analysis: Analysis, report: Report, handle: BinaryIO) -> None:
    """One sheet per table, plus the case list."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for section in report.sections:
        for table in section.tables:
            name = _sheet_name(table.title, used)
            sheet = workbook.create_sheet(name)
            sheet.append(table.header)
            for row in table.rows:
                sheet.append([str(x) if isinstance(x, list) else x for x in row])
                for column, cell in enumerate(sheet[sheet.max_row]):
                    if table.format_of(column):
                        cell.number_format = table.format_of(column)
            if table.note:
                sheet.append([])
                sheet.append([table.note])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    sheet = workbook.create_sheet(_sheet_name(report.headings["appendix"], used))
    sheet.append(list(report.cases[0]) if report.cases else [])
    for case in report.cases:
        sheet.append(list(case.values()))
    sheet = workbook.create_sheet(_sheet_name(report.headings["findings"], used))
    for sentence in analysis.findings:
        sheet.append([sentence])
    workbook.save(handle)


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def write_report(
    analysis: Analysis,
    directory: str | Path,
    *,
    formats: tuple[str, ...] = ("html", "pdf", "xlsx", "figures", "json"),
    progress: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Write every output into ``directory``; returns what was written where."""
    step = progress or (lambda _name: None)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    report = build_report(analysis)
    written: dict[str, Path] = {}
    if "json" in formats:
        step("summary.json")
        path = directory / "summary.json"
        text = json.dumps(analysis.summary(), ensure_ascii=False, indent=2)
        atomic_write_bytes(path, text.encode("utf-8"))
        written["json"] = path
    if "html" in formats:
        step("report.html")
        written["html"] = _write(
            directory / "report.html", lambda h: html_report(report, h)
        )
    if "xlsx" in formats:
        step("tables.xlsx")
        written["xlsx"] = _write(
            directory / "tables.xlsx", lambda h: xlsx_report(analysis, report, h)
        )
    figures: dict[str, Path] = {}
    if "figures" in formats or "pdf" in formats:
        step("figures")
        from libinnov.reports.figures import draw_figures

        figures = draw_figures(analysis, report, directory / "figures")
        written["figures"] = directory / "figures"
    if "pdf" in formats:
        step("report.pdf")
        from libinnov.reports.pdf import pdf_report

        written["pdf"] = _write(
            directory / "report.pdf", lambda h: pdf_report(analysis, report, figures, h)
        )
    return written


def _write(path: Path, writer: Callable[[BinaryIO], None]) -> Path:
    buffer = io.BytesIO()
    writer(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return path


REPORT_TYPES = {
    "html": ("report.html", "text/html; charset=utf-8"),
    "pdf": ("report.pdf", "application/pdf"),
    "xlsx": (
        "tables.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def report_bytes(analysis: Analysis, fmt: str) -> bytes:
    """One report file as bytes (for downloads); ``fmt`` is html, pdf or xlsx."""
    import tempfile

    if fmt not in REPORT_TYPES:
        raise ValueError(f"unknown report format '{fmt}'")
    with tempfile.TemporaryDirectory(prefix="libinnov-report-") as directory:
        written = write_report(analysis, directory, formats=(fmt,))
        return written[fmt].read_bytes()
