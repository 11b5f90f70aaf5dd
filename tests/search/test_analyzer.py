from __future__ import annotations

from libinnov.search import Query, Term, index_tokens, parse_query


def test_index_holds_whole_words_their_parts_and_two_character_runs() -> None:
    tokens = index_tokens("古籍修复与嵌入式馆员").split()
    assert {"古籍修复", "古籍", "修复", "嵌入式馆员", "馆员", "式馆"} <= set(tokens)
    assert "与" not in tokens or tokens.count("与") == 1


def test_index_is_normalised_like_queries() -> None:
    assert index_tokens("閱讀推廣 ＡＩ") == index_tokens("阅读推广 ai")


def test_a_word_term_needs_no_text_check_but_a_phrase_does() -> None:
    query = parse_query('古籍 "城市 书房" 图书馆服务创新')
    assert query.texts == ["古籍", "城市书房", "图书馆服务创新"]
    by_text = {t.text: t for t in query.terms}
    assert not by_text["古籍"].verify
    assert by_text["图书馆服务创新"].verify
    # the library-domain stopwords (图书馆, 服务) are left to the text check
    assert by_text["图书馆服务创新"].words == ("创新",)
    assert parse_query("图书馆").terms[0].words == ("图书馆",)


def test_a_long_unquoted_run_is_a_question_answered_by_its_words() -> None:
    question = parse_query("高校图书馆如何开展阅读推广").terms[0]
    assert question.words == ("高校", "阅读推广")
    assert not question.verify  # no case says it word for word; its words do
    assert parse_query('"高校图书馆如何开展阅读推广"').terms[0].verify
    assert parse_query("儿童阅读推广").terms[0].verify  # short runs stay phrases


def test_single_characters_cannot_use_the_index() -> None:
    assert not parse_query("书").indexable
    assert parse_query("书房").indexable


def test_fts5_expression_quotes_every_word() -> None:
    assert parse_query("阅读 推广").fts5() == '"阅读" AND "推广"'
    assert Query(terms=(Term(text='a"b', words=('a"b',)),)).fts5() == '"a""b"'


def test_punctuation_only_queries_are_empty() -> None:
    assert not parse_query("，。！ ...")
