"""Sentences and clauses from the one boundary definition (`rules/boundaries.yaml`)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.context.boundaries import boundaries
from pipeline.context.document import Context


def units(text: str):
    return Context.of(text).units


def texts(text: str, spans) -> list[str]:
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize("text, expected", [
    ("召开会议。部署整改！", ["召开会议", "部署整改"]),
    ("一是建台账；二是定时限\n报送报告", ["一是建台账；二是定时限", "报送报告"]),
    ("  \n完成整改。。  ", ["完成整改"]),
])
def test_sentences(text, expected):
    assert texts(text, units(text).sentences) == expected


def split_and_trimmed(view: str, marks: str) -> list[tuple[int, int]]:
    """The stretches between runs of sentence marks, less the whitespace (`str.isspace`) at
    either end, those that keep a character."""
    out, pos = [], 0
    for m in [*re.finditer(f"[{re.escape(marks)}]+", view), None]:
        s, e = pos, m.start() if m else len(view)
        while s < e and view[s].isspace():
            s += 1
        while e > s and view[e - 1].isspace():
            e -= 1
        out += [(s, e)] if s < e else []
        pos = m.end() if m else pos
    return out


@given(st.text(alphabet=st.sampled_from("整改a1。!?;,\n\r \t\u3000\x1c\x85\u2028\xa0"), max_size=40))
def test_sentences_are_the_stretches_between_marks_trimmed(view):
    assert boundaries().units(view).sentences == split_and_trimmed(view, boundaries().chars["sentence"])


@pytest.mark.parametrize("text, expected", [
    ("召开会议，部署整改", [("召开会议", True), ("部署整改", False)]),
    ("一是建台账；二是定时限", [("一是建台账", True), ("二是定时限", True)]),
    ("学习《条例，准则》精神，抓好落实", [("学习《条例，准则》精神", True), ("抓好落实", False)]),
    ("谈话2,380人次", [("谈话2,380人次", True)]),
    ("会议于8:30召开", [("会议于8:30召开", True)]),
    ("做好三件事一是学习二是落实", [("做好三件事", True), ("一是学习", True), ("二是落实", True)]),
])
def test_clauses(text, expected):
    u = units(text)
    (s, e), = u.sentences
    assert [(text[c.start:c.end], c.hard) for c in u.clauses(s, e)] == expected


@pytest.mark.parametrize("unit, text, pos, start", [
    ("statement", "甲完成整改；乙开展巡察", 8, 6),
    ("sentence", "甲完成整改；乙开展巡察", 8, 0),
    ("clause", "甲牵头，乙配合", 5, 4),
    ("time_clause", "确保年底前：完成整改", 8, 0),
])
def test_stretch_starts(unit, text, pos, start):
    assert units(text).ends(unit).start_before(pos) == start


def test_marks_between_two_offsets():
    ends = units("发现问题40个，已整改35个。另有3个").ends("statement")
    assert not ends.between(0, 12) and ends.between(0, 15)


def test_every_unit_is_built_from_known_marks():
    b = boundaries()
    assert set(b.chars) >= {"sentence", "statement", "passage", "finished", "heading", "clause",
                            "time_clause", "segment", "item_clause"}
    assert all(b.chars.values())


@pytest.mark.parametrize("text, expected", [
    ("召开会议，部署整改。一是建台账；二是定时限\n学习《条例，准则》精神， ，抓好落实",
     [[("召开会议", True), ("部署整改", False)],
      [("一是建台账", True), ("二是定时限", True)],
      [("学习《条例，准则》精神", True), ("抓好落实", False)]]),
    ("谈话2,380人次，  完成整改。 会议于8:30召开：一是学习",
     [[("谈话2,380人次", True), ("  完成整改", False)],
      [("会议于8:30召开", True), ("一是学习", True)]]),
])
def test_clauses_of_every_sentence(text, expected):
    """The clauses of all the item sentences, cut in one walk, as each sentence's own cut."""
    u = units(text)
    assert [[(text[c.start:c.end], c.hard) for c in u.clauses(s, e)] for s, e in u.sentences] \
        == expected


@pytest.mark.parametrize("unit", ["clause", "statement"])
@pytest.mark.parametrize("text", [
    "市委巡察组对县发展改革局开展巡察,督促县委落实整改;县政府:完成。\n乡镇党委配合",
    "无标点的一句话省委巡视组进驻某某县委开展巡视",
    ",开头就是标点,。",
])
@pytest.mark.parametrize("reach", [0, 3, 12, 200])
def test_the_stretch_around_a_span_is_the_one_all_marks_give(unit, text, reach):
    units, ends = Context.of(text).units, Context.of(text).units.ends(unit)
    for start in range(len(text)):
        for end in (start, start + 1, min(len(text), start + 7)):
            assert units.around(unit, start, end, reach) == (
                ends.start_before(start, max(0, start - reach)),
                ends.end_after(end, min(len(text), end + reach)))


@pytest.mark.parametrize("text, expected", [
    ("甲,乙;丙:丁", [(1, 2, False), (3, 4, True), (5, 6, True)]),
    ("2,380人,8:30,", [(6, 7, False), (11, 12, False)]),  # none between two digits
    (",1,a1:", [(0, 1, False), (2, 3, False), (5, 6, True)]),  # a digit on one side only
    ("另一方面,其一是", [(0, 0, True), (1, 1, True), (4, 5, False), (5, 5, True), (6, 6, True)]),
    ("一方一是最后最", [(2, 2, True), (4, 4, True)]),
])
def test_cut_rows(text, expected):
    """Clause cuts as one scan for the characters they open with finds them: a mark, or the
    place before an enumerator, also one inside another (一方面 in 另一方面, 一是 in 其一是)."""
    b = boundaries()
    assert b.cut_rows(text, [m.span() for m in b.cut_re.finditer(text)]) == expected


@given(st.text(alphabet="一二是方面另其最后首先,;:12 甲", max_size=30))
def test_cut_rows_are_the_marks_and_enumerator_starts(text):
    """Every cut the definition gives: a mark without digits on both sides, or a position where
    an enumerator begins."""
    b = boundaries()
    enumerator = re.compile(f"(?=(?:{'|'.join(map(re.escape, b.enumerators))}))")
    marks = [(m.start(), m.end(), m.group() not in b.soft)
             for m in re.finditer(r"(?<![0-9])[,;:]|[,;:](?![0-9])", text)]
    starts = [(m.start(), m.start(), True) for m in enumerator.finditer(text)]
    assert b.cut_rows(text, [m.span() for m in b.cut_re.finditer(text)]) == sorted(marks + starts)
