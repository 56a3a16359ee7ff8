"""The simplified view keeps every offset of the original."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.context.view import normalize, to_simplified


@pytest.mark.parametrize("text, view, script", [
    ("省委巡視組反饋後２個月內", "省委巡视组反馈后2个月内", "traditional"),
    ("增加编制193个，专职干部276人（河北省委）", "增加编制193个,专职干部276人(河北省委)", "simplified"),
    ("整改完成率达９７.７％", "整改完成率达97.7%", "simplified"),
    ("乾隆年間的幹部", "乾隆年间的干部", "traditional"),
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
