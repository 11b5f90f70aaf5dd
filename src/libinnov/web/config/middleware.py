"""Language choice: Simplified Chinese unless the visitor picked another language.

Django's LocaleMiddleware would follow the browser's Accept-Language; the case
library's audience reads Chinese first, so only an explicit choice (the language
cookie set by the switch in the header) changes it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.known = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.known else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(
            v for v in (response.headers.get("Vary"), "Cookie") if v
        )
        return response


class BadFilterMiddleware:
    """Answer a bad filter parameter with a 400 that says which one: JSON for
    the API and JSON twins (in English, as the API speaks), the site's page
    (with a way out) in the page's language for people."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        from libinnov.web.cases.selectors import BadFilter

        if not isinstance(exception, BadFilter):
            return None
        if request.GET.get("format") == "json" or request.path.startswith("/api/"):
            return JsonResponse(
                {"error": str(exception)},
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return render(
            request,
            "cases/bad_filter.html",
            {"message": exception.describe(translation.gettext)},
            status=400,
        )
