"""Django test set-up for the web layer: settings, a throwaway PostgreSQL, personas.

Django is configured here, not in pyproject, so the core tests run without it. Tests
that take the ``backend`` fixture run once on SQLite and once on a real PostgreSQL
server that this file starts in a temporary directory and stops at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_DATA_DIR = tempfile.mkdtemp(prefix="libinnov-web-tests-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "libinnov.web.config.settings")
os.environ["LIBINNOV_DATA_DIR"] = _DATA_DIR
os.environ["LIBINNOV_CACHE_DIR"] = str(Path(_DATA_DIR) / "cache")  # no trained model
os.environ["LIBINNOV_SECRET_KEY"] = "tests-only-secret-key-" + "x" * 30
os.environ.pop("DATABASE_URL", None)
# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls
# from the same thread are still synchronous, so the async guard does not apply.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PGBIN = Path("/usr/lib/postgresql/15/bin")
PG_ALIAS = "postgres"
BOTH = ["default", PG_ALIAS]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_PG_PORT = _free_port()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(Path(_DATA_DIR) / "web.sqlite3"),
        "TEST": {"NAME": str(Path(_DATA_DIR) / "test-web.sqlite3")},
    }
    settings.DATABASES[PG_ALIAS] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "libinnov",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": str(_PG_PORT),
        "TEST": {"NAME": "test_libinnov"},
    }
    # xdist workers inherit the controller's environment, so settings read before
    # this file ran would put every worker's web cache in one folder under one
    # prefix, and one worker's test would read another's pages
    settings.CACHES["default"] = {
        **settings.CACHES["default"],
        "LOCATION": str(Path(_DATA_DIR) / "web-cache"),
        "KEY_PREFIX": f"tests-{os.getpid()}",
    }
    # Under xdist, pytest-django may have set Django up before this hook: make the
    # connection handlers read the edited settings again.
    from django.core.cache import caches
    from django.db import connections

    connections.__dict__.pop("settings", None)
    caches.__dict__.pop("settings", None)
    # a connection made before this hook keeps the old settings, and with them
    # SQLite's default test database, shared-cache memory: its writers fail at
    # once ("database table is locked") where a file's wait their turn
    for alias in connections:
        if hasattr(connections._connections, alias):
            connections[alias].close()
            del connections[alias]
    # When the whole project is collected this conftest is not an initial one, so
    # pytest-django has not set Django up; test modules import models at once.
    import django

    django.setup()


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PostgresServer:
    """A throwaway cluster: initdb into a temp dir, pg_ctl start, stop, delete."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="libinnov-pg-"))
        self.data = self.root / "data"

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        run = subprocess.run
        run(
            _as_postgres(
                [
                    str(PGBIN / "initdb"),
                    "-D", str(self.data),
                    "-E", "UTF8",
                    "--locale=C.UTF-8",
                    "--auth=trust",
                    "-U", "postgres",
                ]
            ),
            check=True,
            capture_output=True,
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        run(
            _as_postgres(
                [
                    str(PGBIN / "pg_ctl"),
                    "-D", str(self.data),
                    "-l", str(self.root / "server.log"),
                    "-o", options,
                    "-w", "start",
                ]
            ),
            check=True,
            capture_output=True,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    request: pytest.FixtureRequest,
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """Start PostgreSQL only when a collected test asks for it."""
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, _ = _get_databases_for_setup(request.session.items)
    if PG_ALIAS not in aliases:
        yield
        return
    server = PostgresServer(_PG_PORT)
    server.start()
    try:
        yield
    finally:
        from django.db import connections

        connections[PG_ALIAS].close()
        server.stop()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres]),
    ]
)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test on each database: every ORM call is routed to that alias."""
    from libinnov.web.config import router

    alias = "default" if request.param == "sqlite" else PG_ALIAS
    router.pin(alias)
    try:
        yield request.param
    finally:
        router.pin(None)


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    from django.core.cache import cache

    from libinnov.web.codebook.selectors import _build

    # rolled-back tests reuse ids and version numbers, so one test's library could
    # look like another's; cleared before too, for what a live server's request
    # thread wrote after the last test ended
    cache.clear()
    yield
    _build.cache_clear()
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request in English leaves
    English active in the thread, which pages rendered without a request read."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


def make_user(username: str, role: str | None) -> Any:
    from django.contrib.auth import get_user_model

    from libinnov.web.accounts.roles import grant_role

    user = get_user_model().objects.create_user(username=username, password="pw")
    if role:
        grant_role(user, role)
    return user


@pytest.fixture
def user_factory() -> Any:
    """``user_factory(name, role)`` → a user whose password is ``pw``."""
    return make_user


@pytest.fixture
def personas(backend: str) -> dict[str, Any]:
    """Named users, one per role, as healthchecks' tests have Alice and Bob."""
    return {
        "viewer_zhao": make_user("viewer_zhao", "viewer"),
        "coder_li": make_user("coder_li", "coder"),
        "coder_wu": make_user("coder_wu", "coder"),
        "adjudicator_chen": make_user("adjudicator_chen", "adjudicator"),
        "admin_sun": make_user("admin_sun", "admin"),
    }


@pytest.fixture(scope="session")
def small_model() -> Any:
    """A coder trained on a sixth of the sample: seconds, once per session."""
    from libinnov.cases import load_sample
    from libinnov.codebook import default_codebook
    from libinnov.coding.model import CodingModel

    return CodingModel.train(load_sample()[::6], default_codebook(), random_state=0)


@pytest.fixture
def trained(small_model: Any) -> Iterator[Any]:
    """``small_model`` saved where the core keeps its default model."""
    from libinnov.codebook import default_codebook
    from libinnov.coding import default_model_path

    path = default_model_path(default_codebook())
    path.parent.mkdir(parents=True, exist_ok=True)
    small_model.save(path)
    try:
        yield small_model
    finally:
        path.unlink()


@pytest.fixture
def sample_db(backend: str) -> int:
    """The bundled sample loaded through the same service ``--sample`` uses."""
    from libinnov.web.cases.services import sample_load
    from libinnov.web.codebook.selectors import current_codebook, current_version

    return sample_load(
        codebook=current_codebook(), codebook_version=current_version().version
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_DATA_DIR, ignore_errors=True)
