"""Research reports: HTML (self-contained), PDF, XLSX, figures, summary.json."""

from __future__ import annotations

from libinnov.reports.model import Report, build_report
from libinnov.reports.render import REPORT_TYPES, report_bytes, write_report

__all__ = ["REPORT_TYPES", "Report", "build_report", "report_bytes", "write_report"]
