"""The REST API under ``/api/``; serializers and views live in their apps."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from libinnov.web.campaigns import api as campaigns_api
from libinnov.web.cases import api as cases_api
from libinnov.web.codebook import api as codebook_api
from libinnov.web.coding import api as coding_api
from libinnov.web.dashboards import api as dashboards_api

router = DefaultRouter()
router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("changes", coding_api.CodeChangeViewSet, basename="change")
router.register("campaigns", campaigns_api.CampaignViewSet, basename="campaign")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("search/", cases_api.search, name="api-search"),
    path("codebook/", codebook_api.codebook, name="api-codebook"),
    path("analysis/", dashboards_api.analysis, name="api-analysis"),
    path("cases/<str:case_id>/codes/", coding_api.case_codes, name="api-case-codes"),
    *router.urls,
]
