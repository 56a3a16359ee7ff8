"""Anchored deadlines and as-of dates (issue 19 item 1, docs/ledger.md §4): a stage that refines
the document's resolved times.

A deadline that counts from an event (`反馈后2个月内`: offset P2M, anchor 反馈) gets the day it
falls due, `due_date`; its `end_date` stays null, as spec §3 defines and the gold and the scorer
follow. The event's date is the nearest dated statement of that event before the deadline
(`2023年5月22日，…巡察组向…反馈了巡察意见`), preferring one about a body the deadline's sentence
names, else the manifest's column for the event (`feedback_date`). `due_date = anchor_date +
offset` in calendar months (day clamped to the month) and days; a month-only anchor counts from
the month's last day, so imprecision never brings a deadline forward. A rule (`每轮巡察反馈后…`),
working days (no holiday calendar) and an undated event are left unresolved, with the rule that
said so. A time that opens with `截至` and names a date gets `as_of`.

Pure: view, mentions and the manifest's date in, mentions out; every decision names its rule in
`rules/anchors.yaml`. The ledger reads the same statements for its feedback dates (`statements`).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache

from dateutil.relativedelta import relativedelta
from pydantic import Field

from pipeline.candidates import Candidate, Explained, RuleRef
from pipeline.context.document import Context
from pipeline.extractors.base import Refiner
from pipeline.records import Body, Time, evolve
from pipeline.rules import Example, RuleModel, compile_rule, load_model

ANCHORS_FILE = "anchors.yaml"
RULE_ID = r"^anchors(\.[a-z0-9_]+)+$"
OFFSET = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
DATED = ("date", "period")  # the times a statement runs up to (not 为期45天, 每年)


# ---------------------------------------------------------------- the rule file's schema

class Shown(RuleModel):
    id: str = Field(pattern=RULE_ID)
    examples: list[Example] = Field(min_length=1)


class CueRule(Shown):
    cue: str


class EventRule(Shown):
    anchor: str = Field(description="matched on the Time's anchor")
    statement: str = Field(description="the act, searched after a date up to the next date")
    not_statement: str = Field(description="the text between the date and the act must not match")
    manifest: str | None = Field(None, description="the manifest column that dates the event")


class BeforeRule(Shown):
    before: str


class AnchorsFile(RuleModel):
    fragments: dict[str, str] = Field(default_factory=dict)
    sentence_end: str
    as_of: CueRule
    events: list[EventRule] = Field(min_length=1)
    generic_anchor: BeforeRule
    working_days: CueRule
    undated: Shown


@dataclass(frozen=True)
class Event:
    rule: EventRule
    anchor: re.Pattern
    statement: re.Pattern
    not_statement: re.Pattern


@dataclass(frozen=True)
class Compiled:
    spec: AnchorsFile
    sentence_end: re.Pattern
    as_of: re.Pattern
    events: tuple[Event, ...]
    generic: re.Pattern
    working_days: re.Pattern

    def event_of(self, manifest_column: str) -> set[str]:
        """Ids of the events the manifest column dates (feedback_date: the feedback)."""
        return {e.rule.id for e in self.events if e.rule.manifest == manifest_column}


@lru_cache(maxsize=1)
def anchor_rules() -> Compiled:
    spec = load_model(ANCHORS_FILE, AnchorsFile)

    def comp(rule_id: str, pattern: str) -> re.Pattern:
        return compile_rule(ANCHORS_FILE, rule_id, pattern, spec.fragments)

    return Compiled(spec, comp("sentence_end", spec.sentence_end), comp(spec.as_of.id, spec.as_of.cue),
                    tuple(Event(e, comp(e.id, e.anchor), comp(e.id, e.statement), comp(e.id, e.not_statement))
                          for e in spec.events),
                    comp(spec.generic_anchor.id, spec.generic_anchor.before),
                    comp(spec.working_days.id, spec.working_days.cue))


# ---------------------------------------------------------------- the stage

class Anchors(Refiner):
    """After the overlap resolver, on the document's times."""

    kind = "time"
    rules_file = ANCHORS_FILE
    needs_mentions = True  # its examples are read with the run's own mentions

    def __init__(self, rules: Compiled | None = None):
        self.rules = rules or anchor_rules()

    def refine(self, ctx: Context, mentions: list) -> list:
        return resolve(ctx.view, mentions, {"feedback_date": ctx.feedback_date}, self.rules)

    def examples(self):
        for rule in self.shown():
            yield from ((rule.id, ex) for ex in rule.examples)

    def shown(self) -> list[Shown]:
        spec = self.rules.spec
        return [spec.as_of, *spec.events, spec.generic_anchor, spec.working_days, spec.undated]

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.shown()]

    def explain(self, ctx: Context, mentions: list) -> list[Explained]:
        """Every time an anchors rule decided, under that rule."""
        times = [t for t in self.refine(ctx, mentions) if type(t) is Time]
        return [Explained(Candidate(t.start, t.end, RuleRef(rule_id)), t)
                for t in times for rule_id in (t.anchor_rule, t.as_of_rule) if rule_id]


def resolve(view: str, mentions: list, manifest: dict | None = None, rules: Compiled | None = None) -> list:
    """The mentions, with anchored deadlines resolved and as-of dates set on their times."""
    rules = rules or anchor_rules()
    sents = Sentences(rules, view)
    found = EventStatements(view, mentions, sents, rules)
    named = SentenceKeys([m for m in mentions if type(m) is Body], sents)
    out = []
    for m in mentions:
        update = {}
        if type(m) is Time:
            update = {**as_of(rules, view, m), **anchored(rules, view, m, found, named, manifest or {})}
        out.append(evolve(m, update) if update else m)
    return out


class Sentences:
    """The sentences of a view (the stretches between `sentence_end` marks, none empty), asked
    which one holds an offset: the marks are found when one is first asked for (most documents
    have no deadline anchored on an event, and ask for none), a sentence's span is made only
    for the offsets asked about."""

    def __init__(self, rules: Compiled, view: str):
        self.rx, self.view = rules.sentence_end, view

    @cached_property
    def marks(self) -> tuple[list[int], list[int]]:
        """The starts and the ends of the marks."""
        found = list(self.rx.finditer(self.view))
        return [m.start() for m in found], [m.end() for m in found]

    def at(self, pos: int) -> tuple[int, int]:
        """The sentence holding `pos`, else (a mark's offset) the empty span at `pos`."""
        starts, ends = self.marks
        k = bisect_right(starts, pos)
        start = ends[k - 1] if k else 0
        if pos < start or pos >= len(self.view):
            return pos, pos
        return start, starts[k] if k < len(starts) else len(self.view)


class EventStatements:
    """Each event's dated statements (`statements`) in text order, found when a deadline
    anchored on an event first asks for them: most documents have none."""

    def __init__(self, view: str, mentions: list, sents: Sentences, rules: Compiled):
        self.args = view, mentions, sents, rules

    @cached_property
    def by_event(self) -> dict[str, list[Statement]]:
        found: dict[str, list[Statement]] = {}
        for st in statements(*self.args):
            found.setdefault(st.event, []).append(st)
        return found

    def get(self, event: str, default: list[Statement]) -> list[Statement]:
        return self.by_event.get(event, default)


class Spans:
    """Sorted disjoint spans asked, like `Sentences`, which one holds an offset."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans

    def at(self, pos: int) -> tuple[int, int]:
        """The span holding `pos`, else the empty span at `pos`."""
        i = bisect_right(self.spans, (pos, float("inf"))) - 1
        return self.spans[i] if i >= 0 and self.spans[i][0] <= pos < self.spans[i][1] else (pos, pos)


class SentenceKeys:
    """The link keys of the bodies each sentence names (a statement's, a deadline's), but for
    the organs the ledger does not link; read only for a deadline anchored on an event of the
    text, so made on first use."""

    def __init__(self, bodies: list[Body], sents: Sentences):
        self.bodies = bodies
        self.sents = sents
        self._keys: dict[tuple[int, int], set[str]] | None = None

    def at(self, sent: tuple[int, int]) -> set[str]:
        return self.keys.get(sent, set())

    @property
    def keys(self) -> dict[tuple[int, int], set[str]]:
        if self._keys is None:
            from pipeline.ledger.keys import key
            from pipeline.ledger.rules import ledger_rules  # which bodies are no inspected ones

            organ = ledger_rules().not_candidate
            self._keys = {}
            for b in self.bodies:
                if not organ.search(b.name):
                    self._keys.setdefault(self.sents.at(b.start), set()).add(key(b.name))
        return self._keys


def next_start(times: list, i: int) -> int | None:
    """Where the first time after the i-th one (not overlapping it) starts."""
    end = times[i].end
    for j in range(i + 1, len(times)):
        if times[j].start >= end:
            return times[j].start
    return None


def as_of(rules: Compiled, view: str, t: Time) -> dict:
    if t.end_date and rules.as_of.search(view[t.start:t.end]):
        return {"as_of": t.end_date, "as_of_rule": rules.spec.as_of.id}
    return {}


# ---------------------------------------------------------------- statements of events

@dataclass(frozen=True)
class Statement:
    """A dated statement that an event happened: its date mention and where the act is said."""

    event: str  # the rule id of the event (anchors.feedback)
    date: Time
    act_start: int
    act_end: int
    sentence: tuple[int, int]


def statements(view: str, mentions: list,
               sents: Sentences | list[tuple[int, int]] | None = None,
               rules: Compiled | None = None) -> list[Statement]:
    """Every dated statement of an event of `rules/anchors.yaml`: a date mention followed, before
    the next date or period and within its sentence, by the event's act. `sents`: the view's
    sentences, or a caller's own spans of them (sorted, disjoint)."""
    rules = rules or anchor_rules()
    sents = sents if sents is not None else Sentences(rules, view)
    if isinstance(sents, list):
        sents = Spans(sents)
    times = [m for m in mentions if type(m) is Time and m.time_kind in DATED]
    out = []
    for i, t in enumerate(times):
        if t.time_kind != "date" or t.end_date is None:
            continue
        sent = sents.at(t.start)
        following = next_start(times, i)
        stop = sent[1] if following is None else min(sent[1], following)
        for ev in rules.events:
            m = ev.statement.search(view, t.end, stop)
            if m and not ev.not_statement.search(view[t.end:m.start()]):
                out.append(Statement(ev.rule.id, t, m.start(), m.end(), sent))
    return out


# ---------------------------------------------------------------- anchored deadlines

def anchored(rules: Compiled, view: str, t: Time, found: EventStatements,
             named: SentenceKeys, manifest: dict) -> dict:
    """The anchor fields of one time, or {} when it is no event-anchored deadline; `found` holds
    each event's statements in text order."""
    if t.time_kind != "deadline" or not t.offset or not t.anchor:
        return {}
    ev = next((e for e in rules.events if e.anchor.search(t.anchor)), None)
    if ev is None:
        return {}
    spec = rules.spec
    if rules.generic.search(view[max(0, t.start - 12):t.start]):
        return {"anchor_rule": spec.generic_anchor.id}
    if rules.working_days.search(view[t.start:t.end]):
        return {"anchor_rule": spec.working_days.id}
    hit = nearest(t, found.get(ev.rule.id, []), named)
    if hit is not None:
        return dated(t, hit.date.end_date, "text", hit.date.mention_id, ev.rule.id)
    day = manifest.get(ev.rule.manifest) if ev.rule.manifest else None
    if isinstance(day, dt.date):
        return dated(t, day, "manifest", None, ev.rule.id)
    return {"anchor_rule": spec.undated.id}


def nearest(t: Time, found: list[Statement], named: SentenceKeys) -> Statement | None:
    """The last statement before the deadline; among them, the last naming a body the
    deadline's sentence names, when there is one (statements are in text order)."""
    from pipeline.ledger.keys import same_body

    before = found[:bisect_left(found, t.start, key=lambda s: s.date.start)]
    mine = named.at(named.sents.at(t.start))
    for s in reversed(before if mine else ()):
        if any(same_body(a, b) for a in mine for b in named.at(s.sentence)):
            return s
    return before[-1] if before else None


def dated(t: Time, anchor: dt.date, source: str, mention_id: str | None, rule_id: str) -> dict:
    end = add_offset(anchor, t.offset)
    if end is None:
        return {}
    return {"due_date": end, "anchor_date": anchor, "anchor_source": source,
            "anchor_mention_id": mention_id, "anchor_rule": rule_id}


def add_offset(day: dt.date, offset: str) -> dt.date | None:
    """`day` + an ISO 8601 duration of years, months, weeks and days (`P2M`, `P15D`), months
    with the day clamped to the month's length (01-31 + P1M = 02-28); None for other forms."""
    m = OFFSET.fullmatch(offset)
    if not m or not any(m.groups()):
        return None
    years, months, weeks, days = (int(g or 0) for g in m.groups())
    return day + relativedelta(years=years, months=months, weeks=weeks, days=days)
