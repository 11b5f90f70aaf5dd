"""Dashboards: the analysis of the library's current filter, as charts and a map."""

from __future__ import annotations
