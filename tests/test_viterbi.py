"""jieba's POS HMM with its transitions looked up the other way round gives jieba's paths."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from pipeline.context import viterbi as V
from pipeline.context.viterbi import viterbi

# Characters the HMM knows (some states each), and some it does not (every state); characters
# after which some others have no reachable state.
KNOWN = sorted(char_state_tab_P)[::7]
UNKNOWN = ["\u9fa5", "\u9fa4", "龑", "𠀀"]
DEAD_ENDS = ["么", "嗽", "乏", "茳", "淼", "踝", "涅"]


def reference(obs: str):
    return jieba_viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P)


@pytest.mark.parametrize("obs", ["蔺晓龑", "驻村", "整", "鄂尔多斯旗", "余十", "桩基", "甘南藏族",
                                 "某某某", "龑龑龑", "滇池治理", "三区三州", "专班化推进", "龑", "整龑"])
def test_paths_and_scores_are_jiebas(obs):
    assert viterbi(obs) == reference(obs)


@pytest.mark.parametrize("obs", ["踝涅", "涸撤", "涡蒋", "葡霏浦", "讷艽"])
def test_last_states_of_equal_score_go_to_the_greater_state(obs):
    """Runs whose best last states tie: jieba's max of (score, state) takes the greater."""
    assert viterbi(obs) == reference(obs)


@pytest.mark.parametrize("obs", ["么嗽", "乏茳", "乓淼", "乩嗽嗽", "乳茳乳", "亏茳亏茳", "嗽么嗽"])
def test_a_character_none_of_whose_states_is_reachable_takes_every_reachable_state(obs):
    assert viterbi(obs) == reference(obs)


def test_the_characters_read_are_kept_so_many_at_a_time(monkeypatch):
    monkeypatch.setattr(V, "CHARS_KEPT", 2)
    V._CHARS.clear()
    assert [viterbi(obs) for obs in ["驻村", "鄂尔多斯旗"]] == [reference("驻村"), reference("鄂尔多斯旗")]
    assert len(V._CHARS) <= 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(KNOWN + UNKNOWN + DEAD_ENDS), min_size=1, max_size=14))
def test_any_run_of_characters_gets_jiebas_path(obs):
    assert viterbi(obs) == reference(obs)


def test_the_tables_read_from_jiebas_files_are_its_tables():
    t = V.tables()
    assert (t["char_state_tab"], t["prob_start"], t["prob_trans"], t["prob_emit"]) == (
        char_state_tab_P, start_P, trans_P, emit_P)


def test_a_run_scores_every_character():
    prob, route = viterbi("巡视整改")
    assert len(route) == 4 and route[0][0] in "BS" and route[-1][0] in "ES"
    assert prob == reference("巡视整改")[0]
