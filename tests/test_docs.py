"""The docs list every CLI command, setting and codebook dimension, and stay current."""

from __future__ import annotations

from pathlib import Path

from libinnov.clidocs import command_paths, render_cli_docs
from libinnov.codebook import Codebook
from libinnov.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_the_cli_reference_is_current() -> None:
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == render_cli_docs(), "run `make docs` to regenerate docs/cli.md"


def test_the_cli_reference_names_every_command() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for path in command_paths():
        assert f"## libinnov {' '.join(path)}\n" in text


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text


def test_every_codebook_dimension_is_documented(codebook: Codebook) -> None:
    text = (DOCS / "codebook.md").read_text(encoding="utf-8")
    for dimension in codebook.dimensions:
        assert f"`{dimension.key}`" in text
        for code in dimension.codes:
            assert f"`{code.key}`" in text


def test_the_readme_gives_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
