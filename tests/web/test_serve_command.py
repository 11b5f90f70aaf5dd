"""``libinnov serve`` as a user runs it: a real process, a real port, both databases."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from libinnov.cases import load_sample
from libinnov.web.config.dburl import DatabaseURLError, parse_database_url

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_json(url: str, deadline: float) -> dict[str, object]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())  # type: ignore[no-any-return]
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _database_url(backend: str, tmp_path: Path) -> str | None:
    if backend == "sqlite":
        return None  # the default: a file in the user data directory
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["postgres"]
    name = f"serve_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user="postgres", dbname="postgres",
        autocommit=True,
    ) as conn:  # fmt: skip
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@{db['HOST']}:{db['PORT']}/{name}"


def test_serve_migrates_loads_the_sample_and_answers(
    backend: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LIBINNOV_DATA_DIR"] = str(tmp_path / "data")
    url = _database_url(backend, tmp_path)
    if url:
        env["DATABASE_URL"] = url
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "libinnov", "serve", "--port", str(port),
            "--sample", "--workers", "1", "--threads", "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        data = _get_json(
            f"http://127.0.0.1:{port}/cases/?format=json&page_size=1",
            time.monotonic() + 60,
        )
        assert data["count"] == len(load_sample())
        if backend == "sqlite":
            assert (tmp_path / "data" / "libinnov.sqlite3").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert "Loaded 154 sample cases." in output


def test_database_urls_are_parsed() -> None:
    assert parse_database_url("sqlite:////srv/x.sqlite3")["NAME"] == "/srv/x.sqlite3"
    pg = parse_database_url("postgresql://u:p%40ss@db.example:5433/lib")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "u", "p@ss", "db.example", "5433", "lib",
    )  # fmt: skip
    with pytest.raises(DatabaseURLError):
        parse_database_url("mysql://x/y")
    with pytest.raises(DatabaseURLError):
        parse_database_url("sqlite:///relative.sqlite3")


def test_the_user_command_creates_an_account_with_a_role(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "users.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "LIBINNOV_PASSWORD": "s3"}
    env["LIBINNOV_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "libinnov", "user", "li", "--role", "coder"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Created li with the coder role." in done.stdout
    with sqlite3.connect(db) as conn:
        groups = conn.execute(
            "select g.name from auth_user u join auth_user_groups ug on ug.user_id=u.id"
            " join auth_group g on g.id=ug.group_id where u.username='li'"
        ).fetchall()
    assert groups == [("coder",)]
