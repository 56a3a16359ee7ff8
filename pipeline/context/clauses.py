"""Sentences and clauses of the view, the units the item stage reasons about.

Sentences end at `。` `!` `?` and newlines; inside a sentence, clauses end at `,` `;` `:` and
before an enumerator (一是, 另一方面 …), never inside 《》 “” () and never between two digits
(2,380人次; 8:00). `;` `:` and enumerators open a new segment (`hard`): act-less clauses do not
join an act across one. `、` is not a boundary here (it usually joins objects; `items` cuts at
it only between two predicates).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from pipeline.items.lexicon import item_rules

if TYPE_CHECKING:
    from pipeline.items.acts import Verb

@dataclass(eq=False)  # compared by identity: `c in acts` must not compare every field
class Clause:
    start: int
    end: int
    hard: bool  # a segment boundary (`;` `:` an enumerator, a sentence start) opens it
    verbs: list[Verb] = field(default_factory=list)
    act: Verb | None = None  # the governing verb as written
    action: Verb | None = None  # the act after causative and light verbs are resolved
    extent: bool = False
    adverbial: bool = False  # a fronted adverbial (时间, 根据…部署): joins the act after it
    stance: bool = False  # its act is an exhortation's (紧扣政治定位) and it counts nothing
    hits: list = field(default_factory=list)  # every lexicon word, used as a verb or not


# ---------------------------------------------------------------- sentences and clauses

def sentences(view: str) -> list[tuple[int, int]]:
    """Spans between sentence ends (。 ! ? newline), without surrounding whitespace."""
    ends = item_rules().sentence_re
    out, pos = [], 0
    for m in ends.finditer(view):
        out.extend(_trimmed(view, pos, m.start()))
        pos = m.end()
    out.extend(_trimmed(view, pos, len(view)))
    return out


def _trimmed(view: str, s: int, e: int) -> list[tuple[int, int]]:
    while s < e and view[s].isspace():
        s += 1
    while e > s and view[e - 1].isspace():
        e -= 1
    return [(s, e)] if s < e else []


def bracket_spans(view: str) -> list[tuple[int, int]]:
    """Spans of 《…》 “…” (…) and the like, sorted: no boundary and no act inside them."""
    return [(m.start(), m.end()) for m in item_rules().bracket_re.finditer(view)]


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
    i = bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def clauses(view: str, brackets, s: int, e: int) -> list[Clause]:
    """Clauses of one sentence, split at `,` `;` `:` outside brackets and before enumerators."""
    rules = item_rules()
    k = bisect_right(brackets, (s, -1))
    bracketed = (k > 0 and brackets[k - 1][1] > s) or (k < len(brackets) and brackets[k][0] < e)
    cuts = [(m.start(), m.end(), m.group() != ",") for m in rules.clause_re.finditer(view, s, e)
            if not (bracketed and in_spans(brackets, m.start()))]
    out, pos, hard = [], s, True
    for a, b, is_hard in cuts:
        if a > pos:
            out.append(Clause(pos, a, hard))
        pos, hard = b, is_hard or a == b or hard and a == pos
    if pos < e:
        out.append(Clause(pos, e, hard))
    text = rules.text_re  # a clause of spaces only is no clause
    return [c for c in out if text.search(view, c.start, c.end)]


def join_straddled(cls: list[Clause], mentions: list) -> list[Clause]:
    """Clauses that a mention runs across (`换届后,一周内`) become one."""
    out: list[Clause] = []
    for c in cls:
        if out and any(m.start < out[-1].end and m.end > c.start for m in mentions):
            out[-1] = Clause(out[-1].start, c.end, out[-1].hard)
        else:
            out.append(c)
    return out



def split_segments(cls: list[Clause]) -> list[list[Clause]]:
    out: list[list[Clause]] = []
    for c in cls:
        if c.hard or not out:
            out.append([c])
        else:
            out[-1].append(c)
    return out

