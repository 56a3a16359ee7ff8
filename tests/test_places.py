"""The divisions gazetteer, parsed once into one `Place` model."""
from __future__ import annotations

import pytest

from pipeline.context.places import gazetteer


def by_name():
    return {p.name: p for p in gazetteer().divisions}


@pytest.mark.parametrize("name, level, province, shorts", [
    ("广西壮族自治区", "provincial", "广西壮族自治区", ("广西",)),
    ("海东市", "municipal", "青海省", ("海东",)),
    ("宜城市", "county", "湖北省", ("宜城",)),
])
def test_places_carry_the_records_levels(name, level, province, shorts):
    p = by_name()[name]
    assert (p.level, p.province, p.shorts) == (level, province, shorts)


def test_provinces_in_the_order_of_their_codes():
    provinces = gazetteer().provinces
    assert len(provinces) == 34 and provinces[0].name == "北京市"
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)


def test_by_level_puts_provinces_first():
    levels = [p.level for p in gazetteer().by_level()]
    assert levels == sorted(levels, key=["provincial", "municipal", "county"].index)


@pytest.mark.parametrize("name, chain", [
    ("峨山县", ["云南省", "玉溪市", "峨山彝族自治县"]),       # derived form of an autonomous county
    ("红河州", ["云南省", "红河哈尼族彝族自治州"]),
    ("兰考县", ["河南省", "开封市", "兰考县"]),
    ("东城区", ["北京市", "东城区"]),                      # a municipality's district: no city
    ("额尔古纳市", ["内蒙古自治区", "呼伦贝尔市", "额尔古纳市"]),
])
def test_chain_by_codes(name, chain):
    g = gazetteer()
    (p,) = g.named(name)
    assert [q.name for q in g.chain(p)] == chain


def test_repeated_names_name_every_division():
    assert len(gazetteer().named("鼓楼区")) == 4


def test_derived_forms_repeat_no_listed_name():
    g = gazetteer()
    derived = [a for p in g.divisions for a in p.aliases]
    assert len(derived) == len(set(derived)) > 100
    assert not set(derived) & {p.name for p in g.divisions}
