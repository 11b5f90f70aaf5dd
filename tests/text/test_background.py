from __future__ import annotations

from libinnov.text.background import general_idf


def test_common_words_of_general_chinese_have_a_low_idf() -> None:
    idf = general_idf()
    assert idf.of("发展") < idf.of("建设") < idf.of("古籍")


def test_a_word_the_table_lacks_gets_the_median() -> None:
    idf = general_idf()
    assert "嵌入式馆员" not in idf.weights
    assert idf.of("嵌入式馆员") == idf.unknown
    values = sorted(float(v) for v in idf.weights.values())
    assert values[0] < idf.unknown < values[-1]
