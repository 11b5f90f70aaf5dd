"""Every province has an English name and a code, and English pages read them."""

from __future__ import annotations

import pytest

from libinnov.codebook import Codebook
from libinnov.gazetteer import province_label, provinces


def test_every_province_of_the_regions_has_an_english_name_and_a_code(
    codebook: Codebook,
) -> None:
    regions = {p for code in codebook.dimension("region").codes for p in code.provinces}
    table = provinces()
    assert set(table) == regions
    assert len({p.en for p in table.values()}) == len(table)
    assert len({p.iso for p in table.values()}) == len(table)
    assert all(len(p.iso) == 2 and p.iso.isupper() for p in table.values())


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("江苏", "Jiangsu"),
        ("山西", "Shanxi"),
        ("陕西", "Shaanxi"),
        ("内蒙古", "Inner Mongolia"),
        ("广西壮族自治区", "Guangxi"),
        ("北京市", "Beijing"),
        ("西藏", "Tibet"),
        ("澳门", "Macao"),
        ("香港特别行政区", "Hong Kong"),
    ],
)
def test_it_names_provinces_in_english(name: str, english: str) -> None:
    assert province_label(name, "en") == english


def test_chinese_and_unknown_names_are_shown_as_given() -> None:
    assert province_label("江苏省", "zh") == "江苏省"
    assert province_label("海外", "en") == "海外"
    assert province_label("", "en") == ""
