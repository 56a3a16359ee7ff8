"""Clauses of the item stage: spans joined where a mention runs across a cut, segments."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline.items.clauses import Clause, join_straddled, split_segments


def mentions(*spans: tuple[int, int]) -> list:
    return [SimpleNamespace(start=a, end=b) for a, b in spans]


@pytest.mark.parametrize("spans, found, expected", [
    # no mention, or one inside a clause: nothing joins
    ([(0, 4, True), (5, 9, False)], [], [(0, 4, True), (5, 9, False)]),
    ([(0, 4, True), (5, 9, False)], [(1, 3), (6, 8)], [(0, 4, True), (5, 9, False)]),
    # a mention over the cut joins the two clauses; the first one's `hard` is kept
    ([(0, 4, True), (5, 9, False), (10, 14, True)], [(2, 7)],
     [(0, 9, True), (10, 14, True)]),
    # one over two cuts joins three
    ([(0, 4, False), (5, 9, False), (10, 14, True)], [(2, 12)], [(0, 14, False)]),
    # two mentions, each over a different cut, ends touching a clause are no crossing
    ([(0, 4, True), (5, 9, False), (10, 14, False), (15, 19, False)], [(3, 6), (9, 10), (13, 16)],
     [(0, 9, True), (10, 19, False)]),
    # a mention that starts before the first clause and ends inside the second
    ([(2, 4, True), (5, 9, False)], [(0, 6)], [(2, 9, True)]),
    # a single clause is left alone
    ([(0, 4, True)], [(1, 9)], [(0, 4, True)]),
])
def test_join_straddled(spans, found, expected):
    assert join_straddled(spans, mentions(*found)) == expected


def test_join_straddled_reads_mentions_in_any_order():
    spans = [(0, 4, True), (5, 9, False), (10, 14, False)]
    assert join_straddled(spans, mentions((11, 13), (3, 6))) == [(0, 9, True), (10, 14, False)]


@pytest.mark.parametrize("hard, expected", [
    ([True, False, False], [[0, 1, 2]]),
    ([True, True, False], [[0], [1, 2]]),
    ([False, False, True], [[0, 1], [2]]),
])
def test_split_segments(hard, expected):
    cls = [Clause(k * 5, k * 5 + 4, h) for k, h in enumerate(hard)]
    assert [[cls.index(c) for c in seg] for seg in split_segments(cls)] == expected
