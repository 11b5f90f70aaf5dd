from __future__ import annotations

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "libinnov.web.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
