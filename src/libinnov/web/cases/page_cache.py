"""Whole public pages kept until the library or the codebook changes.

Most visitors of a case library are anonymous readers who all see the same page
for the same address: caching the rendered page spares the queries, the ranking
and the template (about 6-25 ms of CPU a page on a library of 100k cases) and
leaves about a millisecond. Keys hold the library's version, the codebook version
and the language, so an edit, a new codebook or the other language is never
served stale. Only plain anonymous requests are cached: a visitor with a session
(signed in, or holding a message to show) gets a freshly rendered page, and a
response that sets a cookie is never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from libinnov.web.cases.search_index import rank_window
from libinnov.web.cases.selectors import CACHE_SECONDS, library_version
from libinnov.web.codebook.selectors import current_version_key

View = TypeVar("View", bound=Callable[..., HttpResponse])
#: larger responses (a PDF report) are not worth a cache file each
MAX_BYTES = 2_000_000
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def _cacheable(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the page holds something of this visitor's own.

    A CSRF token, a changed session or a queued message: the middleware adds
    their cookies only after the view returns, so the response alone cannot tell.
    """
    session = getattr(request, "session", None)
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or queued
    )


def page_key(request: HttpRequest) -> str:
    """Names one rendering of one address for anonymous readers."""
    text = repr(
        (
            library_version(),
            current_version_key(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            rank_window(),
        )
    )
    return "page:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


def public_page(view: View) -> View:
    """Serve the view's page from the cache to anonymous readers."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not _personal(request, response)
            and not response.streaming
            and len(response.content) <= MAX_BYTES
        ):
            headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
            cache.set(key, (response.content, headers), CACHE_SECONDS)
        return response

    return wrapped  # type: ignore[return-value]
