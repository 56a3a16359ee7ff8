"""The simplified view keeps every offset of the original."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator import ne

from pipeline.context.view import (FULLWIDTH, HAN, HAN_STEP, detect_script, differences, fold,
                                   normalize, to_simplified)


@pytest.mark.parametrize("text, view, script", [
    ("省委巡視組反饋後２個月內", "省委巡视组反馈后2个月内", "traditional"),
    ("增加编制193个，专职干部276人（河北省委）", "增加编制193个,专职干部276人(河北省委)", "simplified"),
    ("整改完成率达９７.７％", "整改完成率达97.7%", "simplified"),
    ("乾隆年間的幹部", "乾隆年间的干部", "traditional"),
    (("某省委巡视组" * 6 + "後") * 30, ("某省委巡视组" * 6 + "后") * 30, "mixed"),
    ("某省委巡视组" * 100 + "後", "某省委巡视组" * 100 + "后", "simplified"),
])
def test_view(text, view, script):
    nt = normalize(text)
    assert nt.view == view
    assert nt.script == script
    assert len(nt.view) == len(nt.original)


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FFF), max_size=200))
def test_any_text_keeps_length(text):
    assert len(to_simplified(text)) == len(text)
    assert len(normalize(text).view) == len(text)


FOLDED = "".join(map(chr, FULLWIDTH))


@given(st.text(alphabet=st.sampled_from("省委 a1,。" + FOLDED), max_size=300))
def test_fold_is_the_table_applied_to_every_character(text):
    assert fold(text) == text.translate(FULLWIDTH)


@given(st.text(alphabet="甲乙丙", max_size=600), st.data())
def test_differences_counts_every_changed_character(a, data):
    b = data.draw(st.text(alphabet="甲乙丁", min_size=len(a), max_size=len(a)))
    assert differences(a, b) == sum(map(ne, a, b))



def script_of_every_han(original: str, simplified: str) -> str:
    """The script as the share of changed characters among all Han characters gives it."""
    ratio = differences(original, simplified) / (len(HAN.findall(original)) or 1)
    return "traditional" if ratio > 0.05 else "mixed" if ratio > 0.005 else "simplified"


@pytest.mark.parametrize("fillers, changed", [
    (99, 1), (100, 1), (199, 2), (198, 2), (HAN_STEP, 3), (2 * HAN_STEP, 21), (2 * HAN_STEP, 20),
    (3 * HAN_STEP, 200), (3 * HAN_STEP, 400), (5, 30)])
@pytest.mark.parametrize("where", ["head", "tail", "spread"])
def test_script_counts_han_only_as_far_as_it_must(fillers, changed, where):
    """Counting stops once the changed characters are few: the same script as counting all
    (each filler holds two Han characters, each changed one is Han too), wherever they stand."""
    body = "省委a1 。" * fillers
    k = len(body) // changed + 1
    original = {"head": "後" * changed + body, "tail": body + "後" * changed,
                "spread": "".join(body[i * k:(i + 1) * k] + "後" for i in range(changed))}[where]
    simplified = original.replace("後", "后")
    assert detect_script(original, simplified) == script_of_every_han(original, simplified)
