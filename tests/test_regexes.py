"""Compiled rule regexes kept across runs: the same patterns as `re.compile`, warm or cold."""
from __future__ import annotations

import re

import pytest

from pipeline import regexes
from pipeline.paths import cache_dir

PATTERNS = [
    (r"(?P<num>\d+(?:\.\d+)?)(?P<unit>个|项|%)", 0, "整改问题35个,完成率97.7%"),
    (r"^(?:一|二|三)、", re.M, "前言\n一、总体情况\n二、问题"),
    (r"(?<![省市])委员会(?=\s|$)", 0, "纪律检查委员会 党的委员会"),
    (r"[a-z]+", re.I, "Web ADDRESS www"),
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    regexes.TABLE.forget()
    yield tmp_path
    regexes.TABLE.forget()


def _same(a: re.Pattern, b: re.Pattern, text: str) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
    assert [m.groupdict() for m in a.finditer(text)] == [m.groupdict() for m in b.finditer(text)]


@pytest.mark.parametrize("pattern, flags, text", PATTERNS)
def test_cold_and_warm_patterns_match_as_re_compile(folder, pattern, flags, text):
    _same(regexes.regex(pattern, flags), re.compile(pattern, flags), text)
    regexes.TABLE.save()
    regexes.TABLE.forget()
    assert list(folder.glob("regex-*.marshal"))
    _same(regexes.regex(pattern, flags), re.compile(pattern, flags), text)
    assert not regexes.TABLE.added  # read from the table, not parsed again


def test_a_damaged_table_is_ignored(folder):
    regexes.regex(r"\d+年")
    regexes.TABLE.save()
    (path,) = folder.glob("regex-*.marshal")
    path.write_bytes(path.read_bytes()[:-7] + b"garbage")
    regexes.TABLE.forget()
    assert regexes.regex(r"\d+年").findall("2019年和2020年") == ["2019年", "2020年"]


def test_a_bad_pattern_raises_as_re_does(folder):
    with pytest.raises(re.error):
        regexes.regex(r"(?P<x>a")


def test_no_cache_folder_compiles_as_usual(monkeypatch):
    monkeypatch.setenv("XUNSHI_CACHE", "off")
    regexes.TABLE.forget()
    assert cache_dir() is None
    assert regexes.regex(r"[省市]委").search("县委和市委").group() == "市委"
    regexes.TABLE.save()  # nothing to write to, no error
    regexes.TABLE.forget()


def test_unused_entries_are_dropped_when_they_outnumber_the_used(folder):
    for k in range(40):
        regexes.regex(f"old{k}")
    regexes.TABLE.save()
    regexes.TABLE.forget()
    regexes.regex("new")
    regexes.TABLE.save()
    table = regexes.TABLE.read(next(folder.glob("regex-*.marshal")))
    assert ("new", 0) in table and ("old1", 0) not in table


@pytest.mark.parametrize("patterns, text, found", [
    (["巡河", "河长"], "县级河长巡河三次", True),
    (["巡河", "河长"], "县级巡视三次", False),
    (["(?:环保|国土)督察"], "开展国土督察", True),
])
def test_any_of_matches_where_one_of_the_patterns_does(patterns, text, found):
    rx = regexes.any_of([regexes.regex(p) for p in patterns])
    assert (rx.search(text) is not None) is found


def test_any_of_declines_patterns_it_cannot_join():
    assert regexes.any_of([regexes.regex("(x)\\1"), regexes.regex("y")]) is None
    assert regexes.any_of([regexes.regex("(?P<a>x)"), regexes.regex("(?P<a>y)")]) is None
