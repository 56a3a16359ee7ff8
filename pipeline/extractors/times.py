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
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Union

from pydantic import Field

from pipeline.context.view import NormalText
from pipeline.records import Time, TimeKind
from pipeline.rules import RuleModel, alternation, compile_rule, load_model

try:  # the shared numeral parser, once it is part of the package; the small one below until then
    from pipeline.extractors.numerals import parse_number
except ImportError:  # pragma: no cover
    parse_number = None

FILE = "times.yaml"
Resolve = Literal["point", "range", "since", "from", "before", "first_months", "this_year",
                  "relative_day",
                  "offset", "anchored", "plan", "duration", "past_year", "whole_year",
                  "relative_month", "none"]
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CLAUSE_END = re.compile(r"[。！？!?；;\n，,]")
MIN_YEAR, MAX_YEAR = 1800, 2100
# A month or day without a year, placed in the reference year, that would fall more than this
# after the reference date is taken as last year's (`11月6日至10日` in a January report).
FUTURE_DAYS = 183
LOOKAHEAD = 4  # characters a pattern's lookahead may read past the end of its match


class Example(RuleModel):
    """A sentence a rule must find `span` in; the other fields are checked when given."""

    text: str
    span: str
    kind: TimeKind | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    offset: str | None = None
    anchor: str | None = None


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
def compiled() -> Compiled:
    """The validated rule file with every regex compiled once per process."""
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

def cn_int(s: str) -> int:
    """`2019` 2019, `二〇一九` 2019 (digit by digit), `二十三` 23, `十二` 12, `两` 2."""
    if s.isascii() and s.isdigit():
        return int(s)
    if parse_number is not None:
        v = parse_number(s)
        if v is None or v != int(v):
            raise ValueError(f"not a whole number: {s!r}")
        return int(v)
    if len(s) > 1 and all(c in CN_DIGITS for c in s):
        return int("".join(str(CN_DIGITS[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c in CN_DIGITS:
            cur = CN_DIGITS[c]
        elif c in CN_UNITS:
            total += (cur or 1) * CN_UNITS[c]
            cur = 0
        else:
            raise ValueError(f"not a number: {s!r}")
    return total + cur


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


def parse_point(text: str) -> Point | None:
    m = compiled().parts.fullmatch(text)
    return Point({k: v for k, v in m.groupdict().items()}) if m else None


def point_year(p: Point, ref: dt.date | None) -> int | None:
    """The year a point writes itself (`2019年`, `去年`), or None when it leaves it to context."""
    g = p.g
    if g.get("iy") or g.get("y"):
        return cn_int(g.get("iy") or g["y"])
    if g.get("ry"):
        return ref.year + compiled().spec.tables.relative_years[g["ry"]] if ref else None
    return None


def point_interval(p: Point, year: int, month: int | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a point in a known year; `month` fills a day-only point (`13日`)."""
    g, t = p.g, compiled().spec.tables
    if g.get("iy"):
        d = dt.date(year, int(g["im"]), int(g["id"]))
        return d, d
    if g.get("yt"):
        return _tail(t.year_tails[g["yt"]], dt.date(year, 1, 1), dt.date(year, 12, 31))
    if g.get("sy"):
        m1, m2 = t.subyears[_subyear_key(g["sy"])]
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


def _subyear_key(s: str) -> str:
    """`第一季度`, `1季度` and `一季度` are one table entry."""
    s = s.removeprefix("第")
    return s.translate(str.maketrans("1234", "一二三四"))


def point_month(p: Point) -> int | None:
    m = p.g.get("m") or p.g.get("im")
    return cn_int(m) if m else None


# ---------------------------------------------------------------- candidates

@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    order: int
    rule: TimeRule
    match: re.Match


def candidates(view: str, window: int | None = None) -> list[Candidate]:
    """Every match of every rule, minus those that cut into a word that is not a time."""
    return [cand for cand, stop in matches(view, window) if stop is None]


def matches(view: str, window: int | None = None):
    """Every non-empty match of every rule, with the stop word it cuts into (None if none)."""
    c = compiled()
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
                    stop = _cuts_into(m.start(), m.end(), bad)
                    yield Candidate(m.start(), m.end(), order, rule, m), stop and view[slice(*stop)]


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


def select(found: list[Candidate]) -> list[Candidate]:
    """Longest first, then the rule listed first; overlapping losers are dropped."""
    taken: list[Candidate] = []
    starts: list[int] = []
    for c in sorted(found, key=lambda c: (c.start - c.end, c.order, c.start)):
        i = bisect.bisect_left(starts, c.start)
        left = taken[i - 1] if i else None
        right = taken[i] if i < len(taken) else None
        if (left and left.end > c.start) or (right and right.start < c.end):
            continue
        taken.insert(i, c)
        starts.insert(i, c.start)
    return taken


# ---------------------------------------------------------------- resolution

@dataclass
class Context:
    """What resolution needs beyond the match: the reference date and the sentence's last year."""

    ref: dt.date | None
    bounds: list[int]
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
        if self.year is not None and self.sentence == bisect.bisect_right(self.bounds, start):
            if not (kind == "deadline" and self.ref and self.year < self.ref.year
                    and self.commits(start)):
                return self.year, "year from the same sentence"
            return self.ref.year, "reference year: a committed deadline looks ahead"
        return (self.ref.year, "reference year") if self.ref else (None, None)

    def commits(self, start: int) -> bool:
        """Whether the clause before `start` holds a word that commits to a deadline."""
        i = start
        while i > 0 and not CLAUSE_END.match(self.view, i - 1):
            i -= 1
        return compiled().commitments.search(self.view, i, start) is not None

    def inherit_anchor(self, start: int, anchor: str | None) -> tuple[str | None, bool]:
        """An offset without its event counts from the event of the sentence's last one.

        (`反馈后1个月内制定方案，2个月内报送报告`: both count from 反馈.) Returns the anchor and
        whether it was inherited.
        """
        sentence = bisect.bisect_right(self.bounds, start)
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
            self.sentence, self.year = bisect.bisect_right(self.bounds, start), year
            self.doc_year = year
            if self.ref and year in (self.ref.year - 1, self.ref.year):
                self.near_year = year

    def place(self, p: Point, start: int, kind: str | None = None) -> tuple[int | None, str | None]:
        """The year of a point: its own, the one an earlier mention wrote (`同年`), or context."""
        year = point_year(p, self.ref)
        if year is not None:
            self.wrote(start, year)
            return year, None
        if p.g.get("cy"):
            if self.doc_year is None:
                return None, "no earlier year"
            year = self.doc_year + compiled().spec.tables.context_years[p.g["cy"]]
            self.wrote(start, year)
            return year, "year of an earlier mention"
        return self.year_for(start, kind)


def resolve(c: Candidate, ctx: Context) -> dict:
    """The fields of one Time: kind, dates, offset, anchor and a short explanation."""
    out = {"time_kind": c.rule.kind, "offset": c.rule.offset, "anchor": _anchor(c)}
    try:
        out.update(RESOLVERS[c.rule.resolve](c, ctx))
    except ValueError as exc:  # 2月30日, 2023年2月29日: the time stays, its dates do not
        out["explanation"] = f"no such date: {exc}"
    if c.rule.resolve == "offset":
        out["anchor"], inherited = ctx.inherit_anchor(c.start, out["anchor"])
        if inherited:
            out["explanation"] = "anchor of the sentence's earlier deadline"
    return out


def _anchor(c: Candidate) -> str | None:
    a = c.match.groupdict().get("anchor")
    return a if c.rule.resolve in ("offset", "anchored") and a else None


def _single(c: Candidate, ctx: Context, group: str = "p1", past: bool = False):
    """Parse and place the point in `group`; returns (start, end, explanation).

    `past`: the point lies before the reference date (`10月以来` in a July report is last year's).
    """
    p = parse_point(c.match.group(group))
    if p is None or p.empty:
        return None, None, "unparsed point"
    year, why = ctx.place(p, c.start, c.rule.kind)
    if year is None:
        return None, None, why or "no reference date"
    s, e = point_interval(p, year)
    year2, why = ctx.nearer_past(c.rule.kind, why, year, s, past)
    if year2 != year:
        s, e = point_interval(p, year2)
    return s, e, why


def r_point(c, ctx):
    s, e, why = _single(c, ctx)
    return {"start_date": s, "end_date": e, "explanation": why}


def r_before(c, ctx):
    _, e, why = _single(c, ctx)
    return {"start_date": None, "end_date": e, "explanation": why}


def r_since(c, ctx):
    s, _, why = _single(c, ctx, past=True)
    end = ctx.ref if ctx.ref and s and ctx.ref >= s else None
    return {"start_date": s, "end_date": end, "explanation": why}


def r_first_months(c, ctx):
    """`今年前5个月`: from the year's first day to the end of its n-th month."""
    s, _, why = _single(c, ctx)
    n = cn_int(c.match.group("n"))
    if s is None or not 1 <= n <= 12:
        return {"start_date": None, "end_date": None, "explanation": why or "no such month"}
    return {"start_date": s, "end_date": month_end(s.year, n), "explanation": why}


def r_from(c, ctx):
    s, _, why = _single(c, ctx)
    return {"start_date": s, "end_date": None, "explanation": why}


def r_this_year(c, ctx):
    year, why = ctx.year_for(c.start, c.rule.kind)
    end = dt.date(year, 12, 31) if year else None
    return {"start_date": None, "end_date": end, "explanation": why}


def r_relative_month(c, ctx):
    """`本月底前`, `下月10日前`, `上月`: a month counted from the reference date's month."""
    if not ctx.ref:
        return {"explanation": "no reference date"}
    g, t = c.match.groupdict(), compiled().spec.tables
    y, m = divmod(ctx.ref.year * 12 + ctx.ref.month - 1 + t.relative_months[g["rm"]], 12)
    first, last = dt.date(y, m + 1, 1), month_end(y, m + 1)
    if g.get("d"):
        first = last = first.replace(day=cn_int(g["d"]))
    elif g.get("mt"):
        first, last = _tail(t.month_tails[g["mt"]], first, last)
    if c.rule.kind == "deadline":
        first = None
    return {"start_date": first, "end_date": last}


def r_past_year(c, ctx):
    """`过去一年`: last year in a report of the first half of a year, else the reference year."""
    if not ctx.ref:
        return {"explanation": "no reference date"}
    year = ctx.ref.year - 1 if ctx.ref.month <= 6 else ctx.ref.year
    ctx.wrote(c.start, year)
    return {"start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31)}


def r_whole_year(c, ctx):
    """`全年`: the sentence's year, else the last of this year and the last one the text named.

    (A report reviewing last year names it often; a comparison with an older year does not
    leave its section.)
    """
    year, why = ctx.year_for(c.start)
    if why == "reference year" and ctx.near_year is not None:
        year, why = ctx.near_year, "the year the text last named"
    if year is None:
        return {"explanation": "no reference date"}
    return {"start_date": dt.date(year, 1, 1), "end_date": dt.date(year, 12, 31),
            "explanation": why}


def r_relative_day(c, ctx):
    if not ctx.ref:
        return {"explanation": "no reference date"}
    delta = compiled().spec.tables.relative_days[c.match.group("rd")]
    return {"start_date": None, "end_date": ctx.ref + dt.timedelta(days=delta)}


def r_range(c, ctx):
    """`2019—2021年`, `今年2月至5月`, `12月5日至13日`: the second point inherits what it omits."""
    p1, p2 = parse_point(c.match.group("p1")), parse_point(c.match.group("p2"))
    if not p1 or not p2 or p1.empty or p2.empty:
        return {"explanation": "unparsed range"}
    y2 = point_year(p2, ctx.ref)
    if p1.written_year or y2 is None:
        y1, why = ctx.place(p1, c.start)
    else:
        y1, why = y2, None
        ctx.wrote(c.start, y2)
    if y1 is None:
        return {"explanation": why or "no reference date"}
    if p2.g.get("cy"):  # 2016年3月至次年5月
        y2 = y1 + compiled().spec.tables.context_years[p2.g["cy"]]
    s, _ = point_interval(p1, y1)
    if y2 is None:
        y1, why = ctx.nearer_past(c.rule.kind, why, y1, s)
        s, _ = point_interval(p1, y1)
    _, e = point_interval(p2, y2 if y2 is not None else y1, point_month(p1) or s.month)
    if e < s and y2 is None:
        _, e = point_interval(p2, y1 + 1, point_month(p1) or s.month)
    return {"start_date": s, "end_date": e, "explanation": why}


def iso_duration(n: str, unit: str) -> str | None:
    """`2`,`个月` → P2M; `一`,`周` → P1W; `半`,`年` → P6M; `两`,`个半月` → P2M15D; `3`,`季度` → P9M.

    A vague or ranged amount (`两三年`, `1至2年`) has no single offset: None.
    """
    key = unit.removeprefix("个")
    half = "半" in key
    code = compiled().spec.tables.duration_units.get(key.replace("半", ""))
    if code is None:
        return None
    if n == "半":
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


def _iso(y: int, m: int, d: int, h: int, mi: int) -> str:
    """An ISO 8601 duration from its parts, zero parts left out (`P0D` when all are zero)."""
    date = "".join(f"{v}{u}" for v, u in ((y, "Y"), (m, "M"), (d, "D")) if v)
    time = "".join(f"{v}{u}" for v, u in ((h, "H"), (mi, "M")) if v)
    return "P" + date + ("T" + time if time else "") if date or time else "P0D"


def r_offset(c, ctx):
    g = c.match.groupdict()
    out = {"start_date": None, "end_date": None, "offset": iso_duration(g["n"], g["unit"])}
    if g["unit"].endswith("工作日"):
        out["explanation"] = "working days"
    return out


def r_duration(c, ctx):
    return r_offset(c, ctx)


def r_anchored(c, ctx):
    return {"start_date": None, "end_date": None}


def r_none(c, ctx):
    return {"start_date": None, "end_date": None}


def r_plan(c, ctx):
    """`十四五时期` 2021–2025; `十五五开局之年` 2026 (a date); `十四五以来` to the reference date."""
    t = compiled().spec.tables
    first = t.plan_first_years[c.match.group("plan")]
    how = t.plan_tails[c.match.group("tail")]
    s, e = dt.date(first, 1, 1), dt.date(first + 4, 12, 31)
    if how == "first":
        return {"time_kind": "date", "start_date": s, "end_date": dt.date(first, 12, 31)}
    if how == "last":
        return {"time_kind": "date", "start_date": dt.date(first + 4, 1, 1), "end_date": e}
    if how == "since":
        return {"start_date": s, "end_date": ctx.ref if ctx.ref and ctx.ref >= s else None}
    return {"start_date": s, "end_date": e}


RESOLVERS = {"point": r_point, "range": r_range, "since": r_since, "from": r_from,
             "before": r_before, "first_months": r_first_months, "this_year": r_this_year, "relative_day": r_relative_day,
             "offset": r_offset, "anchored": r_anchored, "plan": r_plan,
             "duration": r_duration, "past_year": r_past_year, "whole_year": r_whole_year,
             "relative_month": r_relative_month,
             "none": r_none}


# ---------------------------------------------------------------- entry points

def extract(nt: NormalText, reference_date: dt.date | None) -> list[Time]:
    """Time mentions in the view of `nt`; spans index the original text."""
    view = nt.view
    ctx = Context(reference_date, [m.start() for m in SENTENCE_END.finditer(view)], view)
    out = []
    for c in select(candidates(view)):
        fields = resolve(c, ctx)
        if not _plausible(fields):
            fields.update(start_date=None, end_date=None,
                          explanation=f"dates outside {MIN_YEAR}–{MAX_YEAR} or reversed")
        out.append(Time(text=nt.span(c.start, c.end), start=c.start, end=c.end,
                        rule_id=c.rule.id, **fields))
    return out


def explain(nt: NormalText) -> list[dict]:
    """Every candidate with what became of it: kept, or the stop word or rival that dropped it."""
    found = list(matches(nt.view))
    kept = select([cand for cand, stop in found if stop is None])
    won = {(k.start, k.end, k.order) for k in kept}
    rows = []
    for cand, stop in sorted(found, key=lambda x: (x[0].start, x[0].end, x[0].order)):
        if stop:
            status = f"dropped: cuts into {stop!r}, not a time"
        elif (cand.start, cand.end, cand.order) in won:
            status = "kept"
        else:
            rival = next(k for k in kept if k.start < cand.end and cand.start < k.end)
            status = f"dropped: overlaps {rival.rule.id} {nt.span(rival.start, rival.end)!r}"
        rows.append({"text": nt.span(cand.start, cand.end), "start": cand.start, "end": cand.end,
                     "rule_id": cand.rule.id, "status": status})
    return rows


def _plausible(f: dict) -> bool:
    s, e = f.get("start_date"), f.get("end_date")
    for d in (s, e):
        if d is not None and not MIN_YEAR <= d.year <= MAX_YEAR:
            return False
    return not (s and e and s > e)


def find_reference_date(nt: NormalText) -> tuple[dt.date, str] | None:
    """The document's own date: a date line, a dateline at the top, the session of the National
    People's Congress it is addressed to (`session`), else the latest full date (`latest_date`)."""
    c = compiled()
    view = nt.view
    for key in ("labelled", "bracketed"):
        for m in c.ref[key].finditer(view):
            d = _full_date(m)
            if d:
                return d, "dateline"
    head = _head(view, c.spec.reference_date.dateline_lines)
    for m in c.ref["dateline"].finditer(head):
        d = _full_date(m)
        if d:
            return d, "dateline"
    d = _news_dateline(head, view)
    if d:
        return d, "dateline"
    d = _session_date(head)
    if d:
        return d, "session"
    d = _latest_date(view)
    return (d, "latest_date") if d else None


def _head(view: str, lines: int) -> str:
    """The text up to the end of its first `lines` lines that hold a letter or a digit.

    Why: pages copied from the web open with blank and zero-width lines before the title.
    """
    seen = 0
    for m in re.finditer(r"[^\n]*\n?", view):
        if re.search(r"[0-9A-Za-z\u4e00-\u9fff]", m.group()):
            seen += 1
            if seen == lines:
                return view[:m.end()]
        if not m.group():
            break
    return view


def _session_date(head: str) -> dt.date | None:
    """The opening day of the People's Congress session a report is addressed to."""
    c = compiled()
    m = c.ref["session"].search(head)
    if not m:
        return None
    term, session = m.group("term") or m.group("term2"), m.group("session") or m.group("session2")
    return c.spec.reference_date.npc_sessions.opening(cn_int(term), cn_int(session) if session else 1)


def _latest_date(view: str) -> dt.date | None:
    """The latest full date the text writes, leaving out dates that look ahead.

    (`到1997年7月1日`, `1999年12月20日…将`: a report may name a planned day years ahead.)
    """
    c = compiled()
    dates = []
    for m in c.ref["full_date"].finditer(view):
        before = view[max(0, m.start() - 4):m.start()]
        if c.ref["future_before"].search(before) or c.ref["future_after"].match(view, m.end()):
            continue
        d = _full_date(m)
        if d:
            dates.append(d)
    return max(dates) if dates else None


def _news_dateline(head: str, view: str) -> dt.date | None:
    """`北京11月10日消息` dated with the latest year the text writes (a news item's own year)."""
    c = compiled()
    m = c.ref["news_dateline"].search(head)
    years = [cn_int(y.group("y")) for y in c.ref["text_year"].finditer(view)]
    years = [y for y in years if 1949 <= y <= MAX_YEAR]
    if not m or not years:
        return None
    g = m.groupdict()
    try:
        return dt.date(max(years), cn_int(g["m"] or g["m2"]), cn_int(g["d"] or g["d2"]))
    except ValueError:
        return None


def _full_date(m: re.Match) -> dt.date | None:
    """A valid date from a `full_date` match, or None (2月30日, years outside 1949–2100)."""
    g = m.groupdict()
    try:
        y = cn_int(g["y"])
        d = dt.date(y, cn_int(g.get("m") or g["m2"]), cn_int(g.get("d") or g["d2"]))
    except (ValueError, TypeError, KeyError):
        return None
    return d if 1949 <= d.year <= MAX_YEAR else None
