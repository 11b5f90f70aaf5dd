from __future__ import annotations

from libinnov.search import match_spans, snippet_window, split_evidence, split_marked


def test_a_simplified_term_marks_traditional_text() -> None:
    assert split_marked("開展閱讀推廣", ["阅读"]) == [
        ("開展", False),
        ("閱讀", True),
        ("推廣", False),
    ]


def test_longer_terms_win_over_their_parts() -> None:
    assert match_spans("古籍修复", ["古籍", "古籍修复"]) == [(0, 4)]


def test_full_width_and_case_are_ignored() -> None:
    assert match_spans("引入ＡＩ助手", ["ai"]) == [(2, 4)]


def test_the_snippet_window_covers_the_densest_matches() -> None:
    text = "甲" * 300 + "古籍" + "乙" * 10 + "古籍" + "丙" * 300
    start, end = snippet_window(text, ["古籍"], width=60)
    assert start <= 300 and end >= 314
    assert end - start == 60


def test_no_match_gives_the_start() -> None:
    assert snippet_window("无关内容" * 100, ["古籍"], width=20) == (0, 20)


def test_evidence_pieces_say_which_codes_cover_them() -> None:
    text = "馆藏古籍。開展閱讀推廣活動。建设阅读空间。"
    pieces = split_evidence(
        text,
        ["阅读"],
        {
            "focus.reading": ["开展阅读推广活动。", "建设阅读空间。"],
            "focus.space": ["建设阅读空间。"],
        },
    )
    assert "".join(p for p, _hit, _keys in pieces) == text
    assert pieces[0] == ("馆藏古籍。", False, ())
    # traditional text is found for the simplified sentence, terms inside it too
    assert ("閱讀", True, ("focus.reading",)) in pieces
    assert ("建设", False, ("focus.reading", "focus.space")) in pieces


def test_overlapping_sentences_cut_the_text_where_each_starts_and_ends() -> None:
    pieces = split_evidence("一二三四五", [], {"a": ["一二三"], "b": ["三四五"]})
    assert pieces == [
        ("一二", False, ("a",)),
        ("三", False, ("a", "b")),
        ("四五", False, ("b",)),
    ]


def test_a_sentence_not_in_the_text_covers_nothing() -> None:
    assert split_evidence("一二三", [], {"a": ["别处的句子"]}) == [
        ("一二三", False, ())
    ]
