"""Page latency of ``libinnov serve`` (gunicorn) under 32 concurrent clients.

Uses the cached synthetic library of ``search_latency.py`` (built if missing), starts
``libinnov serve`` on it (which runs gunicorn with gthread workers), and lets client
threads request a mix of list, search, facet, case and JSON pages for a while; the
dashboard, which analyses the whole filtered set, runs in a second, smaller phase.
Goal: p95 <= 150 ms per path and no errors.

    python benchmarks/page_latency.py --n 100000 --json pages.json
    python benchmarks/page_latency.py --n 100000 --profile   # cProfile the slow paths
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import SEED, build_db, use_db
from search_latency import machine, percentile

GOAL_P95_MS = 150.0
WORDS = [
    "阅读",
    "古籍",
    "馆员",
    "空间",
    "阅读推广",
    "信息素养",
    "城市书房",
    "古籍 修复",
]
FACETS = [
    "focus=reading&region=east",
    "focus=heritage",
    "region=west&library_type=public",
    "audience=children&focus=reading",
    "province=江苏&year=2020",
]

#: (label, weight, how to make a path) for the main mix
MIX: list[tuple[str, int, Any]] = [
    ("/cases/", 3, lambda r, ids: "/cases/"),
    ("/cases/?q=<word>", 3, lambda r, ids: f"/cases/?q={quote(r.choice(WORDS))}"),
    ("/cases/?<facets>", 2, lambda r, ids: f"/cases/?{_facet(r)}"),
    ("/cases/<id>/", 3, lambda r, ids: f"/cases/{r.choice(ids)}/"),
    (
        "/cases/?format=json&q=<word>",
        2,
        lambda r, ids: f"/cases/?format=json&q={quote(r.choice(WORDS))}",
    ),
    (
        "/cases/?format=json&<facets>",
        1,
        lambda r, ids: f"/cases/?format=json&{_facet(r)}",
    ),
]
DASHBOARD: list[tuple[str, int, Any]] = [
    ("/dashboard/", 1, lambda r, ids: "/dashboard/"),
    ("/dashboard/?<facets>", 2, lambda r, ids: f"/dashboard/?{_facet(r)}"),
    (
        "/dashboard/?format=json&<facets>",
        1,
        lambda r, ids: f"/dashboard/?format=json&{_facet(r)}",
    ),
]


def _facet(rng: random.Random) -> str:
    return "&".join(
        f"{k}={quote(v)}"
        for k, v in (p.split("=") for p in rng.choice(FACETS).split("&"))
    )


@dataclass
class Tally:
    ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    db: Path, port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    """``libinnov serve`` on ``db``; returns once it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db.resolve()}",
        "LIBINNOV_SECRET_KEY": os.environ.get(
            "LIBINNOV_SECRET_KEY", "benchmark-only-secret-" + "x" * 30
        ),
        "LIBINNOV_LOG": "WARNING",
        # an empty cache, so the cold phase is cold
        "LIBINNOV_WEB_CACHE": tempfile.mkdtemp(prefix="libinnov-bench-cache-"),
    }
    env.pop("LIBINNOV_ACCESS_LOG", None)
    cmd = [
        sys.executable,
        "-m",
        "libinnov",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/cases/?format=json&page_size=1"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"libinnov serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    raise SystemExit("libinnov serve did not answer within 300 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the gunicorn this script started (its own process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _get(
    conn: http.client.HTTPConnection | None, port: int, path: str, timeout: float
) -> tuple[http.client.HTTPConnection | None, float, str | None]:
    """One GET: the connection to keep, milliseconds, and an error or ``None``."""
    if conn is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Accept-Language": "zh-hans"})
        response = conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        return None, (time.perf_counter() - start) * 1000, type(exc).__name__
    elapsed = (time.perf_counter() - start) * 1000
    error = None if response.status == 200 else f"HTTP {response.status}"
    if response.getheader("Connection", "").lower() == "close":
        conn.close()
        return None, elapsed, error
    return conn, elapsed, error


def _client(
    port: int,
    mix: list[tuple[str, int, Any]],
    ids: list[str],
    seed: int,
    until: float,
    timeout: float,
    tallies: dict[str, Tally],
    lock: threading.Lock,
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    labels = [m[0] for m in mix]
    weights = [m[1] for m in mix]
    makers = {m[0]: m[2] for m in mix}
    conn: http.client.HTTPConnection | None = None
    while time.monotonic() < until:
        if think:
            time.sleep(rng.uniform(0, 2 * think))  # a reader between clicks
        label = rng.choices(labels, weights)[0]
        path = makers[label](rng, ids)
        reused = conn is not None
        conn, elapsed, error = _get(conn, port, path, timeout)
        if reused and error and not error.startswith("HTTP"):
            # the server closed an idle keep-alive connection while the client was
            # thinking; like a browser, retry once on a fresh one
            conn, elapsed, error = _get(None, port, path, timeout)
        with lock:
            tally = tallies.setdefault(label, Tally())
            if error:
                tally.error(error)
            else:
                tally.ms.append(elapsed)
    if conn is not None:
        conn.close()


def load(
    port: int,
    mix: list[tuple[str, int, Any]],
    ids: list[str],
    clients: int,
    duration: float,
    timeout: float,
    think: float = 0.0,
) -> dict[str, Any]:
    tallies: dict[str, Tally] = {}
    lock = threading.Lock()
    until = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=_client,
            args=(port, mix, ids, 1000 + i, until, timeout, tallies, lock, think),
        )
        for i in range(clients)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    paths = {}
    for label, _, _ in mix:
        tally = tallies.get(label, Tally())
        paths[label] = _stats(tally)
    everything = Tally(
        ms=[m for t in tallies.values() for m in t.ms],
        errors={
            k: sum(t.errors.get(k, 0) for t in tallies.values())
            for k in {k for t in tallies.values() for k in t.errors}
        },
    )
    return {
        "clients": clients,
        "duration_s": round(wall, 1),
        "requests": sum(len(t.ms) + sum(t.errors.values()) for t in tallies.values()),
        "rps": round(sum(len(t.ms) for t in tallies.values()) / wall, 1),
        "paths": paths,
        "all": _stats(everything),
    }


def _stats(tally: Tally) -> dict[str, Any]:
    ms = tally.ms
    return {
        "ok": len(ms),
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "p50": round(statistics.median(ms), 1) if ms else None,
        "p95": round(percentile(ms, 95), 1) if ms else None,
        "max": round(max(ms), 1) if ms else None,
        "goal_met": bool(ms) and percentile(ms, 95) <= GOAL_P95_MS and not tally.errors,
    }


def sample_ids(db: Path, k: int = 2000, seed: int = 1) -> list[str]:
    with sqlite3.connect(db) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM cases_case")]
    return random.Random(seed).sample(ids, min(k, len(ids)))


def profile(
    db: Path, paths: list[str], top: int = 18, limit_s: float = 60.0, warm: bool = True
) -> dict[str, str]:
    """cProfile each path once warm through ``django.test.Client``, in process."""
    use_db(db)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    out: dict[str, str] = {}
    for path in paths:
        if warm:
            client.get(path)  # warm caches (codebook, jieba)
        profiler = cProfile.Profile()
        reset_queries()
        connection.ensure_connection()
        timer = threading.Timer(limit_s, connection.connection.interrupt)
        note = ""
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            timer.start()
            profiler.enable()
            try:
                client.get(path)
            except Exception as exc:  # interrupted: the profile shows where
                note = f" (stopped after {limit_s:g} s: {exc})"
            finally:
                profiler.disable()
                timer.cancel()
            total = (time.perf_counter() - start) * 1000
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(top)
        slow_sql = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
        sql = "\n".join(f"  {q['time']} s  {q['sql'][:400]}" for q in slow_sql)
        out[path] = (
            f"{path}: {total:.0f} ms{note}, "
            f"{len(queries.captured_queries)} SQL queries\n"
            f"slowest SQL:\n{sql}\n{buffer.getvalue()}"
        )
    return out


def render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 120))
    m = report["machine"]
    variant = ""
    console.print(
        f"[bold]{report['n']:,} cases{variant}[/]; libinnov serve --workers "
        f"{report['workers']} --threads {report['threads']}; "
        f"{m['nproc']} x {m['cpu']}"
    )
    for phase in ("cold", "mix", "dashboard-cold", "dashboard"):
        result = report.get(phase)
        if not result:
            continue
        table = Table(
            title=f"{phase}: {result['clients']} clients, {result['duration_s']} s, "
            f"{result['requests']:,} requests, {result['rps']} req/s (ms)"
        )
        for col in ("path", "ok", "errors", "p50", "p95", "max"):
            table.add_column(col, justify="left" if col == "path" else "right")
        for label, s in [*result["paths"].items(), ("all", result["all"])]:
            p95 = "-" if s["p95"] is None else f"{s['p95']:.0f}"
            bad = s["p95"] is None or s["p95"] > GOAL_P95_MS
            errors = str(s["errors"])
            if s["error_kinds"]:
                errors += " " + ", ".join(
                    f"{k}: {v}" for k, v in s["error_kinds"].items()
                )
            table.add_row(
                label,
                f"{s['ok']:,}",
                f"[red]{errors}[/]" if s["errors"] else errors,
                "-" if s["p50"] is None else f"{s['p50']:.0f}",
                f"[red]{p95}[/]" if bad else p95,
                "-" if s["max"] is None else f"{s['max']:.0f}",
            )
        console.print(table)
    verdict = "met" if report["goal_met"] else "[red]NOT met[/]"
    console.print(f"Goal (every path p95 <= {GOAL_P95_MS:g} ms, 0 errors): {verdict}")
    for text in report.get("profiles", {}).values():
        console.print(text, markup=False, highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="synthetic cases")
    parser.add_argument("--db", type=Path, help="SQLite file (built if missing)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client waits between requests (0: back to back)",
    )
    parser.add_argument(
        "--warmup", type=float, default=30.0, help="cold-start phase, seconds"
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--dashboard-clients", type=int, default=4)
    parser.add_argument(
        "--dashboard-duration", type=float, default=15.0, help="0 to skip"
    )
    parser.add_argument(
        "--case-ids",
        type=int,
        default=2000,
        help="distinct case pages requested (more: fewer served from the cache)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4, help="per worker")
    parser.add_argument("--timeout", type=float, default=30.0, help="client timeout")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the paths that miss the goal"
    )
    parser.add_argument(
        "--profile-limit",
        type=float,
        default=60.0,
        help="stop a profiled page at S s",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write results")
    args = parser.parse_args()

    base = build_db(args.n, args.db, args.seed)
    db = base
    from django.db import connections

    connections.close_all()
    ids = sample_ids(db, args.case_ids)
    port = _free_port()
    sys.stderr.write(f"Starting libinnov serve on port {port} ({db})\n")
    proc = start_server(db, port, args.workers, args.threads)
    report: dict[str, Any] = {
        "benchmark": "page_latency",
        "n": args.n,
        "case_ids": len(ids),
        "db": str(db),
        "workers": args.workers,
        "think_s": args.think,
        "threads": args.threads,
        "machine": machine(),
        "goal_p95_ms": GOAL_P95_MS,
    }
    try:
        if args.warmup > 0:
            # a running server has its caches filled; measure that, and report
            # the cold first seconds apart so neither hides the other
            sys.stderr.write(
                f"Cold start: {args.clients} clients for {args.warmup:g} s\n"
            )
            report["cold"] = load(
                port, MIX, ids, args.clients, args.warmup, args.timeout
            )
        sys.stderr.write(f"Mix: {args.clients} clients for {args.duration:g} s\n")
        report["mix"] = load(
            port, MIX, ids, args.clients, args.duration, args.timeout, args.think
        )
        if args.dashboard_duration > 0:
            sys.stderr.write(
                f"Dashboard: {args.dashboard_clients} clients for "
                f"{args.dashboard_duration:g} s\n"
            )
            report["dashboard-cold"] = load(
                port,
                DASHBOARD,
                ids,
                args.dashboard_clients,
                args.warmup,
                args.timeout,
            )
            report["dashboard"] = load(
                port,
                DASHBOARD,
                ids,
                args.dashboard_clients,
                args.dashboard_duration,
                args.timeout,
            )
    finally:
        stop_server(proc)
    phases = [p for p in (report.get("mix"), report.get("dashboard")) if p]
    report["goal_met"] = all(s["goal_met"] for p in phases for s in p["paths"].values())
    if args.profile:
        rng = random.Random(5)
        slow = [
            maker(rng, ids)
            for mix in (MIX, DASHBOARD)
            for label, _, maker in mix
            for p in phases
            if label in p["paths"] and not p["paths"][label]["goal_met"]
        ]
        report["profiles"] = profile(
            db, list(dict.fromkeys(slow)), limit_s=args.profile_limit, warm=False
        )
    render(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
