from __future__ import annotations

import importlib

import pytest

from libinnov.analysis import analyze
from libinnov.cases import Case, case_from_record
from libinnov.codebook import Codebook

# ``libinnov.analysis.keywords`` is shadowed by the function of that name
keywords_module = importlib.import_module("libinnov.analysis.keywords")
Presence = keywords_module.Presence


def _tokens() -> dict[str, list[str]]:
    """Four makerspace cases and six others; 图书 is in every case."""
    tokens = {f"m{i}": ["创客", "空间", "图书"] for i in range(4)}
    tokens["m0"].append("三维打印")  # in one group case only
    tokens.update({f"o{i}": ["图书", "阅读", "空间" if i == 0 else "书目"]
                   for i in range(6)})  # fmt: skip
    return tokens


def test_a_group_word_ranks_first_and_a_shared_word_is_not_distinctive() -> None:
    presence = Presence(_tokens())
    words = dict(presence.distinctive({"m0", "m1", "m2", "m3"}))
    assert next(iter(words)) == "创客"
    assert "空间" in words and words["创客"] > words["空间"]  # 空间 is also outside
    assert "图书" not in words  # every case has it: not over-represented
    assert "三维打印" not in words  # in a single case of the group
    assert "阅读" not in words  # under-represented


def test_a_keyword_counts_the_cases_a_search_for_it_finds(codebook: Codebook) -> None:
    cases = [case_from_record({"id": i, "title": t, "summary": ""}, codebook)
             for i, t in (("a", "阅读推广"), ("b", "全民閱讀"), ("c", "ＡＩ导览"),
                          ("d", "讲座"))]  # fmt: skip
    found = keywords_module.cases_using(cases, ["阅读", "AI", "书目"])
    assert found == {"阅读": ["a", "b"], "AI": ["c"], "书目": []}


@pytest.mark.parametrize(
    "group", [set(), {"m0", "m1", "m2", "m3", *{f"o{i}" for i in range(6)}}]
)
def test_a_group_of_none_or_all_has_no_distinctive_words(group: set[str]) -> None:  # fmt: skip
    assert Presence(_tokens()).distinctive(group) == []


def test_a_single_word_corpus_gives_no_words_and_no_warning() -> None:
    presence = Presence({"a": ["古籍"], "b": ["古籍"], "c": ["古籍"]})
    assert presence.distinctive({"a", "b"}) == []


def test_the_sample_focus_areas_get_their_own_words(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    analysis = analyze(sample_cases, codebook)
    by_focus = {k: [w for w, _ in v] for k, v in analysis.keywords_by_focus.items()}
    assert "信息素养" in by_focus["teaching"]
    assert "科研" in by_focus["research"]
    assert "视障" in by_focus["inclusion"]
    assert "古籍" in by_focus["heritage"]
    # summed TF-IDF gave every area the same first words; contrast does not
    firsts = [words[0] for words in by_focus.values() if words]
    assert len(set(firsts)) == len(firsts)
    word = analysis.keywords[0][0]
    ids = analysis.keyword_cases[word]
    assert ids and all(word in c.text for c in sample_cases if c.id in set(ids))
    summary = analysis.summary()["keywords"][0]
    assert summary == {
        "word": word,
        "weight": analysis.keywords[0][1],
        "cases": len(ids),
    }


def test_a_word_every_chinese_report_uses_ranks_below_a_library_term() -> None:
    # 发展 occurs twice in each case, 借阅 once; general Chinese uses 发展 far
    # more, so it tells the reader less about these cases
    tokens = {f"c{i}": ["发展", "发展", "借阅", f"名{i}"] for i in range(5)}
    cases = [Case(id=i, title="", summary="") for i in tokens]
    words = [w for w, _ in keywords_module.keywords(cases, tokens=tokens)]
    assert words.index("借阅") < words.index("发展")


def test_the_sample_keywords_leave_out_generic_report_words(
    sample_cases: list[Case], codebook: Codebook
) -> None:
    words = [w for w, _ in analyze(sample_cases, codebook).keywords]
    assert {"阅读推广", "借阅", "书香"} <= set(words)
    assert not {"发展", "推动", "持续", "实践"} & set(words)
