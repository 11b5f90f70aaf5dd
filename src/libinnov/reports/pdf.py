"""The PDF report: the same sections as the HTML, static figures, a CJK font."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from libinnov.analysis import Analysis
from libinnov.reports.model import Report
from libinnov.reports.templating import environment


def pdf_report(
    analysis: Analysis, report: Report, figures: dict[str, Path], handle: BinaryIO
) -> None:
    from weasyprint import HTML

    images = {key: path.resolve().as_uri() for key, path in figures.items()}
    page = (
        environment()
        .get_template("report_print.html.j2")
        .render(report=report, images=images, findings=analysis.findings)
    )
    HTML(string=page, base_url=str(Path.cwd())).write_pdf(handle)
