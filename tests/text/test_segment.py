from __future__ import annotations

from libinnov.text import split_sentences, tokenize


def test_it_keeps_library_terms_from_the_user_dictionary_whole() -> None:
    words = tokenize("我馆推出城市书房和嵌入式馆员服务，开展信息素养教育与古籍修复")
    for term in ("城市书房", "嵌入式馆员", "信息素养", "古籍修复"):
        assert term in words


def test_it_drops_punctuation_and_stopwords() -> None:
    words = tokenize("我们的图书馆，开展了阅读推广活动。")
    assert "，" not in words and "的" not in words and "我们" not in words
    assert "阅读推广" in words


def test_it_segments_traditional_text_like_simplified() -> None:
    assert tokenize("圖書館開展閱讀推廣") == tokenize("图书馆开展阅读推广")


def test_it_splits_sentences_on_chinese_and_western_ends() -> None:
    text = "第一句。第二句！第三句？Fourth sentence. 第五句；最后"
    assert split_sentences(text) == [
        "第一句。",
        "第二句！",
        "第三句？",
        "Fourth sentence. 第五句；",
        "最后",
    ]
