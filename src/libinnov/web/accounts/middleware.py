"""Turns the internal "log in first" signal of :func:`require_role` into a redirect."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from libinnov.web.accounts.roles import _LoginRequired


class LoginRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, _LoginRequired):
            return exception.response  # type: ignore[no-any-return]
        return None
