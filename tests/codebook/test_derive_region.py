from __future__ import annotations

import pytest

from libinnov.codebook import Codebook, derive_region
from libinnov.codebook.derive import short_province


@pytest.mark.parametrize(
    ("province", "region"),
    [
        ("浙江", "east"),
        ("浙江省", "east"),
        ("湖北", "central"),
        ("广西壮族自治区", "west"),
        ("内蒙古自治区", "west"),
        ("新疆维吾尔自治区", "west"),
        ("吉林省", "northeast"),
        ("香港特别行政区", "hmt"),
        ("臺灣", "hmt"),
        ("上海市", "east"),
    ],
)
def test_it_derives_region_from_province(province: str, region: str) -> None:
    assert derive_region(province) == region


def test_it_returns_none_for_unknown_or_missing_province() -> None:
    assert derive_region("火星") is None
    assert derive_region(None) is None


def test_every_province_of_the_codebook_has_exactly_one_region(
    codebook: Codebook,
) -> None:
    seen: dict[str, str] = {}
    for code in codebook.dimension("region").codes:
        for province in code.provinces:
            assert province not in seen
            seen[province] = code.key
    assert len(seen) == 34


def test_short_province_keeps_two_character_names() -> None:
    assert short_province("吉林") == "吉林"
    assert short_province("北京市") == "北京"
