"""Project configuration: settings, URLs, WSGI, middleware and site-wide views."""

from __future__ import annotations
