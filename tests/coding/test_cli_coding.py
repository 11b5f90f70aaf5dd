"""The coding commands end to end on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from libinnov.cases import Case, read_cases, write_cases
from libinnov.cli import app
from libinnov.codebook import Codebook

runner = CliRunner()


@pytest.fixture
def uncoded(tmp_path: Path, sample_cases: list[Case]) -> Path:
    path = tmp_path / "uncoded.jsonl"
    rows = [{"id": c.id, "title": c.title, "library": c.library, "summary": c.summary}
            for c in sample_cases[140:]]  # fmt: skip
    rows.append({"id": "empty", "title": "…", "library": "温州市图书馆"})
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    return path


def test_code_writes_one_line_per_case_in_order_with_the_contract_keys(
    tmp_path: Path, uncoded: Path, codebook: Codebook
) -> None:
    out = tmp_path / "coded.jsonl"
    result = runner.invoke(app, ["code", str(uncoded), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    source = [json.loads(x) for x in uncoded.read_text("utf-8").splitlines()]
    assert [r["id"] for r in lines] == [r["id"] for r in source]
    for record in lines:
        for key in ("confidence", "evidence", "province", "region", "library_type"):
            assert key in record
        for dim in codebook.coded_dimensions:
            assert dim.key in record
    assert lines[-1]["focus"] == [] and "focus" in lines[-1]["needs_review"]


def test_train_then_code_with_the_trained_model(
    tmp_path: Path, sample_cases: list[Case], uncoded: Path
) -> None:
    coded = tmp_path / "coded.xlsx"
    write_cases(sample_cases[:60], coded)
    model = tmp_path / "mine.joblib"
    result = runner.invoke(app, ["train", str(coded), "-o", str(model)])
    assert result.exit_code == 0, result.output
    assert "too rare" in result.output and "dh" in result.output
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["code", str(uncoded), "-o", str(out), "--model", str(model)]
    )
    assert result.exit_code == 0, result.output
    assert len(read_cases(out)) == 15


def test_a_bad_model_file_is_refused_clearly(tmp_path: Path, uncoded: Path) -> None:
    bad = tmp_path / "bad.joblib"
    bad.write_bytes(b"not a model")
    result = runner.invoke(app, ["code", str(uncoded), "-o", str(tmp_path / "o.jsonl"),
                                 "--model", str(bad)])  # fmt: skip
    assert result.exit_code == 2
    assert "not a libinnov model" in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_evaluate_prints_per_code_scores_and_writes_json(
    tmp_path: Path, sample_cases: list[Case]
) -> None:
    coded = tmp_path / "coded.jsonl"
    write_cases(sample_cases[:80], coded)
    result = runner.invoke(app, ["evaluate", str(coded), "--folds", "2", "--json",
                                 str(tmp_path / "eval.json")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "support" in result.output
    data = json.loads((tmp_path / "eval.json").read_text("utf-8"))
    focus = data["dimensions"]["focus"]
    assert 0.0 <= focus["macro_f1"] <= 1.0
    assert sum(c["support"] for c in focus["per_code"].values()) >= 80
    assert data["dimensions"]["innovation_type"]["confusion"]


def test_evaluate_writes_the_out_of_fold_codes_it_scored(
    tmp_path: Path, sample_cases: list[Case]
) -> None:
    coded = tmp_path / "coded.jsonl"
    write_cases(sample_cases[:60], coded)
    runs = {}
    for seed in ("0", "1"):
        oof = tmp_path / f"oof-{seed}.jsonl"
        report = tmp_path / f"eval-{seed}.json"
        result = runner.invoke(app, ["evaluate", str(coded), "--folds", "2", "--seed",
                                     seed, "--predictions", str(oof), "--json",
                                     str(report)])  # fmt: skip
        assert result.exit_code == 0, result.output
        runs[seed] = (read_cases(oof), json.loads(report.read_text("utf-8")))
    predicted, report_0 = runs["0"]
    assert [c.id for c in predicted] == [c.id for c in sample_cases[:60]]
    assert report_0["seed"] == 0
    # the file holds exactly what was scored: its innovation types give the accuracy
    right = [
        p.codes["innovation_type"] == t.codes["innovation_type"]
        for p, t in zip(predicted, sample_cases[:60], strict=True)
    ]
    accuracy = report_0["dimensions"]["innovation_type"]["accuracy"]
    assert accuracy == pytest.approx(sum(right) / 60, abs=1e-4)
    assert all(c.confidence.get("focus") for c in predicted)
    # another seed splits the cases differently, so some codes differ
    other = runs["1"][0]
    assert any(a.codes != b.codes for a, b in zip(predicted, other, strict=True))
    # and the disagreements with the coders are one command away
    result = runner.invoke(
        app, ["agreement", str(coded), str(tmp_path / "oof-0.jsonl")]
    )
    assert result.exit_code == 0, result.output
    assert "disagreements to adjudicate" in result.output


def test_agreement_compares_a_human_and_a_model(
    tmp_path: Path, sample_cases: list[Case], uncoded: Path
) -> None:
    human = tmp_path / "human.jsonl"
    write_cases(sample_cases[140:], human)
    model = tmp_path / "model.jsonl"
    assert runner.invoke(app, ["code", str(uncoded), "-o", str(model)]).exit_code == 0
    result = runner.invoke(app, ["agreement", str(human), str(model), "--json",
                                 str(tmp_path / "a.json")])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "a.json").read_text("utf-8"))
    assert data["n_cases"] == 14 and data["coders"] == ["human", "model"]
    kappa = data["dimensions"]["innovation_type"]["cohen_kappa"]
    assert kappa["ci_low"] <= kappa["value"] <= kappa["ci_high"]
    assert "disagreements" in result.output


def test_suggest_next_ranks_uncoded_cases_with_reasons(
    tmp_path: Path, sample_cases: list[Case], uncoded: Path
) -> None:
    coded = tmp_path / "coded.jsonl"
    write_cases(sample_cases[:100], coded)
    result = runner.invoke(app, ["suggest-next", str(coded), str(uncoded), "-n", "5"])
    assert result.exit_code == 0, result.output
    assert "no codable text" in result.output  # an empty text is the most uncertain
    assert "threshold" in result.output or "runner-up" in result.output
