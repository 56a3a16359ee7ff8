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
