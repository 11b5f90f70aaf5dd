from __future__ import annotations

from django.urls import path

from libinnov.web.coding import model_views, views

app_name = "coding"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("log/", views.change_log, name="log"),
    path("assign/", views.assign, name="assign"),
    path("disagreements/", views.disagreements, name="disagreements"),
    path("agreement/", views.agreement, name="agreement"),
    path("adjudicate/<str:case_id>/", views.adjudicate, name="adjudicate"),
    path("cases/<str:case_id>/", views.code_case, name="code"),
    path("model/", model_views.model_page, name="model"),
    path("model/retrain/", model_views.retrain, name="retrain"),
    path("model/runs/<int:run_id>/", model_views.run_status, name="run"),
    path("model/autocode/", model_views.autocode, name="autocode"),
    path(
        "model/autocode/<int:run_id>/",
        model_views.auto_run_status,
        name="auto_run",
    ),
]
