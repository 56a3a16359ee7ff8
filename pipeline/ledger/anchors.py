"""Anchored deadlines and as-of dates (issue 19 item 1), a stage after the mentions are resolved.

A deadline that counts from an event (`反馈后2个月内`: offset P2M, anchor 反馈) gets the event's
date and so the day it falls due, `due_date` (its `end_date` stays null, as spec §3 defines and
the gold and the scorer follow). The event's date is the nearest dated statement of that event
before the deadline (`2023年5月22日，…巡察组向…反馈了巡察意见`), preferring one about the same body
as the deadline's sentence, else the manifest's column for the event (`feedback_date`).
`due_date = anchor_date + offset` in calendar months (day clamped to the month) and days; a
month-only anchor counts from the month's last day, so imprecision never brings a deadline
forward. A rule (`每轮巡察反馈后…`) and working days (no holiday calendar) are left unresolved,
with the rule that said so. A time that opens with `截至` and names a date gets `as_of`.

Pure: view, mentions and the manifest row in, mentions out; every decision names its rule in
`rules/ledger.yaml`. The ledger reads the same statements for its feedback dates (`statements`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from pipeline.ledger.keys import key, same_body
from pipeline.ledger.rules import Compiled, Event, ledger_rules
from pipeline.ledger.text import sentence_spans, span_at
from pipeline.records import Body, Time

OFFSET = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
UNDATED = "ledger.anchor.undated"
DATED = ("date", "period")  # the times a statement runs up to (not 为期45天, 每年)


@dataclass(frozen=True)
class Statement:
    """A dated statement that an event happened: its date mention and where the act is said."""

    event: str  # the rule id of the event (ledger.anchor.feedback)
    date: Time
    act_start: int
    act_end: int
    sentence: tuple[int, int]


def resolve(view: str, mentions: list, manifest: dict | None = None) -> list:
    """The mentions, with anchored deadlines resolved and as-of dates set on their times."""
    rules = ledger_rules()
    sents = sentence_spans(view)
    found = statements(view, mentions, sents)
    bodies = [m for m in mentions if m.kind == "body" and not rules.not_candidate.search(m.name)]
    out = []
    for m in mentions:
        update = {}
        if m.kind == "time":
            update = {**as_of(rules, view, m), **anchored(rules, view, m, found, bodies, sents, manifest or {})}
        out.append(m.model_copy(update=update) if update else m)
    return out


def as_of(rules: Compiled, view: str, t: Time) -> dict:
    if t.end_date and rules.as_of.search(view[t.start:t.end]):
        return {"as_of": t.end_date, "as_of_rule": rules.spec.times.as_of.id}
    return {}


# ---------------------------------------------------------------- statements of events

def statements(view: str, mentions: list, sents: list[tuple[int, int]] | None = None) -> list[Statement]:
    """Every dated statement of an event of `rules/ledger.yaml`: a date mention followed, before
    the next date or period and within its sentence, by the event's act."""
    rules = ledger_rules()
    sents = sents if sents is not None else sentence_spans(view)
    times = [m for m in mentions if m.kind == "time" and m.time_kind in DATED]
    out = []
    for i, t in enumerate(times):
        if t.time_kind != "date" or t.end_date is None:
            continue
        sent = span_at(sents, t.start)
        stop = min([sent[1]] + [u.start for u in times[i + 1:] if u.start >= t.end][:1])
        for ev in rules.events:
            m = ev.statement.search(view, t.end, stop)
            if m and not ev.not_statement.search(view[t.end:m.start()]):
                out.append(Statement(ev.rule.id, t, m.start(), m.end(), sent))
    return out


# ---------------------------------------------------------------- anchored deadlines

def anchored(rules: Compiled, view: str, t: Time, found: list[Statement], bodies: list[Body],
             sents: list[tuple[int, int]], manifest: dict) -> dict:
    """The anchor fields of one time, or {} when it is no event-anchored deadline."""
    if t.time_kind != "deadline" or not t.offset or not t.anchor:
        return {}
    ev = next((e for e in rules.events if e.anchor.search(t.anchor)), None)
    if ev is None:
        return {}
    times = rules.spec.times
    if rules.generic_anchor.search(view[max(0, t.start - 12):t.start]):
        return {"anchor_rule": times.generic_anchor.id}
    if rules.working_days.search(view[t.start:t.end]):
        return {"anchor_rule": times.working_days.id}
    hit = nearest(t, [s for s in found if s.event == ev.rule.id], bodies, span_at(sents, t.start))
    if hit is not None:
        return dated(t, hit.date.end_date, "text", hit.date.mention_id, ev.rule.id)
    day = manifest_date(manifest, ev)
    if day is not None:
        return dated(t, day, "manifest", None, ev.rule.id)
    return {"anchor_rule": UNDATED}


def nearest(t: Time, found: list[Statement], bodies: list[Body], sent: tuple[int, int]) -> Statement | None:
    """The last statement before the deadline; among them, those naming a body its sentence
    names, when there are such."""
    before = [s for s in found if s.date.start < t.start]
    named = keys_in(bodies, sent)
    same = [s for s in before if named and any(same_body(a, b) for a in named
                                               for b in keys_in(bodies, s.sentence))]
    pool = same or before
    return max(pool, key=lambda s: s.date.start) if pool else None


def keys_in(bodies: list[Body], span: tuple[int, int]) -> list[str]:
    return [key(b.name) for b in bodies if span[0] <= b.start < span[1]]


def manifest_date(manifest: dict, ev: Event) -> dt.date | None:
    value = manifest.get(ev.rule.manifest) if ev.rule.manifest else None
    if isinstance(value, dt.date) or value is None:
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


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
