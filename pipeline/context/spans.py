"""Questions about sorted spans that several stages ask, answered by bisection."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate


class SpanCover:
    """Spans (start, end) that answer, by bisection, whether [a, b) lies inside one of them:
    for each start, the furthest end of the spans starting at or before it is kept."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(accumulate((b for _, b in spans), max))

    def covers(self, a: int, b: int) -> bool:
        k = bisect_right(self.starts, a) - 1
        return k >= 0 and self.reach[k] >= b


def in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether `pos` lies strictly inside one of the sorted, disjoint `spans`."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def any_in(points: list[int], a: int, b: int) -> bool:
    """Whether one of the sorted `points` lies in [a, b)."""
    i = bisect_left(points, a)
    return i < len(points) and points[i] < b


def overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether [a, b) shares a character with one of the sorted, disjoint `spans`."""
    i = bisect_right(spans, (a, float("inf"))) - 1
    if i >= 0 and spans[i][1] > a:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < b


def merged(spans) -> list[tuple[int, int]]:
    """Spans sorted by their start, with those that overlap or touch made one."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def windows(hits, before: int, after: int, length: int) -> list[tuple[int, int]]:
    """Stretches from `before` characters ahead of each hit (start, end), in text order, to
    `after` past it, those that overlap or touch merged, cut to a text of `length`.

    Why: a rule read only around the hits of its trigger is read once where hits crowd. Only the
    first stretch can begin before the text and only the last end after it (any other would
    overlap its neighbour), so they alone are cut, after the merging.
    """
    out = merged((start - before, end + after) for start, end in hits)
    if out:
        out[0] = (max(0, out[0][0]), out[0][1])
        out[-1] = (out[-1][0], min(length, out[-1][1]))
    return out
