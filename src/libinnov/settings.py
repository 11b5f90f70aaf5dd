"""Settings read from the environment, declared once so the docs can list them all.

Each :class:`Setting` names an environment variable, its default and what it is for;
``tests/test_docs.py`` fails when one is missing from ``docs/settings.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL",
        "sqlite:///<LIBINNOV_DATA_DIR>/libinnov.sqlite3",
        "Database of the web app: sqlite:////abs/path.sqlite3 or postgresql://…",
    ),
    Setting(
        "LIBINNOV_DATA_DIR",
        "~/.local/share/libinnov",
        "Where the web app keeps its SQLite database and uploaded files.",
    ),
    Setting(
        "LIBINNOV_CACHE_DIR",
        "~/.cache/libinnov",
        "Where trained models (the default coder) and other rebuildable files go.",
    ),
    Setting(
        "LIBINNOV_SECRET_KEY",
        "(random per data dir)",
        "Django secret key; LIBINNOV_SECRET_KEY_FILE reads it from a file.",
    ),
    Setting("LIBINNOV_DEBUG", "0", "Django debug mode (never in production)."),
    Setting(
        "LIBINNOV_ALLOWED_HOSTS",
        "127.0.0.1,localhost",
        "Comma-separated host names the web app answers to.",
    ),
    Setting(
        "LIBINNOV_SECRET_KEY_FILE",
        "(unset)",
        "A file holding the Django secret key (Docker/systemd secrets).",
    ),
    Setting(
        "LIBINNOV_CSRF_TRUSTED_ORIGINS",
        "(none)",
        "Comma-separated https origins allowed to post forms behind a proxy.",
    ),
    Setting(
        "LIBINNOV_SECURE_COOKIES", "0", "Send session and CSRF cookies over HTTPS only."
    ),
    Setting(
        "LIBINNOV_SERVE_STATIC",
        "1",
        "Let the app serve its own static files (turn off behind nginx).",
    ),
    Setting(
        "LIBINNOV_STATIC_ROOT",
        "<LIBINNOV_DATA_DIR>/static",
        "Where `collectstatic` puts static files for a front web server.",
    ),
    Setting("LIBINNOV_TIME_ZONE", "Asia/Shanghai", "Time zone of the web app."),
    Setting("LIBINNOV_LOG", "INFO", "Log level of the web app."),
    Setting("LIBINNOV_ACCESS_LOG", "0", "Log every request of `libinnov serve`."),
    Setting(
        "LIBINNOV_WEB_CACHE",
        "<LIBINNOV_DATA_DIR>/cache",
        "Folder of the web app's cache of counts, rankings, analyses and pages.",
    ),
    Setting(
        "LIBINNOV_RETRAIN_FOLDS",
        "5",
        "Cross-validation folds of the web app's retrain-and-compare job.",
    ),
    Setting(
        "LIBINNOV_SEARCH_RANK_WINDOW",
        "5000",
        "Hits of a common word ranked by relevance; older hits follow newest first.",
    ),
    Setting(
        "LIBINNOV_PASSWORD",
        "(prompted)",
        "Password for `libinnov user` when it runs without a terminal.",
    ),
    Setting(
        "LIBINNOV_EMAIL_URL",
        "(files in <LIBINNOV_DATA_DIR>/mail)",
        "How campaign notices are sent: smtp://, smtp+tls://, smtps://user:pw@host, "
        "console: or file:///folder; LIBINNOV_EMAIL_URL_FILE reads it from a file.",
    ),
    Setting(
        "LIBINNOV_EMAIL_FROM",
        "(the SMTP user, or noreply@localhost)",
        "Sender address of campaign notices, e.g. 案例征集 <cases@example.org>.",
    ),
)


def _dir(variable: str, fallback: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else fallback


def data_dir() -> Path:
    """The user data directory (XDG_DATA_HOME aware)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return _dir("LIBINNOV_DATA_DIR", base / "libinnov")


def cache_dir() -> Path:
    """The user cache directory (XDG_CACHE_HOME aware)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return _dir("LIBINNOV_CACHE_DIR", base / "libinnov")
