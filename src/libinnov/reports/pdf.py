"""The PDF report: the same sections as the HTML, static figures, a CJK font."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from jinja2 import Environment, PackageLoader, select_autoescape

from libinnov.analysis import Analysis
from libinnov.reports.model import Report


def pdf_report(
    analysis: Analysis, report: Report, figures: dict[str, Path], handle: BinaryIO
) -> None:
    from weasyprint import HTML

    environment = Environment(
        loader=PackageLoader("libinnov.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    images = {key: path.resolve().as_uri() for key, path in figures.items()}
    page = environment.get_template("report_print.html.j2").render(
        report=report, images=images, findings=analysis.findings
    )
    HTML(string=page, base_url=str(Path.cwd())).write_pdf(handle)
