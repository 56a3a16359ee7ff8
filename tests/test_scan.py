"""The gated scan yields what the regex's own `finditer` yields, and reads the right first
characters from a pattern."""
import re

import pytest

from pipeline import scan as scan_module
from pipeline.kept import KeptTable
from pipeline.scan import (Gates, Scan, first_chars, gate, gate_chars, line_led, line_starts,
                           reads_only_its_match, searcher)

TEXT = "团省委和省委巡视组、上级巡察机构对市委开展巡视;县纪委监委、市县党委。\n省委省委第三巡视组"


@pytest.mark.parametrize("pattern, chars", [
    ("(?<!团)(?:省|市)委", {"省", "市"}),
    ("(?:上级|下级)?巡视组", {"上", "下", "巡"}),
    ("(?:[甲乙]|丙丁)(?=x)", {"甲", "乙", "丙"}),
    ("[^\\W\\d]{2,4}?大学", None),  # any name character may begin it
    ("(?:省)?", None),  # it can match empty
    ("[\u4e00-\u9fff]委", None),  # a class too broad to list
    ("(?i)ab", None),  # case folding
])
def test_first_chars(pattern, chars):
    got = first_chars(pattern, re.compile(pattern).flags)
    assert (None if got is None else set(got)) == chars


@pytest.mark.parametrize("pattern, gates", [
    ("省委|市委", 2),  # one gate a first character: `re` finds a literal fastest
    ("(?<!团)(?:省|市)委", 2),
    ("省委", 0),  # led by a literal: `re` skips as fast without a gate
    ("(?<!团)[一二三四五六七八九十]委", 1),  # too many first characters: one class
    ("[一二三四五六七八九十]委", 0),  # ... which `re` skips to by itself
    ("[^省]委", 0),
])
def test_gates(pattern, gates):
    assert len(Scan(re.compile(pattern)).gates) == gates
    assert (gate_chars(pattern) == "") is (gates == 0)


@pytest.mark.parametrize("pattern, after", [
    ("(?<!团)(?:省|市)委", {"省": "委", "市": "委"}),
    ("省委|市县|市委", {"省": "委", "市": "县委"}),
    ("(?:上级|下级)?巡视组", {"上": "级", "下": "级", "巡": "视"}),
    ("(?:省委){1,2}|(?:市)+县", {"省": "委", "市": "市县"}),
    ("[省市]委?", {}),  # 省 alone is a match: nothing need follow it
    ("(?:[甲乙]|丙丁)(?=x)", {"丙": "丁"}),  # only 丙 never ends a match
    ("(?:甲(?=x)|乙)[一二]", {"甲": "一二", "乙": "一二"}),  # what a look-ahead asks is left out
    ("甲[^乙]|乙", {}),
])
def test_what_follows_a_first_character(pattern, after):
    got = gate(pattern, re.compile(pattern).flags)[1]
    assert {ch: set(chars) for ch, chars in got.items()} == {ch: set(chars) for ch, chars in after.items()}


@pytest.mark.parametrize("pattern", [
    "(?<!团)(?:省|市|县)委(?:巡视组|第三巡视组)?",
    "(?:省委|市县|县委){1,2}|[县市]",
    "(?<![团上])(?:省|市|县|委|纪|组|织|党|第|三|巡)(?:委|组|三|巡视){1,3}",
    "(?:上级|下级)?(?:巡视|巡察)(?:组|机构)",
    "(?:省委){1,2}",
    "(?<=、)(?:市县|县)(?:纪委监委|党委)(?!。)",
    "(?:[省市]委)(?=巡)|委",
    "(?<![团上])[省市县委纪组织党第三巡]委?",
])
@pytest.mark.parametrize("text, pos, endpos", [
    (TEXT, 0, None), (TEXT, 3, 30), (TEXT, 5, 12), (TEXT, 0, len(TEXT)),
    (TEXT * 40, 0, None), (TEXT * 40, 7, 40 * len(TEXT) - 3),  # long: one gate a character
])
def test_scan_finds_what_finditer_finds(pattern, text, pos, endpos):
    rx = re.compile(pattern)
    scan = Scan(rx)
    end = len(text) if endpos is None else endpos
    want = [(m.span(), m.groups()) for m in rx.finditer(text, pos, end)]
    assert [(m.span(), m.groups()) for m in scan.finditer(text, pos, endpos)] == want
    assert scan.spans(text, pos, endpos) == [span for span, _groups in want]


# windows that end before the 巡 after 省委 (6) and cut 巡察 (12), that begin after a 巡 (7, 13)
WINDOWS = [(0, 6), (7, 13), (13, 21), (21, 30), (36, len(TEXT))]


@pytest.mark.parametrize("pattern", [
    "(?<!团)(?:省|市|县)委(?:巡视组|第三巡视组)?",
    "(?<=巡)(?:视组|察机构)",  # looks back before a window's start
    "(?:省|市)委(?!巡)",  # sees no 巡 past a window's end
    "(?:组|委)$",  # a window's end is the text's end to it
    "(?:上级|下级)?(?:巡视|巡察)(?:组|机构)",
    "省委(?:巡视组)?",  # no gate: the regex's own scan
    "委?",  # empty matches too, as `finditer` yields them
])
@pytest.mark.parametrize("text, windows", [
    (TEXT, WINDOWS), (TEXT, []), (TEXT, [(5, 5), (7, 9)]),
    (TEXT * 40, [(3, 40 * len(TEXT) - 5)]),  # long: one gate a character
    (TEXT * 40, [(0, 20), (30, 1500), (1502, 1600)]),
])
@pytest.mark.parametrize("each_follower", [False, True])
def test_a_scan_of_windows_finds_what_finditer_finds_in_each(pattern, text, windows, each_follower):
    """`finditer_in` and `chain_in` over `starts_in` find, window after window, what
    `finditer(text, s, e)` finds in each: look-behinds read before the window, nothing reads
    past its end; with a gate that checks what follows each first character too."""
    rx = re.compile(pattern)
    scan = Scan(rx, each_follower)
    want = [(m.span(), m.groups()) for s, e in windows for m in rx.finditer(text, s, e)]
    assert [(m.span(), m.groups()) for m in scan.finditer_in(text, windows)] == want
    chained = scan.chain_in(text, windows, scan.starts_in(text, windows))
    assert [(m.span(), m.groups()) for m in chained] == [w for w in want if w[0][1] > w[0][0]]


@pytest.mark.parametrize("chars, after, led", [
    ("省市", {"省": "委", "市": "县委"}, "(?:省(?=[委])|市(?=[县委]))"),
    ("省市", {"市": "委"}, "(?:省|市(?=[委]))"),  # 省 alone may be a match: nothing follows
    ("省市", {}, "[省市]"),  # nothing known: the class
    ("省", {"省": "委"}, "省(?=[委])"),
])
def test_a_gate_led_by_each_first_character(chars, after, led):
    assert scan_module.led_each(chars, after) == led


def test_a_window_ends_the_text_for_what_looks_ahead():
    """What `finditer_in` must keep: a match at a window's end that the whole text refuses."""
    scan = Scan(re.compile("(?:省|市)委(?!巡)"))
    assert [m.span() for m in scan.finditer_in("省委巡视组", [(0, 2)])] == [(0, 2)]
    assert [m.span() for m in scan.finditer_in("省委巡视组", [(0, 5)])] == []


@pytest.mark.parametrize("pattern, gated", [
    ("(?<!团)(?:省|市|县)委(?:巡视组|第三巡视组)?", True),  # several first characters: the class gate
    ("(?:省委){1,2}", True),  # one: its own gate
    ("省委(?:巡视组)?", False),  # led by a literal: a plain scan, no gate
])
@pytest.mark.parametrize("text", [TEXT, TEXT[7:], "省", ""])
def test_the_gate_finds_where_the_first_match_begins(pattern, gated, text):
    rx = re.compile(pattern)
    gate = Scan(rx).gate
    assert (gate is not None) == gated
    if gated:
        found, want = gate.search(text), rx.search(text)
        assert (found and found.start()) == (want and want.start())


def test_first_characters_are_kept_across_runs(tmp_path, monkeypatch):
    """A later process reads a pattern's gate from the cache folder without parsing it."""
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    monkeypatch.setattr(scan_module, "TABLE", KeptTable("scan", scan_module.TABLE.format, scan_module.TABLE.build))
    assert gate_chars("(?<!团)(?:甲|乙)丙") == "乙甲"
    scan_module.TABLE.save()
    scan_module.TABLE.forget()
    monkeypatch.setattr(scan_module, "_tree", lambda *_: pytest.fail("parsed again"))
    assert gate_chars("(?<!团)(?:甲|乙)丙") == "乙甲"


@pytest.mark.parametrize("pattern, plain", [
    ("巡视组|巡察[组办]+", True),
    ("(?:上级|下级)?巡视组{1,2}?", True),
    ("[^,。]{0,10}督察", True),
    ("(?<!团)省委", False),  # it looks before its match
    ("省委(?=巡视)", False),  # and after it
    ("^省委", False),
    ("省委\\b", False),
    ("(省)委\\1", False),
])
def test_reads_only_its_match(pattern, plain):
    assert reads_only_its_match(pattern) is plain


@pytest.mark.parametrize("pattern", ["巡视组|巡察[组办]+", "[^,。]{0,3}督察|(?:省|市)委"])
def test_a_plain_pattern_matches_a_stretch_where_the_whole_text_does(pattern):
    """What `reads_only_its_match` promises: a match in a stretch begins where one begins in
    the whole text."""
    rx, starts = re.compile(pattern), Scan(re.compile(pattern)).starts(TEXT, 0, len(TEXT))
    for s in range(len(TEXT)):
        for e in range(s, len(TEXT) + 1):
            m = rx.search(TEXT[s:e])
            assert m is None or s + m.start() in starts


GATED = [  # patterns gated by a few first characters: joined
    "(?<!团)(?:省|市|县)委(?:巡视组|第三巡视组)?",
    "(?:上级|下级)?(?:巡视|巡察)(?:组|机构)",
    "(?P<level>[省市])委(?!巡)",  # a named group: unnamed where joined
    "(?:省委){1,2}|(?:市)+县",
    "(?<=、)(?:市县|县)(?:纪委监委|党委)(?!。)",
]


@pytest.mark.parametrize("text", [TEXT, TEXT * 40, "省", ""])
def test_gates_find_in_one_pass_what_each_scan_finds(text):
    """`Gates` answers for each scan joined what its own `starts` and `spans` give; a scan
    gated by a class (many first characters) or by none is not joined (None), nor a place
    given none; a pattern given twice is found once for both."""
    patterns = [*GATED, "(?<![团上])[省市县委纪组织党第三巡]委?", "省委(?:巡视组)?", GATED[0]]
    scans = [Scan(re.compile(p)) for p in patterns]
    gates = Gates([*scans, None])
    joined = [True] * len(GATED) + [False, False, True, False]
    assert [k is not None for k in gates.slot] == joined
    assert gates.starts(text) == [s.starts(text, 0, len(text)) if j else None
                                  for s, j in zip(scans + [None], joined)]
    assert gates.spans(text) == [s.spans(text) if j else None for s, j in zip(scans + [None], joined)]


def test_gates_of_one_pattern_join_none():
    gates = Gates([Scan(re.compile(GATED[0])), None])
    assert gates.slot == (None, None) and gates.spans(TEXT) == [None, None]


@pytest.mark.parametrize("pattern, flags, led", [
    ("(?m:^)省委", 0, True),
    ("^省委", re.MULTILINE, True),
    ("^省委", 0, False),  # the text's start only: no line's
    ("省委(?m:^)", 0, False),
    ("(?:^|、)省委", re.MULTILINE, False),
    ("(?m:^)省委|市委", 0, False),  # a line start before one alternative only
    ("^省委|市委", re.MULTILINE, False),
    ("(?m:^$)省委", 0, False),
])
def test_line_led(pattern, flags, led):
    assert line_led(re.compile(pattern, flags)) is led


@pytest.mark.parametrize("text, pos, end, starts", [
    ("ab\ncd\n\nef", 0, 9, [0, 3, 6, 7]),
    ("ab\ncd\n\nef", 1, 9, [3, 6, 7]),
    ("ab\ncd\n\nef", 3, 6, [3, 6]),
    ("ab\ncd", 2, 3, [3]),
    ("", 0, 0, [0]),
])
def test_line_starts(text, pos, end, starts):
    assert line_starts(text, pos, end) == starts


@pytest.mark.parametrize("pattern", ["(?m:^)(?:省|市)委(?=巡)", "(?m:^)[省市县]委?"])
@pytest.mark.parametrize("text, pos, endpos", [
    (TEXT, 0, None), (TEXT, 3, 30), (TEXT, 36, None), (TEXT, 37, None),
    ("\n" + TEXT * 3, 1, None), ("省委\n\n市委巡\n", 0, 7),
])
def test_a_line_led_scan_finds_what_finditer_finds(pattern, text, pos, endpos):
    rx = re.compile(pattern)
    end = len(text) if endpos is None else endpos
    want = [(m.span(), m.groups()) for m in rx.finditer(text, pos, end)]
    assert [(m.span(), m.groups()) for m in Scan(rx).finditer(text, pos, endpos)] == want


@pytest.mark.parametrize("pattern", [
    "(?:^|[,:]|全省)经济(?:增长)?$",  # few first characters, no literal first: gated
    "每[^,;]{0,8}$|各[^,;]{0,6}分别(?![对向])",
    "(?<!团)(?:省|市)委",
    "省(?:委|政府)",  # a literal first: `re` skips to it itself
    "[^\\W\\d]{2,4}?大学",  # no short list of first characters
])
@pytest.mark.parametrize("text", ["全省经济增长", "今年,经济增长", "经济", "每年,各地分别对", "各市分别",
                                  "团省委、市委", "省", "某大学", ""])
def test_a_searcher_finds_a_match_where_the_search_does(pattern, text):
    rx = re.compile(pattern)
    assert (searcher(rx)(text) is None) == (rx.search(text) is None)
