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
from functools import lru_cache
from typing import Literal, Union

from pydantic import Field

from pipeline.context.boundaries import Ends
from pipeline.context.document import Context
from pipeline.extractors.base import Candidate, Explained, Extractor, select
from pipeline.extractors import numerals
from pipeline.extractors.numerals import whole_number as cn_int
from pipeline.records import Time, TimeKind
from pipeline.rules import Example, RuleModel, alternation, compile_rule, load_model

FILE = "times.yaml"
Resolve = Literal["point", "range", "since", "from", "before", "first_months", "this_year",
                  "relative_day",
                  "offset", "anchored", "plan", "duration", "past_year", "whole_year",
                  "relative_month", "none"]
MIN_YEAR, MAX_YEAR = 1800, 2100
# A month or day without a year, placed in the reference year, that would fall more than this
# after the reference date is taken as last year's (`11月6日至10日` in a January report).
FUTURE_DAYS = 183
LOOKAHEAD = 4  # characters a pattern's lookahead may read past the end of its match
NOT_A_TIME = "time.not_times"  # what drops a candidate that cuts into a word of `not_times`


class TimeRule(RuleModel):
    id: str = Field(pattern=r"^time\.[a-z_]+\.[a-z_]+$")
    kind: TimeKind
    resolve: Resolve
    trigger: str = Field(description="a cheap regex that every match of the rule contains")
    reach: int | None = Field(None, ge=1, description="how far a match extends from its trigger")
    pattern: str
    offset: str | None = None
    examples: list[Example] = Field(min_length=1)


class Tables(RuleModel):
    relative_years: dict[str, int]
    relative_months: dict[str, int]
    context_years: dict[str, int]
    relative_days: dict[str, int]
    year_tails: dict[str, Literal["first", "last", "whole"]]
    month_tails: dict[str, Union[Literal["first", "last"], tuple[int, int]]]
    subyears: dict[str, tuple[int, int]]
    plan_first_years: dict[str, int]
    plan_tails: dict[str, Literal["whole", "since", "first", "last"]]
    duration_units: dict[str, str]
    working_days: str


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
    rules: tuple[tuple[TimeRule, re.Pattern], ...]
    triggers: tuple[re.Pattern, ...]
    parts: re.Pattern
    not_times: re.Pattern
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
    triggers = tuple(compile_rule(FILE, r.id, _squeeze(r.trigger), frags) for r in spec.rules)
    parts = compile_rule(FILE, "point_parts", _squeeze(spec.point_parts), frags)
    refs = spec.reference_date
    frags_ref = {**frags, "FULL": _squeeze(refs.full_date)}
    ref = {k: compile_rule(FILE, f"reference_date.{k}", _squeeze(getattr(refs, k)), frags_ref)
           for k in ("full_date", "labelled", "bracketed", "dateline", "news_dateline", "text_year",
                     "session", "future_before", "future_after")}
    commit = compile_rule(FILE, "commitments", _squeeze(spec.commitments), frags)
    return Compiled(spec, rules, triggers, parts, re.compile(alternation(spec.not_times)), commit,
                    ref)


# ---------------------------------------------------------------- numbers and calendar points

def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _tail(kind, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The part of [first, last] a tail word keeps: its first day, last day, whole, or days a–b."""
    if kind == "first":
        return first, first
    if kind == "last":
        return last, last
    if kind == "whole":
        return first, last
    a, b = kind
    return first.replace(day=a), min(last, first.replace(day=min(b, last.day)))


@dataclass(frozen=True)
class Point:
    """One calendar point as written: its named parts, and whether it names its own year."""

    g: dict

    @property
    def written_year(self) -> bool:
        return bool(self.g.get("iy") or self.g.get("y") or self.g.get("ry") or self.g.get("cy"))

    @property
    def empty(self) -> bool:
        return not any(self.g.values())


def point_month(p: Point) -> int | None:
    m = p.g.get("m") or p.g.get("im")
    return cn_int(m) if m else None


# ---------------------------------------------------------------- candidates

def trigger_windows(view: str, trigger: re.Pattern, margin: int) -> list[tuple[int, int]]:
    """Disjoint stretches `margin` characters either side of each trigger hit, merged.

    Why: the calendar patterns cost a lot per position and most of a report holds no time. A match
    contains its trigger and is shorter than `margin`, so it lies inside one merged window, and a
    scan that starts at the window's start meets the same matches as a scan of the whole text.
    """
    out: list[tuple[int, int]] = []
    for m in trigger.finditer(view):
        s, e = max(0, m.start() - margin), min(len(view), m.end() + margin + LOOKAHEAD)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _cuts_into(s: int, e: int, bad: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The stop word that [s, e) overlaps without containing it whole, if any."""
    i = bisect.bisect_left(bad, (s, s))
    for bs, be in bad[max(0, i - 1):]:
        if bs >= e:
            break
        if bs < e and s < be and not (s <= bs and be <= e):
            return bs, be
    return None


def _longest(c: Candidate):
    """The times' overlap policy: the longest candidate wins, then the rule listed first."""
    return c.start - c.end, c.order, c.start


# ---------------------------------------------------------------- resolution

@dataclass
class Resolution:
    """What resolution needs beyond the match, carried through a document in text order: the
    reference date and the last year written in the current statement."""

    r: Compiled
    ref: dt.date | None
    statements: Ends
    clauses: Ends
    view: str = ""
    sentence: int = -1
    year: int | None = None
    doc_year: int | None = None
    near_year: int | None = None  # the last year written that is the reference year or the one before
    anchor: tuple[int, str] | None = None  # (sentence, anchor) of the last anchored offset

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

    def commits(self, start: int) -> bool:
        """Whether the clause before `start` holds a word that commits to a deadline."""
        i = self.clauses.start_before(start)
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

    def nearer_past(self, kind: str, why: str | None, year: int, first: dt.date,
                    past: bool = False) -> tuple[int, str | None]:
        """A dated event placed in the reference year far after the reference date is last year's.

        So is one merely after it while the text last named last year (a review of last year:
        `三季度增速回落`). Reports tell what was done; a deadline (`12月20日之前`) looks ahead and
        is left alone.
        """
        if kind not in ("date", "period") or why != "reference year":
            return year, why
        ahead = (first - self.ref).days
        if ahead > FUTURE_DAYS or (past and ahead > 0):
            return year - 1, "previous year: nearer the reference date"
        if ahead > 0 and self.near_year == self.ref.year - 1:
            return year - 1, "previous year: the year under review"
        return year, why

    def wrote(self, start: int, year: int | None) -> None:
        if year is not None:
            self.sentence, self.year = self.statements.index(start), year
            self.doc_year = year
            if self.ref and year in (self.ref.year - 1, self.ref.year):
                self.near_year = year

    def point_year(self, p: Point) -> int | None:
        """The year a point writes itself (`2019年`, `去年`), or None when it leaves it to context."""
        g = p.g
        if g.get("iy") or g.get("y"):
            return cn_int(g.get("iy") or g["y"])
        if g.get("ry"):
            return self.ref.year + self.r.spec.tables.relative_years[g["ry"]] if self.ref else None
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
        return self.year_for(start, kind)


def _anchor(c: Candidate) -> str | None:
    a = c.match.groupdict().get("anchor")
    return a if c.rule.resolve in ("offset", "anchored") and a else None


def _iso(y: int, m: int, d: int, h: int, mi: int) -> str:
    """An ISO 8601 duration from its parts, zero parts left out (`P0D` when all are zero)."""
    date = "".join(f"{v}{u}" for v, u in ((y, "Y"), (m, "M"), (d, "D")) if v)
    time = "".join(f"{v}{u}" for v, u in ((h, "H"), (mi, "M")) if v)
    return "P" + date + ("T" + time if time else "") if date or time else "P0D"


def _plausible(f: dict) -> bool:
    s, e = f.get("start_date"), f.get("end_date")
    for d in (s, e):
        if d is not None and not MIN_YEAR <= d.year <= MAX_YEAR:
            return False
    return not (s and e and s > e)




class Times(Extractor):
    """Dates, periods, deadlines, frequencies and durations, resolved against the reference date."""

    kind = "time"
    record = Time
    rules_file = FILE

    def __init__(self, r: Compiled | None = None):
        self.r = r or compile_rules()
        self.resolvers = {name: getattr(self, f"r_{name}") for name in Resolve.__args__}

    def explain(self, ctx: Context) -> list[Explained]:
        """Every candidate with what became of it: its time, or the stop word or rival that
        dropped it."""
        found = list(self.matches(ctx.view))
        res = Resolution(self.r, ctx.reference_date, ctx.units.ends("statement"),
                         ctx.units.ends("time_clause"), ctx.view)
        rows = {}
        for c in select([c for c in found if c.dropped_by is None], _longest):
            rows[id(c)] = Explained(c, self.mention(ctx, c, **self.fields(c, res)))
        return [rows.get(id(c)) or Explained(c, None, c.dropped_by)
                for c in sorted(found, key=lambda c: (c.start, c.end, c.order))]

    def mention(self, ctx: Context, c: Candidate, explanation: str | None = None, **fields) -> Time:
        c.fields = fields
        return super().mention(ctx, c, explanation)

    def fields(self, c: Candidate, res: Resolution) -> dict:
        """The resolved fields of a kept candidate, dates dropped when implausible."""
        fields = self.resolve(c, res)
        if not _plausible(fields):
            fields.update(start_date=None, end_date=None,
                          explanation=f"dates outside {MIN_YEAR}–{MAX_YEAR} or reversed")
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

    def matches(self, view: str, window: int | None = None):
        """Every non-empty match of every rule; one that cuts into a word that is no time is
        dropped (`NOT_A_TIME`), with that word in its notes."""
        c = self.r
        window = window or c.spec.window
        bad = [(m.start(), m.end()) for m in c.not_times.finditer(view)]
        windows: dict[tuple[str, int], list[tuple[int, int]]] = {}
        for order, ((rule, rx), trig) in enumerate(zip(c.rules, c.triggers)):
            key = (rule.trigger, max(window, rule.reach or 0))
            if key not in windows:
                windows[key] = trigger_windows(view, trig, key[1])
            for s, e in windows[key]:
                for m in rx.finditer(view, s, e):
                    if m.end() > m.start():
                        yield self._candidate(m, order, rule, view, bad)

    @staticmethod
    def _candidate(m: re.Match, order: int, rule: TimeRule, view: str, bad) -> Candidate:
        c = Candidate(m.start(), m.end(), rule, order, match=m)
        stop = _cuts_into(m.start(), m.end(), bad)
        if stop:
            c.dropped_by = NOT_A_TIME
            c.notes.append(f"cuts into {view[slice(*stop)]!r}, not a time")
        return c

    def parse_point(self, text: str) -> Point | None:
        m = self.r.parts.fullmatch(text)
        return Point({k: v for k, v in m.groupdict().items()}) if m else None

    def point_interval(self, p: Point, year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
        """First and last day of a point in a known year; `month` fills a day-only point (`13日`)."""
        g, t = p.g, self.r.spec.tables
        if g.get("iy"):
            d = dt.date(year, int(g["im"]), int(g["id"]))
            return d, d
        if g.get("yt"):
            return _tail(t.year_tails[g["yt"]], dt.date(year, 1, 1), dt.date(year, 12, 31))
        if g.get("sy"):
            m1, m2 = t.subyears[numerals.plain_ordinal(g["sy"])]
            first, last = dt.date(year, m1, 1), month_end(year, m2)
            return _tail(t.year_tails[g["st"]], first, last) if g.get("st") else (first, last)
        m = cn_int(g["m"]) if g.get("m") else (month if g.get("d0") else None)
        if m is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        day = g.get("d") or g.get("d0")
        if day:
            d = dt.date(year, m, cn_int(day))
            return d, d
        first, last = dt.date(year, m, 1), month_end(year, m)
        return _tail(t.month_tails[g["mt"]], first, last) if g.get("mt") else (first, last)

    def resolve(self, c: Candidate, res: Resolution) -> dict:
        """The fields of one Time: kind, dates, offset, anchor and a short explanation."""
        out = {"time_kind": c.rule.kind, "offset": c.rule.offset, "anchor": _anchor(c)}
        try:
            out.update(self.resolvers[c.rule.resolve](c, res))
        except ValueError as exc:  # 2月30日, 2023年2月29日: the time stays, its dates do not
            out["explanation"] = f"no such date: {exc}"
        if c.rule.resolve == "offset":
            out["anchor"], inherited = res.inherit_anchor(c.start, out["anchor"])
            if inherited:
                out["explanation"] = "anchor of the sentence's earlier deadline"
        return out

    def _single(self, c: Candidate, res: Resolution, group: str = "p1", past: bool = False):
        """Parse and place the point in `group`; returns (start, end, explanation).

        `past`: the point lies before the reference date (`10月以来` in a July report is last year's).
        """
        p = self.parse_point(c.match.group(group))
        if p is None or p.empty:
            return None, None, "unparsed point"
        year, why = res.place(p, c.start, c.rule.kind)
        if year is None:
            return None, None, why or "no reference date"
        s, e = self.point_interval(p, year)
        year2, why = res.nearer_past(c.rule.kind, why, year, s, past)
        if year2 != year:
            s, e = self.point_interval(p, year2)
        return s, e, why

    def r_point(self, c, res):
        s, e, why = self._single(c, res)
        return {"start_date": s, "end_date": e, "explanation": why}

    def r_before(self, c, res):
        _, e, why = self._single(c, res)
        return {"start_date": None, "end_date": e, "explanation": why}

    def r_since(self, c, res):
        s, _, why = self._single(c, res, past=True)
        end = res.ref if res.ref and s and res.ref >= s else None
        return {"start_date": s, "end_date": end, "explanation": why}

    def r_first_months(self, c, res):
        """`今年前5个月`: from the year's first day to the end of its n-th month."""
        s, _, why = self._single(c, res)
        n = cn_int(c.match.group("n"))
        if s is None or not 1 <= n <= 12:
            return {"start_date": None, "end_date": None, "explanation": why or "no such month"}
        return {"start_date": s, "end_date": month_end(s.year, n), "explanation": why}

    def r_from(self, c, res):
        s, _, why = self._single(c, res)
        return {"start_date": s, "end_date": None, "explanation": why}

    def r_this_year(self, c, res):
        year, why = res.year_for(c.start, c.rule.kind)
        end = dt.date(year, 12, 31) if year else None
        return {"start_date": None, "end_date": end, "explanation": why}

    def r_relative_month(self, c, res):
        """`本月底前`, `下月10日前`, `上月`: a month counted from the reference date's month."""
        if not res.ref:
            return {"explanation": "no reference date"}
        g, t = c.match.groupdict(), self.r.spec.tables
        y, m = divmod(res.ref.year * 12 + res.ref.month - 1 + t.relative_months[g["rm"]], 12)
        first, last = dt.date(y, m + 1, 1), month_end(y, m + 1)
        if g.get("d"):
            first = last = first.replace(day=cn_int(g["d"]))
        elif g.get("mt"):
            first, last = _tail(t.month_tails[g["mt"]], first, last)
        if c.rule.kind == "deadline":
            first = None
        return {"start_date": first, "end_date": last}

    def r_past_year(self, c, res):
        """`过去一年`: last year in a report of the first half of a year, else the reference year."""
        if not res.ref:
            return {"explanation": "no reference date"}
        year = res.ref.year - 1 if res.ref.month <= 6 else res.ref.year
        res.wrote(c.start, year)
        return {"start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31)}

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

    def r_relative_day(self, c, res):
        if not res.ref:
            return {"explanation": "no reference date"}
        delta = self.r.spec.tables.relative_days[c.match.group("rd")]
        return {"start_date": None, "end_date": res.ref + dt.timedelta(days=delta)}

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
        s, _ = self.point_interval(p1, y1)
        if y2 is None:
            y1, why = res.nearer_past(c.rule.kind, why, y1, s)
            s, _ = self.point_interval(p1, y1)
        _, e = self.point_interval(p2, y2 if y2 is not None else y1, point_month(p1) or s.month)
        if e < s and y2 is None:
            _, e = self.point_interval(p2, y1 + 1, point_month(p1) or s.month)
        return {"start_date": s, "end_date": e, "explanation": why}

    def iso_duration(self, n: str, unit: str) -> str | None:
        """`2`,`个月` → P2M; `一`,`周` → P1W; `半`,`年` → P6M; `两`,`个半月` → P2M15D; `3`,`季度` → P9M.

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
            try:
                k = cn_int(n)
            except ValueError:
                return None
        if code == "W":
            return f"P{7 * k + 3}DT12H" if half else f"P{k}W"
        parts = {"Y": (k, 6 * half, 0, 0, 0), "Q": (0, 3 * k + half, 15 * half, 0, 0),
                 "M": (0, k, 15 * half, 0, 0), "D": (0, 0, k, 12 * half, 0),
                 "H": (0, 0, 0, k, 30 * half)}[code]
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
