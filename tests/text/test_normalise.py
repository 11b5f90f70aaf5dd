from __future__ import annotations

import pytest

from libinnov.text import match_key, normalise_text, to_halfwidth, to_simplified


def test_it_turns_fullwidth_ascii_into_halfwidth_and_keeps_chinese_punctuation() -> (
    None
):
    assert to_halfwidth("ＡＩ大模型（２０２３）：１００％") == "AI大模型（2023）：100%"


def test_it_converts_traditional_characters_to_simplified() -> None:
    assert to_simplified("圖書館閱讀推廣與數字人文") == "图书馆阅读推广与数字人文"


def test_normalised_text_has_tidy_whitespace() -> None:
    assert normalise_text("  城市書房\u3000\n 開放 ") == "城市书房 开放"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("閱讀推廣", "阅读推广"),
        ("Reading  Promotion", "reading promotion"),
        ("ＶＲ", "vr"),
    ],
)
def test_match_keys_meet_across_script_width_and_case(left: str, right: str) -> None:
    assert match_key(left) == match_key(right)
