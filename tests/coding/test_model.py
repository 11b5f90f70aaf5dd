from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from libinnov.cases import Case, case_from_record
from libinnov.codebook import Codebook
from libinnov.codebook.model import Code
from libinnov.coding import code_cases
from libinnov.coding.model import CodingModel
from libinnov.exceptions import ModelError


def test_every_coded_dimension_gets_valid_codes_confidence_and_evidence(
    trained: CodingModel, unseen: list[Case], codebook: Codebook
) -> None:
    for case in unseen[:10]:
        coded = trained.code_case(case.with_codes())
        for dim in codebook.coded_dimensions:
            codes = coded.codes_list(dim.key)
            assert set(codes) <= set(dim.code_keys)
            if not dim.allow_empty:
                assert codes, (case.id, dim.key)
            for probability in coded.confidence[dim.key].values():
                assert 0.0 <= probability <= 1.0
        for sentences in coded.evidence["focus"].values():
            for sentence in sentences:
                assert sentence in case.text


def test_it_codes_unseen_cases_better_than_chance(
    trained: CodingModel, unseen: list[Case]
) -> None:
    hits = sum(
        bool(set(trained.code_case(c).codes_list("focus")) & set(c.codes_list("focus")))
        for c in unseen
    )
    assert hits / len(unseen) >= 0.8


def test_an_empty_text_gets_no_codes_and_review(
    trained: CodingModel, codebook: Codebook
) -> None:
    case = case_from_record({"title": "。", "library": "温州市图书馆"}, codebook)
    coded = trained.code_case(case)
    assert coded.codes.get("focus") == []
    assert "focus" in coded.needs_review and "strategy" in coded.needs_review


def test_only_missing_keeps_the_codes_a_case_has(
    trained: CodingModel, unseen: list[Case]
) -> None:
    case = unseen[0].with_codes(focus=["inclusion"])
    coded = trained.code_case(case, only_missing=True)
    assert coded.codes["focus"] == ["inclusion"]


def test_codes_a_person_gave_steer_the_dimensions_derived_from_them(
    trained: CodingModel, unseen: list[Case]
) -> None:
    # the model reads this case as (mostly) one focus area; a person said another
    facts = {
        k: v for k, v in unseen[0].codes.items() if k in ("region", "library_type")
    }
    case = dataclasses.replace(unseen[0], codes=facts)
    own = trained.code_case(case)
    other = next(
        c for c in ("space", "inclusion", "research") if c not in own.codes["focus"]
    )
    given = dataclasses.replace(case, codes={**case.codes, "focus": [other]})
    kept = trained.code_case(given, only_missing=True)
    assert kept.codes["focus"] == [other]
    assert kept.codes["innovation_type"] == other  # the rule, on the given focus
    # anchored without only_missing: the model's own focus, the derived type
    # still follows the person's focus
    steered = trained.code_case(given, anchored=True)
    assert steered.codes["focus"] == own.codes["focus"]
    assert steered.codes["innovation_type"] == other
    # and not anchored, everything is the model's own reading
    assert trained.code_case(given).codes == own.codes
    # a given technology code carries strategy 'technology' with it
    tech = dataclasses.replace(case, codes={**case.codes, "technology": ["ai"]})
    assert "technology" in trained.code_case(tech, only_missing=True).codes["strategy"]


def test_a_model_round_trips_through_a_file(
    tmp_path: Path, trained: CodingModel, unseen: list[Case], codebook: Codebook
) -> None:
    trained.save(tmp_path / "model.joblib")
    again = CodingModel.load(tmp_path / "model.joblib", codebook)
    assert again.code_case(unseen[0]).codes == trained.code_case(unseen[0]).codes


def test_a_model_for_another_codebook_version_is_refused(
    tmp_path: Path, trained: CodingModel, codebook: Codebook
) -> None:
    focus = codebook.dimension("focus")
    changed = dataclasses.replace(
        codebook,
        version="2099",
        dimensions=tuple(
            dataclasses.replace(d, codes=(*d.codes, Code("sport", "体育", "Sport")))
            if d is focus
            else d
            for d in codebook.dimensions
        ),
    )
    trained.save(tmp_path / "model.joblib")
    with pytest.raises(ModelError, match="retrain"):
        CodingModel.load(tmp_path / "model.joblib", changed)


def test_too_rare_codes_fall_back_to_indicator_terms(
    trained: CodingModel, codebook: Codebook
) -> None:
    assert "dh" in trained.rare["technology"]
    case = case_from_record(
        {"title": "数字人文平台", "summary": "我馆建设数字人文平台与知识图谱。"},
        codebook,
    )
    assert "dh" in trained.code_case(case).codes_list("technology")


@pytest.mark.parametrize("n", [3, 10, 12])
def test_a_tiny_training_set_leaves_whole_dimensions_to_the_rules(
    sample_cases: list[Case], codebook: Codebook, n: int
) -> None:
    model = CodingModel.train(sample_cases[:n], codebook)
    if n < 8:
        assert set(model.rare["focus"]) == set(codebook.dimension("focus").code_keys)
    assert model.rare["technology"]  # a dozen cases cannot teach every technology
    case = case_from_record(
        {"title": "古籍修复进校园", "summary": "组织学生体验古籍修复与传拓。"},
        codebook,
    )
    coded = model.code_case(case)
    assert "heritage" in coded.codes_list("focus")
    assert (
        coded.codes.get("innovation_type")
        in codebook.dimension("innovation_type").code_keys
    )


def test_code_cases_streams_in_order_and_fills_library_facts(
    trained: CodingModel, codebook: Codebook
) -> None:
    records = [
        {
            "id": "x1",
            "title": "城市书房",
            "summary": "24小时开放的城市书房。",
            "library": "温州市图书馆",
        },
        {
            "id": "x2",
            "title": "古籍修复",
            "summary": "修复馆藏古籍善本。",
            "library": "复旦大学图书馆",
        },
    ]
    cases = [case_from_record(r, codebook) for r in records]
    coded = list(code_cases(iter(cases), codebook, model=trained))
    assert [c.id for c in coded] == ["x1", "x2"]
    assert (
        coded[0].codes["region"] == "east"
        and coded[1].codes["library_type"] == "academic"
    )
    assert "heritage" in coded[1].codes_list("focus")


def test_editing_indicator_terms_gives_the_default_model_a_new_cache_file(
    codebook: Codebook,
) -> None:
    from libinnov.coding import default_model_path

    focus = codebook.dimension("focus")
    edited_focus = dataclasses.replace(
        focus,
        codes=tuple(
            dataclasses.replace(c, indicators=(*c.indicators, "书香校园"))
            if c.key == "reading"
            else c
            for c in focus.codes
        ),
    )
    edited = dataclasses.replace(
        codebook,
        dimensions=tuple(
            edited_focus if d.key == "focus" else d for d in codebook.dimensions
        ),
    )
    assert edited.fingerprint == codebook.fingerprint
    assert default_model_path(edited) != default_model_path(codebook)


def test_the_learned_dominance_margin_is_the_one_the_rule_applies(
    trained: CodingModel, unseen: list[Case]
) -> None:
    from libinnov.coding.model import DOMINANCE_GRID

    assert trained.dominance_ratio in DOMINANCE_GRID
    several = [c for c in unseen if len(trained.code_case(c).codes_list("focus")) >= 3]
    assert several, "no unseen case with three focus areas to test on"
    # Nothing is ever a hundred times ahead: with that margin, comprehensive.
    strict = dataclasses.replace(trained, dominance_ratio=100.0)
    assert {strict.code_case(c).codes["innovation_type"] for c in several} == {
        "comprehensive"
    }
    lenient = dataclasses.replace(trained, dominance_ratio=1.0)
    assert "comprehensive" not in {
        lenient.code_case(c).codes["innovation_type"] for c in several
    }


def test_codes_with_a_handful_of_examples_keep_the_indicator_cut_off(
    trained: CodingModel, sample_cases: list[Case], codebook: Codebook
) -> None:
    from libinnov.coding.model import RULE_THRESHOLD

    seen = sample_cases[:120]
    checked = 0
    for dim in codebook.coded_dimensions:
        if not dim.is_multi or dim.key not in trained.classifiers:
            continue
        for code in dim.code_keys:
            examples = sum(code in c.codes_list(dim.key) for c in seen)
            if 0 < examples < trained.classifiers[dim.key].min_examples:
                assert trained.thresholds[dim.key][code] == RULE_THRESHOLD
                checked += 1
    assert checked  # the sample has such codes (e.g. technology: dh)


def test_a_code_that_follows_a_dimension_mirrors_it(
    trained: CodingModel, unseen: list[Case], codebook: Codebook
) -> None:
    assert codebook.dimension("strategy").code("technology").follows == "technology"
    seen = set()
    for case in unseen:
        coded = trained.code_case(case.with_codes())
        uses_technology = bool(coded.codes_list("technology"))
        seen.add(uses_technology)
        assert ("technology" in coded.codes_list("strategy")) == uses_technology
        if uses_technology:
            evidence = coded.evidence["strategy"].get("technology", [])
            from_technology = {
                s for ss in coded.evidence["technology"].values() for s in ss
            }
            assert set(evidence) <= from_technology
    assert seen == {True, False}  # both ways were exercised


def test_without_the_link_the_strategy_code_is_its_own_decision(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    strategy = codebook.dimension("strategy")
    unlinked = dataclasses.replace(
        strategy,
        codes=tuple(dataclasses.replace(c, follows=None) for c in strategy.codes),
    )
    plain = dataclasses.replace(
        codebook,
        dimensions=tuple(
            unlinked if d.key == "strategy" else d for d in codebook.dimensions
        ),
    )
    model = CodingModel.train(sample_cases[:120], plain)
    agree = [
        ("technology" in c.codes_list("strategy")) == bool(c.codes_list("technology"))
        for c in (model.code_case(x.with_codes()) for x in sample_cases[120:])
    ]
    assert not all(agree)  # the classifier alone does not keep them in step
