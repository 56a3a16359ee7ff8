"""Clauses as the item stage reasons about them: the context's clause spans with their verbs.

The document context cuts sentences and clauses (`pipeline.context.boundaries`); here a clause
gets what the item stage learns of it (its lexicon words, its act, whether it is an adverbial),
and clauses are joined where a mention runs across them and grouped into segments. `、` is no
boundary (it usually joins objects; `build` cuts at it only between two predicates).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import NamedTuple


class Verb(NamedTuple):
    """One lexicon word found in a clause: where, which class, which rule. (A tuple: quick to
    make, and a clause stage makes one per lexicon word.)"""

    start: int
    end: int
    word: str
    cls: str
    rule_id: str
    framed: bool = False  # inside an adverbial frame (在…后): used only when nothing else is


@dataclass(eq=False, slots=True)  # compared by identity: `c in acts` must not compare every field
class Clause:
    start: int
    end: int
    hard: bool  # a segment boundary (`;` `:` an enumerator, a sentence start) opens it
    verbs: list[Verb] | tuple = ()  # (a clause not analysed yet has none)
    act: Verb | None = None  # the governing verb as written
    action: Verb | None = None  # the act after causative and light verbs are resolved
    extent: bool = False
    adverbial: bool = False  # a fronted adverbial (时间, 根据…部署): joins the act after it
    speech: Verb | None = None  # a speech verb ending the clause (指出,): an act only for a count
    hits: list | tuple = ()  # every lexicon word, used as a verb or not


Span = tuple[int, int, bool]  # a clause's start, end and hard (`boundaries.ClauseSpan`)


def join_straddled(spans: list[Span], mentions: list) -> list[Span]:
    """Clause spans (start, end, hard) that a mention runs across (`换届后,一周内`) become one.
    Clause j joins the one before it when a mention starts before that one's end and ends after
    its own start: for each mention, those j are found from where it starts, by bisection."""
    if not mentions or len(spans) < 2:
        return spans
    ends = [c[1] for c in spans]
    joined = set()
    for m in mentions:
        j = bisect_right(ends, m.start) + 1
        while j < len(spans) and spans[j][0] < m.end:
            joined.add(j)
            j += 1
    if not joined:
        return spans
    out = [spans[0]]
    for j in range(1, len(spans)):
        if j in joined:
            out[-1] = (out[-1][0], spans[j][1], out[-1][2])
        else:
            out.append(spans[j])
    return out


def split_segments(cls: list[Clause]) -> list[list[Clause]]:
    out: list[list[Clause]] = []
    for c in cls:
        if c.hard or not out:
            out.append([c])
        else:
            out[-1].append(c)
    return out

