"""The noun a count counts: reading it as written, with quote marks and asides inside it."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.context import segment
from pipeline.extractors import nouns as nouns_module
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


@pytest.mark.parametrize("view, ratio, counted", [
    ("今年增加编制193个", False, "编制"),  # the object of a verb
    ("全县新建充电桩40个", False, "充电桩"),  # a one-character head takes its modifier
    ("督促整改1180个", False, ""),  # a verb after a predicate verb is no noun
    ("问题已销号21个", False, ""),  # after an adverb the word is a predicate
    ("共发放补贴资金2.5亿元", False, "补贴资金"),
    ("完成任务的85%", True, "任务"),  # a ratio's noun before 的
])
def test_the_noun_before_a_number_ends_the_window_before_it(nouns, view, ratio, counted):
    start = re.search(r"[0-9.]+", view).start()
    assert nouns.noun_before(view, start, False, ratio) == counted


@pytest.mark.parametrize("view, start, limit, begins", [
    ("巡察发现问题40个", 6, 0, 0),  # no stop in reach: the window reaches its limit
    ("经巡察,发现问题40个", 8, 0, 4),  # after the last stop
    ("经巡察,发现问题,40个", 9, 0, 9),  # a stop right before: an empty window
    ("发现问题\n40个", 5, 0, 0),  # a line break right before is passed over, as `$` did
    ("", 0, 0, 0),
])
def test_a_window_before_starts_after_the_last_stop(nouns, view, start, limit, begins):
    assert nouns._plain_from(view, limit, start) == begins


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="问题40个的,。\n“”(社区) a", max_size=24), st.integers(0, 24), st.integers(0, 24))
def test_a_window_before_starts_where_the_search_for_its_run_did(nouns, view, a, b):
    limit, start = min(a, b, len(view)), min(max(a, b), len(view))
    run = re.compile(f"[^{re.escape(nouns.r.spec.stop_chars)}]*$")
    assert nouns._plain_from(view, limit, start) == run.search(view, limit, start).start()


def _act_reference(nouns, counted: str, unit: str | None):
    """The acts read in the rules' order, each word in turn, as the rule file lists them."""
    for act in nouns.r.spec.acts:
        if unit in act.units:
            for w in act.words:
                if counted.endswith(w):
                    return act.counted.replace("{act}", w), act.id
    return None


def test_an_act_is_found_as_the_rules_list_them(nouns):
    acts = nouns.r.spec.acts
    units = {u for act in acts for u in act.units} | {None, "元"}
    nouns_ = {p + w for act in acts for w in act.words for p in ("", "党纪", "案")} | {"整改问题", ""}
    found = [(n, u, nouns.act_object(n, u)) for n in sorted(nouns_) for u in sorted(units, key=str)]
    assert any(a for *_, a in found) and any(a is None for *_, a in found)
    assert [a for *_, a in found] == [_act_reference(nouns, n, u) for n, u, _ in found]


@pytest.mark.parametrize("texts", [
    ["增加编制", "整改问题线索", "", "增加编制"],  # an empty window, one twice
    ["村\ue000党组织", "a b", "12\r", "\n34", "3.5万元", "-2%"],  # what the segmenter gives alone
    ["问题\x00线索", "整改任务"],  # a window holding the joiner: left to `cut`
])
def test_windows_cut_at_once_have_the_words_each_has_alone(texts):
    alone = [tuple(w for w in segment.words(t) if w.strip()) for t in texts]
    nouns_module._CUTS.clear()
    nouns_module.cut_all(texts)
    assert all(t in nouns_module._CUTS for t in texts) != any(nouns_module.JOIN in t for t in texts)
    assert [nouns_module.cut(t) for t in texts] == alone


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="问题整改村社区巡察个的a1 \r\n,。\ue000", max_size=12), max_size=6))
def test_any_windows_cut_at_once_have_the_words_each_has_alone(texts):
    nouns_module._CUTS.clear()
    nouns_module.cut_all(texts)
    assert [nouns_module.cut(t) for t in texts] == [
        tuple(w for w in segment.words(t) if w.strip()) for t in texts]
