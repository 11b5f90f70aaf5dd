"""A cached SQLite library of N synthetic cases for the web benchmarks.

``coding_throughput.synthetic_cases`` recombines sample sentences too, but its cases
carry no codes, library, province or year, which the web's facets, filters and
dashboard need; so the web benchmarks build theirs here. Each synthetic case takes a
sample case as its source: most sentences and every code come from it (so the codes
still fit the text), a few sentences and half of the title come from other cases, and
province and year are drawn afresh (the derived ``region`` follows the province).

The database is built once per (N, seed) with Django's ``migrate`` and the web's own
bulk import (``cases_import``), written to a temporary file and renamed when done, so
an interrupted build is never mistaken for a finished one.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from libinnov.cases import Case, load_sample
from libinnov.text.segment import split_sentences

SEED = 20240601
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
_CLAUSE = re.compile(r"(?<=[，：:；、])")


def default_db(n: int, seed: int = SEED) -> Path:
    return CACHE_DIR / "libinnov-bench" / f"web-{n}-seed{seed}.sqlite3"


def _title_halves(title: str) -> tuple[str, str]:
    parts = [p for p in _CLAUSE.split(title) if p]
    if len(parts) < 2:
        return title, ""
    cut = max(1, len(parts) // 2)
    return "".join(parts[:cut]), "".join(parts[cut:])


def synthetic_cases(n: int, seed: int = SEED) -> Iterator[Case]:
    """N cases recombined from the bundled sample, the same ones for the same seed."""
    from libinnov.codebook import default_codebook
    from libinnov.codebook.derive import derive_region

    codebook = default_codebook()
    sample = load_sample(codebook)
    own = [split_sentences(c.summary) or [c.summary] for c in sample]
    everyone = [s for sentences in own for s in sentences]
    halves = [_title_halves(c.title) for c in sample]
    tails = [tail for _, tail in halves if tail]
    provinces = [c.province for c in sample if c.province]
    rng = random.Random(seed)
    for i in range(n):
        k = rng.randrange(len(sample))
        source = sample[k]
        head, tail = halves[k]
        title = head + rng.choice(tails) if tail and rng.random() < 0.7 else head + tail
        mine = own[k]
        body = rng.sample(mine, k=min(len(mine), rng.randint(2, 5)))
        for _ in range(rng.randint(1, 3)):
            body.insert(rng.randint(0, len(body)), rng.choice(everyone))
        province = rng.choice(provinces)
        codes = dict(source.codes)
        region = derive_region(province, codebook)
        if region:
            codes["region"] = region
        yield Case(
            id=f"syn-{i:06d}",
            title=title,
            summary="".join(body),
            library=source.library,
            province=province,
            year=rng.randint(2008, 2025),
            codes=codes,
        )


def configure_django(db: Path | str) -> None:
    """Point Django at ``db`` (a SQLite file or a database URL) with settings as
    ``libinnov serve`` uses them."""
    url = db if isinstance(db, str) else f"sqlite:///{db.resolve()}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LIBINNOV_SECRET_KEY", "benchmark-only-secret-" + "x" * 30)
    os.environ.setdefault("LIBINNOV_LOG", "WARNING")
    from libinnov.web import setup

    setup()


def _progress(done: int, total: int, start: float) -> None:
    rate = done / max(time.perf_counter() - start, 1e-9)
    left = (total - done) / rate if rate else 0.0
    sys.stderr.write(
        f"\r  loaded {done:>7,}/{total:,} cases  {rate:6.0f}/s  ~{left:4.0f} s left"
    )
    sys.stderr.flush()


def build_db(
    n: int, db: Path | None = None, seed: int = SEED, batch: int = 2000
) -> Path:
    """The path of a migrated SQLite database holding N synthetic cases.

    Reuses a finished file, migrated to the current schema first (a no-op when
    it is, about a minute at 100k when a migration rebuilds the case table or
    the search index is new); otherwise builds one (about 2 to 4 minutes per
    100k cases, mostly segmentation for the index). Django is configured on
    return.
    """
    db = Path(db) if db else default_db(n, seed)
    if db.exists():
        configure_django(db)
        from django.core.management import call_command

        from libinnov.web.cases.models import Case as WebCase

        if WebCase.objects.count() == n:
            call_command("migrate", interactive=False, verbosity=0)
            return db
        raise SystemExit(f"{db} exists but does not hold {n} cases; remove it first")
    db.parent.mkdir(parents=True, exist_ok=True)
    tmp = db.with_name(db.name + ".building")
    for leftover in db.parent.glob(tmp.name + "*"):
        leftover.unlink()
    configure_django(tmp)
    from django.core.management import call_command
    from django.db import connection

    from libinnov.web.cases.services import cases_import
    from libinnov.web.codebook.selectors import current_codebook, current_version

    sys.stderr.write(f"Building {db} with {n:,} synthetic cases (once)\n")
    call_command("migrate", interactive=False, verbosity=0)
    codebook = current_codebook()
    version = current_version().version
    start = time.perf_counter()
    chunk: list[Case] = []
    done = 0
    for case in synthetic_cases(n, seed):
        chunk.append(case)
        if len(chunk) == batch:
            cases_import(chunk, codebook=codebook, codebook_version=version)
            done += len(chunk)
            chunk = []
            _progress(done, n, start)
    if chunk:
        cases_import(chunk, codebook=codebook, codebook_version=version)
        done += len(chunk)
        _progress(done, n, start)
    # no ANALYZE or FTS 'optimize': the file is left as a web import leaves it
    connection.close()
    sys.stderr.write(f"\n  built in {time.perf_counter() - start:.0f} s\n")
    tmp.rename(db)
    use_db(db)
    return db


def use_db(db: Path) -> None:
    """Django read DATABASE_URL once; point the open settings at the renamed file."""
    from django.conf import settings
    from django.db import connections

    os.environ["DATABASE_URL"] = f"sqlite:///{db.resolve()}"
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = str(db.resolve())
    connections["default"].settings_dict["NAME"] = str(db.resolve())
