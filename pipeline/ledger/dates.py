"""A body's dates (docs/ledger.md §3.5): the inspection's period, the feedback, the completion
deadline, the as-of date, and the group that inspected.

Each is read from a statement in the text: a period before an inspection act in its sentence, a
date before a feedback act (`anchors.statements`), a deadline whose clause goes on to a completion
act (`完成`, `整改到位`, not `报送`), a time that opens with `截至`. A body with several statements
of one event (an inspection, then a 回头看) takes the latest one before its first figure (none:
the last) and keeps the ones before it as `earlier`.
"""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.extractors import anchors
from pipeline.ledger.rules import ledger_rules
from pipeline.ledger.text import Text
from pipeline.records import Body, DateFact, Deadline, InspectorRef, Time

FEEDBACK = "feedback_date"  # the manifest column, and the record field, of the feedback event
REASONS = {"anchors.undated": "anchor_undated", "anchors.working_days": "working_days"}
# (no anchor rule: an event rules/ledger.yaml does not know, 收到本通知后一周内: anchor_unknown)


@dataclass(frozen=True)
class Fact:
    """A dated statement: its time mention (and the first of a pair of periods), where its act
    is said, and its sentence."""

    time: Time
    act: int
    sentence: tuple[int, int]
    first: Time | None = None

    @property
    def start(self) -> int:
        return (self.first or self.time).start


def periods(text: Text, times: list[Time]) -> list[Fact]:
    """Periods followed in their sentence, before the next date or period, by an inspection act; a period
    right before such a one (`3月…、5月至7月，…开展巡察`) opens the same statement."""
    cue, out = ledger_rules().inspection, []
    times = [t for t in times if t.time_kind in anchors.DATED]
    for i, t in enumerate(times):
        if t.time_kind != "period" or t.end_date is None:
            continue
        sent = text.sentence(t.start)
        following = anchors.next_start(times, i)
        stop = sent[1] if following is None else min(sent[1], following)
        m = cue.search(text.view, t.end, stop)
        if m:
            prev = times[i - 1] if i else None
            pair = prev if prev and prev.time_kind == "period" and prev.start >= sent[0] and \
                not text.view[prev.end:t.start].strip("、和及至,") else None
            out.append(Fact(t, m.start(), sent, pair))
    return out


def feedbacks(text: Text, mentions: list) -> list[Fact]:
    events = anchors.anchor_rules().event_of(FEEDBACK)
    return [Fact(s.date, s.act_start, s.sentence) for s in anchors.statements(text.view, mentions, text.sentences)
            if s.event in events]


def deadlines(text: Text, times: list[Time]) -> list[Time]:
    """Completion deadlines with an end, or anchored on an event (not on a rule: 每轮…)."""
    rules = ledger_rules()
    generic = anchors.anchor_rules().spec.generic_anchor.id
    out = []
    for t in times:
        if t.time_kind != "deadline" or t.as_of or t.anchor_rule == generic:
            continue
        if t.end_date is None and not (t.offset and t.anchor):
            continue
        rest = text.view[t.end:t.end + 40]
        done, told = rules.completion.search(rest), rules.reporting.search(rest)
        if done and (told is None or done.end() <= told.end()):
            out.append(t)
    return out


def as_ofs(times: list[Time]) -> list[Time]:
    return [t for t in times if t.as_of]


# ---------------------------------------------------------------- one body's choice

def choose(facts: list[Fact], first_figure: int | None) -> tuple[Fact | None, list[Fact]]:
    """The statement of the record (the latest before the first figure, else the last) and the
    ones before it."""
    if not facts:
        return None, []
    facts = sorted(facts, key=lambda f: f.start)
    before = [f for f in facts if first_figure is None or f.start < first_figure]
    chosen = (before or facts)[-1]
    return chosen, [f for f in facts if f.start < chosen.start]


def date_fact(fact: Fact, earlier: list[Fact] = ()) -> DateFact:
    """The statement's dates (a pair of periods: from the first's start) on its own mention."""
    t = fact.time
    return DateFact(start_date=(fact.first or t).start_date, end_date=t.end_date,
                    mention_id=t.mention_id, text=t.text, start=t.start, end=t.end,
                    earlier=[date_fact(f) for f in earlier])


def manifest_feedback(day: dt.date) -> DateFact:
    return DateFact(start_date=day, end_date=day, source="manifest")


def as_of_fact(t: Time) -> DateFact:
    return DateFact(end_date=t.as_of, mention_id=t.mention_id, text=t.text, start=t.start, end=t.end)


def deadline(first: Time, later: list[Time]) -> Deadline:
    return Deadline(end_date=first.end_date or first.due_date, mention_id=first.mention_id, text=first.text,
                    start=first.start, end=first.end, offset=first.offset, anchor=first.anchor,
                    anchor_date=first.anchor_date, anchor_source=first.anchor_source,
                    anchor_mention_id=first.anchor_mention_id,
                    reason=None if first.end_date or first.due_date else REASONS.get(first.anchor_rule, "anchor_unknown"),
                    later=[DateFact(start_date=t.start_date, end_date=t.end_date, mention_id=t.mention_id,
                                    text=t.text, start=t.start, end=t.end) for t in later])


# ---------------------------------------------------------------- the inspector

class Bodies:
    """A document's body mentions, and its inspection groups, found by position (bisection)."""

    def __init__(self, bodies: list[Body]):
        organ = ledger_rules().inspector
        self.all = sorted(bodies, key=lambda b: b.start)
        self.groups = [b for b in self.all if organ.search(b.name)]
        self.starts = [b.start for b in self.all]
        self.group_starts = [b.start for b in self.groups]

    def between(self, lo: int, hi: int, groups: bool = False) -> list[Body]:
        """The mentions (or the groups) starting in [lo, hi)."""
        pool, starts = (self.groups, self.group_starts) if groups else (self.all, self.starts)
        return pool[bisect_left(starts, lo):bisect_left(starts, hi)]


def inspector(text: Text, bodies: Bodies, fact: Fact | None, fallback: Body | None,
              inspected: set[str]) -> InspectorRef | None:
    """The group acting in the statement's sentence (the last before its act, else the first
    after it), else the group its paragraph names (nearest before, else first after), else the
    body that acts in the sentence itself (a committee giving the feedback: 校党委向…反馈)."""
    if fact is not None:
        sent, act = fact.sentence, fact.act
    elif fallback is not None:
        sent, act = text.sentence(fallback.start), fallback.start
    else:
        return None
    got = group_near(text, bodies, sent, act)
    if got is None:
        acting = [b for b in bodies.between(sent[0], act) if b.mention_id not in inspected]
        got = acting[-1] if acting else None
    if got is None:
        return None
    return InspectorRef(name=numbered_name(got, bodies.groups), mention_id=got.mention_id, text=got.text,
                        start=got.start, end=got.end)


def numbered_name(got: Body, groups: list[Body]) -> str:
    """A group named without its number (省委巡视组) takes the name of the numbered group it
    shortens (省委第三巡视组): the nearest before it, else the first after it."""
    number = ledger_rules().group_number
    if number.search(got.name):
        return got.name
    same = [b for b in groups if number.search(b.name) and number.sub("", b.name).endswith(got.name)]
    before = [b for b in same if b.start < got.start]
    pick = before[-1] if before else (same[0] if same else got)
    return pick.name


def group_near(text: Text, bodies: Bodies, sent: tuple[int, int], act: int) -> Body | None:
    para = text.section(act)
    for lo, hi, last in ((sent[0], act, True), (act, sent[1], False), (para[0], act, True), (act, para[1], False)):
        found = bodies.between(lo, hi, groups=True)
        if found:
            return found[-1] if last else found[0]
    return None
