"""What `libinnov serve` does: set up, migrate, maybe load the sample, serve."""

from __future__ import annotations

import os
from typing import Any

from libinnov.web import SETTINGS_MODULE

_DEFAULT_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def _allowed_hosts_for(host: str) -> None:
    """Let the bound host through ALLOWED_HOSTS unless the user configured it."""
    if os.environ.get("LIBINNOV_ALLOWED_HOSTS"):
        return
    if host in ("0.0.0.0", "::", ""):
        os.environ["LIBINNOV_ALLOWED_HOSTS"] = "*"
    elif host not in _DEFAULT_HOSTS:
        os.environ["LIBINNOV_ALLOWED_HOSTS"] = ",".join((*_DEFAULT_HOSTS, host))


def prepare(*, host: str = "127.0.0.1", sample: bool = False) -> dict[str, Any]:
    """Set Django up, apply migrations, and load the sample into an empty library."""
    _allowed_hosts_for(host)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and db["NAME"] != ":memory:":
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    loaded = 0
    if sample:
        from libinnov.web.cases.services import sample_load
        from libinnov.web.codebook.selectors import current_codebook, current_version

        loaded = sample_load(
            codebook=current_codebook(), codebook_version=current_version().version
        )
    from libinnov.web.cases.models import Case

    info = {
        "database": f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}",
        "loaded": loaded,
        "cases": Case.objects.count(),
    }
    connections.close_all()  # forked workers must open their own connections
    return info


def run(*, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the WSGI app with gunicorn (threads keep SQLite writers few)."""
    from gunicorn.app.base import BaseApplication

    from libinnov.web.config.wsgi import application

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", os.environ.get("LIBINNOV_ACCESS_LOG") or None)
            self.cfg.set("timeout", 120)
            self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            return application

    _App().run()
