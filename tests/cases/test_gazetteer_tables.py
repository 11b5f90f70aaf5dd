"""The curated tables are well-formed and cover what the gazetteer promises."""

from __future__ import annotations

from libinnov.codebook import Codebook
from libinnov.gazetteer.places import place_index, short_name
from libinnov.gazetteer.tables import institutions, match_key, place_corrections


def _provinces(codebook: Codebook) -> set[str]:
    return {p for code in codebook.dimension("region").codes for p in code.provinces}


def test_every_institution_names_a_real_province_and_a_known_type(
    codebook: Codebook,
) -> None:
    provinces = _provinces(codebook)
    types = set(codebook.dimension("library_type").code_keys)
    for key, inst in institutions().items():
        assert inst.province is None or inst.province in provinces, key
        assert inst.library_type in types, key


def test_the_table_covers_every_double_first_class_university() -> None:
    listed = [i for i in institutions().values() if i.note == "双一流"]
    assert len(listed) == 147
    assert all(i.library_type == "academic" and i.province for i in listed)
    names = {i.name: i.province for i in listed}
    assert names["吉林大学"] == "吉林"
    assert names["中国矿业大学(北京)"] == "北京" and names["中国矿业大学"] == "江苏"
    assert names["河北工业大学"] == "天津"


def test_the_table_covers_every_provincial_level_public_library(
    codebook: Codebook,
) -> None:
    public = {
        i.province
        for i in institutions().values()
        if i.library_type == "public" and i.province
    }
    assert public == _provinces(codebook)


def test_names_match_whatever_the_brackets_and_script() -> None:
    assert match_key("中国石油大学（华东）") == match_key("中國石油大學(華東)")
    assert match_key("北京师范大学-香港浸会大学") == "北京师范大学香港浸会大学"


def test_place_corrections_are_well_formed(codebook: Codebook) -> None:
    provinces = _provinces(codebook)
    for row in place_corrections():
        assert row.use in ("add", "only", "never"), row
        assert row.use == "never" or row.province in provinces, row


def test_corrections_reach_the_index() -> None:
    index = place_index()
    assert "东方" not in index and "东方市" in index
    assert {p.province for p in index["江北区"]} == {"重庆", "浙江"}
    assert {p.province for p in index["西安"]} == {"陕西"}


def test_short_names_drop_suffixes_and_peoples() -> None:
    assert short_name("伊犁哈萨克自治州") == "伊犁"
    assert short_name("海西蒙古族藏族自治州") == "海西"
    assert short_name("北川羌族自治县") == "北川"
    assert short_name("东营区") == "东营"
    assert short_name("叶县") is None
