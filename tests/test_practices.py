"""Practice cues: one scan of a text for every category finds what each category's own regex
finds, match for match (`CueTable.matches` against `finditer`)."""
from __future__ import annotations

import random

import pytest

from pipeline.items.practices import (CueTable, Scope, cue_table, inspection_words,
                                      practice_rules)
from pipeline.context.spans import merged
from pipeline.records import Heading


def per_category(text: str) -> list[tuple[int, int, int]]:
    """What `finditer` of each category's cue regex finds, in text order."""
    return sorted((m.start(), m.end(), rank)
                  for rank, (_, cue_re, _) in enumerate(practice_rules())
                  for m in cue_re.finditer(text))


def pieces() -> list[str]:
    """The cues of the rule file, their heads and tails, and a few other characters: texts made
    of them hold cues inside cues, cues of several categories at one place, and overlaps."""
    cues = [c for p, _, _ in practice_rules() for c in p.cues]
    return (cues + [c[:k] for c in cues for k in range(1, len(c))]
            + [c[k:] for c in cues for k in range(1, len(c))] + list("的和,。"))


@pytest.mark.parametrize("seed", range(5))
def test_one_scan_finds_what_each_category_finds(seed):
    rng, parts = random.Random(seed), pieces()
    for _ in range(2000):
        text = "".join(rng.choice(parts) for _ in range(rng.randint(0, 12)))
        assert sorted(cue_table().matches(text)) == per_category(text), text


@pytest.mark.parametrize("text", ["", "巡察", "落实巡察整改措施", "推行提级巡察和交叉巡察。"])
def test_matches_come_in_text_order(text):
    found = list(cue_table().matches(text))
    assert [a for a, _, _ in found] == sorted(a for a, _, _ in found)
    assert sorted(found) == per_category(text)


def test_a_table_of_other_rules_is_built_for_them():
    rules = practice_rules()[:1]
    table = CueTable(rules)
    cue = rules[0][0].cues[0]
    assert list(table.matches("…" + cue)) == [(1, 1 + len(cue), 0)]


@pytest.mark.parametrize("seed", range(3))
def test_a_scan_of_some_spans_finds_what_the_whole_scan_finds_in_them(seed):
    """Spans start sentences: a scan of them finds the matches of the whole text's scan that
    start in them."""
    rng, parts = random.Random(seed), pieces()
    for _ in range(500):
        sentences = ["".join(rng.choice(parts) for _ in range(rng.randint(0, 6))) + "。"
                     for _ in range(rng.randint(1, 5))]
        text, bounds = "".join(sentences), []
        for s in sentences:
            start = bounds[-1][1] if bounds else 0
            bounds.append((start, start + len(s)))
        spans = [b for b in bounds if rng.random() < 0.5]
        want = [x for x in cue_table().matches(text) if any(s <= x[0] < e for s, e in spans)]
        assert list(cue_table().matches(text, spans)) == want, (text, spans)


@pytest.mark.parametrize("spans, expected", [
    ([], []),
    ([(0, 3), (5, 8)], [(0, 3), (5, 8)]),
    ([(0, 3), (3, 8)], [(0, 8)]),
    ([(0, 6), (2, 4), (5, 9)], [(0, 9)]),
])
def test_spans_merged(spans, expected):
    assert merged(spans) == expected


@pytest.mark.parametrize("document, heads, expected", [
    (False, [], [(3, 8)]),  # the one sentence that speaks of inspection work
    (True, [], [(0, 14)]),  # all of a document that does
    (False, [(8, 10)], [(3, 14)]),  # and the section under a heading that does
    (False, [(0, 2)], [(3, 8)]),  # not under one that does not
])
def test_the_spans_where_cues_may_count(document, heads, expected):
    view = "甲乙。开展巡察。督查\n丙丁。"
    sentences = [(0, 3), (3, 8), (11, 14)]
    headings = [Heading(start=s, end=e, text=view[s:e]) for s, e in heads]
    assert Scope(view, sentences, headings, inspection_words(), document).spans() == expected


def test_a_span_without_a_cue_start_has_no_category():
    """`any_between` tells whether a cue starts in a span; where none does, `of` finds none
    (a sentence without one spares its items the look-up)."""
    from pipeline.context.document import Context
    from pipeline.items.practices import Cues

    text = "巡察组开展巡察,推动整改落实。市委召开会议。督促整改问题12个。"
    cues = Cues.of_context(Context.of(text))
    assert cues.found
    for s in range(len(text)):
        for e in range(s, len(text) + 1):
            starts = any(s <= a < e for a, *_ in cues.found)
            assert cues.any_between(s, e) == starts, (s, e)
            if not starts:
                assert cues.of(s, e) == ([], [])


@pytest.mark.parametrize("heads", [[], [(8, 10)], [(0, 2)]])
def test_the_spans_from_context_words_found_already(heads):
    """Scope given the context words its caller found (`Cues.of_context` counts them for the
    document's density) gives the spans its own scan gives."""
    view = "甲乙。开展巡察。督查\n丙丁。巡视"
    sentences = [(0, 3), (3, 8), (11, 14), (14, 16)]
    headings = [Heading(start=s, end=e, text=view[s:e]) for s, e in heads]
    found = [m.span() for m in inspection_words().finditer(view)]
    assert found
    assert (Scope(view, sentences, headings, inspection_words(), False, found).spans()
            == Scope(view, sentences, headings, inspection_words()).spans())
