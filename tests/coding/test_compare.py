from __future__ import annotations

from libinnov.cases import Case
from libinnov.codebook import Codebook
from libinnov.coding.compare import compare_training_sets


def test_the_old_set_and_the_new_are_scored_on_the_same_cases(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    cases = sample_cases[:120]
    old = [c.id for c in cases[:50]]
    steps: list[tuple[int, int]] = []
    result = compare_training_sets(
        cases, old, codebook, folds=2, progress=lambda d, t, _: steps.append((d, t))
    )
    assert result.n_cases == 120 and result.n_new == 70 and result.folds == 2
    assert steps[-1] == (4, 4)
    assert set(result.before) == set(result.after)
    focus_before, focus_after = result.before["focus"], result.after["focus"]
    assert sum(s.support for s in focus_before.per_code.values()) == sum(
        s.support for s in focus_after.per_code.values()
    )
    # more than twice the training cases must teach the focus coder something
    assert focus_after.micro_f1 > focus_before.micro_f1


def test_nothing_new_means_one_model_per_fold(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    cases = sample_cases[:60]
    steps: list[int] = []
    result = compare_training_sets(
        cases,
        [c.id for c in cases],
        codebook,
        folds=2,
        progress=lambda d, t, _: steps.append(t),
    )
    assert result.n_new == 0
    assert steps == [2, 2]
    assert {k: s.as_dict() for k, s in result.before.items()} == {
        k: s.as_dict() for k, s in result.after.items()
    }


def test_too_few_cases_or_nothing_to_code_is_a_clear_error(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    import dataclasses

    import pytest

    from libinnov.exceptions import ModelError

    with pytest.raises(ModelError, match="at least 10 coded cases, got 3"):
        compare_training_sets(sample_cases[:3], [], codebook)
    nothing = dataclasses.replace(
        codebook,
        dimensions=tuple(
            dataclasses.replace(d, retired=True) for d in codebook.dimensions
        ),
    )
    with pytest.raises(ModelError, match="no dimension to code"):
        compare_training_sets(sample_cases[:20], [], nothing)
