"""The command runs as an installed script and as ``python -m libinnov``."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from libinnov.cli import app


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "libinnov", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    for command in ("cases", "codebook", "code", "analyze", "demo", "serve"):
        assert command in out.stdout


def test_an_unknown_file_is_a_clear_error_not_a_traceback() -> None:
    result = CliRunner().invoke(app, ["cases", "validate", "no-such-file.csv"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
