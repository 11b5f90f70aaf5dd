"""``DATABASE_URL`` → Django's ``DATABASES`` entry, and where the default file lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


class DatabaseURLError(ValueError):
    """The URL names a scheme or shape libinnov cannot use."""


def data_dir() -> Path:
    """The user data directory (``$LIBINNOV_DATA_DIR`` or the XDG data home)."""
    from libinnov.settings import data_dir as core_data_dir

    return core_data_dir().resolve()


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'libinnov.sqlite3'}"


def parse_database_url(url: str) -> dict[str, Any]:
    """Parse ``sqlite:////abs/path`` or ``postgresql://user:pw@host:port/name``.

    >>> parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"]
    '/tmp/x.sqlite3'
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        path = unquote(parts.path)
        if path == "/:memory:":
            return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
        # sqlite:////abs/path → "//abs/path"; three slashes would be a relative path
        if parts.netloc or not path.startswith("//"):
            raise DatabaseURLError(f"use sqlite:////absolute/path.sqlite3, not {url!r}")
        path = "/" + path.lstrip("/")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if scheme in ("postgres", "postgresql", "pgsql"):
        options = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    raise DatabaseURLError(
        f"unsupported DATABASE_URL scheme {scheme!r} (use sqlite or postgresql)"
    )
