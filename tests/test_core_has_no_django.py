"""The core library must stay usable without Django: only libinnov.web may import it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import libinnov

PACKAGE = Path(libinnov.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_core_module_imports_django() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "web" not in path.relative_to(PACKAGE).parts[:1]
        and {"django", "rest_framework", "drf_spectacular"} & _imports(path)
    ]
    assert offenders == []


def test_importing_the_core_loads_no_django() -> None:
    code = (
        "import sys, libinnov, libinnov.cases, libinnov.codebook, libinnov.text;"
        "import libinnov.search, libinnov.gazetteer, libinnov.campaigns;"
        "import libinnov.cli;"
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
