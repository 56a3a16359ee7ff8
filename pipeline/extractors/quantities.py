"""Quantities: every count in a report with its value, unit and what it counts (spec §2).

Three steps, each driven by `rules/quantities.yaml`:

1. *Match*: regexes built from numeral and unit fragments find candidate spans in the view
   (`68项`, `1.3万余人`, `第六轮`, `97.7%`); where candidates overlap, the longest wins, so an
   ordinal `第六轮` hides the cardinal `六轮` inside it.
2. *Filter*: negative knowledge drops what counts nothing (slogans, titles in 《》, numerals
   inside words such as 统一, the article 一 in 一批问题); `explain` shows which filter dropped
   what.
3. *Read*: the value (ranges, 万/亿 scaling, money keeping 万元), the approximation, and the
   counted noun: the noun phrase after the classifier, else the one before the number
   (`增加编制193个`), else the subject before an adverb and its verb (`问题已整改58个`), else
   the counted noun of the previous quantity in the sentence (`发现问题40个,已整改35个`).
   Noun phrases are cut by the segmenter on a short window only, read with jieba's dictionary
   POS tags (a table look-up, not the slow HMM tagger), and given back as written (quote marks
   and asides in brackets kept: `村（社区）`).
4. *Enumerations*: a count that opens an enumeration without a noun takes the noun of its last
   member (`3大类、9个方面、52项整改任务`), and nouns listed before 分别 go one by one to the
   counts after it (`进口和出口分别增长5%、3%`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import Field

from pipeline.context import segment
from pipeline.context.view import NormalText
from pipeline.extractors import numerals
from pipeline.records import Approx, Quantity
from pipeline.rules import RuleModel, alternation, compile_rule, load_lines, load_model

FILE = "quantities.yaml"
SLOGANS = "stoplists/slogans.txt"
UnitKind = Literal["count", "activity", "money", "measure", "duration", "percent", "share", "place"]
RATIO_KINDS = ("percent", "share")  # what they count stands before them or after 的


class Example(RuleModel):
    text: str
    span: str
    value: float
    value_max: float | None = None
    unit: str | None = None
    approx: Approx | None = None
    counted: str | None = None
    ordinal: bool = False


class Rule(RuleModel):
    id: str
    pattern: str
    unit: str | None = Field(None, description="a fixed unit, for rules without a unit group")
    counted: str | None = Field(None, description="a fixed counted noun (十九大 → 全国代表大会)")
    value: float | None = Field(None, description="a fixed value (首轮 → 1)")
    factor: float | None = Field(None, description="multiplies the value read (八成 → 0.8)")
    ordinal: bool = False
    anchor: Literal["numeral", "scan"] = Field(
        "numeral", description="tried where a numeral starts, or searched over the whole text")
    back: int = Field(0, ge=0, le=2, description="characters the match starts before the numeral")
    examples: list[Example] = Field(min_length=1)


class UnitClass(RuleModel):
    id: str
    kind: UnitKind
    words: list[str] = Field(default_factory=list)
    counted: dict[str, str] = Field(default_factory=dict)
    normal: dict[str, str] = Field(default_factory=dict)
    check_word: bool = False


class Filter(RuleModel):
    id: str
    doc: str
    examples: list[str] = Field(min_length=1)


class ApproxTables(RuleModel):
    before: dict[str, Approx]
    magnitude_only: list[str]
    mid: dict[str, Approx]
    after: dict[str, Approx]


class FilterSettings(RuleModel):
    title: str
    quote_open: str
    quote_close: str
    quote_max_inner: int
    quote_joiners: str
    count_after: str
    count_after_kinds: list[str]
    enumerators: list[str]
    indefinite: list[str]
    ordinal_alone: list[str]
    bare_magnitude_start: str
    lone_numerals: str
    code_neighbours: str
    min_word_freq: int


class Act(RuleModel):
    words: list[str]
    units: list[str]
    counted: str = Field(description="what the count stands for; {act} is the act's word")
    examples: list[Example] = Field(min_length=1)


class Attendance(RuleModel):
    units: list[str]
    after: str = Field(description="what follows the count of people who attend")
    list_marks: list[str] = Field(description="a list of who they are before the count")
    counted: str
    examples: list[Example] = Field(min_length=1)


class CountedSettings(RuleModel):
    window: int
    max_words: int
    stop_chars: str
    sentence_end: str
    stop_tags: list[str]
    head_tags: list[str]
    verb_tags: list[str]
    stop_words: list[str]
    predicate_verbs: list[str]
    predicate_markers: list[str]
    tag_overrides: dict[str, str]
    final_words: list[str]
    skip_before: str
    transparent: str
    quote_open: str
    aside: str
    quoted_name: str
    skip_after: str
    proper_tags: list[str]
    default_by_unit: dict[str, str]
    acts: list[Act]
    enumeration_joiners: list[str]
    list_split: str
    attendance: Attendance
    list_tail: str
    divisions: list[str]


class QuantityRules(RuleModel):
    fragments: dict[str, str]
    numeral_followers: str
    ordinal_units: list[str]
    approx: ApproxTables
    units: list[UnitClass]
    rules: list[Rule]
    filters: list[Filter]
    filter_settings: FilterSettings
    counted: CountedSettings


@dataclass(frozen=True)
class Compiled:
    """The rule file with every regex compiled and every table turned into a look-up."""

    spec: QuantityRules
    patterns: tuple[tuple[Rule, re.Pattern], ...]
    unit_kind: dict[str, str]
    unit_normal: dict[str, str]
    place_counted: dict[str, str]
    check_word_units: frozenset[str]
    slogans: re.Pattern | None
    skip_before: re.Pattern
    approx_markers: frozenset[str]
    approx_sizes: tuple[int, ...]  # the lengths of the markers, longest first
    followers: frozenset[str]  # what may follow a numeral run that some rule can match
    title: re.Pattern
    aside: re.Pattern  # 村(社区): an aside in brackets that belongs to the noun before it
    quoted_before: re.Pattern  # “最多跑一次”30项: a quoted name right before a number
    plain_before: re.Pattern  # the run of characters before a position back to a stop
    skip_after: re.Pattern  # what may stand between a classifier and its noun (万亿级)
    attendance: re.Pattern


@lru_cache(maxsize=1)
def rules() -> Compiled:
    """Load, validate and compile `rules/quantities.yaml` once per process."""
    spec = load_model(FILE, QuantityRules)
    frags = {**numerals.FRAGMENTS, **_unit_fragments(spec), **_approx_fragments(spec),
             **spec.fragments}
    patterns = tuple((r, compile_rule(FILE, r.id, r.pattern, frags)) for r in spec.rules)
    kinds = {w: u.kind for u in spec.units for w in [*u.words, *u.counted]}
    normal = {w: n for u in spec.units for w, n in u.normal.items()}
    places = {w: c for u in spec.units for w, c in u.counted.items()}
    checked = frozenset(w for u in spec.units if u.check_word for w in [*u.words, *u.counted])
    slogans = load_lines(SLOGANS)
    skip = "(?:" + spec.counted.skip_before + ")$"
    before = frozenset(spec.approx.before)
    sizes = tuple(sorted({len(m) for m in before}, reverse=True))
    return Compiled(spec, patterns, kinds, normal, places, checked,
                    re.compile(alternation(slogans)) if slogans else None,
                    compile_rule(FILE, "counted.skip_before", skip, frags), before, sizes,
                    _followers(spec),
                    compile_rule(FILE, "filter_settings.title", spec.filter_settings.title, {}),
                    compile_rule(FILE, "counted.aside", spec.counted.aside, {}),
                    compile_rule(FILE, "counted.quoted_before",
                                 f"(?P<q>{spec.counted.quoted_name})(?:{spec.counted.skip_before})?$",
                                 frags),
                    re.compile(f"[^{re.escape(spec.counted.stop_chars)}]*$"),
                    compile_rule(FILE, "counted.skip_after", f"^(?:{spec.counted.skip_after})",
                                 frags),
                    compile_rule(FILE, "counted.attendance.after", spec.counted.attendance.after,
                                 frags))


def _followers(spec: QuantityRules) -> frozenset[str]:
    words = [w for u in spec.units for w in [*u.words, *u.counted]]
    words += [*spec.approx.mid, *spec.approx.after, *spec.ordinal_units]
    words += re.split(r"[|\\]", spec.fragments.get("RANGE", "") + "|"
                      + spec.fragments.get("ORDINAL_NOUN", ""))
    return frozenset(w[0] for w in words if w) | frozenset(spec.numeral_followers) | frozenset(GAP)


def _unit_fragments(spec: QuantityRules) -> dict[str, str]:
    """{UNIT_COUNT}, {UNIT_MONEY} … one alternation per kind, and {UNIT_ORDINAL} for 第N."""
    by_kind: dict[str, list[str]] = {}
    for u in spec.units:
        by_kind.setdefault(u.kind, []).extend([*u.words, *u.counted])
    frags = {f"UNIT_{k.upper()}": f"[{GAP}]?(?:{alternation(ws)})" for k, ws in by_kind.items()}
    ordinal = [*by_kind.get("count", []), *by_kind.get("activity", []), *spec.ordinal_units]
    frags["UNIT_ORDINAL"] = f"[{GAP}]?(?:{alternation(ordinal)})"
    return frags


def _approx_fragments(spec: QuantityRules) -> dict[str, str]:
    only = spec.approx.magnitude_only
    before = [w for w in spec.approx.before if w not in only]
    return {"APPROX_BEFORE": alternation(before), "APPROX_MAGNITUDE": alternation(only),
            "APPROX_MID": alternation(spec.approx.mid),
            "APPROX_AFTER": alternation(spec.approx.after)}


# ------------------------------------------------------------------------------ matching

@dataclass
class Candidate:
    """One regex match, before it is read or filtered."""

    start: int
    end: int
    rule: Rule
    order: int
    groups: dict[str, str | None]
    unit_start: int = -1


# Where a window left out an aside in brackets: jieba keeps it as a token of its own.
ASIDE = "\ue000"

# A numeral starts a run of these characters; `[x][x]*` (not `[x]+`) lets the regex engine
# skip to the next such character at C speed instead of trying every position.
_RUN_CHARS = "0-9" + "".join([*numerals.DIGITS, *numerals.SMALL_UNITS, *numerals.LARGE_UNITS,
                                *numerals.TENS, *numerals.VAGUE])
ANCHOR = re.compile(f"[{_RUN_CHARS}][{_RUN_CHARS}]*")
# An invisible character (the view's U+200B) or a no-break space between a number and its unit.
GAP = "\u200b\u00a0\u202f"
# Inside a run, a match starts at most this far before the run's end (seen: 2 or 3 characters,
# 五十三五 → 三五); trying every position made a run of 10 k numerals quadratic.
INSIDE_RUN = 8


def candidates(view: str) -> list[Candidate]:
    """Every rule's matches; where matches overlap, the longest (then the earliest rule) wins.

    Numeral rules are tried only where a run of numeral characters starts (and inside a run
    when nothing matched at its start), which is what keeps matching fast on long reports.
    """
    found = [_candidate(m, order, rule) for order, (rule, pattern) in enumerate(rules().patterns)
             if rule.anchor == "scan" for m in pattern.finditer(view)]
    numeral = [(order, rule, pattern) for order, (rule, pattern) in enumerate(rules().patterns)
               if rule.anchor == "numeral"]
    covered, followers, n = 0, rules().followers, len(view)
    for run in ANCHOR.finditer(view):
        if run.end() < n and view[run.end()] not in followers:
            continue
        first = max(run.start(), covered)
        for pos in (first, *range(max(first + 1, run.end() - INSIDE_RUN), run.end())):
            hits = [_candidate(m, order, rule) for order, rule, pattern in numeral
                    if pos >= rule.back and (m := pattern.match(view, pos - rule.back))]
            if hits:
                found.extend(_with_approx(c, view) for c in hits)
                covered = max(c.end for c in hits)
                break
    return _longest_first(found)


def _candidate(m: re.Match, order: int, rule: Rule) -> Candidate:
    groups = m.groupdict()
    start = m.end("lead") if "lead" in groups else m.start()
    us = m.start("unit") if groups.get("unit") else -1
    if us >= 0 and groups["unit"][0] in GAP:  # the unit is what follows the invisible character
        groups["unit"], us = groups["unit"][1:], us + 1
    return Candidate(start, m.end(), rule, order, groups, us)


def _with_approx(c: Candidate, view: str) -> Candidate:
    """Extend a match over an approximation marker right before it (近, 约, 超过, 上万)."""
    if c.rule.ordinal or c.groups.get("pre"):
        return c
    num = c.groups.get("num") or ""
    spec, markers = rules().spec, rules().approx_markers
    for size in rules().approx_sizes:  # longest first
        at = c.start - size
        marker = view[at:c.start] if at >= 0 else ""
        if marker not in markers:
            continue
        if marker in spec.approx.magnitude_only \
                and num[:1] not in spec.filter_settings.bare_magnitude_start:
            continue
        if at and is_word(view[at - 1:c.start]):
            break  # the marker ends another word: 附近3个村, 最近两次
        c.groups["pre"] = marker
        c.start = at
        break
    return c


def _longest_first(found: list[Candidate]) -> list[Candidate]:
    found.sort(key=lambda c: (c.start, c.start - c.end, c.order))
    kept, last_end = [], -1
    for c in found:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    return kept


# ------------------------------------------------------------------------------ filters

def blocked_mask(view: str) -> bytearray:
    """1 for every character inside a 《title》 or a listed slogan; 2 marks a title."""
    mask = bytearray(len(view))
    for m in rules().title.finditer(view):
        mask[m.start():m.end()] = b"\x02" * (m.end() - m.start())
    if rules().slogans is not None:
        for m in rules().slogans.finditer(view):
            mask[m.start():m.end()] = bytes(max(1, b) for b in mask[m.start():m.end()])
    return mask


def drop_reason(c: Candidate, view: str, mask: bytearray) -> str | None:
    """The id of the first filter that drops the candidate, or None to keep it."""
    region = mask[c.start:c.end]
    if 2 in region:
        return "quantity.filter.title"
    if 1 in region:
        return "quantity.filter.slogan"
    num = c.groups.get("num") or ""
    for test, fid in _FILTERS:
        if test(c, view, num):
            return fid
    return None


def _quoted_formula(c: Candidate, view: str, num: str) -> bool:
    """A short quoted phrase led by or holding a number: “三个到位”, “一核三区、两轴一带”."""
    fs = rules().spec.filter_settings
    stops = _formula_stops()
    lo = c.start - 1
    while lo >= 0 and c.start - lo <= fs.quote_max_inner and view[lo] not in fs.quote_open:
        if view[lo] in stops:
            return False
        lo -= 1
    if lo < 0 or view[lo] not in fs.quote_open:
        return False
    hi = c.end
    while hi < len(view) and hi - lo - 1 <= fs.quote_max_inner and view[hi] not in fs.quote_close:
        if view[hi] in stops:
            return False
        hi += 1
    return hi < len(view) and view[hi] in fs.quote_close and hi - lo - 1 <= fs.quote_max_inner


@lru_cache(maxsize=1)
def _formula_stops() -> frozenset[str]:
    fs, cs = rules().spec.filter_settings, rules().spec.counted
    return frozenset(ch for ch in cs.stop_chars if ch not in fs.quote_joiners)


def _code(c: Candidate, view: str, num: str) -> bool:
    letters = _code_chars()
    return (c.start > 0 and view[c.start - 1] in letters) or (c.end < len(view) and view[c.end] in letters)


@lru_cache(maxsize=1)
def _code_chars() -> frozenset[str]:
    spec = rules().spec.filter_settings.code_neighbours
    return frozenset(ch for ch in map(chr, range(128)) if re.fullmatch(f"[{spec}]", ch))


def _inside_word(c: Candidate, view: str, num: str) -> bool:
    """A Chinese numeral that is the tail of a word (统一) or the head of a longer one (三轮车)."""
    if not num or num[0].isdigit() or c.rule.ordinal:
        return False
    if num in rules().spec.filter_settings.lone_numerals:
        return True
    s, e = c.start, c.end
    if any(is_word(view[i:s + 1]) for i in range(max(0, s - 3), s)):
        return True
    if any(is_word(view[s:j]) for j in range(e + 1, min(len(view), s + 7) + 1)):
        return True
    us = c.unit_start
    unit = c.groups.get("unit") or ""
    if us >= 0 and unit in rules().check_word_units:
        ue = us + len(unit)
        return any(is_word(view[us:j]) for j in range(ue + 1, min(len(view), us + 4) + 1))
    return False


def is_word(s: str) -> bool:
    """A word of jieba's dictionary. The rarest entries (余十, 金约) are segmentation debris,
    not words a reader would see, and must not hide a number or its marker."""
    freq, least = _dictionary()
    return freq.get(s, 0) >= least


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], int]:
    return segment.tokenizer().FREQ, rules().spec.filter_settings.min_word_freq


def _indefinite_one(c: Candidate, view: str, num: str) -> bool:
    """一 before a classifier and a noun is an article (建立一套机制); after the noun, at the end
    of its phrase, it counts (开展专项巡察一轮。)."""
    fs = rules().spec.filter_settings
    g = c.groups
    kind = rules().unit_kind.get(g.get("unit") or "", "")
    if kind in fs.count_after_kinds and (c.end >= len(view) or view[c.end] in fs.count_after):
        return False
    return (num in fs.indefinite and not c.rule.ordinal
            and not any(g.get(k) for k in ("num2", "den", "pre", "mid", "post", "half")))


def _bare_magnitude(c: Candidate, view: str, num: str) -> bool:
    fs = rules().spec.filter_settings
    return (bool(num) and num[0] in fs.bare_magnitude_start and c.rule.unit != "%"
            and not c.groups.get("pre") and not c.groups.get("mid"))


def _enumerator(c: Candidate, view: str, num: str) -> bool:
    return view[c.start:c.end] in rules().spec.filter_settings.enumerators


_FILTERS = (
    (_enumerator, "quantity.filter.enumerator"),
    (_quoted_formula, "quantity.filter.quoted_formula"),
    (_code, "quantity.filter.code"),
    (_inside_word, "quantity.filter.inside_word"),
    (_indefinite_one, "quantity.filter.indefinite_one"),
    (_bare_magnitude, "quantity.filter.bare_magnitude"),
)


# ------------------------------------------------------------------------------ values

@dataclass(frozen=True)
class Reading:
    value: float
    value_max: float | None
    unit: str | None
    approx: Approx | None
    ordinal: bool
    kind: str


def read(c: Candidate) -> Reading | None:
    """Value, range, unit, approximation and ordinality of a candidate; None if no value."""
    g, rule = c.groups, c.rule
    unit = g.get("unit") or rule.unit
    kind = rules().unit_kind.get(unit or "", "share" if unit == "fraction" else "count")
    num, num2 = (g.get("num") or "") + (g.get("scale") or ""), g.get("num2")
    if num[:1] in numerals.LARGE_UNITS:
        num = "一" + num  # 上万支, 超万亿元: a bare magnitude after a marker is one of it
    unit = rules().unit_normal.get(unit or "", unit)
    if kind == "money":
        num, num2, scale = _split_money_scale(num, num2)
        unit = scale + unit
    if rule.value is not None:
        lo, hi = rule.value, None
    elif g.get("den"):
        lo, hi = _fraction(g["den"], num), None
    else:
        lo, hi = _range(num, num2)
    if lo is None:
        return None
    lo, hi = _adjust(lo, hi, rule, g, unit)
    ordinal = rule.ordinal or (num in rules().spec.filter_settings.ordinal_alone
                                and not (g.get("pre") or g.get("mid") or g.get("post")))
    return Reading(lo, hi, unit, _approx(g), ordinal, kind)


def _adjust(lo: float, hi: float | None, rule: Rule, g: dict, unit: str | None):
    """A half inside the unit (三个半月), a rule's factor (八成), and shares rounded to four
    places as the spec writes them (三分之一 → 0.3333)."""
    if g.get("half"):
        lo += 0.5
    if rule.factor is not None:
        lo, hi = lo * rule.factor, None if hi is None else hi * rule.factor
    if unit == "fraction":
        lo, hi = round(lo, 4), None if hi is None else round(hi, 4)
    return lo, hi


def _range(num: str, num2: str | None) -> tuple[float | None, float | None]:
    """`1至2`, `3-5万` (the scale of the second end applies to both), `两三`, `十几`."""
    if num2:
        scale = re.search(r"[十百千万亿]+$", num2)
        if scale and num[-1:].isdigit():
            num += scale.group()
        return numerals.parse_number(num), numerals.parse_number(num2)
    pair = None if num[:1].isdigit() else (numerals.split_range(num) or numerals.split_teens(num))
    if pair:
        return numerals.parse_number(pair[0]), numerals.parse_number(pair[1])
    return numerals.parse_number(num), None


def _split_money_scale(num: str, num2: str | None) -> tuple[str, str | None, str]:
    """Money keeps 万/亿 in its unit as written: `1376万` 元 → (`1376`, `万`)."""
    last = num2 or num
    m = re.search(r"[万亿]+$", last)  # 3千余万元 is 3000 万元, never 3 千万元
    if not m or m.start() == 0:
        return num, num2, ""
    scale = m.group()
    if re.search("[万亿]", last[:m.start()]):
        return num, num2, ""  # 二十七亿四千万元 is one amount in 元, not 二十七亿四千 万元
    if num2 is None:
        return num[:m.start()], None, scale
    first = num[:-len(scale)] if num.endswith(scale) and len(num) > len(scale) else num
    return first, num2[:m.start()], scale


def _fraction(den: str, num: str) -> float | None:
    """A share of a whole; more than the whole (5/3) is no share but a code or a score."""
    d, n = numerals.parse_number(den), numerals.parse_number(num)
    return n / d if d and n is not None and n <= d else None


def _approx(g: dict) -> Approx | None:
    tables = rules().spec.approx
    for key, table in (("pre", tables.before), ("mid", tables.mid), ("post", tables.after)):
        if g.get(key):
            return table.get(g[key])
    return None


# ------------------------------------------------------------------------------ counted nouns

@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """jieba's dictionary POS tags (user dictionary included), with the rule file's overrides."""
    import jieba.posseg

    pos = jieba.posseg.POSTokenizer(segment.tokenizer())
    pos.makesure_userdict_loaded()
    return {**pos.word_tag_tab, **rules().spec.counted.tag_overrides}


@lru_cache(maxsize=65536)
def _cut(text: str) -> tuple[str, ...]:
    """The segmenter's words of a short window (the pipeline's own backend, rjieba if present)."""
    return tuple(w for w in segment.words(text) if w.strip())


_NUMERAL_CHAR = re.compile(f"[{_RUN_CHARS}]")
_NUMERAL_WORD = re.compile(_RUN_CHARS.replace("0-9", "", 1).join("[]") + "+")


@lru_cache(maxsize=65536)
def word_class(w: str) -> str:
    """`stop`, `pred` (a predicate verb), `verb` (may modify a noun), `weak` or `nom`."""
    cs = rules().spec.counted
    if w in cs.stop_words or any(ch.isdigit() for ch in w) or _NUMERAL_WORD.fullmatch(w):
        return "stop"
    if not any(ch.isalpha() for ch in w):
        return "stop"  # symbols: %, +, /
    if w in cs.predicate_verbs:
        return "pred"
    tag = _tags().get(w)
    if tag is None:
        return "nom"  # a word jieba's HMM made up: usually a name or a domain noun
    if tag[0] == "m" and len(w) > 1 and not _NUMERAL_CHAR.search(w):
        return "weak"  # a quantity word without a numeral (大宗, 若干) modifies the noun
    if len(w) == 1 and tag in cs.head_tags:
        return "head"  # 桩 in 充电桩: a noun only at the end of a phrase
    if tag in cs.stop_tags:
        return "stop"
    if tag in cs.verb_tags:
        return "verb"
    return "weak" if tag[0] in "ai" else "nom"


def _window_after(view: str, end: int, width: int = 0) -> tuple[str, bool]:
    """The text after a mention up to punctuation, and whether the window's edge cut it short.

    Quote marks and a short aside in brackets after a word (村(社区)) are read through and
    left out of the window: they belong to the noun but would cut jieba's words apart.
    """
    cs, aside = rules().spec.counted, rules().aside
    i, limit, parts, keep = end, min(len(view), end + (width or cs.window)), [], end
    while i < limit:
        ch = view[i]
        if ch == "(" and i > end and view[i - 1].isalpha() and (m := aside.match(view, i)):
            parts.append(view[keep:i] + ASIDE)
            i = keep = m.end()
            continue
        if ch in cs.stop_chars and ch not in cs.transparent:
            break
        i += 1
    parts.append(view[keep:i])
    window = "".join(ch for ch in "".join(parts) if ch not in cs.transparent)
    return window, i < len(view) and view[i] not in cs.stop_chars


def _words(window: str, cut_short: bool, tail: bool) -> tuple[str, ...]:
    """jieba's words of a window; a word the window's edge may have cut is left out."""
    words = _cut(window)
    if cut_short and len(words) > 1:
        return words[:-1] if tail else words[1:]
    return words


def _window_before(view: str, start: int, width: int = 0) -> tuple[str, bool]:
    """The text before a mention back to punctuation, and whether the window's edge cut it.

    Asides in brackets are read through as in `_window_after`, and so is a quoted name, whose
    opening mark ends the window: what stands before it (建设“好房子”项目) is no part of it.
    """
    cs = rules().spec.counted
    i, limit, parts, keep = start, max(0, start - (width or cs.window)), [], start
    plain = rules().plain_before.search(view, limit, start)
    if plain.start() == limit or view[plain.start() - 1] not in cs.transparent + ")":
        i = plain.start()  # no quote or aside at the edge: the common case, read at C speed
        return view[i:start], i > 0 and view[i - 1] not in cs.stop_chars
    quoted = False
    while i > limit:
        ch = view[i - 1]
        if ch == ")" and (j := _aside_start(view, i)) >= 0:
            parts.append(view[i:keep])
            i = keep = j
            continue
        if ch in cs.stop_chars and ch not in cs.transparent:
            break
        i -= 1
        if ch in cs.quote_open:
            quoted = True
            break
    parts.append(view[i:keep])
    window = "".join(ch for ch in "".join(reversed(parts)) if ch not in cs.transparent)
    return window, not quoted and i > 0 and view[i - 1] not in cs.stop_chars


def _aside_start(view: str, end: int) -> int:
    """Where an aside in brackets ending at `end` opens, if it follows a word; else -1."""
    j = view.rfind("(", max(0, end - 12), end - 1)
    if j > 0 and view[j - 1].isalpha() and rules().aside.fullmatch(view, j, end):
        return j
    return -1


def _proper(w: str) -> bool:
    return _tags().get(w) in rules().spec.counted.proper_tags


def noun_after(view: str, end: int, activity: bool) -> str:
    """The noun phrase right after a classifier: `68项重点任务` → 重点任务."""
    window, cut_short = _window_after(view, end)
    if window.startswith("的"):
        window = window[1:]
    window = rules().skip_after.sub("", window, count=1)
    words = _words(window, cut_short, tail=True)
    de = words.index("的") if "的" in words else -1
    if de >= 0 and not activity and _predicate_clause(words[:de]):
        np, _ = _np_forward(words[de + 1:], activity)
        if np:  # 3个整改不力的单位, 5个问题较多的村: the clause describes the head after 的
            return "".join(np)
    np, stopped_at = _np_forward(words, activity)
    weak = all(word_class(w) in ("weak", "verb") for w in np)
    if de >= 0 and (stopped_at == "的" or not np) and (not np or weak):
        np, _ = _np_forward(words[de + 1:], activity)  # 23项具体的整改任务, 13个被巡视的地区
    return "".join(np)


def _predicate_clause(words: tuple[str, ...]) -> bool:
    """Words before 的 that end in an adjective or an adverb (or a verb after a verb) say
    something about the noun after 的 (整改不力的, 进展缓慢的); words that end in a noun are
    counted themselves (5个方面的问题)."""
    if not words or len(words) > 3:
        return False  # a longer clause has its own subject: 3万名学生喝上安全放心的奶
    first, last = word_class(words[0]), words[-1]
    if _adjectival(last) or (len(last) >= 4 and _adjectival(last[-2:])):
        return True  # 整改进展慢的, 问题较多的; 进度缓慢 is one word to jieba
    return first in ("verb", "pred") and word_class(last) in ("verb", "pred")  # 需要整改的


def _adjectival(w: str) -> bool:
    """An adjective or a manner adverb: what a predicate about a noun ends in."""
    tag = _tags().get(w) or ""
    return tag[:1] == "a" or tag == "d"


def _np_forward(words: tuple[str, ...], activity: bool) -> tuple[list[str], str | None]:
    cs = rules().spec.counted
    np: list[str] = []
    for k, w in enumerate(words):
        if w == ASIDE:  # 村(社区)党组织: after an aside the phrase takes one more noun at most
            nxt = words[k + 1] if k + 1 < len(words) else ""
            if np and word_class(nxt) in ("nom", "head"):
                np.append(nxt)
            break
        c = word_class(w)
        if c == "head" and np:
            np.append(w)
            break
        if c in ("stop", "pred", "head"):
            return _trim_end(np, activity), w
        if c == "verb" and not activity:
            nxt = words[k + 1] if k + 1 < len(words) else None
            if nxt is None or word_class(nxt) not in ("nom", "weak", "head") or (np and _proper(nxt)):
                return _trim_end(np, activity), w
        np.append(w)
        if w in cs.final_words or len(np) >= cs.max_words:
            break
    return _trim_end(np, activity), None


def _trim_end(np: list[str], activity: bool) -> list[str]:
    """No trailing verbs or adjectives: a phrase must end in a noun (an activity may end in a
    verb: 3轮常规巡察)."""
    while np and not activity and word_class(np[-1]) in ("verb", "weak") and len(np) > 1:
        np = np[:-1]
    if np and not activity and word_class(np[-1]) in ("verb", "weak"):
        return []
    return np


def _words_before(view: str, start: int, ratio: bool = False) -> tuple[str, ...]:
    window, cut_short = _window_before(view, start)
    window = rules().skip_before.sub("", window)
    if ratio and window.endswith("的"):  # 完成任务的85%, 占总数的三分之一
        window = rules().skip_before.sub("", window[:-1])
    return _words(window, cut_short, tail=False)


def noun_before(view: str, start: int, activity: bool, ratio: bool = False) -> str:
    """The noun phrase a postposed number counts: `增加编制193个` → 编制."""
    return _np_backward(_words_before(view, start, ratio), activity)


def subject_before(view: str, start: int, activity: bool) -> str:
    """The subject of an adverb and a predicate before the number: `问题已整改58个` → 问题."""
    words = _words_before(view, start)
    k = len(words)
    while k and word_class(words[k - 1]) in ("verb", "pred"):
        k -= 1
    if k == len(words) or k < 2 or not _predicate_marker(words[k - 1]):
        return ""
    return _np_backward(words[:k - 1], activity)


def _np_backward(words: tuple[str, ...], activity: bool) -> str:
    """The noun phrase that ends a run of words, read from its end."""
    np: list[str] = []
    for k in range(len(words) - 1, -1, -1):
        w, c = words[k], word_class(words[k])
        prev = word_class(words[k - 1]) if k else "stop"
        if c == "head":
            c = "nom" if not np and prev in ("nom", "verb", "weak", "pred") else "stop"
        if c == "stop" or (c == "pred" and (np or not activity)):
            break
        if not np and not activity and k and _predicate_marker(words[k - 1]):
            break  # 已|销号21个: after an adverb the word is a predicate, whatever its tag
        if c in ("verb", "pred") and not activity:
            if np and prev != "nom":
                break  # the verb that governs the phrase: 移交|问题线索
            if not np and prev not in ("verb", "nom"):
                break  # a predicate: 已|整改92条, 完成|整改9个
            np.insert(0, w)
            if not np[1:] and prev == "verb":
                break  # the object of a verb: 增加|编制
            continue
        np.insert(0, w)
        if len(np) >= rules().spec.counted.max_words:
            break
    first = len(words) - len(np)
    if len(np) == 1 and len(np[0]) == 1 and first and word_class(words[first - 1]) in ("verb", "pred"):
        np.insert(0, words[first - 1])  # 充电|桩: a one-character head takes its modifier
    if not activity and len(np) == 1 and word_class(np[0]) == "verb" and first \
            and word_class(words[first - 1]) == "pred":
        return ""  # 督促|整改1180个: a verb after a predicate verb is no noun
    return "".join(np)


def _predicate_marker(w: str) -> bool:
    return w in rules().spec.counted.predicate_markers


def _clause_end_verb(view: str, end: int) -> str:
    """For `分两轮对X开展巡察`: the verb closing the clause is what the rounds are of."""
    words = _cut(_window_after(view, end, 3 * rules().spec.counted.window)[0])
    if words and word_class(words[0]) == "stop" and word_class(words[-1]) in ("verb", "pred"):
        return words[-1]
    return ""


def counted_noun(c: Candidate, r: Reading, view: str) -> tuple[str | None, str]:
    """The counted noun and how it was found (for the mention's explanation)."""
    if c.rule.counted:
        return c.rule.counted, "rule"
    if c.groups.get("noun"):
        return c.groups["noun"], "noun"
    if r.kind == "place":
        return rules().place_counted.get(c.groups.get("unit") or ""), "unit"
    activity = r.kind == "activity"
    if r.kind in RATIO_KINDS:
        window, _ = _window_after(view, c.end)
        after = noun_after(view, c.end, False) if window.startswith("的") else ""
    else:
        after = noun_after(view, c.end, activity)
    if after:
        return after, "after"
    verb = _clause_end_verb(view, c.end) if activity else ""
    if verb:
        return verb, "clause"
    lo = max(0, c.start - 40)
    quoted = "”" in view[lo:c.start] and rules().quoted_before.search(view, lo, c.start)
    if quoted:  # “高效办成一件事”20项: a quoted name before the number is what it counts
        return quoted.group("q"), "quoted"
    before = noun_before(view, c.start, activity, r.kind in RATIO_KINDS)
    return (before, "before") if before else (None, "")


def act_object(counted: str, unit: str | None) -> str | None:
    """What a count after an act stands for: 处分7人 counts 处分人员, 立案5件 counts 案件."""
    for act in rules().spec.counted.acts:
        if unit in act.units:
            for w in act.words:
                if counted.endswith(w):
                    return act.counted.replace("{act}", w)
    return None


def as_written(nt: NormalText, counted: str, lo: int, hi: int, last: bool) -> str:
    """The counted noun as the text writes it, with the quote marks and asides the windows
    read through (巡察“回头看”, 村（社区）), in the original's punctuation."""
    view = nt.view
    at = view.rfind(counted, lo, hi) if last else view.find(counted, lo, hi)
    if at >= 0:
        s, e = at, at + len(counted)
        if counted.isalnum() and not view.startswith("(", e) and not (s and view[s - 1] in "“‘「"):
            return counted  # nothing around it to take in
    else:  # rare: marks or asides inside the noun
        found = list(_gapped(counted).finditer(view, lo, hi))
        if not found:
            return counted
        m = found[-1] if last else found[0]
        s, e = m.start(), m.end()
    s, e = _balance(view, s, e)
    text = "".join(o if not v.isalnum() else v for o, v in zip(nt.original[s:e], view[s:e]))
    return text if _balanced(text) else "".join(ch for ch in text if ch not in "“”‘’「」")


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in ("“”", "‘’", "「」"))


@lru_cache(maxsize=4096)
def _gapped(counted: str) -> re.Pattern:
    cs = rules().spec.counted
    gap = f"(?:[{re.escape(cs.transparent)}]|{cs.aside})*"
    return re.compile(gap.join(map(re.escape, counted)))


def _balance(view: str, s: int, e: int) -> tuple[int, int]:
    """Take in the quote mark that closes (or opens) one inside, and an aside right after."""
    opening, closing = "“‘「", "”’」"
    count = lambda marks: sum(view[s:e].count(q) for q in marks)
    if count(opening) > count(closing):
        close = min((i for i in (view.find(q, e, e + 12) for q in closing) if i >= 0), default=-1)
        e = close + 1 if close >= 0 else e
    if count(closing) > count(opening):
        open_ = max(view.rfind(q, max(0, s - 12), s) for q in opening)
        s = open_ if open_ >= 0 else s
    if e < len(view) and view[e] == "(" and (m := rules().aside.match(view, e)):
        e = m.end()
    return s, e


# ------------------------------------------------------------------------------ extraction

def explain(nt: NormalText) -> list[tuple[Candidate, Quantity | None, str | None]]:
    """Every candidate with the quantity it became, or the id of the filter that dropped it."""
    view, mask = nt.view, blocked_mask(nt.view)
    out, kept = [], []
    for c in candidates(view):
        reason = drop_reason(c, view, mask)
        r = read(c) if reason is None else None
        if reason is None and r is None:
            reason = "quantity.filter.unparsed"
        if reason:
            out.append((c, None, reason))
            continue
        q = _quantity(nt, c, r, kept)
        out.append((c, q, None))
        kept.append(q)
    return _respectively(view, _forward(view, out))


def _respectively(view: str, out: list) -> list:
    """`A和B分别完成X、Y`: the k nouns listed before 分别 go one by one to the k counts of the
    enumeration after it, when they look alike (出口和进口; not 城镇、农村居民人均收入, where
    the first is a modifier sharing the head of the last)."""
    kept = [i for i, (_, q, _) in enumerate(out) if q is not None and not q.ordinal]
    k = 0
    while k < len(kept):
        chain = [kept[k]]
        while k + len(chain) < len(kept) and _joined(view, out[chain[-1]][1], out[kept[k + len(chain)]][1]):
            chain.append(kept[k + len(chain)])
        nouns = _listed_before(view, out[chain[0]][1].start, len(chain)) if len(chain) > 1 else None
        for i, noun in zip(chain, nouns or ()):
            c, q, _ = out[i]
            out[i] = (c, q.model_copy(update={"counted": noun, "explanation": "counted:respectively"}), None)
        k += len(chain)
    return out


def _listed_before(view: str, start: int, k: int) -> list[str] | None:
    """The k nouns of a list closed by 分别 (and a link or change verb) right before `start`."""
    cs = rules().spec.counted
    window, cut_short = _window_before(view, start, 3 * cs.window)
    at = window.rfind("分别")
    if cut_short or at < 0 or rules().skip_before.sub("", window[at:]) != "":
        return None
    head = re.sub(f"(?:{cs.list_tail})$", "", window[:at])
    parts = [p for p in re.split(cs.list_split, head) if p]
    if len(parts) != k or min(map(len, parts)) < 2 or max(map(len, parts)) > 3 * min(map(len, parts)):
        return None
    if any("的" in p or word_class((_cut(p) or ("",))[-1]) not in ("nom", "head") for p in parts):
        return None  # a modifier sharing the head of the last noun: 集中养育和散居孤儿津贴
    return parts


def _forward(view: str, out: list) -> list:
    """A count with no noun of its own that opens an enumeration counts what the enumeration's
    last member counts: 3大类、9个方面、52项整改任务 → 整改任务 (方面 and its like divide
    what the enumeration counts; see counted.divisions)."""
    cs = rules().spec.counted
    later: str | None = None
    nxt: Quantity | None = None
    for i in range(len(out) - 1, -1, -1):
        c, q, _ = out[i]
        if q is None:
            continue
        if q.ordinal:
            nxt = q
            continue
        if nxt is None or not _joined(view, q, nxt):
            later = None
        elif later and _needs_noun(q):
            q = q.model_copy(update={"counted": later, "explanation": "counted:enumeration"})
            out[i] = (c, q, None)
        if q.counted and q.counted not in cs.divisions:
            later = q.counted
        nxt = q
    return out


def _joined(view: str, q: Quantity, nxt: Quantity) -> bool:
    """Two counts are members of one enumeration: a joiner between them, after the first
    one's own noun if it has one (9个方面、52项)."""
    if nxt.start - q.end > 2 * rules().spec.counted.window:
        return False
    between = view[q.end:nxt.start]
    for joiner in rules().spec.counted.enumeration_joiners:
        if between.endswith(joiner):
            own = between[:len(between) - len(joiner)]
            return not own or (q.explanation == "counted:after" and _plain(own) == _plain(q.counted))
    return False


def _plain(s: str | None) -> str:
    return "".join(ch for ch in s or "" if ch.isalnum())


def _needs_noun(q: Quantity) -> bool:
    """No noun of its own, or for rounds and times only the verb before them (开展3轮、5轮巡察)."""
    if q.explanation in ("counted:none", "counted:default"):
        return True
    return (q.explanation == "counted:before" and rules().unit_kind.get(q.unit or "") == "activity"
            and word_class(q.counted or "") in ("verb", "pred"))


def clear_caches() -> None:
    """Forget the cut windows remembered from earlier texts (for benchmarks)."""
    _cut.cache_clear()


def extract(nt: NormalText) -> list[Quantity]:
    """Quantities found in the view of `nt`; spans index the original text."""
    return [q for _, q, _ in explain(nt) if q is not None]


def _quantity(nt: NormalText, c: Candidate, r: Reading, kept: list[Quantity]) -> Quantity:
    counted, how = counted_noun(c, r, nt.view)
    if counted and how in ("after", "before"):
        counted = act_object(counted, r.unit) or _written(nt, c, counted, how)
    if not counted:
        counted = subject_before(nt.view, c.start, r.kind == "activity")
        how = "subject"
    if not counted:
        counted = _inherited(nt.view, c, r, kept)
        how = "inherited"
    if not counted:
        counted = rules().spec.counted.default_by_unit.get(r.unit or "")
        how = "default" if counted else "none"
    if _attendance(nt.view, c, r, how):
        counted, how = rules().spec.counted.attendance.counted, "attendance"
    return Quantity(
        start=c.start, end=c.end, text=nt.original[c.start:c.end], rule_id=c.rule.id,
        value=r.value, value_max=r.value_max, approx=r.approx, unit=r.unit,
        counted=counted or None, ordinal=r.ordinal, explanation=f"counted:{how}")


def _attendance(view: str, c: Candidate, r: Reading, how: str) -> bool:
    """People counted as they attend a meeting (A、B等共860余人参加会议): what they are is the
    list before, what the count counts is the attendance."""
    att = rules().spec.counted.attendance
    if r.unit not in att.units or not rules().attendance.match(view, c.end):
        return False
    if how in ("none", "default", "inherited", "subject"):
        return True
    clause = re.split(r"[,。;:!?\n]", view[max(0, c.start - 3 * rules().spec.counted.window):c.start])[-1]
    return any(mark in clause for mark in att.list_marks)


def _written(nt: NormalText, c: Candidate, counted: str, how: str) -> str:
    reach = 3 * rules().spec.counted.window
    if how == "after":
        return as_written(nt, counted, c.end, min(len(nt.view), c.end + reach), last=False)
    return as_written(nt, counted, max(0, c.start - reach), c.start, last=True)


def _inherited(view: str, c: Candidate, r: Reading, kept: list[Quantity]) -> str | None:
    """The counted noun of an earlier quantity of the same sentence that this one continues:
    the same unit (发现问题40个,已整改35个), any unit for a rate, or the item just before in an
    enumeration (5大类、30多项)."""
    lo = _sentence_start(view, c.start)
    for prev in reversed(kept):
        if prev.end < lo:
            return None
        if prev.counted and not prev.ordinal and (
                prev.unit == r.unit or r.kind in RATIO_KINDS or view[prev.end:c.start] == "、"):
            return prev.counted
    return None


def _sentence_start(view: str, pos: int) -> int:
    """Where the sentence holding `pos` starts, looking back at most `SENTENCE_REACH` characters
    (found once per quantity: scanning back from every earlier one made long sentences cubic)."""
    floor = max(0, pos - SENTENCE_REACH)
    return max(floor, *(view.rfind(ch, floor, pos) + 1 for ch in rules().spec.counted.sentence_end))


SENTENCE_REACH = 400
