"""Regenerate docs/cli.md from the CLI's own --help (tests/test_docs.py checks it)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from libinnov.clidocs import render_cli_docs  # noqa: E402

if __name__ == "__main__":
    target = ROOT / "docs" / "cli.md"
    target.write_text(render_cli_docs(), encoding="utf-8")
    print(f"wrote {target}")
