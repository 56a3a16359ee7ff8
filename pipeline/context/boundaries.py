"""Sentences and clauses: one definition of where they end, for every stage (`rules/boundaries.yaml`).

The rule file names the marks once and builds each unit a stage reads from them (the items'
sentence, the extractors' statement, the regions' passage …), so two stages that cut text
differently say so as data instead of each keeping its own set of characters. `Units` holds
the marks of one document: the item stage's sentences and clauses (never cut inside 《》 “” ()
nor between two digits, as in 2,380人次 or 8:00), the bracketed spans, and for any unit where
its marks stand, to ask which stretch an offset is in.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import NamedTuple

from pydantic import Field, model_validator

from pipeline.candidates import Candidate, Explained
from pipeline.context.segment import stretch
from pipeline.context.spans import any_in, in_spans
from pipeline.rules import Example, RuleModel, alternation, load_model

FILE = "boundaries.yaml"
TEXT = re.compile(r"\S")  # a clause of spaces only is no clause
_MATCH_SPAN = re.Match.span


class Unit(RuleModel):
    id: str = Field(pattern=r"^boundary\.[a-z_]+$")
    marks: list[str] = Field(min_length=1)
    use: str
    examples: list[Example] = Field(min_length=1)


class BoundaryFile(RuleModel):
    """The schema of `rules/boundaries.yaml`."""

    marks: dict[str, str]
    units: list[Unit]
    brackets: dict[str, str]
    bracket_max_inner: int = Field(ge=1)
    quotations: list[str]
    enumerators: list[str]
    web_address: str = Field(description="a regex of the web addresses nothing is read inside")

    @model_validator(mode="after")
    def _marks_known(self):
        for u in self.units:
            unknown = set(u.marks) - set(self.marks)
            if unknown:
                raise ValueError(f"{u.id}: unknown marks {sorted(unknown)}")
        return self


class Boundaries:
    """`rules/boundaries.yaml` compiled: each unit's characters and regex, the item clause cut."""

    def __init__(self, f: BoundaryFile):
        self.file = f
        self.chars = {u.id.split(".", 1)[1]: "".join(f.marks[m] for m in u.marks) for u in f.units}
        self.mark_re = {name: re.compile(f"[{re.escape(chars)}]") for name, chars in self.chars.items()}
        # an item sentence without the whitespace around it
        self.sentence_re = re.compile(stretch(re.escape(self.chars["sentence"])))
        self.enumerators = frozenset(f.enumerators)
        marks = self.chars['item_clause'] + self.chars['segment']
        tails: dict[str, list[str]] = {}
        for w in f.enumerators:
            tails.setdefault(w[0], []).append(w[1:])
        self.cut_re = re.compile("|".join(  # never between two digits (2,380人次; 8:00)
            [f"{re.escape(c)}(?:(?<![0-9]{re.escape(c)})|(?![0-9]))" for c in marks]
            + [f"{re.escape(c)}(?=(?:{alternation(rest)}))" for c, rest in sorted(tails.items())]))
        self.cut_marks = frozenset(marks)
        self.soft = frozenset(self.chars["item_clause"])
        self.speech_re = re.compile(  # a quotation that holds a clause mark is speech
            f"[{re.escape(''.join(f.quotations))}].*"
            f"[{re.escape(self.chars['item_clause'] + self.chars['segment'] + self.chars['finished'])}]",
            re.S)
        self.address_re = re.compile("".join(f.web_address.split()))
        n = f.bracket_max_inner
        self.bracket_re = re.compile("|".join(
            f"{re.escape(a)}[^{re.escape(a + b)}\\n]{{0,{n}}}{re.escape(b)}" if a != b else
            f"{re.escape(a)}[^{re.escape(a)}\\n]{{0,{n}}}{re.escape(a)}" for a, b in f.brackets.items()))

    def cut_rows(self, view: str, spans) -> list[tuple[int, int, bool]]:
        """(start, end, hard) of the clause cuts that `cut_re` matched at `spans`: a mark, hard
        unless an item-clause mark, or the place before an enumerator (hard, no character).

        Each alternative of `cut_re` opens with the one character it matches (an enumerator's
        first, its rest looked ahead): so `re` scans for their first characters at C speed
        instead of trying the pattern at every place (a third of the scan's cost), and an
        enumerator inside another (一方面 in 另一方面) is still found, one character on."""
        marks, soft = self.cut_marks, self.soft
        return [(a, b, view[a] not in soft) if view[a] in marks else (a, a, True)
                for a, b in spans]

    def units(self, view: str) -> Units:
        return Units(view, self)

    # the rule file's examples (tests/test_rule_examples.py)
    rules_file = FILE

    def examples(self):
        for u in self.file.units:
            yield from ((u.id, ex) for ex in u.examples)

    def rule_ids(self) -> list[str]:
        return [u.id for u in self.file.units]

    def explain(self, ctx) -> list[Explained]:
        """Every stretch of every unit in the context's view, its closing mark included."""
        view, rows = ctx.view, []
        for u in self.file.units:
            pos = 0
            for m in self.mark_re[u.id.split(".", 1)[1]].finditer(view):
                rows.append(Explained(Candidate(pos, m.end(), u)))
                pos = m.end()
            if pos < len(view):
                rows.append(Explained(Candidate(pos, len(view), u)))
        return rows


@lru_cache(maxsize=1)
def boundaries() -> Boundaries:
    """The boundary rules, loaded and compiled once per process."""
    return Boundaries(load_model(FILE, BoundaryFile))


class ClauseSpan(NamedTuple):
    """A clause of an item sentence; `hard` when a segment boundary opens it. (A tuple: a
    document has tens of thousands, and a frozen dataclass is slow to make.)"""

    start: int
    end: int
    hard: bool


_span = tuple.__new__  # a ClauseSpan made from a tuple of its fields, without the named
# tuple's constructor: a document has tens of thousands


class Ends:
    """Where the marks of one unit stand in a text, to ask which stretch an offset is in."""

    def __init__(self, view: str, rx: re.Pattern):
        self.at = [m.start() for m in rx.finditer(view)]
        self.length = len(view)

    def index(self, pos: int) -> int:
        """The number of the stretch `pos` is in (marks before or at it)."""
        return bisect_right(self.at, pos)

    def start_before(self, pos: int, floor: int = 0) -> int:
        """The start of the stretch `pos` is in: just after the last mark before it."""
        k = bisect_left(self.at, pos)
        return max(floor, self.at[k - 1] + 1) if k else floor

    def end_after(self, pos: int, ceiling: int | None = None) -> int:
        """The offset of the first mark at or after `pos`, or the end of the text; never past
        `ceiling` when one is given."""
        k = bisect_left(self.at, pos)
        end = self.at[k] if k < len(self.at) else self.length
        return end if ceiling is None else min(end, ceiling)

    def between(self, a: int, b: int) -> bool:
        """Whether a mark stands in [a, b): two offsets in different stretches."""
        return any_in(self.at, a, b)


@dataclass(frozen=True, eq=False)
class Units:
    """The sentences, clauses and bracketed spans of one document's view."""

    view: str
    rules: Boundaries
    _ends: dict = field(default_factory=dict, repr=False)

    def around(self, unit: str, start: int, end: int, reach: int) -> tuple[int, int]:
        """The stretch of `unit` that holds [start, end), never further than `reach` from it:
        what `ends(unit)` gives (`start_before(start, floor)`, `end_after(end, ceiling)`), found
        by looking for the unit's marks within reach only. Why: a unit read at a few places of a
        document (the clauses of a list of bodies) is not worth finding all its marks (`ends`)."""
        view = self.view
        floor, ceiling = max(0, start - reach), min(len(view), end + reach)
        s = max(floor, *(view.rfind(ch, floor, start) + 1 for ch in self.rules.chars[unit]))
        after = self.rules.mark_re[unit].search(view, end, ceiling)
        return s, after.start() if after else ceiling

    def ends(self, unit: str) -> Ends:
        """The marks of `unit` (`statement`, `clause` … as named in the rule file), found once."""
        if unit not in self._ends:
            self._ends[unit] = Ends(self.view, self.rules.mark_re[unit])
        return self._ends[unit]

    @cached_property
    def brackets(self) -> list[tuple[int, int]]:
        """Spans of 《…》 “…” (…) and the like, sorted: no boundary and no act inside them. A
        quotation that holds a clause mark is what was said (spec §5: acts are read inside
        quotation marks), not a name: it is none."""
        speech = self.rules.speech_re
        return [(m.start(), m.end()) for m in self.rules.bracket_re.finditer(self.view)
                if not speech.match(self.view, m.start(), m.end())]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Item sentences: spans between sentence marks, without surrounding whitespace (what the
        regex matches: from the first character that is neither to the last before a mark)."""
        return list(map(_MATCH_SPAN, self.rules.sentence_re.finditer(self.view)))

    @cached_property
    def _cuts(self) -> tuple[list[int], list[tuple[int, int, bool]]]:
        """Every clause cut of the view, found in one pass: (start, end, hard) of the clause and
        segment marks outside brackets and of the places before enumerators, and their starts.
        The matches' spans are taken at C speed and the cuts inside brackets dropped bracket by
        bracket (a few hundred a document) instead of a bracket look-up for each of the cuts;
        a cut is one mark, or none before an enumerator (hard)."""
        view = self.view
        spans = list(map(_MATCH_SPAN, self.rules.cut_re.finditer(view)))
        starts = list(map(itemgetter(0), spans))
        inside = {k for a, b in self.brackets
                  for k in range(bisect_right(starts, a), bisect_left(starts, b))}
        if inside:
            spans = [sp for k, sp in enumerate(spans) if k not in inside]
            starts = list(map(itemgetter(0), spans))
        return starts, self.rules.cut_rows(view, spans)

    def clauses(self, s: int, e: int) -> list[ClauseSpan]:
        """Clauses of one sentence, cut at clause and segment marks outside brackets and before
        enumerators. The cuts of a sentence are those of the whole view inside it: a sentence
        ends at a sentence mark or a space, which no enumerator holds and which is no digit
        (the marks between two digits are no cuts); a stretch that ends elsewhere is cut on its
        own. The item sentences' clauses are cut all at once (`_sentence_clauses`)."""
        got = self._sentence_clauses.get(s)
        if got is not None and got[0] == e:
            return got[1]
        view = self.view
        if e < len(view) and view[e] not in self.rules.chars["sentence"] and not view[e].isspace():
            return self._clauses(s, e, self.rules.cut_rows(view, [
                m.span() for m in self.rules.cut_re.finditer(view, s, e)
                if not in_spans(self.brackets, m.start())]))
        starts, cuts = self._cuts
        return self._clauses(s, e, cuts[bisect_left(starts, s):bisect_left(starts, e)])

    @cached_property
    def _sentence_clauses(self) -> dict[int, tuple[int, list[ClauseSpan]]]:
        """The clauses of every item sentence (its start -> its end and its clauses), cut in one
        walk along the view's cuts as `_clauses` cuts one sentence: the item stage asks for
        nearly all of them, and one loop costs less than a look-up and a call per sentence."""
        view, (_, cuts), out = self.view, self._cuts, {}
        k, n, space = 0, len(cuts), str.isspace
        for s, e in self.sentences:
            while k < n and cuts[k][0] < s:
                k += 1
            spans, pos, hard = [], s, True
            while k < n and cuts[k][0] < e:
                a, b, is_hard = cuts[k]
                k += 1
                if a > pos and (not space(view[pos]) or TEXT.search(view, pos, a)):
                    spans.append(_span(ClauseSpan, (pos, a, hard)))
                pos, hard = b, is_hard or a == b or hard and a == pos
            if pos < e and (not space(view[pos]) or TEXT.search(view, pos, e)):
                spans.append(_span(ClauseSpan, (pos, e, hard)))
            out[s] = (e, spans)
        return out

    def _clauses(self, s: int, e: int, cuts: list[tuple[int, int, bool]]) -> list[ClauseSpan]:
        view = self.view
        out, pos, hard = [], s, True
        for a, b, is_hard in cuts:
            if a > pos:
                out.append(ClauseSpan(pos, a, hard))
            pos, hard = b, is_hard or a == b or hard and a == pos
        if pos < e:
            out.append(ClauseSpan(pos, e, hard))
        return [c for c in out if TEXT.search(view, c.start, c.end)]

