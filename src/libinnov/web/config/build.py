"""Which build of libinnov is running: a fingerprint of the installed package.

The web cache keeps whole pages and analyses for an hour, keyed on the
library's and the codebook's versions. After an upgrade those keys are the
same, so readers would get pages rendered by the old templates, and the
dashboard a summary in the old shape, until the entries expire. The cache's key
prefix holds this fingerprint, so a new build starts from an empty namespace
and the old entries simply age out.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import libinnov

PACKAGE_DIR = Path(libinnov.__file__).resolve().parent


def fingerprint(root: Path) -> str:
    """A short hash of every file's path, size and modification time under ``root``.

    Reading the files' content would take far longer (megabytes of scripts and
    models); an upgrade or a redeploy rewrites them, which changes their times.
    """
    digest = hashlib.sha1()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder, name)
            stat = path.stat()
            relative = path.relative_to(root).as_posix()
            digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def build_fingerprint() -> str:
    """The running package's fingerprint, computed once per process."""
    return f"{libinnov.__version__}-{fingerprint(PACKAGE_DIR)}"


def cache_prefix(database: str, build: str) -> str:
    """The web cache's key prefix: one namespace per database and per build."""
    return hashlib.sha1(f"{database}\0{build}".encode()).hexdigest()[:10]
