from __future__ import annotations

from libinnov.search import match_spans, snippet_window, split_marked


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
