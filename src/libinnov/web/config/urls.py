"""Top-level URL map: the contract paths of design.md plus the workbench and API."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.views import serve as static_serve
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from libinnov.web.accounts import views as account_views
from libinnov.web.config import api, views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:list"), name="home"),
    path("cases/", include("libinnov.web.cases.urls")),
    path("dashboard/", include("libinnov.web.dashboards.urls")),
    path("coding/", include("libinnov.web.coding.urls")),
    path("codebook/", include("libinnov.web.codebook.urls")),
    path("campaigns/", include("libinnov.web.campaigns.urls")),
    path("accounts/users/", account_views.users, name="users"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lang/<str:code>/", views.switch_language, name="switch_language"),
    path("assets/<str:name>", views.asset, name="asset"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("api/", include(api.urlpatterns)),
]

if settings.LIBINNOV_SERVE_STATIC:
    # Served through the finders, so no collectstatic is needed for `libinnov serve`.
    urlpatterns.append(
        re_path(
            r"^static/(?P<path>.*)$",
            static_serve,
            {"insecure": True, "show_indexes": False},
        )
    )
