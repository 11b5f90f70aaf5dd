"""``LIBINNOV_EMAIL_URL`` → Django's e-mail settings; offline unless it says otherwise.

With no URL, mail is written as files under the data directory, so a site that
never configured SMTP loses nothing and sends nothing. A URL picks a server or
another way out:

* ``smtp://user:password@host:25`` plain SMTP (port 25)
* ``smtp+tls://user:password@host:587`` SMTP with STARTTLS (port 587)
* ``smtps://user:password@host:465`` SMTP over TLS (port 465; ``smtp+ssl`` too)
* ``console:`` print each message to the log
* ``file:///var/mail/libinnov`` write each message as a file in that folder

User and password are percent-encoded (``@`` is ``%40``); ``?timeout=20`` sets
how many seconds to wait for the server (10 by default).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_FILE = "django.core.mail.backends.filebased.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
#: scheme -> (default port, STARTTLS, implicit TLS)
_SMTP_SCHEMES = {
    "smtp": (25, False, False),
    "smtp+tls": (587, True, False),
    "smtps": (465, False, True),
    "smtp+ssl": (465, False, True),
}
DEFAULT_TIMEOUT = 10


class EmailURLError(ValueError):
    """The URL names a scheme or shape libinnov cannot send mail with."""


def parse_email_url(url: str, *, mail_dir: Path) -> dict[str, Any]:
    """Django's ``EMAIL_*`` settings (without the prefix) for an e-mail URL.

    >>> parse_email_url("smtps://u:pw@mail.example.org", mail_dir=Path("/m"))["PORT"]
    465
    >>> parse_email_url("", mail_dir=Path("/m"))["FILE_PATH"]
    '/m'
    """
    mail: dict[str, Any] = {
        "BACKEND": _FILE,
        "FILE_PATH": str(mail_dir),
        "HOST": "localhost",
        "PORT": 25,
        "HOST_USER": "",
        "HOST_PASSWORD": "",
        "USE_TLS": False,
        "USE_SSL": False,
        "TIMEOUT": DEFAULT_TIMEOUT,
    }
    url = url.strip()
    if not url:
        return mail
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {**mail, "BACKEND": _CONSOLE}
    if scheme == "file":
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/"):
            raise EmailURLError(f"use file:///absolute/folder, not {url!r}")
        return {**mail, "FILE_PATH": path}
    if scheme not in _SMTP_SCHEMES:
        known = ", ".join([*_SMTP_SCHEMES, "console", "file"])
        raise EmailURLError(
            f"unsupported LIBINNOV_EMAIL_URL scheme {scheme!r} (use {known})"
        )
    if not parts.hostname:
        raise EmailURLError(f"LIBINNOV_EMAIL_URL names no server: {url!r}")
    port, tls, ssl = _SMTP_SCHEMES[scheme]
    options = dict(parse_qsl(parts.query))
    try:
        timeout = int(options.get("timeout", DEFAULT_TIMEOUT))
        port = parts.port or port
    except ValueError as exc:
        raise EmailURLError(f"LIBINNOV_EMAIL_URL: {exc}") from None
    return {
        **mail,
        "BACKEND": _SMTP,
        "HOST": parts.hostname,
        "PORT": port,
        "HOST_USER": unquote(parts.username or ""),
        "HOST_PASSWORD": unquote(parts.password or ""),
        "USE_TLS": tls,
        "USE_SSL": ssl,
        "TIMEOUT": timeout,
    }


def default_sender(mail: dict[str, Any]) -> str:
    """The SMTP account when it is an address (many servers insist), else noreply."""
    user = str(mail.get("HOST_USER") or "")
    return user if "@" in user else "libinnov <noreply@localhost>"
