"""A case page marks the evidence of one code at a time, never all of it at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from libinnov.web.cases.models import Case

pytestmark = pytest.mark.django_db(databases=["default", "postgres"])

HERITAGE = "我馆收藏古籍近二十万册，善本八百余种"
CENTRE = "2019年又以原古籍部为基础组建古籍保护中心"


@pytest.fixture
def with_evidence(sample_db: int) -> str:
    """A-001 with the evidence sentences of two codes, as a model leaves them."""
    Case.objects.filter(pk="A-001").update(
        evidence={
            "focus": {"heritage": [HERITAGE, CENTRE]},
            "strategy": {"capacity": [CENTRE]},
        }
    )
    return "A-001"


def _summary(html: str) -> str:
    found = re.search(r'<div class="summary">(.*?)</div>', html, re.S)
    assert found is not None
    return found.group(1)


def _marked(html: str) -> list[str]:
    """The text of the evidence shown marked."""
    return re.findall(r'<span class="ev on" data-ev="[^"]*">(.*?)</span>', html)


def test_by_default_no_evidence_is_marked_but_every_code_can_mark_its_own(
    with_evidence: str,
) -> None:
    html = Client().get(f"/cases/{with_evidence}/").content.decode()
    summary = _summary(html)
    assert _marked(summary) == [] and "<mark>" not in summary
    # each sentence knows its codes, so pointing at one marks just those
    assert f'<span class="ev" data-ev="focus.heritage">{HERITAGE}</span>' in summary
    assert (
        f'<span class="ev" data-ev="focus.heritage strategy.capacity">{CENTRE}</span>'
        in summary
    )
    links = re.findall(r'<a class="ev-link" href="([^"]*)" data-ev="([^"]*)"', html)
    assert ("?ev=focus.heritage#case-text", "focus.heritage") in links
    assert ("?ev=strategy.capacity#case-text", "strategy.capacity") in links


def test_a_chosen_code_has_only_its_evidence_marked(with_evidence: str) -> None:
    html = Client().get(f"/cases/{with_evidence}/", {"ev": "strategy.capacity"})
    page = html.content.decode()
    assert _marked(_summary(page)) == [CENTRE]
    assert 'data-ev="strategy.capacity" aria-current="true"' in page
    # the chosen code's link unmarks it again
    assert '<a class="ev-link" href="?#case-text" data-ev="strategy.capacity"' in page
    unknown = Client().get(f"/cases/{with_evidence}/", {"ev": "focus.nothing"})
    assert _marked(_summary(unknown.content.decode())) == []


def test_the_searched_words_stay_marked_inside_the_evidence(
    with_evidence: str,
) -> None:
    page = (
        Client()
        .get(f"/cases/{with_evidence}/", {"q": "古籍", "ev": "focus.heritage"})
        .content.decode()
    )
    summary = _summary(page)
    case = Case.objects.get(pk=with_evidence)
    assert summary.count("<mark>古籍</mark>") == case.summary.count("古籍")
    assert '<span class="ev on" data-ev="focus.heritage"><mark>古籍</mark></span>' in (
        summary
    )
    assert '<a class="ev-link" href="?q=%E5%8F%A4%E7%B1%8D#case-text"' in page
