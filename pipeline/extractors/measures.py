"""Measures (spec §5a): what each quantity counts towards a comparison table.

Every quantity gets `measure` (an inspection outcome such as `problems.found`, a work-report
indicator of `rules/measures.yaml`, or null), `scope` (`total`, or `part` of a figure given
beside it) and `status` (`done`, or `planned` for a target, plan or requirement), decided here,
when the document is extracted, from the quantity's clause and sentence: tables are then built
from the outputs alone, and each decision names the rule that made it (`measure_rule`,
`scope_rule`, `status_rule`).

A work report's indicators also have a period: the report reviews last year (done), sums up
the years of a plan (a figure of several years: no measure) and sets this year's targets
(planned). The period of a figure is read from a cue in its own clause, else from the last
heading or sentence opening that named one (`periods` of the rules file); a numbered
top-level heading that names none ends the one before it.

The rules read a quantity through windows of its sentence in which every other count is masked
by one character (`MASK`, the rules' `{N}`): a cue such as `处分` then reaches the number it
governs and no number further on (`诫勉谈话4人、党纪处分2人`). This module is pure: view,
sentence spans, headings, reference date and mentions in, mentions out; `Measures` is the stage
the run applies after the overlap resolver (`base.Refiner`), reading the context's sentences,
headings and reference date.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache
from itertools import combinations, compress, repeat
from typing import NamedTuple

from pydantic import Field, model_validator

from pipeline.candidates import Candidate, Explained, RuleRef
from pipeline.context import regions
from pipeline.context.boundaries import boundaries
from pipeline.context.spans import any_in
from pipeline.context.document import Context
from pipeline.context.view import normalize
from pipeline.errors import RuleError
from pipeline.extractors.base import Refiner
from pipeline.records import Heading, Quantity, Scope, Status, evolve
from pipeline.regexes import any_of
from pipeline.scan import Scan, reads_only_its_match, searcher
from pipeline.rules import Example, RuleModel, compile_rule, display, load_model

MEASURES_FILE = "measures.yaml"
MASK = "\ue000"
RULE_ID = r"^measures(\.[a-z0-9_]+)+$"
MEASURE_ID = r"^[a-z_]+(\.[a-z0-9_]+)+$"
WINDOWS = ("counted", "before", "after", "sentence", "rest", "whole")
ANCHORED = ("after", "rest")  # windows a rule's pattern must match at their start
CHECK_ORDER = ("after", "rest", "counted", "before", "sentence", "whole")  # cheapest first
PERIOD_CUES = ("heading", "opening", "clause")


# ---------------------------------------------------------------- the rule file's schema

class Cued(RuleModel):
    """A rule with examples where it fires (`found`: the quantity `span` gets its decision) and
    where it must not (`absent`), each with the measure, scope and status the quantity gets."""

    id: str = Field(pattern=RULE_ID)
    examples: list[Example] = Field(min_length=2)

    @model_validator(mode="after")
    def _both_ways(self):
        if {ex.expect for ex in self.examples} != {"found", "absent"}:
            raise ValueError("examples where the rule fires (found) and where it must not (absent)")
        return self


class MeasureRule(Cued):
    measure: str | None = Field(pattern=MEASURE_ID, description="null: no measure (an exclusion)")
    outcome: bool = Field(True, description="an inspection outcome: fires in inspection context only")
    units: list[str] = Field(default_factory=list)
    max_value: float | None = None
    counted: str | None = None
    before: str | None = None
    after: str | None = None
    sentence: str | None = None
    rest: str | None = None
    whole: str | None = None
    not_counted: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    not_sentence: str | None = None
    not_rest: str | None = None
    not_whole: str | None = None

    @model_validator(mode="after")
    def _has_cue(self):
        if not self.units and not any(getattr(self, w) for w in WINDOWS):
            raise ValueError("a measure rule needs units or one of " + ", ".join(WINDOWS))
        return self


class PartRule(Cued):
    cue: str = Field(description="regex searched in the sentence before the quantity")
    needs_total: bool = Field(True, description="a measured figure must stand before the cue")


class StatusRule(Cued):
    status: Status
    cue: str = Field(description="regex; the cue nearest the quantity decides")


class ContextRule(Cued):
    pattern: str


class ContextRules(RuleModel):
    inspection: str = Field(description="words that make a text speak of inspection work")
    per_mille: float = Field(description="matches per 1000 characters of an inspection document")
    at_least: int = Field(description="and at least this many matches")
    foreign: list[ContextRule] = Field(description="checks of another kind: no outcome in them")


class UnitFamily(RuleModel):
    """Units that count the same kind of thing, for a part that takes its total's measure."""

    units: list[str] = Field(min_length=1)
    nouns: str | None = Field(None, description="regex: a part and its total must both end in "
                                                "a match, or end alike; none: any noun")


class PeriodRule(Cued):
    """The period a work report speaks of, with what its indicators' figures are then."""

    status: Status | None = Field(description="done, planned, or null: a figure of several "
                                               "years, which gets no measure")
    year: int | None = Field(None, description="a year a cue names must be the reference "
                                               "date's year plus this (-1: last year)")
    heading: str | None = Field(None, description="searched in a heading line")
    opening: str | None = Field(None, description="matched at a sentence's opening")
    clause: str | None = Field(None, description="searched in the figure's clause before it")

    @model_validator(mode="after")
    def _has_cue(self):
        if not any(getattr(self, w) for w in PERIOD_CUES):
            raise ValueError("a period rule needs one of " + ", ".join(PERIOD_CUES))
        return self


class Periods(RuleModel):
    year: str = Field(description="how a cue names a year: its first group is the year")
    not_heading: str = Field(description="heading lines that name no period (a report's title)")
    example_reference_date: dt.date = Field(description="the date the examples are read as of")
    rules: list[PeriodRule]


class MeasuresFile(RuleModel):
    fragments: dict[str, str] = Field(default_factory=dict)
    continuation: str
    unit_families: list[UnitFamily]
    context: ContextRules
    measures: list[MeasureRule]
    parts: list[PartRule]
    status: list[StatusRule]
    periods: Periods


# ---------------------------------------------------------------- compiled once

@dataclass(frozen=True)
class Measure:
    rule: MeasureRule
    # (window's place in `Window`, the pattern's match or search (`scan.searcher`: only
    # whether it finds one is read), whether it must fail): every window the rule names,
    # anchored ones and short windows first, the `not_` ones last (all must hold, so the
    # order decides only how soon a rule that does not fire is left)
    checks: tuple[tuple[int, Callable, bool], ...] = ()
    max_value: float | None = None  # the rule's bound on the value, read per quantity
    # window's place -> the pattern that must match there (the checks without `not_`)
    musts: dict[int, re.Pattern] = field(default_factory=dict)

    @classmethod
    def of(cls, rule: MeasureRule, patterns: dict[str, re.Pattern]) -> Measure:
        checks = sorted(((name.removeprefix("not_"), pat, name.startswith("not_"))
                         for name, pat in patterns.items()),
                        key=lambda c: (c[2], CHECK_ORDER.index(c[0])))
        return cls(rule, tuple(
            (Window._fields.index(win), pat.match if win in ANCHORED else searcher(pat), neg)
            for win, pat, neg in checks), rule.max_value,
            {Window._fields.index(win): pat for win, pat, neg in checks if not neg})


@dataclass(frozen=True)
class Compiled:
    spec: MeasuresFile
    clause_break: re.Pattern
    segment_break: re.Pattern
    sentence_end: re.Pattern
    continuation: re.Pattern
    inspection: re.Pattern
    foreign: tuple[tuple[str, re.Pattern], ...]
    measures: tuple[Measure, ...]
    parts: tuple[tuple[PartRule, re.Pattern], ...]
    status: tuple[tuple[StatusRule, re.Pattern], ...]
    families: tuple[tuple[frozenset[str], re.Pattern | None], ...]
    kin: frozenset[str]  # the units of `families`: only a part in one takes its total's measure
    periods: tuple[tuple[PeriodRule, dict[str, re.Pattern]], ...]
    not_heading: re.Pattern
    year: re.Pattern
    indicators: frozenset[str]  # the measures of work-report indicators: they have periods
    # the period rules with an opening cue, and that cue
    openings: tuple[tuple[PeriodRule, re.Pattern], ...] = ()
    # where any of `foreign` matches, found once in a document (None: each is searched for in
    # each sentence); one regex for all of `openings`, which rules a sentence out in one match
    # where it stands in the document (None: each is tried on each sentence): both only for
    # patterns that read nothing but their match (`scan.reads_only_its_match`)
    foreign_scan: Scan | None = None
    any_opening: re.Pattern | None = None
    # one regex for all heading cues of `periods`: a heading it finds nothing in names no period
    any_heading: re.Pattern | None = None
    # one regex for all of `parts`: a window it finds nothing in holds no part cue (most)
    any_part: re.Pattern | None = None
    # (unit, inspecting) -> the measures a quantity may meet, and their gate
    by_unit: dict = field(default_factory=dict, compare=False)
    # the measures (their ids) -> their gate: most units no rule names meet the same ones
    gates: dict = field(default_factory=dict, compare=False)

    def measures_for(self, unit: str | None, inspecting: bool = True) -> tuple[Measure, ...]:
        """The measures, in the file's order, whose `units` admit `unit` (most name a few) and,
        outside an inspection context, that are no inspection outcome: a quantity is tried
        only against those."""
        return self.tried(unit, inspecting)[0]

    def tried(self, unit: str | None, inspecting: bool) -> tuple[tuple[Measure, ...], Gate]:
        """`measures_for`, with the gate of those measures (`rule_gate`, made once for the
        units that meet the same ones)."""
        found = self.by_unit.get((unit, inspecting))
        if found is None:
            measures = tuple(
                m for m in self.measures if (not m.rule.units or unit in m.rule.units)
                and (inspecting or not m.rule.outcome or m.rule.measure is None))
            key = tuple(map(id, measures))
            if key not in self.gates:
                self.gates[key] = rule_gate(measures)
            found = self.by_unit[unit, inspecting] = measures, self.gates[key]
        return found


# (window's place, the joined patterns' match or search: `scan.searcher`) for each window a
# gate reads; None: no gate (a rule needs no window to match)
Gate = tuple[tuple[int, Callable], ...] | None


def rule_gate(measures: tuple[Measure, ...]) -> Gate:
    """Tests of a quantity's windows such that where all of them fail, none of `measures` can
    fire: each rule has a pattern that must match in one of the windows tested, and the
    patterns of one window are joined into one regex (`any_of`: it matches where one of them
    does). Most quantities get no measure, and a few such tests rule out the dozen rules tried
    one by one. The windows are the fewest that hold such a pattern of every rule."""
    if not measures or any(not m.musts for m in measures):
        return None
    present = sorted({win for m in measures for win in m.musts},
                     key=lambda win: CHECK_ORDER.index(Window._fields[win]))
    chosen = next(wins for n in range(1, len(present) + 1)
                  for wins in combinations(present, n)
                  if all(any(win in m.musts for win in wins) for m in measures))
    joined: dict[int, list[re.Pattern]] = {win: [] for win in chosen}
    for m in measures:
        win = next(win for win in chosen if win in m.musts)
        joined[win].append(m.musts[win])
    gate = []
    for win, patterns in joined.items():
        rx = any_of(patterns)
        if rx is None:
            return None
        gate.append((win, rx.match if Window._fields[win] in ANCHORED else searcher(rx)))
    return tuple(gate)


@lru_cache(maxsize=1)
def measure_rules() -> Compiled:
    """`rules/measures.yaml`, validated and compiled; `{N}` must be the engine's MASK."""
    spec = load_model(MEASURES_FILE, MeasuresFile)
    if spec.fragments.get("N") != MASK:
        raise RuleError(display(MEASURES_FILE), "fragments.N", "must be the mask character \\ue000")
    _unique_ids(spec)

    def comp(rule_id: str, pattern: str) -> re.Pattern:
        return compile_rule(MEASURES_FILE, rule_id, pattern, spec.fragments)

    measures = tuple(Measure.of(r, {w: comp(r.id, getattr(r, w)) for w in _fields(r)})
                     for r in spec.measures)
    marks = boundaries().mark_re
    periods = tuple((r, {w: comp(r.id, getattr(r, w)) for w in PERIOD_CUES if getattr(r, w)})
                    for r in spec.periods.rules)
    foreign = tuple((r.id, comp(r.id, r.pattern)) for r in spec.context.foreign)
    openings = tuple((r, pats["opening"]) for r, pats in periods if "opening" in pats)
    parts = tuple((r, comp(r.id, r.cue)) for r in spec.parts)
    compiled = Compiled(
        spec=spec, clause_break=marks["clause"], segment_break=marks["measure_segment"],
        sentence_end=marks["finished"], continuation=comp("continuation", spec.continuation),
        inspection=comp("context.inspection", spec.context.inspection),
        foreign=foreign, foreign_scan=_whole_text_scan(any_of([p for _, p in foreign])),
        measures=measures, parts=parts,
        status=tuple((r, comp(r.id, r.cue)) for r in spec.status),
        families=tuple((frozenset(f.units), comp("unit_families", f"(?:{f.nouns})$") if f.nouns
                        else None) for f in spec.unit_families),
        kin=frozenset(u for f in spec.unit_families for u in f.units),
        periods=periods, openings=openings, any_opening=_plain(any_of([p for _, p in openings])),
        any_heading=any_of([pats["heading"] for _, pats in periods if "heading" in pats]),
        any_part=any_of([p for _, p in parts]),
        not_heading=comp("periods.not_heading", spec.periods.not_heading),
        year=comp("periods.year", spec.periods.year),
        indicators=frozenset(r.measure for r in spec.measures if not r.outcome and r.measure))
    # the gates of every unit a rule names and of any other (None), built with the rules so
    # that their regexes are kept for the next process with the others (`pipeline.regexes`)
    for unit in {u for r in spec.measures for u in r.units} | {None}:
        for inspecting in (False, True):
            compiled.tried(unit, inspecting)
    return compiled


def _plain(rx: re.Pattern | None) -> re.Pattern | None:
    """`rx` when what it matches in a whole text answers for its sentences."""
    return rx if rx is not None and reads_only_its_match(rx.pattern, rx.flags) else None


def _whole_text_scan(rx: re.Pattern | None) -> Scan | None:
    """A scan for where `rx` matches in a whole text, when that answers for its sentences."""
    return Scan(rx) if _plain(rx) is not None else None


def _fields(rule: MeasureRule) -> list[str]:
    return [w for w in (*WINDOWS, *(f"not_{w}" for w in WINDOWS)) if getattr(rule, w)]


def _unique_ids(spec: MeasuresFile) -> None:
    seen: set[str] = set()
    for r in [*spec.context.foreign, *spec.measures, *spec.parts, *spec.status,
              *spec.periods.rules]:
        if r.id in seen:
            raise RuleError(display(MEASURES_FILE), r.id, "duplicate id")
        seen.add(r.id)


# ---------------------------------------------------------------- windows on a sentence

class Window(NamedTuple):
    """What the rules see of one quantity (other counts masked): its clause before and after
    it, its sentence before it (from the last segment break) and after it, its counted noun.
    A tuple: a rule's checks read its windows by place, and thousands are made per corpus."""

    before: str
    after: str
    sentence: str
    rest: str
    whole: str
    counted: str
    at: int  # where the sentence window starts in the masked sentence
    heading: str = ""  # the line the sentence continues (`Sentence.heading`)

    @property
    def lead(self) -> str:
        """What governs a list: the line the sentence continues, and the sentence up to a colon
        before the sentence window (read for the few quantities that get a measure)."""
        colon = self.whole.find(":", 0, self.at)
        return self.heading + (self.whole[:colon] if colon >= 0 else "")


@dataclass
class Decision:
    """What the rules decided of one quantity (`UNDECIDED`: nothing)."""

    measure: str | None = None
    measure_rule: str | None = None
    decided: bool = False  # a rule fired (an exclusion too): no measure is inherited
    scope: Scope | None = None
    scope_rule: str | None = None
    status: Status | None = None
    status_rule: str | None = None
    pos: int = 0  # the quantity's place in the masked sentence
    unit: str | None = None
    counted: str = ""


# the decision of a quantity that no rule decides and no total gives a measure, shared by all
# of them (most quantities: a record each cost more than the rest of their deciding); never
# changed
UNDECIDED = Decision()


@dataclass
class Masked:
    """The sentences that hold counts, one after the other with their counts masked, and where
    the clause and segment breaks stand in them: found in one pass for all of them (a break is
    one mark character: its matches in a sentence are those of the whole inside it)."""

    text: str
    clause: list[int]
    segment: list[int]


@dataclass
class Sentence:
    """One sentence with its counts masked (`masked`, from `start` to `end` of the document's
    `Masked` text), where each count stands in it, and the line it continues when it opens a
    line after one with no sentence end (主要预期目标⏎是:…)."""

    doc: Masked
    start: int
    end: int
    places: list[int]
    heading: str = ""

    @cached_property
    def masked(self) -> str:
        """The sentence's text, made once for all its counts' windows."""
        return self.doc.text[self.start:self.end]


def masked_sentences(rules: Compiled, view: str, held: list[tuple]) -> list[Sentence]:
    """Each (start, end, counts, heading, …) of a sentence (`holding`) as a `Sentence`: one
    masked text for them all, and one scan of it for each kind of break, where a text and two
    scans per sentence cost more than the rules read in it."""
    parts, spans, length = [], [], 0
    for s, e, counts, *_ in held:
        start, places, pos = length, [], s
        for q in counts:
            if q.start < pos:  # overlapping counts share one mask
                places.append(length - 1 - start)
                continue
            parts.append(view[pos:q.start])
            length += q.start - pos
            places.append(length - start)
            parts.append(MASK)
            length += 1
            pos = q.end
        parts.append(view[pos:e])
        length += e - pos
        spans.append((start, length, places))
    text = "".join(parts)
    doc = Masked(text, list(map(_START, rules.clause_break.finditer(text))),
                 list(map(_START, rules.segment_break.finditer(text))))
    return [Sentence(doc, start, end, places, h[3]) for (start, end, places), h in zip(spans, held)]


_START = re.Match.start


def window(rules: Compiled, sent: Sentence, k: int, counted: str | None) -> Window:
    """The windows of the sentence's k-th count, in `Window`'s order (made by place, not by
    keyword: a sixth cheaper, and one is made per count)."""
    doc, start, end = sent.doc, sent.start, sent.end
    text, at = doc.text, start + sent.places[k]
    cut, stop = _around(doc.clause, at, start, end)
    seg, fin = _around(doc.segment, at, start, end)
    return Window(text[cut:at], text[at + 1:stop], text[seg:at], text[at + 1:fin], sent.masked,
                  counted or "", seg - start, sent.heading)


def _around(marks: list[int], at: int, start: int, end: int) -> tuple[int, int]:
    """Where the stretch between the breaks on either side of the mask at `at` starts and ends,
    within the sentence from `start` to `end`."""
    i = bisect_left(marks, at)
    return (marks[i - 1] + 1 if i and marks[i - 1] >= start else start,
            marks[i] if i < len(marks) and marks[i] < end else end)


# ---------------------------------------------------------------- deciding

def decide(rules: Compiled, q: Quantity, w: Window, inspecting: bool) -> Decision | None:
    """The first rule of the file that matches decides: every window it names matches (`after`,
    `rest` at their start), no `not_` one does, the value is within its bound; None when no
    rule does (most quantities). Outcomes need an inspection context, exclusions (no measure)
    do not. The rules tried admit the quantity's unit already (`Compiled.tried`), and are
    tried only where their gate lets one fire; the checks are one loop here, as some ten rules
    are tried per quantity."""
    measures, gate = rules.tried(q.unit, inspecting)
    if gate is not None:
        for win, test in gate:
            if test(w[win]) is not None:
                break
        else:
            return None
    value = q.value
    for m in measures:
        if m.max_value is not None and value > m.max_value:
            continue
        for win, test, neg in m.checks:
            if (test(w[win]) is None) != neg:
                break
        else:
            return Decision(m.rule.measure, m.rule.id, decided=True)
    return None


def foreign_context(rules: Compiled, text: str) -> str | None:
    """The id of the rule that finds another kind of check in a sentence (road patrols,
    environmental inspection): its figures are no inspection outcome."""
    return next((rid for rid, pat in rules.foreign if pat.search(text)), None)


def inspection_document(rules: Compiled, view: str) -> bool:
    """Whether the whole document speaks of inspection work (its words are dense in it)."""
    n = len(rules.inspection.findall(view))
    ctx = rules.spec.context
    return n >= ctx.at_least and n * 1000 >= ctx.per_mille * max(len(view), 1)


# ---------------------------------------------------------------- scope and status

def part_of(rules: Compiled, w: Window, earlier: list[Decision], last: Decision | None):
    """The first part cue before the quantity, with the measured figure it is a part of: the
    nearest one before the cue, or the previous sentence's when the cue opens the sentence."""
    if not may_be_part(rules, w):
        return None, None
    for rule, pat in rules.parts:
        for m in pat.finditer(w.sentence):
            at = w.at + m.start()
            total = next((d for d in reversed(earlier) if d.pos < at and d.measure), None)
            if total is None and at == 0:
                total = last
            if total is not None or not rule.needs_total:
                return rule.id, total
    return None, None


def may_be_part(rules: Compiled, w: Window) -> bool:
    """Whether a part cue may stand in the quantity's sentence window (`part_of` finds none
    where the cues' alternation finds nothing)."""
    return rules.any_part is None or rules.any_part.search(w.sentence) is not None


def same_kind(rules: Compiled, part: Decision, total: Decision) -> bool:
    """Whether a part counts the kind of thing its total counts: units of one family, and for
    families of things (not people or money) counted nouns that end alike (问题, 企业)."""
    for units, nouns in rules.families:
        if part.unit in units and total.unit in units:
            if nouns is None or (part.counted and part.counted[-1:] == total.counted[-1:]):
                return True
            if nouns.search(part.counted) and nouns.search(total.counted):
                return True
    return False


def set_scope(rules: Compiled, d: Decision, w: Window, earlier: list[Decision],
              last: Decision | None) -> None:
    """A part takes its total's measure when no rule decided its own; a figure of another
    measure beside a total (a completed share) is a total of its own. A figure with no measure
    keeps none when a rule decided so or no measured figure stands before it to take one from
    (`sentence_decisions` asks only when one does)."""
    if d.measure is None and (d.decided or (last is None and not any(e.measure for e in earlier))):
        return
    rule_id, total = part_of(rules, w, earlier, last)
    if rule_id and not d.decided and total and total.measure and same_kind(rules, d, total):
        d.measure, d.measure_rule = total.measure, rule_id
    if d.measure is None:
        return
    if rule_id and (total is None or total.measure == d.measure):
        d.scope, d.scope_rule = "part", rule_id
    else:
        d.scope = "total"


def set_status(rules: Compiled, d: Decision, w: Window) -> None:
    """The status cue nearest before the quantity in its sentence window, else in the lead that
    a colon closes (a list of targets after 预期目标是:), else the first one after it in its
    clause; done when there is none."""
    if d.measure is None:
        return
    best = _last_cue(rules, w.sentence) or _last_cue(rules, w.lead)
    if best is None:
        hits = [(m.start(), i) for i, (rule, pat) in enumerate(rules.status)
                if (m := pat.search(w.after))]
        best = rules.status[min(hits)[1]][0] if hits else None
    d.status = best.status if best else "done"
    d.status_rule = best.id if best else None


def _last_cue(rules: Compiled, text: str) -> StatusRule | None:
    """The rule of the status cue that ends last in `text`."""
    best, at = None, -1
    for rule, pat in rules.status:
        for m in pat.finditer(text):
            if m.end() > at:
                best, at = rule, m.end()
    return best


# ---------------------------------------------------------------- periods of work-report indicators

def right_year(rules: Compiled, m: re.Match, rule: PeriodRule, year: int | None) -> bool:
    """Whether every year a cue names is the rule's: the reference year plus the rule's offset
    (`2025年` is last year in a report of 2026)."""
    named = [int(y.group(1)) for y in rules.year.finditer(m.group())]
    if not named:
        return True
    return year is not None and rule.year is not None and all(y == year + rule.year for y in named)


def cues(rules: Compiled, cue: str, text: str, year: int | None):
    """(start, end, rule) of every match of the period rules' `cue` in `text`."""
    for rule, pats in rules.periods:
        if cue in pats:
            yield from ((m.start(), m.end(), rule) for m in pats[cue].finditer(text)
                        if right_year(rules, m, rule, year))


def heading_period(rules: Compiled, heading: str, year: int | None) -> PeriodRule | None:
    """The period a heading opens: its first cue (`2025年和“十四五”时期工作回顾`: last year).
    Most headings hold none, which the cues' alternation (`any_heading`) tells in one search."""
    if rules.not_heading.search(heading) or (
            rules.any_heading is not None and rules.any_heading.search(heading) is None):
        return None
    return min(cues(rules, "heading", heading, year), key=lambda c: c[0], default=(0, 0, None))[2]


def opening_period(rules: Compiled, sentence: str, year: int | None) -> PeriodRule | None:
    """The period a sentence opens with (`这五年,…`, `刚刚过去的2025年,…`), or None."""
    for rule, opening in rules.openings:
        m = opening.match(sentence)
        if m and right_year(rules, m, rule, year):
            return rule
    return None


def clause_period(rules: Compiled, clause: str, year: int | None) -> PeriodRule | None:
    """The period a figure's own clause names before it (`累计`, `今年`): the cue nearest it."""
    return max(cues(rules, "clause", clause, year), key=lambda c: c[1], default=(0, 0, None))[2]


@dataclass(frozen=True)
class PeriodTrack:
    """The period of a document from each heading or sentence opening that sets one on."""

    offsets: list[int]
    rules: list[PeriodRule | None]
    year: int | None

    def at(self, offset: int) -> PeriodRule | None:
        i = bisect_right(self.offsets, offset)
        return self.rules[i - 1] if i else None


def period_track(rules: Compiled, view: str, sentences: list[tuple[int, int]],
                 headings: tuple[Heading, ...] | list[Heading], year: int | None) -> PeriodTrack:
    """Headings and sentence openings that name a period, in order; a numbered top-level
    heading that names none ends the period before it (its section may be of any period)."""
    marks = []
    for h in headings:
        rule = heading_period(rules, view[h.start:h.end], year)
        if rule is not None or h.level == 1:
            marks.append((h.start, rule))
    for s, e in _may_open(rules, view, sentences):
        rule = opening_period(rules, view[s:e], year)
        if rule is not None:
            marks.append((s, rule))
    marks.sort(key=lambda m: m[0])
    return PeriodTrack([m[0] for m in marks], [m[1] for m in marks], year)


def _may_open(rules: Compiled, view: str, sentences: list[tuple[int, int]]) -> Iterable:
    """The sentences that may open with a period's cue: those the openings' alternation
    matches where they stand in the document, unsliced (all when there is none). A report has
    thousands of sentences and a few hundred such openings: the matches are made and the
    sentences picked at C level (`map`, `compress`), not in a loop of the interpreter."""
    ahead = rules.any_opening
    if ahead is None or not sentences:
        return sentences
    starts, ends = zip(*sentences)
    return compress(sentences, map(ahead.match, repeat(view), starts, ends))


def set_period(rules: Compiled, d: Decision, w: Window, track: PeriodTrack, offset: int) -> None:
    """A work-report indicator's period, from a cue in its clause, else the period of the text
    it stands in: a figure of several years gets no measure, another the period's status (the
    period outweighs a status cue: `扩容计划` in last year's review is no plan)."""
    if d.measure not in rules.indicators:
        return
    rule = clause_period(rules, w.before, track.year) or track.at(offset)
    if rule is None:
        return
    if rule.status is None:
        d.measure, d.measure_rule, d.scope, d.scope_rule = None, rule.id, None, None
        d.status, d.status_rule = None, None
    else:
        d.status, d.status_rule = rule.status, rule.id


# ---------------------------------------------------------------- the document

class Measures(Refiner):
    """The measures stage: after the overlap resolver, on the document's quantities."""

    kind = "quantity"
    rules_file = MEASURES_FILE

    def __init__(self, rules: Compiled | None = None):
        self.rules = rules or measure_rules()

    def refine(self, ctx: Context, mentions: list) -> list:
        return assign(ctx.view, ctx.units.sentences, mentions, self.rules, ctx.headings,
                      ctx.reference_date)

    # -------------------------------------------------------------------- the rule file's examples

    needs_mentions = True  # its examples are read with the run's own mentions

    def example_context(self, text: str) -> Context:
        """Examples are read with their heading lines, as of the periods' reference date."""
        nt = normalize(text)
        return Context.of(nt, headings=tuple(regions.stage().headings.headings(nt)),
                          reference_date=self.rules.spec.periods.example_reference_date)

    def examples(self):
        """Each rule's examples, completed with what firing means for its kind (a measure rule
        gives its measure, a part cue the part scope, a status cue its status, another check no
        measure); a figure's measure is null unless its example says otherwise."""
        spec = self.rules.spec
        for kind, rules in (("measure", spec.measures), ("foreign", spec.context.foreign),
                            ("part", spec.parts), ("status", spec.status),
                            ("period", spec.periods.rules)):
            for rule in rules:
                for ex in rule.examples:
                    yield rule.id, ex.model_copy(update={"fields": _expected(kind, rule, ex)})

    def rule_ids(self) -> list[str]:
        spec = self.rules.spec
        return [r.id for r in (*spec.measures, *spec.context.foreign, *spec.parts, *spec.status,
                               *spec.periods.rules)]

    def explain(self, ctx: Context, mentions: list) -> list[Explained]:
        """Every cardinal quantity with what the rules decided of it, under the rules that did."""
        rows = []
        for q in self.refine(ctx, mentions):
            if q.kind == "quantity" and not q.ordinal:
                decided = [r for r in (q.measure_rule, q.scope_rule, q.status_rule) if r]
                rows.append(Explained(Candidate(q.start, q.end, RuleRef(q.rule_id),
                                                applied=decided), q))
        return rows


def _expected(kind: str, rule, ex: Example) -> dict:
    fields = {"measure": None, **ex.fields}
    if ex.expect == "found" and kind == "measure":
        fields["measure"] = rule.measure
    elif ex.expect == "found" and kind == "part":
        fields["scope"] = "part"
    elif ex.expect == "found" and kind in ("status", "period") and rule.status:
        fields["status"] = rule.status
    return fields


def assign(view: str, sentences: list[tuple[int, int]], mentions: list,
           rules: Compiled | None = None, headings: tuple[Heading, ...] | list[Heading] = (),
           reference_date: dt.date | None = None) -> list:
    """The mentions, with measure, scope and status set on every cardinal quantity.

    Inspection outcomes need an inspection context: a document dense in inspection words, or
    inspection words in the quantity's sentence or the one before it (a heading line counts).

    Args:
        view: the document's simplified view (same offsets as the original).
        sentences: the sentence spans of the view, in order (disjoint).
        mentions: resolved mentions of every kind, sorted by start.
        headings: the document's heading lines (they open the periods of a work report).
        reference_date: the document's date (which year is `今年`, which `2025年`).
    """
    rules = rules or measure_rules()
    inspecting = inspection_document(rules, view)
    track = period_track(rules, view, sentences, headings,
                         reference_date.year if reference_date else None)
    places = [i for i, m in enumerate(mentions) if type(m) is Quantity and not m.ordinal]
    counts = [mentions[i] for i in places]
    # each count's decision; None for one that no sentence holds whole (it is left as it is)
    decisions: list[Decision | None] = [None] * len(counts)
    held = holding(rules, view, sentences, counts, inspecting)
    foreign_at = rules.foreign_scan.starts(view, 0, len(view)) if rules.foreign_scan else None
    last = None
    for (s, e, inside, _, first, here), sent in zip(held, masked_sentences(rules, view, held)):
        foreign = None if foreign_at is not None and not any_in(foreign_at, s, e) \
            else foreign_context(rules, view[s:e])
        decided = sentence_decisions(rules, sent, inside, here, foreign, last, track)
        decisions[first:first + len(inside)] = decided
        last = next((d for d in reversed(decided) if d.measure), last)
    out = list(mentions)
    for i, q, d in zip(places, counts, decisions):
        if d is not None:
            out[i] = _decided(q, d)
    return out


def holding(rules: Compiled, view: str, sentences: list[tuple[int, int]], counts: list[Quantity],
            inspecting: bool) -> list[tuple[int, int, list[Quantity], str, int, bool]]:
    """(start, end, counts, heading, first, here) of each sentence that holds counts whole:
    those counts (`counts[first:]` on), the line it continues (`continued_line`), and whether
    it is in an inspection context (the document is, or inspection words stand in it or the
    sentence before)."""
    held = []
    k, n, prev, prev_end = 0, len(counts), 0, 0
    for s, e in sentences:
        while k < n and counts[k].start < s:
            k += 1
        first = k
        while k < n and counts[k].end <= e:
            k += 1
        if k > first:
            held.append((s, e, counts[first:k], continued_line(rules, view, prev, prev_end, s),
                         first, inspecting or rules.inspection.search(view, prev, e) is not None))
        prev, prev_end = s, e
    return held


def _decided(q: Quantity, d: Decision) -> Quantity:
    """The quantity with the decision's fields; itself when it has them already (most get no
    measure, and a copy of a record costs more than deciding it)."""
    if (q.measure == d.measure and q.measure_rule == d.measure_rule and q.scope == d.scope
            and q.scope_rule == d.scope_rule and q.status == d.status
            and q.status_rule == d.status_rule):
        return q
    return evolve(q, _fields_of(d))


def continued_line(rules: Compiled, view: str, ps: int, pe: int, s: int) -> str:
    """The previous line when the sentence goes on from it (主要预期目标⏎是:…): a line break,
    not a sentence end, closed it, and the sentence opens as a continuation."""
    if (pe <= ps or "\n" not in view[pe:s] or rules.sentence_end.search(view, pe - 1, pe)
            or not rules.continuation.match(view[s:s + 8])):
        return ""
    return view[ps:pe]


def sentence_decisions(rules: Compiled, sent: Sentence, inside: list[Quantity], inspecting: bool,
                       foreign: str | None, last: Decision | None,
                       track: PeriodTrack) -> list[Decision]:
    """The decisions of one sentence's counts, in order: a part looks at the ones before it.
    In a sentence about another kind of check (`foreign`: the id of the rule that finds it) no
    outcome rule fires, and a count that no other rule decides records the check's rule; an
    indicator's period comes last. Elsewhere a count no rule decides is `UNDECIDED` unless it
    may take a total's measure (`set_scope`): a measured figure stands before it, its unit is
    of a family (`same_kind` holds for no other), and a part cue may stand before it."""
    out: list[Decision] = []
    measured = last is not None  # a measured figure stands before: a part may take its measure
    for k, q in enumerate(inside):
        w = window(rules, sent, k, q.counted)
        d = decide(rules, q, w, inspecting and not foreign)
        if d is None:
            if foreign:
                d = Decision(None, foreign, decided=True)
            elif not (measured and q.unit in rules.kin and may_be_part(rules, w)):
                out.append(UNDECIDED)  # no rule, no total to take a measure from: nothing set
                continue
            else:
                d = Decision()
        d.pos, d.unit, d.counted = sent.places[k], q.unit, q.counted or ""
        set_scope(rules, d, w, out, last)
        set_status(rules, d, w)
        set_period(rules, d, w, track, q.start)
        out.append(d)
        measured = measured or bool(d.measure)
    return out


def _fields_of(d: Decision) -> dict:
    return {"measure": d.measure, "measure_rule": d.measure_rule, "scope": d.scope,
            "scope_rule": d.scope_rule, "status": d.status, "status_rule": d.status_rule}
