"""A broken codebook is refused with the file, line, dimension and code named."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from libinnov.cli import app
from libinnov.codebook import Codebook, load_codebook, save_codebook
from libinnov.exceptions import InvalidCodebook

GOOD = """name: t
version: "1"
dimensions:
  - key: focus
    label_zh: 聚焦
    label_en: Focus
    cardinality: multi
    codes:
      - key: reading
        label_zh: 阅读
        label_en: Reading
      - key: space
        label_zh: 空间
        label_en: Space
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("cardinality: multi", "cardinality: many"), ("line 4", "'focus'", "many")),
        (("key: space", "key: reading"), ("line 12", "'focus'", "'reading'", "twice")),
        (("key: space", "key: Space Room"), ("line 12", "'focus'", "Space Room")),
        (
            ("        label_zh: 空间\n        label_en: Space\n", ""),
            ("line 12", "'focus'", "'space'", "label"),
        ),
        (("label_en: Focus", "label_en: [Focus"), ("line 6", "not valid YAML")),
    ],
)
def test_it_names_where_a_codebook_is_wrong(
    tmp_path: Path, change: tuple[str, str], expected: tuple[str, ...]
) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(InvalidCodebook) as err:
        load_codebook(path)
    message = err.value.describe()
    assert message.startswith(str(path))
    for part in expected:
        assert part in message


def test_a_rule_source_must_be_a_dimension(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    cardinality: multi", "    cardinality: multi\n    rule_source: nope"
    )
    with pytest.raises(InvalidCodebook, match="rule_source 'nope'"):
        load_codebook(_write(tmp_path, text))


FOLLOWER = """
  - key: strategy
    label_zh: 策略
    label_en: Strategy
    cardinality: multi
    codes:
      - key: technology
        label_zh: 技术
        label_en: Technology
        follows: focus
"""


def test_a_code_can_follow_another_dimension(tmp_path: Path) -> None:
    codebook = load_codebook(_write(tmp_path, GOOD + FOLLOWER))
    assert codebook.dimension("strategy").code("technology").follows == "focus"
    plain = load_codebook(_write(tmp_path, GOOD + FOLLOWER.replace("follows", "#")))
    assert codebook.fingerprint != plain.fingerprint  # models must be retrained


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("follows: focus", "follows: nope"), "follows 'nope'"),
        (("follows: focus", "follows: strategy"), "follows 'strategy'"),
        (
            (
                "    cardinality: multi\n    codes:\n      - key: technology",
                "    cardinality: single\n    codes:\n      - key: technology",
            ),
            "only a code of a multi dimension",
        ),
    ],
)
def test_a_code_follows_only_another_dimension_from_a_multi_one(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = GOOD + FOLLOWER.replace(*change)
    assert text != GOOD + FOLLOWER
    with pytest.raises(InvalidCodebook) as err:
        load_codebook(_write(tmp_path, text))
    message = err.value.describe()
    assert expected in message and "'technology'" in message and "line" in message


def test_a_single_dimension_cannot_be_followed(tmp_path: Path) -> None:
    single = GOOD.replace("cardinality: multi", "cardinality: single")
    with pytest.raises(InvalidCodebook) as err:
        load_codebook(_write(tmp_path, single + FOLLOWER))
    message = err.value.describe()
    assert "follows 'focus', a single dimension" in message and "line" in message


def test_the_good_codebook_loads(tmp_path: Path) -> None:
    codebook = load_codebook(_write(tmp_path, GOOD))
    assert codebook.dimension("focus").code_keys == ("reading", "space")


def test_an_xlsx_error_names_sheet_and_row(tmp_path: Path, codebook: Codebook) -> None:
    path = tmp_path / "codebook.xlsx"
    save_codebook(codebook, path)
    workbook = load_workbook(path)
    workbook["codes"]["A5"] = "nowhere"
    workbook.save(path)
    with pytest.raises(InvalidCodebook) as err:
        load_codebook(path)
    assert "row 5" in err.value.describe() and "'nowhere'" in err.value.describe()


runner = CliRunner()


def test_cli_validate_prints_the_dimensions(tmp_path: Path) -> None:
    result = runner.invoke(app, ["codebook", "validate", str(_write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "focus" in result.output and "valid" in result.output


def test_cli_validate_fails_with_exit_2(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("cardinality: multi", "cardinality: many"))
    result = runner.invoke(app, ["codebook", "validate", str(path)])
    assert result.exit_code == 2
    assert "line 4" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "qdc"])
def test_cli_export_then_import_gives_the_same_codebook(
    tmp_path: Path, codebook: Codebook, fmt: str
) -> None:
    exported = tmp_path / f"cb.{fmt}"
    result = runner.invoke(
        app, ["codebook", "export", "--format", fmt, "-o", str(exported)]
    )
    assert result.exit_code == 0, result.output
    back = tmp_path / "back.yaml"
    result = runner.invoke(app, ["codebook", "import", str(exported), "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert load_codebook(back) == codebook
