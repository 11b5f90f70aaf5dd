"""Search latency of the web case library, and of the core ``CaseIndex``.

Builds (once, then cached) a SQLite library of N synthetic cases recombined from the
bundled sample, then times what ``/cases/?q=...&format=json`` asks the database for:
the filter parsed from the query string, the cases matching it, their count and the
first page of 20 ids by relevance. The same queries then go to the core
:class:`libinnov.search.CaseIndex` holding the same index rows. Goal: p95 <= 20 ms.

With ``--backend postgresql`` the same library is copied into a throwaway
PostgreSQL server (see ``_postgres.py``; ``--pgdata DIR`` keeps it for the next
run) and the web side is timed there; the core index has no PostgreSQL side.

    python benchmarks/search_latency.py --n 100000 --json search.json
    python benchmarks/search_latency.py --backend postgresql --json search-pg.json
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import (
    SEED,
    build_db,
    default_db,
    use_db,
)

GOAL_P95_MS = 20.0

#: (class, query) — what people type into the search box
QUERIES: list[tuple[str, str] | tuple[str, str, dict[str, str]]] = [
    ("2-char word", "阅读"),
    ("2-char word", "古籍"),
    ("2-char word", "馆员"),
    ("2-char word", "空间"),
    ("2-char word", "儿童"),
    ("2-char word", "数字"),
    ("2-char word", "服务"),
    ("2-char word", "讲座"),
    ("long word", "阅读推广"),
    ("long word", "信息素养"),
    ("long word", "城市书房"),
    ("long word", "古籍修复"),
    ("long word", "创客空间"),
    ("long word", "知识产权"),
    ("long word", "图书馆"),
    ("long word", "数字人文"),
    ("two words", "古籍 修复"),
    ("two words", "儿童 阅读"),
    ("two words", "信息素养 讲座"),
    ("two words", "空间 改造"),
    ("two words", "VR 体验"),
    ("two words", "馆员 培训"),
    ("phrase", '"同读一本书"'),
    ("phrase", '"城市 书房"'),
    ("phrase", "高校图书馆如何开展阅读推广"),
    ("single char", "书"),
    ("traditional", "閱讀"),
    ("traditional", "圖書館 古籍"),
    ("latin", "AI"),
    ("no hit", "区块链"),
    # a word with the library's filters: the index alone cannot answer these
    ("filtered", "阅读", {"year": "2023"}),
    ("filtered", "古籍", {"province": "江苏"}),
    ("filtered", "服务", {"region": "east"}),
    ("filtered", "图书馆", {"library_type": "public"}),
    ("filtered", "", {"focus": "reading"}),
]


def _params(entry: tuple[Any, ...]) -> dict[str, str]:
    return dict(entry[2]) if len(entry) > 2 else {}


def _label(q: str, params: dict[str, str]) -> str:
    return " ".join([q, *(f"{k}={v}" for k, v in params.items())]).strip()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def stats(ms: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(percentile(ms, 95), 2),
        "max": round(max(ms), 2),
    }


def web_search(
    q: str, codebook: Any, params: dict[str, str] | None = None
) -> tuple[int, list[str]]:
    """What the JSON list view asks the database for: count and 20 ranked ids."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from libinnov.web.cases import selectors

    query = QueryDict(urlencode({"q": q, **(params or {})}))
    flt = selectors.parse_filter(query, codebook)
    qs, terms = selectors.apply_filter(selectors.visible_cases(AnonymousUser()), flt)
    ids = selectors.ranked_ids(qs, terms)
    return ids.count(), list(ids[:20])


def core_index(db: Path) -> Any:
    """A file-backed ``CaseIndex`` next to the library, filled with its index rows.

    The rows are copied rather than recomputed: they are what ``CaseIndex.add``
    writes (the web computes them with the same ``libinnov.search`` functions).
    """
    from libinnov.search import CaseIndex

    path = db.with_name(db.stem + ".caseindex.sqlite3")
    index = CaseIndex(str(path))
    with sqlite3.connect(db) as source:
        n = source.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    if len(index) != n:
        sys.stderr.write(f"Filling the core CaseIndex {path}\n")
        index.conn.execute("DELETE FROM cases")
        index.conn.execute("ATTACH DATABASE ? AS web", (str(db),))
        with index.conn:
            index.conn.execute(
                "INSERT INTO cases SELECT id, title, search_text, index_title, "
                "index_body, search_rowid FROM web.cases_case"
            )
        index.conn.execute("DETACH DATABASE web")
    return index


class TimedOut(Exception):
    """A query ran past the time limit and was interrupted."""


def call_with_limit(fn: Any, interrupt: Any, limit_s: float) -> tuple[Any, float]:
    """Run ``fn``; interrupt its SQLite connection after ``limit_s`` seconds."""
    timer = threading.Timer(limit_s, interrupt)
    timer.start()
    start = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:  # sqlite3, psycopg or Django's OperationalError
        if "interrupt" in str(exc) or "canceling statement" in str(exc):
            raise TimedOut from exc
        raise
    finally:
        timer.cancel()
    return result, (time.perf_counter() - start) * 1000


def timed(
    fn: Any, interrupt: Any, repeat: int, limit_s: float, budget_s: float
) -> tuple[Any, float | None, list[float]]:
    """The result, the first (cold) time and up to ``repeat`` further times in ms.

    A run past ``limit_s`` is interrupted (cold time ``None``, no further runs);
    repeats stop early once they have used ``budget_s`` seconds.
    """
    try:
        result, cold = call_with_limit(fn, interrupt, limit_s)
    except TimedOut:
        return None, None, []
    times: list[float] = []
    while len(times) < repeat and (not times or sum(times) < budget_s * 1000):
        times.append(call_with_limit(fn, interrupt, limit_s)[1])
    return result, cold, times


def machine(postgresql: str | None = None) -> dict[str, Any]:
    import os

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        **({"postgresql": postgresql} if postgresql else {}),
        "platform": platform.platform(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def _side(
    fn: Any, interrupt: Any, args: argparse.Namespace
) -> tuple[Any, dict[str, Any]]:
    result, cold, times = timed(fn, interrupt, args.repeat, args.limit, args.budget)
    limit_ms = args.limit * 1000
    return result, {
        "timed_out": cold is None,
        "cold_ms": None if cold is None else round(cold, 2),
        "ms": [round(t, 3) for t in times],
        # every query weighs the same in the percentiles: its runs are cycled to
        # ``repeat`` samples; a timed-out one counts at the limit (a lower bound)
        "samples": ((times or [limit_ms]) * args.repeat)[: args.repeat],
    }


def _summary(rows: list[dict[str, Any]], side: str) -> dict[str, Any]:
    samples = [t for r in rows for t in r[side]["samples"]]
    return {
        **stats(samples),
        "timeouts": sum(1 for r in rows if r[side]["timed_out"]),
    }


def _source_db(args: argparse.Namespace) -> Path:
    """The SQLite library the PostgreSQL one is copied from, built if missing.

    Built in a child process: this one's Django is to be set up for PostgreSQL.
    """
    path = Path(args.db) if args.db else default_db(args.n, args.seed)
    if not path.exists():
        code = (
            "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
            "from _synthetic import build_db; "
            "build_db(int(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))"
        )
        here = str(Path(__file__).resolve().parent)
        subprocess.run(
            [sys.executable, "-c", code, here, str(args.n), str(path), str(args.seed)],
            check=True,
        )
    return path


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.backend == "postgresql":
        from _postgres import PostgresServer, load, server_version

        source = _source_db(args)
        server = PostgresServer(args.pgdata, settings=args.pg_setting)
        server.start()
        try:
            load(server, source, args.n)
            with server.connect() as conn:
                version = server_version(conn)
            report = _measure(args, None, machine(postgresql=version))
        finally:
            from django.db import connections

            connections.close_all()
            server.stop()
        report["db"] = f"PostgreSQL copy of {source}"
        report["pg_settings"] = args.pg_setting
        return report
    path = build_db(args.n, args.db, args.seed)
    use_db(path)
    report = _measure(args, core_index(path), machine())
    report["db"] = str(path)
    return report


def _measure(
    args: argparse.Namespace, index: Any, machine_info: dict[str, Any]
) -> dict[str, Any]:
    """Time every query on the configured database (and on ``index`` if given)."""
    from django.db import connection

    from libinnov.web.codebook.selectors import current_codebook

    codebook = current_codebook()
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        interrupt = raw.interrupt
    else:
        interrupt = getattr(raw, "cancel_safe", raw.cancel)
    rows: list[dict[str, Any]] = []
    for entry in QUERIES:
        kind, q, params = entry[0], entry[1], _params(entry)
        sys.stderr.write(f"  {kind}: {_label(q, params)}\n")
        found, web = _side(
            lambda q=q, params=params: web_search(q, codebook, params),
            interrupt,
            args,
        )
        web.update(stats(web["ms"] or [args.limit * 1000]))
        row: dict[str, Any] = {
            "class": kind,
            "q": _label(q, params),
            "count": None if found is None else found[0],
            "web": web,
        }
        if index is not None and not params:
            result, core = _side(
                lambda q=q: index.search(q, limit=20), index.conn.interrupt, args
            )
            core.update(stats(core["ms"] or [args.limit * 1000]))
            row["core"] = core
            row["core_count"] = None if result is None else result.total
        rows.append(row)
    classes: dict[str, dict[str, Any]] = {}
    for kind in dict.fromkeys(e[0] for e in QUERIES):
        mine = [r for r in rows if r["class"] == kind]
        classes[kind] = {"queries": len(mine), **_sides(mine)}
    overall = _sides(rows)
    for r in rows:
        for which in ("web", "core"):
            r.get(which, {}).pop("samples", None)
    return {
        "benchmark": "search_latency",
        "backend": args.backend,
        "n": args.n,
        "seed": args.seed,
        "repeat": args.repeat,
        "limit_s": args.limit,
        "rank_window": _rank_window(),
        "goal_p95_ms": GOAL_P95_MS,
        "goal_met": overall["web"]["p95"] <= GOAL_P95_MS
        and not overall["web"]["timeouts"],
        "machine": machine_info,
        "overall": overall,
        "classes": classes,
        "queries": rows,
    }


def _sides(rows: list[dict[str, Any]]) -> dict[str, Any]:
    sides = {"web": _summary(rows, "web")}
    with_core = [r for r in rows if "core" in r]
    if with_core:
        sides["core"] = _summary(with_core, "core")
    return sides


def _rank_window() -> int:
    from libinnov.web.cases.search_index import rank_window

    return rank_window()


def _ms(value: float | None, limit_s: float) -> str:
    if value is None or value >= limit_s * 1000:
        return f">{limit_s:g} s"
    return f"{value:.1f}"


def render(report: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 130))
    limit = report["limit_s"]
    m = report["machine"]
    if "postgresql" in m:
        database = f"PostgreSQL {m['postgresql']}"
        if report.get("pg_settings"):
            database += f" ({', '.join(report['pg_settings'])})"
    else:
        database = f"SQLite {m['sqlite']}"
    has_core = "core" in report["overall"]
    console.print(
        f"[bold]{report['n']:,} cases on {database}[/]; up to {report['repeat']} "
        f"timed runs per query after one cold run, each cut off at {limit:g} s; "
        f"rank window {report['rank_window']:,}; {m['nproc']} x {m['cpu']}, "
        f"load {m['loadavg']}"
    )
    table = Table(title="Per query (ms)")
    columns = ["class", "query", "hits", "web cold", "web p50", "web p95", "web max"]
    if has_core:
        columns += ["core p50", "core p95"]
    for col in columns:
        table.add_column(col, justify="left" if col in ("class", "query") else "right")
    for r in report["queries"]:
        web, core = r["web"], r.get("core")
        hits = "?" if r["count"] is None else f"{r['count']:,}"
        if core and r["core_count"] is not None and r["core_count"] != r["count"]:
            hits += f" (core {r['core_count']:,})"
        p95 = _ms(web["p95"], limit)
        cells = [
            r["class"],
            r["q"],
            hits,
            _ms(web["cold_ms"], limit),
            _ms(web["p50"], limit),
            f"[red]{p95}[/]" if web["p95"] > GOAL_P95_MS else p95,
            _ms(web["max"], limit),
        ]
        if has_core:
            cells += (
                ["", ""]
                if core is None
                else [
                    _ms(core["p50"], limit),
                    _ms(core["p95"], limit),
                ]
            )
        table.add_row(*cells)
    console.print(table)
    summary = Table(title=f"Per class (ms); goal: web p95 <= {GOAL_P95_MS:g} ms")
    columns = ["class", "web p50", "web p95", "web max", "web timeouts"]
    if has_core:
        columns += ["core p50", "core p95", "core timeouts"]
    for col in columns:
        summary.add_column(col, justify="left" if col == "class" else "right")
    for kind, c in [*report["classes"].items(), ("all", report["overall"])]:
        web, core = c["web"], c.get("core")
        cells = [
            kind,
            *(_ms(web[k], limit) for k in ("p50", "p95", "max")),
            str(web["timeouts"]),
        ]
        if has_core:
            cells += (
                ["", "", ""]
                if core is None
                else [
                    *(_ms(core[k], limit) for k in ("p50", "p95")),
                    str(core["timeouts"]),
                ]
            )
        summary.add_row(*cells)
    console.print(summary)
    verdict = "met" if report["goal_met"] else "[red]NOT met[/]"
    console.print(f"Goal (web p95 <= {GOAL_P95_MS:g} ms): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="synthetic cases")
    parser.add_argument("--db", type=Path, help="SQLite file (built if missing)")
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the web's database; postgresql copies the SQLite library into a "
        "throwaway server",
    )
    parser.add_argument(
        "--pgdata",
        type=Path,
        help="keep the PostgreSQL cluster in DIR (reused when it holds the library)",
    )
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a server setting, e.g. shared_buffers=1GB (repeatable)",
    )
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query")
    parser.add_argument(
        "--limit", type=float, default=20.0, help="interrupt a query after S seconds"
    )
    parser.add_argument(
        "--budget", type=float, default=3.0, help="stop repeating after S seconds"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--json", type=Path, metavar="OUT", help="write results")
    args = parser.parse_args()
    report = run(args)
    render(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
