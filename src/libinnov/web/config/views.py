"""Site-wide views: vendored front-end assets, served by the app itself (no CDN),
the favicon and the language switch."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
)
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme

#: URL name → function of :mod:`libinnov.assets` returning the file's text or path
ASSETS: dict[str, str] = {
    "echarts.min.js": "echarts_js",
    "china.js": "china_map_js",
    "htmx.min.js": "htmx_js",
}


@lru_cache(maxsize=8)
def asset_bytes(name: str) -> tuple[bytes, str] | None:
    """The asset's bytes and an ETag, or ``None`` when it is not vendored."""
    func_name = ASSETS.get(name)
    if func_name is None:
        return None
    try:
        from libinnov import assets
    except ImportError:
        return None
    func: Callable[[], Any] | None = getattr(assets, func_name, None)
    if func is None:
        return None
    try:
        value = func()
        if isinstance(value, Path):
            data = value.read_bytes()
        elif isinstance(value, bytes):
            data = value
        else:
            data = str(value).encode("utf-8")
    except Exception:  # a missing vendored file must not break the page
        return None
    return data, hashlib.sha1(data).hexdigest()[:16]


def asset_available(name: str) -> bool:
    return asset_bytes(name) is not None


def asset(request: HttpRequest, name: str) -> HttpResponse:
    found = asset_bytes(name)
    if found is None:
        raise Http404(f"asset {name} is not vendored (run make assets)")
    data, etag = found
    if request.headers.get("If-None-Match") == f'"{etag}"':
        return HttpResponseNotModified()
    response = HttpResponse(data, content_type="application/javascript; charset=utf-8")
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for whatever the page links: the SVG."""
    return HttpResponseRedirect(static("libinnov/favicon.svg"))


def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the visitor's language and go back to the page they were on.

    A link rather than Django's POST form: the header of every page would
    otherwise carry a CSRF token, and a page with a token cannot be shared by
    all anonymous readers through the page cache. Choosing a language changes
    nothing but how pages read, so a forged link can do no harm.
    """
    known = {c for c, _ in settings.LANGUAGES}
    if code not in known:
        raise Http404("unknown language")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
