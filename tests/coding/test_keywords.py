from __future__ import annotations

import dataclasses

from libinnov.codebook import Codebook
from libinnov.coding.document import prepare
from libinnov.coding.keywords import match_dimension

TEXT = "我馆开展古籍修复技艺传习。馆员走进课堂讲授信息素养课程。读者反馈很好"


def test_indicator_terms_are_found_with_their_sentences(codebook: Codebook) -> None:
    document = prepare(TEXT)
    hits = match_dimension(codebook.dimension("focus"), document)
    assert "heritage" in hits and "teaching" in hits
    assert document.sentences[hits["heritage"].sentences[0]].startswith(
        "我馆开展古籍修复"
    )
    assert "信息素养" in hits["teaching"].terms


def test_terms_match_words_not_fragments(codebook: Codebook) -> None:
    # 智慧 is a digital indicator; 智慧 inside 智慧树 (a name) still segments apart,
    # but 云 must not fire inside 云南 (a province name).
    hits = match_dimension(
        codebook.dimension("digital" and "focus"), prepare("云南省图书馆")
    )
    assert "digital" not in hits


def test_traditional_text_matches_simplified_terms(codebook: Codebook) -> None:
    hits = match_dimension(
        codebook.dimension("focus"), prepare("開展古籍修復與閱讀推廣")
    )
    assert {"heritage", "reading"} <= set(hits)


def test_an_edited_indicator_list_changes_what_is_found(codebook: Codebook) -> None:
    focus = codebook.dimension("focus")
    edited = dataclasses.replace(
        focus,
        codes=tuple(
            dataclasses.replace(c, indicators=(*c.indicators, "围棋"))
            if c.key == "community"
            else c
            for c in focus.codes
        ),
    )
    document = prepare("周末开设围棋班")
    assert "community" not in match_dimension(focus, document)
    assert "community" in match_dimension(edited, document)


def test_a_term_is_found_inside_a_longer_word(codebook: Codebook) -> None:
    # 视障读者 and 外来务工人员 segment as single words that contain the terms.
    hits = match_dimension(
        codebook.dimension("focus"), prepare("视障读者同台演出。外来务工人员众多")
    )
    assert {"视障", "外来务工"} <= set(hits["inclusion"].terms)


def test_a_term_in_the_title_counts_more_than_one_in_the_body(
    codebook: Codebook,
) -> None:
    focus = codebook.dimension("focus")
    in_title = match_dimension(focus, prepare("古籍修复\n我馆开展活动。"))
    in_body = match_dimension(focus, prepare("我馆开展活动\n这里也有古籍。"))
    assert in_title["heritage"].strength > in_body["heritage"].strength
