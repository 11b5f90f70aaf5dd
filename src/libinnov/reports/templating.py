"""The one Jinja environment both the HTML and the PDF report render with, so a
table cell reads the same in both."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from libinnov.reports.model import cell_text


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("libinnov.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    env.filters["cell"] = cell_text
    return env
