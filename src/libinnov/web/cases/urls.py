from __future__ import annotations

from django.urls import path

from libinnov.web.cases import transfer, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("load-sample/", views.load_sample, name="load_sample"),
    path("import/", transfer.case_import, name="import"),
    path("export/", transfer.case_export, name="export"),
    path("<str:case_id>/", views.case_detail, name="detail"),
]
