from __future__ import annotations

from django.urls import path

from libinnov.web.codebook import views

app_name = "codebook"
urlpatterns = [
    path("", views.codebook_detail, name="detail"),
    path("code/", views.code_edit, name="code_edit"),
    path("dimension/", views.dimension_edit, name="dimension_edit"),
    path("import/", views.codebook_import, name="import"),
    path("export/", views.codebook_export, name="export"),
]
