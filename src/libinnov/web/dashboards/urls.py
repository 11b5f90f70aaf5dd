from __future__ import annotations

from django.urls import path

from libinnov.web.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report.<str:fmt>", views.report, name="report"),
]
