"""A new build of libinnov starts the web cache afresh (pages rendered by old
templates, summaries in an old shape are never served after an upgrade)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import libinnov
from libinnov.web.config.build import (
    PACKAGE_DIR,
    build_fingerprint,
    cache_prefix,
    fingerprint,
)


def _tree(root: Path) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "templates" / "page.html").write_text("<h1>旧</h1>", "utf-8")
    (root / "views.py").write_text("x = 1\n", "utf-8")
    return root


def test_a_rewritten_or_added_file_changes_the_fingerprint(tmp_path: Path) -> None:
    root = _tree(tmp_path / "pkg")
    first = fingerprint(root)
    assert fingerprint(root) == first  # stable while nothing changes
    page = root / "templates" / "page.html"
    page.write_text("<h1>新模板</h1>", "utf-8")
    second = fingerprint(root)
    assert second != first
    os.utime(page, ns=(1, 1))  # same size, another time: a redeploy
    assert fingerprint(root) not in (first, second)
    third = fingerprint(root)
    (root / "templates" / "extra.html").write_text("", "utf-8")
    assert fingerprint(root) != third


def test_compiled_python_does_not_change_it(tmp_path: Path) -> None:
    root = _tree(tmp_path / "pkg")
    before = fingerprint(root)
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\0")
    (root / "stray.pyc").write_bytes(b"\0")
    assert fingerprint(root) == before


def test_the_cache_prefix_holds_the_database_and_the_build() -> None:
    assert cache_prefix("a.sqlite3", "0.1.0-x") != cache_prefix("a.sqlite3", "0.1.0-y")
    assert cache_prefix("a.sqlite3", "0.1.0-x") != cache_prefix("b.sqlite3", "0.1.0-x")
    assert build_fingerprint() == f"{libinnov.__version__}-{fingerprint(PACKAGE_DIR)}"


def test_the_settings_use_the_running_build(tmp_path: Path) -> None:
    """Outside the test settings (which give each worker its own prefix)."""
    code = (
        "from libinnov.web.config import settings as s\n"
        "from libinnov.web.config.build import build_fingerprint, cache_prefix\n"
        "assert s.CACHES['default']['KEY_PREFIX'] == "
        "cache_prefix(s._DB_NAME, build_fingerprint())\n"
    )
    env = {**os.environ, "LIBINNOV_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
