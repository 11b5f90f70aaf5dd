from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy import stats

from libinnov.analysis import AnalysisError, analyze
from libinnov.analysis.tables import crosstab_counts
from libinnov.analysis.tests import association
from libinnov.cases import Case, case_from_record
from libinnov.codebook import Codebook


@pytest.fixture(scope="module")
def sample_analysis(sample_cases: list[Case], codebook: Codebook):  # type: ignore[no-untyped-def]
    return analyze(sample_cases, codebook)


def test_summary_counts_equal_the_input_labels(
    sample_analysis,
    sample_cases: list[Case],
    codebook: Codebook,  # type: ignore[no-untyped-def]
) -> None:
    summary = sample_analysis.summary()
    assert summary["n_cases"] == 154
    for dim in codebook.dimensions:
        expected = Counter(
            code for c in sample_cases for code in set(c.codes_list(dim.key))
        )
        counts = {
            k: v for k, v in summary["dimensions"][dim.key]["counts"].items() if v
        }
        assert counts == dict(expected), dim.key
    provinces = Counter(c.province for c in sample_cases)
    assert summary["provinces"]["counts"] == dict(provinces)


def _fixture(codebook: Codebook) -> list[Case]:
    rows = [
        ("浙江", "public", ["reading", "space"], "reading"),
        ("浙江", "public", ["reading"], "reading"),
        ("上海", "academic", ["teaching", "research"], "teaching"),
        ("湖北", "academic", ["research"], "research"),
        ("四川", "public", ["reading", "community"], "community"),
        ("吉林", "research", ["heritage"], "heritage"),
    ]
    return [
        case_from_record(
            {
                "id": f"f{i}",
                "title": f"案例{i}",
                "province": p,
                "library_type": t,
                "focus": f,
                "innovation_type": it,
                "strategy": ["resources"],
                "year": 2020 + i % 2,
            },
            codebook,
        )
        for i, (p, t, f, it) in enumerate(rows)
    ]


def test_a_hand_checked_fixture(codebook: Codebook) -> None:
    analysis = analyze(_fixture(codebook), codebook)
    summary = analysis.summary()
    assert summary["dimensions"]["region"]["counts"] == {
        "east": 3,
        "central": 1,
        "west": 1,
        "northeast": 1,
        "hmt": 0,
    }
    assert summary["dimensions"]["focus"]["counts"]["reading"] == 3
    assert summary["dimensions"]["focus"]["shares"]["reading"] == 0.5
    table = summary["crosstabs"]["library_type x focus"]
    assert table["public"]["reading"] == 3 and table["academic"]["research"] == 2
    assert analysis.crosstabs["library_type x focus"].case_ids["academic"][
        "research"
    ] == ["f2", "f3"]
    assert analysis.distributions["focus"].codes_per_case == {2: 3, 1: 3}


def test_findings_follow_the_data(codebook: Codebook) -> None:
    def cases(province: str, n: int, start: int) -> list[Case]:
        return [
            case_from_record(
                {
                    "id": f"{province}{i}",
                    "title": "t",
                    "province": province,
                    "library_type": "public",
                    "focus": ["reading"],
                },
                codebook,
            )
            for i in range(start, start + n)
        ]

    west_heavy = analyze(cases("四川", 9, 0) + cases("浙江", 3, 100), codebook)
    east_heavy = analyze(cases("四川", 2, 0) + cases("浙江", 8, 100), codebook)
    assert any("西部案例最多（9 个" in s for s in west_heavy.findings)
    assert any("东部案例最多（8 个" in s for s in east_heavy.findings)
    assert any("West leads with 9 cases" in s for s in west_heavy.findings_other)


def test_chi_square_matches_scipy_on_a_large_table(codebook: Codebook) -> None:
    records = []
    for i in range(200):
        records.append(
            {
                "id": str(i),
                "title": "t",
                "library_type": "public" if i % 2 else "academic",
                "innovation_type": "reading" if i % 3 else "space",
            }
        )
    cases = [case_from_record(r, codebook) for r in records]
    table = crosstab_counts(cases, "library_type", "innovation_type")
    result = association(table)
    chi2, p, dof, _ = stats.chi2_contingency(np.array(table.counts), correction=False)
    assert result.test == "chi2"
    assert result.statistic == pytest.approx(chi2) and result.p == pytest.approx(p)
    assert result.dof == dof


def test_small_tables_get_an_exact_test_and_single_categories_none(
    codebook: Codebook,
) -> None:
    small = association(
        crosstab_counts(_fixture(codebook), "library_type", "innovation_type")
    )
    assert small.test == "monte_carlo_exact" and 0 < (small.p or 0) <= 1
    one = [
        case_from_record(
            {
                "id": str(i),
                "title": "t",
                "library_type": "public",
                "innovation_type": "reading",
            },
            codebook,
        )
        for i in range(3)
    ]
    result = association(crosstab_counts(one, "library_type", "innovation_type"))
    assert result.test == "none" and "not tested" in result.note


def test_a_single_case_still_analyses(codebook: Codebook) -> None:
    analysis = analyze(_fixture(codebook)[:1], codebook)
    assert analysis.n_cases == 1
    assert all(t.test == "none" for t in analysis.tests)


def test_empty_data_and_unknown_dimensions_are_clear_errors(codebook: Codebook) -> None:
    with pytest.raises(AnalysisError, match="empty"):
        analyze([], codebook)
    with pytest.raises(AnalysisError, match="no dimension 'colour'"):
        analyze(_fixture(codebook), codebook, crosstabs=[("colour", "focus")])


def test_cooccurrence_counts_cases_with_both_codes(
    sample_analysis, sample_cases: list[Case]
) -> None:  # type: ignore[no-untyped-def]
    co = sample_analysis.cooccurrence["focus x strategy"]
    i, j = co.row_codes.index("reading"), co.col_codes.index("cross_sector")
    expected = sum(
        "reading" in c.codes_list("focus")
        and "cross_sector" in c.codes_list("strategy")
        for c in sample_cases
    )
    assert co.counts[i][j] == expected
    assert 0 <= co.jaccard[i][j] <= 1 and 0 < co.p[i][j] <= 1


def test_capability_shows_its_parts(sample_analysis) -> None:  # type: ignore[no-untyped-def]
    groups = sample_analysis.capability["library_type"]
    assert sum(g.n_cases for g in groups) == 154
    assert groups[0].activity >= groups[-1].activity
    assert set(groups[0].parts) >= {"focus_per_case", "strategy_per_case"}


def test_cooccurrence_p_is_what_shuffling_converges_to(
    sample_cases: list[Case],
) -> None:
    import numpy as np

    from libinnov.analysis.cooccurrence import _matrix, cooccurrence

    focus = ["reading", "heritage", "space", "community"]
    strategy = ["cross_sector", "technology", "user_needs"]
    co = cooccurrence(sample_cases, "focus", "strategy", focus, strategy)
    a = _matrix(sample_cases, "focus", focus)
    b = _matrix(sample_cases, "strategy", strategy)
    both = a.T @ b
    rng = np.random.default_rng(3)
    rounds = 3000
    exceed = sum(
        (a.T @ b[rng.permutation(len(sample_cases))]) >= both for _ in range(rounds)
    )
    assert np.abs(np.array(co.p) - exceed / rounds).max() < 0.04
    assert co.case_ids["reading"][strategy[0]] == [
        c.id
        for c in sample_cases
        if "reading" in c.codes_list("focus")
        and strategy[0] in c.codes_list("strategy")
    ]


def test_keywords_of_a_large_set_come_from_a_fixed_sample(
    sample_cases: list[Case], codebook: Codebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import libinnov.analysis as analysis_module

    monkeypatch.setattr(analysis_module, "KEYWORD_SAMPLE", 50)
    first = analyze(sample_cases, codebook)
    again = analyze(sample_cases, codebook)
    assert first.keywords_from == 50
    assert first.summary()["keywords_from"] == 50
    assert first.keywords == again.keywords
    assert first.n_cases == len(sample_cases)


def test_trends_count_each_year_and_each_code_of_the_year(
    sample_analysis,  # type: ignore[no-untyped-def]
    sample_cases: list[Case],
) -> None:
    years = Counter(str(c.year) for c in sample_cases if c.year)
    assert sample_analysis.years.counts == dict(sorted(years.items()))
    focus = sample_analysis.trends["focus"]
    for year in ("2022", "2024"):
        expected = Counter(
            code
            for c in sample_cases
            if str(c.year) == year
            for code in set(c.codes_list("focus"))
        )
        row = focus.counts[focus.row_codes.index(year)]
        assert {c: n for c, n in zip(focus.col_codes, row, strict=True) if n} == dict(
            expected
        )
    kinds = sample_analysis.trends["innovation_type"]
    assert sum(map(sum, kinds.counts)) == sum(years.values())
    summary = sample_analysis.summary()["trends"]
    assert summary["years"] == sample_analysis.years.counts
    assert summary["focus"]["2024"] == dict(
        zip(focus.col_codes, focus.counts[focus.row_codes.index("2024")], strict=True)
    )


def test_one_year_has_no_trends(sample_cases: list[Case], codebook: Codebook) -> None:
    one_year = [c for c in sample_cases if c.year == 2024]
    analysis = analyze(one_year, codebook)
    assert analysis.years is None and analysis.trends == {}
    assert analysis.summary()["trends"] == {"years": {}}
