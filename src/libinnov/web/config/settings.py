"""Django settings for libinnov: one file, every tunable read from the environment.

Each ``LIBINNOV_*`` variable is listed in ``docs/web.md``. Secrets may come from a
file (``LIBINNOV_SECRET_KEY_FILE``), as container platforms mount them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from libinnov.web.config.build import build_fingerprint, cache_prefix
from libinnov.web.config.dburl import data_dir, default_database_url, parse_database_url
from libinnov.web.config.mailurl import default_sender, parse_email_url

WEB_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envlist(name: str, default: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def envsecret(name: str) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or None


def _secret_key() -> str:
    """The configured key, or one generated once and kept in the data directory."""
    key = envsecret("LIBINNOV_SECRET_KEY")
    if key:
        return key
    path = data_dir() / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
    except OSError:
        pass  # read-only home: sessions just do not survive a restart
    return key


DEBUG = envbool("LIBINNOV_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("LIBINNOV_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("LIBINNOV_CSRF_TRUSTED_ORIGINS", "")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("LIBINNOV_SECURE_COOKIES", False)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL") or default_database_url()
    )
}
DATABASE_ROUTERS = ["libinnov.web.config.router.PinnedAliasRouter"]

# Counts, ranked pages and analyses are cached until any case changes (their keys
# hold the library's version). A disk cache is shared by gunicorn's workers and
# survives restarts (see libinnov.web.config.cache); the prefix keeps two
# databases' entries apart.
_DB_NAME = f"{DATABASES['default'].get('HOST', '')}/{DATABASES['default']['NAME']}"
CACHES = {
    "default": {
        "BACKEND": "libinnov.web.config.cache.SharedDiskCache",
        "LOCATION": os.environ.get("LIBINNOV_WEB_CACHE") or str(data_dir() / "cache"),
        # one namespace per database and per build: an upgrade's templates and
        # analysis never meet pages or summaries the previous build cached
        "KEY_PREFIX": cache_prefix(_DB_NAME, build_fingerprint()),
        "SHARDS": 4,
        "DATABASE_TIMEOUT": 0.25,
        # pages are stored in SQLite rather than a file each; a cache can lose its
        # last writes in a power cut, so it need not wait for the disk
        "OPTIONS": {
            "size_limit": 2**30,
            "disk_min_file_size": 2**20,
            "sqlite_synchronous": 0,
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "libinnov.web.accounts",
    "libinnov.web.codebook",
    "libinnov.web.cases",
    "libinnov.web.coding",
    "libinnov.web.dashboards",
    "libinnov.web.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "libinnov.web.config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "libinnov.web.accounts.middleware.LoginRedirectMiddleware",
    "libinnov.web.config.middleware.BadFilterMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "libinnov.web.config.urls"
WSGI_APPLICATION = "libinnov.web.config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "libinnov.web.accounts.roles.roles_context",
            ]
        },
    }
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = os.environ.get("LIBINNOV_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = os.environ.get("LIBINNOV_STATIC_ROOT") or str(data_dir() / "static")
#: serve /static/ from the app itself (off when a front server does it)
LIBINNOV_SERVE_STATIC = envbool("LIBINNOV_SERVE_STATIC", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Campaign attachments live in the data directory and are served by a view that
# checks who asks (organisers, the submission's reviewers), never as /media/.
MEDIA_ROOT = str(data_dir() / "media")
CAMPAIGN_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# Campaign notices (confirmations, new assignments). Without LIBINNOV_EMAIL_URL
# they are written as files under <data dir>/mail/: offline, nothing lost.
_MAIL = parse_email_url(
    envsecret("LIBINNOV_EMAIL_URL") or "", mail_dir=data_dir() / "mail"
)
EMAIL_BACKEND = _MAIL["BACKEND"]
EMAIL_FILE_PATH = _MAIL["FILE_PATH"]
EMAIL_HOST = _MAIL["HOST"]
EMAIL_PORT = _MAIL["PORT"]
EMAIL_HOST_USER = _MAIL["HOST_USER"]
EMAIL_HOST_PASSWORD = _MAIL["HOST_PASSWORD"]
EMAIL_USE_TLS = _MAIL["USE_TLS"]
EMAIL_USE_SSL = _MAIL["USE_SSL"]
EMAIL_TIMEOUT = _MAIL["TIMEOUT"]
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get(
    "LIBINNOV_EMAIL_FROM"
) or default_sender(_MAIL)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "cases:list"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "libinnov API",
    "DESCRIPTION": "Cases, codes, search and analysis of library service innovation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIBINNOV_LOG", "INFO")},
}
