"""The noun a count counts: reading it as written, with quote marks and asides inside it."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extractors.quantities import Quantities


@pytest.fixture(scope="module")
def nouns():
    return Quantities().nouns


def _reference(nouns, view: str, counted: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The regex the reader once compiled for every noun: c₁ G* c₂ G* … cₙ."""
    cs = nouns.r.spec
    gap = f"(?:[{re.escape(cs.transparent)}]|{cs.aside})*"
    return [m.span() for m in re.compile(gap.join(map(re.escape, counted))).finditer(view, lo, hi)]


@pytest.mark.parametrize("view, counted, written", [
    ("开展巡察“回头看”工作", "巡察回头看", "巡察“回头看"),
    ("覆盖村(社区)党组织12个", "村党组织", "村(社区)党组织"),
    ("“一把手”监督", "一把手监督", "一把手”监督"),
    ("整改问题", "整改事项", None),
])
def test_a_noun_is_found_with_what_stands_inside_it(nouns, view, counted, written):
    found = nouns.gapped(view, counted, 0, len(view))
    assert [view[s:e] for s, e in found] == ([written] if written else [])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="巡察回看“”()社区村,1", max_size=30), st.text(alphabet="巡察回看村社区(“", min_size=1, max_size=5),
       st.integers(0, 30), st.integers(0, 30))
def test_the_reader_finds_what_the_regex_found(nouns, view, counted, a, b):
    lo, hi = min(a, b, len(view)), min(max(a, b), len(view))
    assert nouns.gapped(view, counted, lo, hi) == _reference(nouns, view, counted, lo, hi)
