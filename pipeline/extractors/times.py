"""Times and deadlines, resolved against the document's reference date (spec §3).

Why not a general date parser: parsers resolve against "now" and rewrite text before parsing,
so `反馈后2个月内` becomes the last two months of this year and offsets are lost. Here every
pattern is a rule in `rules/times.yaml` matched over the view (same length as the original, so
spans need no mapping); calendar points are resolved against the document's own reference date,
and a deadline that counts from an event keeps its `offset` and `anchor` instead of a guess.

The engine has three steps: collect candidates of every rule, keep the longest of overlapping
ones (then the rule listed first), and resolve the survivors in text order, carrying the last
written year of a sentence to the yearless points that follow it (`2021年10月9日至10月28日`).
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal, Union

from pydantic import Field

from pipeline.context.boundaries import Ends, Units
from pipeline.context.document import Context
from pipeline.context.spans import overlaps, windows
from pipeline.extractors.base import Candidate, Explained, Extractor, Typed, select
from pipeline.extractors import numerals
from lunardate import LunarDate

from pipeline.extractors.numerals import whole_number as cn_int
from pipeline.extractors.points import (Point, add_months, leap_year_before, month_end, pivot,
                                        tail)
from pipeline.records import Time, TimeKind
from pipeline.scan import Gates, Scan
from pipeline.rules import Example, RuleModel, alternation, compile_rule, load_model

FILE = "times.yaml"
Resolve = Literal["point", "range", "since", "until_now", "from", "before", "first_months",
                  "this_year", "relative_day", "rel_day", "same_day", "ago", "window", "ahead", "week",
                  "quarter", "holiday", "lunar", "decade", "offset", "anchored", "plan", "duration",
                  "whole_year", "none"]
# How far a point placed in the reference year may be moved back a year: `window` when it
# would start more than six months after the reference date (dates, periods, `截至`), `past`
# when it would start after it at all (`10月以来` in a July report), `never` (deadlines that
# look ahead, a day alone).
Moves = Literal["window", "past", "never"]
MAX_YEAR = 2100  # the latest year a document's own date may have (dating)
WINDOW_MONTHS = 6  # a yearless point more than this after the reference date is last year's
# A two-digit year is the one ending in those digits between this many years before the
# reference year and 100 − this many after it (`35年` in 2019 is 2035, `40年` 1940).
PIVOT_BACK = 79
LOOKAHEAD = 4  # characters a pattern's lookahead may read past the end of its match
NOT_A_TIME = "time.not_times"  # what drops a candidate that cuts into a word of `not_times`
IN_ADDRESS = "time.web_address"  # what drops a candidate inside a web address
NEWLINE = re.compile("\n")  # a paragraph ends at a line break (what `当日` looks back across)


class TimeRule(RuleModel):
    id: str = Field(pattern=r"^time\.[a-z_]+\.[a-z_]+$")
    kind: TimeKind
    resolve: Resolve
    moves: Moves | None = Field(None, description="window for dates and periods, never for "
                                "deadlines, unless given")
    trigger: str = Field(description="a cheap regex that every match of the rule contains")
    reach: int | None = Field(None, ge=1, description="how far a match extends from its trigger")
    begins: str | None = Field(None, description="a regex every match of the rule begins with; "
                               "rules with the same one try their pattern only where it matches")
    pattern: str
    offset: str | None = None
    examples: list[Example] = Field(min_length=1)

    @property
    def how_moved(self) -> Moves:
        return self.moves or ("window" if self.kind in ("date", "period") else "never")


class Tables(RuleModel):
    relative_years: dict[str, int]
    relative_units: dict[str, int]
    context_months: dict[str, int]
    weekdays: dict[str, tuple[int, int]]
    solar_holidays: dict[str, tuple[int, int]]
    lunar_holidays: dict[str, tuple[int, int]]
    eve: str
    lunar_months: dict[str, int]
    lunar_first_days: str
    context_years: dict[str, int]
    relative_days: dict[str, int]
    year_tails: dict[str, Literal["first", "last", "whole"]]
    month_tails: dict[str, Union[Literal["first", "last"], tuple[int, int]]]
    subyears: dict[str, tuple[int, int]]
    plan_first_years: dict[str, int]
    plan_tails: dict[str, Literal["whole", "since", "first", "last"]]
    duration_units: dict[str, str]
    working_days: str
    directions: dict[str, int]
    vague: list[str]
    bracket_days: dict[str, int]


class NpcSessions(RuleModel):
    """Opening days of the sessions of the National People's Congress, keyed `term.session`."""

    listed: dict[str, dt.date]
    regular_from_term: int
    regular_first_year: int
    regular_month: int = Field(ge=1, le=12)
    regular_day: int = Field(ge=1, le=28)

    def opening(self, term: int, session: int) -> dt.date | None:
        listed = self.listed.get(f"{term}.{session}")
        if listed or term < self.regular_from_term or not 1 <= session <= 5:
            return listed
        year = self.regular_first_year + 5 * (term - self.regular_from_term) + session - 1
        return dt.date(year, self.regular_month, self.regular_day)


class ReferenceRules(RuleModel):
    full_date: str
    labelled: str
    bracketed: str
    dateline: str
    news_dateline: str
    text_year: str
    dateline_lines: int = Field(ge=1)
    session: str
    future_before: str
    future_after: str
    npc_sessions: NpcSessions


class TimeRules(RuleModel):
    example_reference_date: dt.date
    window: int = Field(ge=10)
    fragments: dict[str, str]
    point_parts: str
    tables: Tables
    not_times: list[str]
    commitments: str
    rules: list[TimeRule]
    reference_date: ReferenceRules


@dataclass(frozen=True)
class Compiled:
    spec: TimeRules
    week_word: re.Pattern
    rules: tuple[tuple[TimeRule, re.Pattern], ...]
    triggers: tuple[Scan, ...]
    trigger_gates: Gates  # the triggers, passing over a text together
    scans: tuple[Scan, ...]  # the rules' regexes, as `rules`, each with its gate
    begins: tuple[Scan | None, ...]  # what the rules' matches begin with (`TimeRule.begins`)
    parts: re.Pattern
    not_times: re.Pattern
    not_time_chars: frozenset[str]  # the characters of the words of `not_times`
    not_time_run: re.Pattern  # a run of those characters
    commitments: re.Pattern
    ref: dict[str, re.Pattern]


def _squeeze(pattern: str) -> str:
    """Patterns may be folded over lines in YAML; whitespace in them is layout (`\\s` is a space)."""
    return "".join(pattern.split())


@lru_cache(maxsize=1)
def compile_rules() -> Compiled:
    """The validated rule file with every regex compiled, once per process (the times and the
    document's dating share it)."""
    spec = load_model(FILE, TimeRules)
    frags = {k: _squeeze(v) for k, v in spec.fragments.items()}
    rules = tuple((r, compile_rule(FILE, r.id, _squeeze(r.pattern), frags)) for r in spec.rules)
    triggers = tuple(Scan(compile_rule(FILE, r.id, _squeeze(r.trigger), frags)) for r in spec.rules)
    shared: dict[str, Scan] = {}  # a `begins` is tried wherever a date may begin: see `Scan`
    for r in spec.rules:
        if r.begins and r.begins not in shared:
            shared[r.begins] = Scan(compile_rule(FILE, r.id, _squeeze(r.begins), frags),
                                    each_follower=True)
    begins = tuple(shared[r.begins] if r.begins else None for r in spec.rules)
    parts = compile_rule(FILE, "point_parts", _squeeze(spec.point_parts), frags)
    refs = spec.reference_date
    frags_ref = {**frags, "FULL": _squeeze(refs.full_date)}
    ref = {k: compile_rule(FILE, f"reference_date.{k}", _squeeze(getattr(refs, k)), frags_ref)
           for k in ("full_date", "labelled", "bracketed", "dateline", "news_dateline", "text_year",
                     "session", "future_before", "future_after")}
    commit = compile_rule(FILE, "commitments", _squeeze(spec.commitments), frags)
    week_word = re.compile(f"({alternation(spec.tables.relative_units)})?")
    scans = tuple(Scan(rx) for _r, rx in rules)
    stop_chars = sorted(set("".join(spec.not_times)))
    return Compiled(spec, week_word, rules, triggers, Gates(triggers), scans, begins,
                    parts, re.compile(alternation(spec.not_times)), frozenset(stop_chars),
                    re.compile("[" + "".join(map(re.escape, stop_chars)) + "]*"), commit, ref)


# ---------------------------------------------------------------- candidates

def trigger_windows(view: str, trigger: Scan, margin: int,
                    hits: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Disjoint stretches `margin` characters either side of each trigger hit (and `LOOKAHEAD`
    more after it), merged; `hits`: the trigger's spans, when found already (`trigger_gates`).

    Why: the calendar patterns cost a lot per position and most of a report holds no time. A match
    contains its trigger and is shorter than `margin`, so it lies inside one merged window, and a
    scan that starts at the window's start meets the same matches as a scan of the whole text.
    """
    return windows(trigger.spans(view) if hits is None else hits, margin, margin + LOOKAHEAD,
                   len(view))


def _cuts_into(view: str, s: int, e: int, c: Compiled) -> tuple[int, int] | None:
    """The word of `not_times` that [s, e) overlaps without containing it whole, if any.

    The words are looked for only in the stretch around [s, e) that their characters fill: no
    word holds a character outside them, so a scan from where the stretch begins finds there
    what a scan of the whole text finds (which cost a pass over every document for the few
    places where a time was found)."""
    q = s
    while q and view[q - 1] in c.not_time_chars:
        q -= 1
    for m in c.not_times.finditer(view, q, c.not_time_run.match(view, e).end()):
        bs, be = m.span()
        if bs >= e:
            break
        if s < be and not (s <= bs and be <= e):
            return bs, be
    return None


def _longest(c: Candidate):
    """The times' overlap policy: the longest candidate wins, then the rule listed first."""
    return c.start - c.end, c.order, c.start


# ---------------------------------------------------------------- resolution

@dataclass
class Resolution:
    """What resolution needs beyond the match, carried through a document in text order: the
    reference date, the last year (and month) written in the current statement, and the last
    day written in the current paragraph."""

    r: Compiled
    ref: dt.date | None
    statements: Ends
    units: Units  # the clauses a commitment is looked for in, found if one is (few documents)
    view: str = ""
    sentence: int = -1
    year: int | None = None
    month: int | None = None  # the month written last in the sentence, with `year`
    doc_year: int | None = None
    near_year: int | None = None  # the last year written that is the reference year or the one before
    anchor: tuple[int, str] | None = None  # (sentence, anchor) of the last anchored offset
    last_day: tuple[int, dt.date] | None = None  # (paragraph, day) of the last day written
    doc_month: tuple[int, int] | None = None  # (year, month) of the last month written

    @cached_property
    def newlines(self) -> list[int]:
        return [m.start() for m in NEWLINE.finditer(self.view)]

    def paragraph(self, start: int) -> int:
        return bisect.bisect_left(self.newlines, start)

    def year_for(self, start: int, kind: str | None = None) -> tuple[int | None, str | None]:
        """A yearless point's year: the sentence's last written year, else the reference year.

        A committed deadline (`确保年内…`) after a past year of its sentence looks ahead: it takes
        the reference year (`去年完成23项，剩余4项确保年内完成`).
        """
        if self.year is not None and self.sentence == self.statements.index(start):
            if not (kind == "deadline" and self.ref and self.year < self.ref.year
                    and self.commits(start)):
                return self.year, "year from the same sentence"
            return self.ref.year, "reference year: a committed deadline looks ahead"
        return (self.ref.year, "reference year") if self.ref else (None, None)

    def month_for(self, start: int) -> tuple[int | None, int | None]:
        """A day alone's year and month: the sentence's last month, else the reference month."""
        if self.month is not None and self.sentence == self.statements.index(start):
            return self.year, self.month
        return (self.ref.year, self.ref.month) if self.ref else (None, None)

    def commits(self, start: int) -> bool:
        """Whether the clause before `start` holds a word that commits to a deadline."""
        i = self.units.ends("time_clause").start_before(start)
        return self.r.commitments.search(self.view, i, start) is not None

    def inherit_anchor(self, start: int, anchor: str | None) -> tuple[str | None, bool]:
        """An offset without its event counts from the event of the sentence's last one.

        (`反馈后1个月内制定方案，2个月内报送报告`: both count from 反馈.) Returns the anchor and
        whether it was inherited.
        """
        sentence = self.statements.index(start)
        if anchor:
            self.anchor = (sentence, anchor)
            return anchor, False
        if self.anchor and self.anchor[0] == sentence:
            return self.anchor[1], True
        return None, False

    def nearer_past(self, moves: str, why: str | None, year: int,
                    first: dt.date) -> tuple[int, str | None]:
        """A dated event placed in the reference year far after the reference date is last year's.

        So is one merely after it while the text last named last year (a review of last year:
        `三季度增速回落`). Reports tell what was done; a deadline (`12月20日之前`) looks ahead and
        is left alone.
        """
        if moves == "never" or why != "reference year":
            return year, why
        limit = self.ref if moves == "past" else add_months(self.ref, WINDOW_MONTHS)
        if first > limit:
            return year - 1, "previous year: nearer the reference date"
        if first > self.ref and self.near_year == self.ref.year - 1:
            return year - 1, "previous year: the year under review"
        return year, why

    def wrote(self, start: int, year: int | None, month: int | None = None) -> None:
        if year is not None:
            sentence = self.statements.index(start)
            if month is None and sentence == self.sentence and year == self.year:
                month = self.month
            self.sentence, self.year, self.month = sentence, year, month
            self.doc_year = year
            if month is not None:
                self.doc_month = (year, month)
            if self.ref and year in (self.ref.year - 1, self.ref.year):
                self.near_year = year

    def saw_day(self, start: int, day: dt.date) -> None:
        """A day the text wrote: what `当日` after it in its paragraph names."""
        self.last_day = (self.paragraph(start), day)

    def relative_month(self, word: str) -> tuple[int, int]:
        """(year, month) of `本月`, `上个月` …, counted from the reference date's month."""
        y, m = divmod(self.ref.year * 12 + self.ref.month - 1 + self.r.spec.tables.relative_units[word], 12)
        return y, m + 1

    def context_month(self, word: str) -> tuple[int | None, int | None]:
        """(year, month) of `同月`, `次月` …: counted from the last month written before."""
        if self.doc_month is None:
            return None, None
        y, m = divmod(self.doc_month[0] * 12 + self.doc_month[1] - 1
                      + self.r.spec.tables.context_months[word], 12)
        return y, m + 1

    def point_year(self, p: Point) -> int | None:
        """The year a point writes itself (`2019年`, `08年`, `去年`, `本月`), or None when it
        leaves it to context (or needs a reference date there is not)."""
        g, t = p.g, self.r.spec.tables
        if g.get("iy") or g.get("y") or g.get("by"):
            return cn_int(g.get("iy") or g.get("y") or g["by"])
        if g.get("cm"):
            return self.context_month(g["cm"])[0]
        if not self.ref:
            return None
        if g.get("yy"):
            return pivot(numerals.digit_by_digit(g["yy"]), self.ref.year, PIVOT_BACK)
        if g.get("ry"):
            return self.ref.year + t.relative_years[g["ry"]]
        if g.get("rm"):
            return self.relative_month(g["rm"])[0]
        if g.get("rdp"):
            return (self.ref + dt.timedelta(days=t.relative_days[g["rdp"]])).year
        return None

    def place(self, p: Point, start: int, kind: str | None = None) -> tuple[int | None, str | None]:
        """The year of a point: its own, the one an earlier mention wrote (`同年`), or context."""
        year = self.point_year(p)
        if year is not None:
            self.wrote(start, year)
            return year, None
        if p.g.get("cy"):
            if self.doc_year is None:
                return None, "no earlier year"
            year = self.doc_year + self.r.spec.tables.context_years[p.g["cy"]]
            self.wrote(start, year)
            return year, "year of an earlier mention"
        if p.written_year:
            return None, "no reference date"
        return self.year_for(start, kind)


def _anchor(c: Candidate) -> str | None:
    a = c.match.groupdict().get("anchor")
    return a if c.rule.resolve in ("offset", "anchored") and a else None


def _iso(y: int, m: int, d: int, h: int, mi: int) -> str:
    """An ISO 8601 duration from its parts, zero parts left out (`P0D` when all are zero)."""
    date = "".join(f"{v}{u}" for v, u in ((y, "Y"), (m, "M"), (d, "D")) if v)
    time = "".join(f"{v}{u}" for v, u in ((h, "H"), (mi, "M")) if v)
    return "P" + date + ("T" + time if time else "") if date or time else "P0D"


def _ordered(f: dict) -> bool:
    s, e = f.get("start_date"), f.get("end_date")
    return not (s and e and s > e)


class Times(Extractor):
    """Dates, periods, deadlines, frequencies and durations, resolved against the reference date."""

    kind = "time"
    record = Time
    rules_file = FILE

    def __init__(self, r: Compiled | None = None):
        self.r = r or compile_rules()
        self.resolvers = {name: getattr(self, f"r_{name}") for name in Resolve.__args__}
        self.typed = Typed(Time)
        self.parse_point = lru_cache(maxsize=4096)(self._parse_point)

    def explain(self, ctx: Context) -> list[Explained]:
        """Every candidate with what became of it: its time, or the stop word or rival that
        dropped it."""
        found = list(self.matches(ctx.view, addresses=ctx.addresses))
        res = Resolution(self.r, ctx.reference_date, ctx.units.ends("statement"), ctx.units,
                         ctx.view)
        rows = {}
        for c in select([c for c in found if c.dropped_by is None], _longest):
            rows[id(c)] = Explained(c, self.mention(ctx, c, **self.fields(c, res)))
        return [rows.get(id(c)) or Explained(c, None, c.dropped_by)
                for c in sorted(found, key=lambda c: (c.start, c.end, c.order))]

    def mention(self, ctx: Context, c: Candidate, explanation: str | None = None, **fields) -> Time:
        """The record of a candidate with its resolved `fields` (made without validating it
        again, `typed`: resolution gives them their types)."""
        c.fields = fields
        return super().mention(ctx, c, explanation)

    def fields(self, c: Candidate, res: Resolution) -> dict:
        """The resolved fields of a kept candidate, dates dropped when reversed; the last day it
        names is what a later `当日` of its paragraph names."""
        fields = self.resolve(c, res)
        if not _ordered(fields):
            fields.update(start_date=None, end_date=None, explanation="dates reversed")
        day = fields.pop("day", None)
        if day is not None:
            res.saw_day(c.start, day)
        return fields

    def examples(self) -> Iterable[tuple[str, Example]]:
        for rule in self.r.spec.rules:
            yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        return [r.id for r in self.r.spec.rules]

    def example_context(self, text: str) -> Context:
        """Examples are read as of the rule file's `example_reference_date`."""
        return Context.of(text, reference_date=self.r.spec.example_reference_date)

    def candidates(self, view: str, window: int | None = None) -> list[Candidate]:
        """Every match of every rule, minus those that cut into a word that is not a time."""
        return [c for c in self.matches(view, window) if c.dropped_by is None]

    def matches(self, view: str, window: int | None = None, addresses=()):
        """Every non-empty match of every rule; one that cuts into a word that is no time is
        dropped (`NOT_A_TIME`), with that word in its notes, and so is one inside a web address
        (`IN_ADDRESS`)."""
        c = self.r
        window = window or c.spec.window
        windows: dict[tuple[str, int], list[tuple[int, int]]] = {}
        starts: dict[tuple[str, str, int], list[list[int]]] = {}
        for order, ((rule, _rx), trig, hits, scan, begin) in enumerate(
                zip(c.rules, c.triggers, c.trigger_gates.spans(view), c.scans, c.begins)):
            key = (rule.trigger, max(window, rule.reach or 0))
            if key not in windows:
                windows[key] = trigger_windows(view, trig, key[1], hits)
            if begin is not None and (rule.begins, *key) not in starts:
                starts[(rule.begins, *key)] = begin.starts_in(view, windows[key])
            found = scan.finditer_in(view, windows[key]) if begin is None else \
                scan.chain_in(view, windows[key], starts[(rule.begins, *key)])
            for m in found:
                if m.end() > m.start():
                    yield self._candidate(m, order, rule, view, c, addresses)

    @staticmethod
    def _candidate(m: re.Match, order: int, rule: TimeRule, view: str, r: Compiled,
                   addresses) -> Candidate:
        c = Candidate(m.start(), m.end(), rule, order, match=m)
        stop = _cuts_into(view, m.start(), m.end(), r)
        if stop:
            c.dropped_by = NOT_A_TIME
            c.notes.append(f"cuts into {view[slice(*stop)]!r}, not a time")
        elif overlaps(addresses, m.start(), m.end()):
            c.dropped_by = IN_ADDRESS
        return c

    def _parse_point(self, text: str) -> Point | None:
        """The point a text writes (`parse_point`: kept by text, as the same points recur)."""
        m = self.r.parts.fullmatch(text)
        return Point({k: v for k, v in m.groupdict().items()}) if m else None

    def point_interval(self, p: Point, year: int, res: Resolution | None = None,
                       month: int | None = None) -> tuple[dt.date, dt.date]:
        """First and last day of a point in a known year; `month` fills a day alone (`13日`),
        `res` a month counted from the reference date (`上个月`)."""
        g, t = p.g, self.r.spec.tables
        if g.get("iy"):
            d = dt.date(year, int(g["im"]), int(g["id"]))
            return d, d
        if (g.get("rm") or g.get("rdp")) and (res is None or res.ref is None):
            raise ValueError("no reference date")
        if g.get("rm"):
            year, month = res.relative_month(g["rm"])
            return self._month(year, month, g.get("rmd"), g.get("rmt"))
        if g.get("cm"):
            year, month = res.context_month(g["cm"])
            if year is None:
                raise ValueError("no month written before")
            return self._month(year, month, g.get("cmd"), g.get("cmt"))
        if g.get("rdp"):
            day = res.ref + dt.timedelta(days=t.relative_days[g["rdp"]])
            return day, day
        if g.get("yt"):
            return tail(t.year_tails[g["yt"]], dt.date(year, 1, 1), dt.date(year, 12, 31))
        if g.get("sy"):
            m1, m2 = t.subyears[numerals.plain_ordinal(g["sy"])]
            first, last = dt.date(year, m1, 1), month_end(year, m2)
            return tail(t.year_tails[g["st"]], first, last) if g.get("st") else (first, last)
        m = cn_int(g["m"]) if g.get("m") else (month if g.get("d0") or g.get("mt0") else None)
        if m is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self._month(year, m, g.get("d") or g.get("d0"), g.get("mt") or g.get("mt0"))

    def _month(self, year: int, month: int, day: str | None, tail_word: str | None):
        """A month, one of its days, or the part of it a tail word keeps."""
        if day:
            d = dt.date(year, month, cn_int(day))
            return d, d
        first, last = dt.date(year, month, 1), month_end(year, month)
        return tail(self.r.spec.tables.month_tails[tail_word], first, last) if tail_word else (first, last)

    def placed(self, p: Point, year: int, why: str | None, res: Resolution):
        """The point's days in `year`; 29 February without a written year is the latest leap
        year's up to it."""
        if why is not None and p.leap_day and not calendar.isleap(year):
            year = leap_year_before(year)
        return self.point_interval(p, year, res)

    def resolve(self, c: Candidate, res: Resolution) -> dict:
        """The fields of one Time: kind, dates, offset, anchor and a short explanation."""
        out = {"time_kind": c.rule.kind, "offset": c.rule.offset, "anchor": _anchor(c)}
        try:
            out.update(self.resolvers[c.rule.resolve](c, res))
        except (ValueError, OverflowError) as exc:  # 2月30日, 2023年2月29日, year 0: no dates
            out.update(start_date=None, end_date=None, explanation=f"no such date: {exc}")
        if c.rule.resolve == "offset":
            out["anchor"], inherited = res.inherit_anchor(c.start, out["anchor"])
            if inherited:
                out["explanation"] = "anchor of the sentence's earlier deadline"
        return out

    def point_of(self, c: Candidate) -> Point | None:
        """The point a rule's match names (its first point group that matched)."""
        g = c.match.groupdict()
        text = g.get("p1") or g.get("p2")
        return self.parse_point(text) if text else None

    def _single(self, c: Candidate, res: Resolution):
        """Parse and place the rule's point; returns (start, end, explanation, point)."""
        p = self.point_of(c)
        if p is None or p.empty:
            return None, None, "unparsed point", p
        if p.month_from_context:
            year, month = res.month_for(c.start)
            if year is None:
                return None, None, "no reference date", p
            s, e = self.point_interval(p, year, res, month)
            return s, e, "month from the sentence or the reference date", p
        year, why = res.place(p, c.start, c.rule.kind)
        if year is None:
            return None, None, why or "no reference date", p
        s, e = self.placed(p, year, why, res)
        year2, why = res.nearer_past(c.rule.how_moved, why, year, s)
        if year2 != year:
            s, e = self.placed(p, year2, why, res)
        if p.g.get("m") or p.g.get("rm") or p.g.get("cm"):
            res.wrote(c.start, s.year, s.month)
        return s, e, why, p

    @staticmethod
    def _day(s: dt.date | None, e: dt.date | None) -> dt.date | None:
        return s if s is not None and s == e else None

    def r_point(self, c, res):
        s, e, why, _ = self._single(c, res)
        return {"start_date": s, "end_date": e, "explanation": why, "day": self._day(s, e)}

    def r_before(self, c, res):
        s, e, why, _ = self._single(c, res)
        return {"start_date": None, "end_date": e, "explanation": why, "day": self._day(s, e)}

    def r_since(self, c, res):
        """Since a point: closed by the reference date when the point counts from it (`今年以来`,
        `3月以来`), open when it is a written calendar point (`2020年以来`)."""
        s, _, why, p = self._single(c, res)
        placed = (why or "").startswith(("reference year", "previous year"))
        counted = p is not None and (p.from_reference or placed and not p.written_year)
        end = res.ref if counted and res.ref and s and res.ref >= s else None
        return {"start_date": s, "end_date": end, "explanation": why}

    def r_until_now(self, c, res):
        s, _, why, _ = self._single(c, res)
        end = res.ref if res.ref and s and res.ref >= s else None
        return {"start_date": s, "end_date": end, "explanation": why}

    def r_from(self, c, res):
        s, e, why, _ = self._single(c, res)
        return {"start_date": s, "end_date": None, "explanation": why, "day": self._day(s, e)}

    def r_first_months(self, c, res):
        """`今年前5个月`: from the year's first day to the end of its n-th month."""
        s, _, why, _ = self._single(c, res)
        n = cn_int(c.match.group("n"))
        if s is None or not 1 <= n <= 12:
            return {"start_date": None, "end_date": None, "explanation": why or "no such month"}
        return {"start_date": s, "end_date": month_end(s.year, n), "explanation": why}

    def r_this_year(self, c, res):
        year, why = res.year_for(c.start, c.rule.kind)
        end = dt.date(year, 12, 31) if year else None
        return {"start_date": None, "end_date": end, "explanation": why}

    def r_relative_day(self, c, res):
        """`截至昨天`, `截至目前`: a bound at a day counted from the reference date."""
        if not res.ref:
            return {"explanation": "no reference date"}
        delta = self.r.spec.tables.relative_days[c.match.group("rd")]
        return {"start_date": None, "end_date": res.ref + dt.timedelta(days=delta)}

    def r_rel_day(self, c, res):
        """`昨天`, `明日`: that day; `昨(9)日`: the day written, in the month of the day the
        word names (the written day wins)."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g, days = c.match.groupdict(), self.r.spec.tables.relative_days
        delta = days[g["rd"]] if g.get("rd") else self.r.spec.tables.bracket_days[g["rdw"]]
        day = res.ref + dt.timedelta(days=delta)
        if g.get("bd"):
            day = day.replace(day=cn_int(g["bd"]))
        return {"start_date": day, "end_date": day, "day": day}

    def r_same_day(self, c, res):
        """`当日`: the last day written before it in its paragraph, else no dates."""
        if res.last_day and res.last_day[0] == res.paragraph(c.start):
            day = res.last_day[1]
            return {"start_date": day, "end_date": day, "explanation": "the paragraph's last day"}
        return {"start_date": None, "end_date": None, "explanation": "no day before it"}

    def r_ago(self, c, res):
        """`3年后`, `两个月前`, `5天前`: the whole year, the whole month or the day that lies the
        amount back or ahead of the reference date."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g, t = c.match.groupdict(), self.r.spec.tables
        months, days = self._amount(g["n"], g["unit"])
        sign = t.directions[g["dir"]]
        if days:
            day = res.ref + dt.timedelta(days=sign * days)
            return {"start_date": day, "end_date": day}
        if months % 12 == 0:
            year = res.ref.year + sign * months // 12
            return {"start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31)}
        first = add_months(res.ref.replace(day=1), sign * months)
        return {"start_date": first, "end_date": month_end(first.year, first.month)}

    def _amount(self, n: str, unit: str) -> tuple[int, int]:
        """(months, days) of an amount of time (`两`,`个月` → (2, 0); `半`,`年` → (6, 0))."""
        key = unit.removeprefix(numerals.CLASSIFIER)
        code = self.r.spec.tables.duration_units.get(key)
        k = 0.5 if n == numerals.HALF else float(numerals.parse_number(n) or 0)
        if code in ("D", "W"):
            return 0, round(k * (7 if code == "W" else 1))
        return round(k * {"Y": 12, "Q": 3, "M": 1}.get(code, 0)), 0

    def r_window(self, c, res):
        """`过去三年`: whole years ending with the year under review; `近三个月`: from three
        months before the reference date to it; a vague amount (`几年`, `三个多月`): no start."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g, t = c.match.groupdict(), self.r.spec.tables
        vague = any(w in c.match.group() for w in t.vague)
        unit = "".join(ch for ch in g["unit"] if ch not in t.vague)
        if t.duration_units.get(unit) == "Y":
            year = res.ref.year - 1 if res.ref.month <= WINDOW_MONTHS else res.ref.year
            res.wrote(c.start, year)
            n = None if vague else numerals.parse_number(g["n"])
            start = None if n is None or n < 1 else dt.date(year - int(n) + 1, 1, 1)
            return {"start_date": start, "end_date": dt.date(year, 12, 31)}
        months, days = (0, 0) if vague else self._amount(g["n"], unit)
        if not (months or days):
            return {"start_date": None, "end_date": res.ref}
        start = add_months(res.ref, -months) if months else res.ref - dt.timedelta(days=days)
        return {"start_date": start, "end_date": res.ref}

    def r_ahead(self, c, res):
        """`未来三天`, `今后一个月`: from the reference date to the amount after it; a vague
        amount (`今后几个月`) has no end."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g, t = c.match.groupdict(), self.r.spec.tables
        vague = any(w in c.match.group() for w in t.vague)
        unit = "".join(ch for ch in g["unit"] if ch not in t.vague)
        months, days = (0, 0) if vague else self._amount(g["n"], unit)
        if not (months or days):
            return {"start_date": res.ref, "end_date": None}
        end = add_months(res.ref, months) if months else res.ref + dt.timedelta(days=days)
        return {"start_date": res.ref, "end_date": end}

    def r_week(self, c, res):
        """`下周三`, `上周`, `本周末`, `周一至周五`: days of a week counted from the reference
        date's (Monday to Sunday); before a bound (`本周五前`) a deadline."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g = c.match.groupdict()
        s, e = self._week_days(g["w1"], res.ref)
        if g.get("w2"):
            _, e = self._week_days(g["w2"], res.ref, s)
        if g.get("before"):
            return {"time_kind": "deadline", "start_date": None, "end_date": e}
        kind = "period" if g.get("w2") else "date"
        return {"time_kind": kind, "start_date": s, "end_date": e, "day": self._day(s, e)}

    def _week_days(self, text: str, ref: dt.date, after: dt.date | None = None):
        """First and last day a week word names; a bare day (`周五`) is of the week of `after`
        (a range's start) or of the reference date."""
        t = self.r.spec.tables
        word = self.r.week_word.match(text)
        offset = t.relative_units[word.group(1)] if word and word.group(1) else 0
        monday = (after or ref) - dt.timedelta(days=(after or ref).weekday())
        monday += dt.timedelta(weeks=offset)
        day = text[-1]
        if day in t.weekdays:
            a, b = t.weekdays[day]
            return monday + dt.timedelta(days=a), monday + dt.timedelta(days=b)
        return monday, monday + dt.timedelta(days=6)

    def r_quarter(self, c, res):
        """`本季度`, `上个季度`: a quarter counted from the reference date's."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g, t = c.match.groupdict(), self.r.spec.tables
        q = res.ref.year * 4 + (res.ref.month - 1) // 3 + t.relative_units[g["rq"]]
        first = dt.date(q // 4, 3 * (q % 4) + 1, 1)
        s, e = first, month_end(first.year, first.month + 2)
        if g.get("qt"):
            s, e = tail(t.year_tails[g["qt"]], s, e)
        return {"start_date": s, "end_date": e}

    def r_holiday(self, c, res):
        """A holiday's day in its year: a fixed solar day, or a lunar one (`中秋节`)."""
        g = c.match.groupdict()
        p = self.parse_point(g["p1"]) if g.get("p1") else Point({})
        year, why = (res.place(p, c.start, "date") if p and not p.empty
                     else res.year_for(c.start, "date"))
        if year is None:
            return {"explanation": why or "no reference date"}
        day = self._holiday(g["hol"], year)
        if day is None:
            return {"start_date": None, "end_date": None, "explanation": "no such day"}
        year2, why = res.nearer_past("window", why, year, day)
        if year2 != year:
            day = self._holiday(g["hol"], year2)
        return {"start_date": day, "end_date": day, "explanation": why, "day": day}

    def _holiday(self, name: str, year: int) -> dt.date | None:
        t = self.r.spec.tables
        if name in t.solar_holidays:
            return dt.date(year, *t.solar_holidays[name])
        if name == t.eve:
            first = self._lunar(year, 1, 1)
            return first - dt.timedelta(days=1) if first else None
        return self._lunar(year, *t.lunar_holidays[name])

    @staticmethod
    def _lunar(year: int, month: int, day: int) -> dt.date | None:
        """The solar day of a lunar date (the lunar calendar's table covers 1900–2099)."""
        try:
            return LunarDate(year, month, day).to_solar_date()
        except ValueError:
            return None

    def r_lunar(self, c, res):
        """`农历八月十五`, `正月初一`: the solar day of a lunar date, in the lunar year written,
        else the sentence's or the reference year."""
        g, t = c.match.groupdict(), self.r.spec.tables
        p = self.parse_point(g["ly"]) if g.get("ly") else None
        year, why = res.place(p, c.start, "date") if p else res.year_for(c.start, "date")
        if year is None:
            return {"explanation": why or "no reference date"}
        month_text, day_text = g.get("lm") or g["lm2"], g.get("ld") or g["ld2"]
        month = t.lunar_months.get(month_text) or cn_int(month_text)
        day = cn_int(day_text.removeprefix(t.lunar_first_days))
        solar = self._lunar(year, month, day)
        if solar is None:
            return {"start_date": None, "end_date": None, "explanation": "no such lunar day"}
        year2, why = res.nearer_past("window", why, year, solar)
        if year2 != year:
            solar = self._lunar(year2, month, day) or solar
        return {"start_date": solar, "end_date": solar, "explanation": why, "day": solar}

    def r_decade(self, c, res):
        """`90年代` 1990–1999, `2010年代`, `二十世纪八十年代`, `21世纪` 2000–2099 (a century as
        its hundred years, as reports count it); a decade written with two digits is of the
        century written before it (`上世纪` is the one before the reference date's), else of
        the 1900s."""
        g = c.match.groupdict()
        if g.get("c2"):
            first = (cn_int(g["c2"]) - 1) * 100
            return {"start_date": dt.date(first, 1, 1), "end_date": dt.date(first + 99, 12, 31)}
        d = cn_int(g["d"])
        if d >= 1000:
            first = d
        else:
            century = (cn_int(g["c"]) - 1) * 100 if g.get("c") else 1900
            if g.get("last") and res.ref:
                century = (res.ref.year // 100 - 1) * 100
            first = century + d
        return {"start_date": dt.date(first, 1, 1), "end_date": dt.date(first + 9, 12, 31)}

    def r_whole_year(self, c, res):
        """`全年`: the sentence's year, else the last of this year and the last one the text named.

        (A report reviewing last year names it often; a comparison with an older year does not
        leave its section.)
        """
        year, why = res.year_for(c.start)
        if why == "reference year" and res.near_year is not None:
            year, why = res.near_year, "the year the text last named"
        if year is None:
            return {"explanation": "no reference date"}
        return {"start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31),
                "explanation": why}

    def r_range(self, c, res):
        """`2019—2021年`, `今年2月至5月`, `12月5日至13日`: the second point inherits what it omits."""
        p1, p2 = self.parse_point(c.match.group("p1")), self.parse_point(c.match.group("p2"))
        if not p1 or not p2 or p1.empty or p2.empty:
            return {"explanation": "unparsed range"}
        y2 = res.point_year(p2)
        if p1.written_year or y2 is None:
            y1, why = res.place(p1, c.start)
        else:
            y1, why = y2, None
            res.wrote(c.start, y2)
        if y1 is None:
            return {"explanation": why or "no reference date"}
        if p2.g.get("cy"):  # 2016年3月至次年5月
            y2 = y1 + self.r.spec.tables.context_years[p2.g["cy"]]
        s, _ = self.placed(p1, y1, why, res)
        if y2 is None:
            y1, why = res.nearer_past(c.rule.how_moved, why, y1, s)
            s, _ = self.placed(p1, y1, why, res)
        month = self._month_of(p1, s)
        _, e = self.point_interval(p2, y2 if y2 is not None else y1, res, month)
        if e < s and y2 is None:
            _, e = self.point_interval(p2, y1 + 1, res, month)
        res.wrote(c.start, e.year, e.month)
        return {"start_date": s, "end_date": e, "explanation": why, "day": self._day(e, e)
                if p2.g.get("d") or p2.g.get("d0") or p2.g.get("id") else None}

    @staticmethod
    def _month_of(p: Point, s: dt.date) -> int:
        """The month a day alone at a range's end takes: its start's (`9月2日至10日`)."""
        return cn_int(p.g["m"]) if p.g.get("m") else s.month

    def iso_duration(self, n: str, unit: str) -> str | None:
        """`2`,`个月` → P2M; `一`,`周` → P1W; `半`,`年` → P6M; `两`,`个半月` → P2M15D; `3`,`季度` → P9M;
        `1.5`,`年` → P1Y6M.

        A vague or ranged amount (`两三年`, `1至2年`) has no single offset: None.
        """
        key = unit.removeprefix(numerals.CLASSIFIER)
        half = numerals.HALF in key
        code = self.r.spec.tables.duration_units.get(key.replace(numerals.HALF, ""))
        if code is None:
            return None
        if n == numerals.HALF:
            k, half = 0, True
        else:
            value = numerals.parse_number(n) if n else None
            if value is None or value * 2 != int(value * 2):
                return None
            k, half = int(value), half or value != int(value)
        if code == "W":
            return f"P{7 * k + 3}DT12H" if half else f"P{k}W"
        parts = {"Y": (k, 6 * half, 0, 0, 0), "Q": (0, 3 * k + half, 15 * half, 0, 0),
                 "M": (0, k, 15 * half, 0, 0), "D": (0, 0, k, 12 * half, 0),
                 "H": (0, 0, 0, k, 30 * half), "I": (0, 0, 0, 0, k)}[code]
        return _iso(*parts)

    def r_offset(self, c, res):
        g = c.match.groupdict()
        out = {"start_date": None, "end_date": None, "offset": self.iso_duration(g["n"], g["unit"])}
        if g["unit"].endswith(self.r.spec.tables.working_days):
            out["explanation"] = "working days"
        return out

    def r_duration(self, c, res):
        return self.r_offset(c, res)

    def r_anchored(self, c, res):
        return {"start_date": None, "end_date": None}

    def r_none(self, c, res):
        return {"start_date": None, "end_date": None}

    def r_plan(self, c, res):
        """`十四五时期` 2021–2025; `十五五开局之年` 2026 (a date); `十四五以来` to the reference date."""
        t = self.r.spec.tables
        first = t.plan_first_years[c.match.group("plan")]
        how = t.plan_tails[c.match.group("tail")]
        s, e = dt.date(first, 1, 1), dt.date(first + 4, 12, 31)
        if how == "first":
            return {"time_kind": "date", "start_date": s, "end_date": dt.date(first, 12, 31)}
        if how == "last":
            return {"time_kind": "date", "start_date": dt.date(first + 4, 1, 1), "end_date": e}
        if how == "since":
            return {"start_date": s, "end_date": res.ref if res.ref and res.ref >= s else None}
        return {"start_date": s, "end_date": e}
