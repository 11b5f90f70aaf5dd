"""A throwaway PostgreSQL server holding the synthetic library, for the web benchmarks.

The server is started as ``tests/web/conftest.py`` starts the test suite's: initdb
into a directory (a temporary one unless ``--pgdata`` names one to keep), a free
port, trust authentication, a C.UTF-8 character type (so the full-text parser keeps
Chinese words). Django's ``migrate`` makes the schema, the triggers and the search
indexes, exactly as on a deployment; the rows are then copied from the cached
SQLite library of :mod:`_synthetic` with ``COPY``, with the case and code tables'
triggers off and the case table's trigram index dropped, so the index is built
once instead of grown row by row; the search index's own check (run after every
migrate, and again when a kept cluster is reused) then finds it out of step and
fills it in one pass, and the tables are vacuumed and analysed as autovacuum
would leave them.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
DB_NAME = "libinnov"
#: columns the SQLite library may lack (added by later migrations), and their value
_DEFAULTS: dict[str, Any] = {"campaign": ""}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class PostgresServer:
    """A cluster in ``root`` (a new temporary directory if ``None``).

    A temporary cluster is deleted by :meth:`stop`; a named one is kept, and
    started again as it is when it already holds a cluster.
    """

    def __init__(
        self,
        root: Path | None = None,
        port: int | None = None,
        settings: Sequence[str] = (),
    ) -> None:
        self.keep = root is not None
        self.settings = list(settings)
        self.root = Path(root or tempfile.mkdtemp(prefix="libinnov-pg-"))
        self.data = self.root / "data"
        self.port = port or free_port()

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def _run(self, args: list[str]) -> None:
        subprocess.run(_as_postgres(args), check=True, capture_output=True)

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run(
                [
                    str(PGBIN / "initdb"),
                    "-D", str(self.data),
                    "-E", "UTF8",
                    "--locale=C.UTF-8",
                    "--auth=trust",
                    "-U", "postgres",
                ]
            )  # fmt: skip
        # durability off only speeds the load; reads are what is measured, and the
        # other settings are PostgreSQL's defaults (shared_buffers 128 MB) unless
        # given (--pg-setting shared_buffers=1GB)
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        options += "".join(f" -c {setting}" for setting in self.settings)
        self._run(
            [
                str(PGBIN / "pg_ctl"),
                "-D", str(self.data),
                "-l", str(self.root / "server.log"),
                "-o", options,
                "-w", "start",
            ]
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]
            ),
            check=False,
            capture_output=True,
        )
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def connect(self, dbname: str = DB_NAME) -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
            autocommit=True,
        )  # fmt: skip


def load(server: PostgresServer, source: Path, n: int) -> None:
    """Fill the server's library from the SQLite library ``source`` (once).

    A kept cluster is marked when its load has finished, so an interrupted load is
    started again rather than measured. Django is configured for the server on
    return.
    """
    from _synthetic import configure_django

    done = server.root / f"loaded-{source.name}"
    if done.exists():
        configure_django(server.url)
        _ensure_search_index()  # as after a migrate: a newer index refills itself
        return
    with server.connect("postgres") as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        conn.execute(
            f"CREATE DATABASE {DB_NAME} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
        )
    configure_django(server.url)
    from django.core.management import call_command

    sys.stderr.write(f"Loading {n:,} cases from {source} into PostgreSQL\n")
    start = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    with server.connect() as conn:
        indexes = _gin_indexes(conn)
        for name in indexes:
            conn.execute(f"DROP INDEX {name}")
        tables = ("cases_case", "cases_casecode")
        for table in tables:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for table in tables:
            _copy(lite, conn, table)
            took = time.perf_counter() - start
            sys.stderr.write(f"  {table} copied ({took:.0f} s)\n")
        for table in tables:
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        conn.execute("SET maintenance_work_mem = '512MB'")
        for definition in indexes.values():
            conn.execute(definition)
        _ensure_search_index()
        sys.stderr.write(f"  indexes built ({time.perf_counter() - start:.0f} s)\n")
        conn.execute("VACUUM ANALYZE")
        have = conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    lite.close()
    if have != n:
        raise SystemExit(f"{source} holds {have} cases, not {n}")
    done.touch()
    sys.stderr.write(f"  loaded in {time.perf_counter() - start:.0f} s\n")


def _ensure_search_index() -> None:
    from django.db import connection

    from libinnov.web.cases import search_index

    search_index.ensure(connection)
    connection.close()


def _gin_indexes(conn: Any) -> dict[str, str]:
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE tablename = 'cases_case' AND indexdef LIKE '%USING gin%'"
    ).fetchall()
    return dict(rows)


def _copy(lite: sqlite3.Connection, conn: Any, table: str) -> None:
    target = [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [table],
        ).fetchall()
    ]
    have = {r[1] for r in lite.execute(f"PRAGMA table_info({table})")}
    missing = [c for c in target if c not in have]
    unknown = [c for c in missing if c not in _DEFAULTS]
    if unknown:
        raise SystemExit(f"{table}: no value for {unknown} in the SQLite library")
    read = [c for c in target if c in have]
    types = dict(
        conn.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = %s",
            [table],
        ).fetchall()
    )
    booleans = [i for i, c in enumerate(read) if types[c] == "boolean"]
    extra = [_DEFAULTS[c] for c in missing]
    names = ", ".join(read + missing)
    cursor = conn.cursor()
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in lite.execute(f"SELECT {', '.join(read)} FROM {table}"):
            values = list(row)
            for i in booleans:
                values[i] = bool(values[i])
            copy.write_row(values + extra)
    if table == "cases_casecode":
        conn.execute(
            "SELECT setval(pg_get_serial_sequence('cases_casecode', 'id'), "
            "(SELECT max(id) FROM cases_casecode))"
        )


def server_version(conn: Any) -> str:
    return str(conn.execute("SHOW server_version").fetchone()[0])
