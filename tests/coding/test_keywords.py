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
