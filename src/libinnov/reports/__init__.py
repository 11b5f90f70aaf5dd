"""Research reports: HTML (self-contained), PDF, XLSX, figures, summary.json."""

from __future__ import annotations

from libinnov.reports.model import Report, build_report
from libinnov.reports.render import write_report

__all__ = ["Report", "build_report", "write_report"]
