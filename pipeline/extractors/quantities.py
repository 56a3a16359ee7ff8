"""Quantities: every count in a report with its value, unit and what it counts (spec §2).

Four steps, each driven by `rules/quantities.yaml`:

1. *Match*: regexes built from numeral and unit fragments find candidate spans in the view
   (`68项`, `1.3万余人`, `第六轮`, `97.7%`); where candidates overlap, the leftmost then the
   longest wins, so an ordinal `第六轮` hides the cardinal `六轮` inside it.
2. *Filter*: negative knowledge drops what counts nothing (slogans, titles in 《》, numerals
   inside words such as 统一, the article 一 in 一批问题); `explain` shows which filter dropped
   what.
3. *Read*: the value (ranges, 万/亿 scaling, money keeping 万元), the approximation, and the
   counted noun (`nouns.NounReader`): the noun phrase after the classifier, else the one
   before the number (`增加编制193个`), else the subject before an adverb and its verb
   (`问题已整改58个`), else the counted noun of the previous quantity in the statement
   (`发现问题40个,已整改35个`).
4. *Enumerations*: a count that opens an enumeration without a noun takes the noun of its last
   member (`3大类、9个方面、52项整改任务`), and nouns listed before 分别 go one by one to the
   counts after it (`进口和出口分别增长5%、3%`).

How the counted noun was found is kept with the candidate (`how["counted"]`) and written into
the mention's explanation (`counted:after`); the enumeration steps read the former.
"""
from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Literal, NamedTuple

from pydantic import Field

try:  # re's parser, which tells what a rule's pattern can consume (`Sieve`)
    from re import _constants as _C, _parser as _sre_parser
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _C
    import sre_parse as _sre_parser

from pipeline.context.document import Context
from pipeline.context.lexicon import lexicon
from pipeline.extractors import numerals
from pipeline.extractors.base import Candidate, Explained, Extractor, Typed, select
from pipeline.extractors.nouns import RUN_CHARS, CountedSettings, NounReader, NounRules, compile_nouns
from pipeline.records import Approx, Direction, Quantity
from pipeline.rules import (Example, RuleModel, alternation, by_last_char, compile_rule, ending,
                            load_lines, load_model, trie_alternation)
from pipeline.scan import Scan, first_chars

FILE = "quantities.yaml"
SLOGANS = "stoplists/slogans.txt"
UnitKind = Literal["count", "activity", "money", "measure", "duration", "percent", "share", "place"]
RATIO_KINDS = ("percent", "share")  # what they count stands before them or after 的
# A rule's examples are checked against these fields too when they leave them out.
EXAMPLE_DEFAULTS = {"value_max": None, "unit": None, "approx": None, "ordinal": False,
                    "direction": None}
# A numeral starts a whole run of these characters (`runs`: followed by a character some rule
# can match, or the end); a pattern that opens with the class itself (`[x]…[x]*`, not `[x]+`
# nor a lookbehind) lets the regex engine skip to the next such character at C speed.
RUN = f"[{RUN_CHARS}]"
# An invisible character (the view's U+200B) or a no-break space between a number and its unit.
GAP = "\u200b\u00a0\u202f"
# Inside a run, a match starts at most this far before the run's end (seen: 2 or 3 characters,
# 五十三五 → 三五); trying every position made a run of 10 k numerals quadratic.
INSIDE_RUN = 8
# A quantity continues the counted noun of one earlier in its statement, looked for at most this
# far back (scanning back from every earlier one made long sentences cubic).
SENTENCE_REACH = 400
# The filter of each mark of `blocked_mask`; a web address outranks a title, a title a slogan.
BLOCKED_BY = {3: "quantity.filter.web_address", 2: "quantity.filter.title", 1: "quantity.filter.slogan"}
READINGS_KEPT = 1 << 16  # readings remembered by rule and groups (a corpus has some thousands)
_UNREAD = object()
# A numeral with its separators and decimal points (1,100.5, 九十七点七): what follows it
# decides which numeral rules are tried there (`Sieve`).
NUMERAL_CHAR = f"[{RUN_CHARS},.{numerals.POINT}]"
_REPEATS = tuple(getattr(_C, op) for op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_C, op))
_ATOMIC = getattr(_C, "ATOMIC_GROUP", object())
SHORT_RANGE = 64  # a character class's range this short is kept as its characters (`_Reach`)


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
    discount: bool = Field(False, description="a discount: one digit is tenths (八折 80), two "
                           "are the per cent as written (七五折 75)")
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
    examples: list[Example] = Field(min_length=1)


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


class DirectionWords(RuleModel):
    up: list[str]
    down: list[str]
    comparative: dict[str, Direction]
    compared_by: list[str]
    between: list[str]


class Negative(RuleModel):
    marks: list[str]
    not_after: str
    kinds: list[UnitKind]


class QuantityRules(RuleModel):
    fragments: dict[str, str]
    numeral_followers: str
    ordinal_units: list[str]
    negative: Negative
    currency_before: dict[str, str]
    direction: DirectionWords
    approx: ApproxTables
    units: list[UnitClass]
    rules: list[Rule]
    filters: list[Filter]
    filter_settings: FilterSettings
    counted: CountedSettings


class Sieve:
    """Which numeral rules can match at a numeral, from the character right after it.

    A numeral rule's match that starts at a numeral (`back` 0) either ends within the numeral
    (its run of numeral characters with separators and decimal points: `NUMERAL_CHAR`) or consumes
    the character after it. A rule's parsed pattern tells both: whether it can consume numeral
    characters alone, and which characters it can consume at all; a rule that can do neither
    with the character after a numeral cannot match there and is not tried (a handful of the
    rules are tried at each numeral instead of all). A rule that starts before the numeral
    (`back`) is tried where the character it starts with is one it can start with (`第`); one
    that starts one character before it is sieved as the others, the characters it can start
    with counted as the numeral's (县委三次全会 needs the 次 after 三). Every rule is tried
    everywhere if `re`'s parser is not as expected.
    """

    def __init__(self, rules: tuple[tuple[int, Rule, re.Pattern], ...]):
        self.rules = rules
        numeral = frozenset(re.findall(NUMERAL_CHAR, _basic_plane()))
        try:
            self.starts = tuple(first_chars(pattern.pattern, pattern.flags) if rule.back else None
                                for _, rule, pattern in rules)
            self.reach = tuple(_Reach.of(pattern, numeral | (starts or frozenset()))
                               if rule.back == 0 or (rule.back == 1 and starts is not None) else None
                               for (_, rule, pattern), starts in zip(rules, self.starts))
        except Exception:  # re's internals other than expected: every rule everywhere
            self.reach, self.starts = (None,) * len(rules), (None,) * len(rules)
        # each rule as the matching loop reads it, made once, with what it may consume
        self.tries = tuple(zip(_tries((*r, starts) for r, starts in zip(rules, self.starts)),
                               self.reach))
        # `after` by the character after a numeral, kept: a subscript for each run of numerals
        # (twelve thousand a corpus), where a method call was
        self.by_follower = _ByFollower(self)

    def after(self, ch: str | None) -> tuple[tuple, ...]:
        """The rules that may match at a numeral followed by `ch` (None: the end of the text),
        as the matching loop reads them (`_tries`)."""
        return tuple(t for t, reach in self.tries if reach is None or reach.may_consume(ch))


class _ByFollower(dict):
    """`Sieve.after` of each character asked for, kept (up to 4096)."""

    def __init__(self, sieve: Sieve):
        super().__init__()
        self.sieve = sieve

    def __missing__(self, ch: str | None) -> tuple[tuple, ...]:
        if len(self) >= 4096:
            self.clear()
        found = self[ch] = self.sieve.after(ch)
        return found


def _basic_plane() -> str:
    """Every character of the basic plane, once (a numeral's characters are found among them)."""
    codes = array("I", range(0x10000)).tobytes()
    return codes.decode(f"utf-32-{sys.byteorder[0]}e", "surrogatepass")


@dataclass
class _Reach:
    """What a pattern can consume (lookarounds consume nothing): characters, ranges of them,
    classes that exclude some, or anything; `inside` when it can match numeral characters
    alone."""

    chars: set[str] = field(default_factory=set)
    ranges: set[tuple[int, int]] = field(default_factory=set)
    excluding: list[tuple[frozenset[str], tuple[tuple[int, int], ...]]] = field(default_factory=list)
    anything: bool = False
    inside: bool = False

    @classmethod
    def of(cls, pattern: re.Pattern, numeral: frozenset[str]) -> _Reach:
        parsed = _sre_parser.parse(pattern.pattern, pattern.flags)
        reach = cls(anything=bool(pattern.flags & re.IGNORECASE))
        reach._walk(parsed)
        reach.inside = reach.anything or _within(parsed, numeral)
        return reach

    def may_consume(self, ch: str | None) -> bool:
        if self.inside or self.anything or ch in self.chars:
            return True
        if ch is None or not (self.ranges or self.excluding):
            return False
        o = ord(ch)
        return (any(lo <= o <= hi for lo, hi in self.ranges)
                or any(ch not in cs and not any(lo <= o <= hi for lo, hi in rs)
                       for cs, rs in self.excluding))

    def _walk(self, sub) -> None:
        for op, av in sub:
            if op is _C.LITERAL:
                self.chars.add(chr(av))
            elif op is _C.IN:
                self._add_class(av)
            elif op is _C.SUBPATTERN:
                self.anything |= bool(av[1] & re.IGNORECASE)
                self._walk(av[3])
            elif op is _C.BRANCH:
                for alt in av[1]:
                    self._walk(alt)
            elif op in _REPEATS:
                self._walk(av[2])
            elif op is _ATOMIC:
                self._walk(av)
            elif op not in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
                self.anything = True  # any character, a negated literal, a reference …

    def _add_class(self, items) -> None:
        chars = {chr(av) for op, av in items if op is _C.LITERAL}
        ranges = {av for op, av in items if op is _C.RANGE}
        if any(op not in (_C.LITERAL, _C.RANGE, _C.NEGATE) for op, _ in items):
            self.anything = True  # a category (\d, \w): taken as anything
        elif items and items[0][0] is _C.NEGATE:
            self.excluding.append((frozenset(chars), tuple(ranges)))
        else:  # a short range as its characters: one set look-up for the sieve (`may_consume`)
            self.chars |= chars | {chr(o) for lo, hi in ranges if hi - lo < SHORT_RANGE
                                   for o in range(lo, hi + 1)}
            self.ranges |= {(lo, hi) for lo, hi in ranges if hi - lo >= SHORT_RANGE}


def _within(sub, chars: frozenset[str]) -> bool:
    """Whether the parsed pattern can match consuming only `chars` (or nothing)."""
    for op, av in sub:
        if op is _C.LITERAL:
            ok = chr(av) in chars
        elif op is _C.IN:
            ok = any(_in_class(av, ch) for ch in chars)
        elif op is _C.SUBPATTERN:
            ok = _within(av[3], chars)
        elif op is _C.BRANCH:
            ok = any(_within(alt, chars) for alt in av[1])
        elif op in _REPEATS:
            ok = av[0] == 0 or _within(av[2], chars)
        elif op is _ATOMIC:
            ok = _within(av, chars)
        else:  # lookarounds and anchors consume nothing; anything else may match anything
            ok = True
        if not ok:
            return False
    return True


def _in_class(items, ch: str) -> bool:
    """Whether a parsed character class holds `ch` (a category: assumed it does)."""
    negate, hit = False, False
    for op, av in items:
        if op is _C.NEGATE:
            negate = True
        elif op is _C.LITERAL:
            hit = hit or ch == chr(av)
        elif op is _C.RANGE:
            hit = hit or av[0] <= ord(ch) <= av[1]
        else:
            return True
    return hit != negate


@dataclass(frozen=True)
class Compiled:
    """The rule file with every regex compiled and every table turned into a look-up."""

    spec: QuantityRules
    patterns: tuple[tuple[Rule, re.Pattern], ...]
    sieve: Sieve  # which numeral rules to try, by the character after the numeral
    unit_kind: dict[str, str]
    unit_normal: dict[str, str]
    place_counted: dict[str, str]
    check_word_units: frozenset[str]
    slogans: re.Pattern | None  # a prefix tree: a flat alternation tried every slogan everywhere
    approx_markers: frozenset[str]
    approx_sizes: tuple[int, ...]  # the lengths of the markers, longest first
    followers: frozenset[str]  # what may follow a numeral run that some rule can match
    runs: re.Pattern  # the runs of numeral characters followed by one of them, or the end
    title: re.Pattern
    nouns: NounRules  # the `counted` section, compiled


def compile_rules() -> Compiled:
    """Load, validate and compile `rules/quantities.yaml`."""
    spec = load_model(FILE, QuantityRules)
    frags = {**numerals.FRAGMENTS, **_unit_fragments(spec), **_approx_fragments(spec),
             "CURRENCY_BEFORE": alternation(spec.currency_before), **spec.fragments}
    patterns = tuple((r, compile_rule(FILE, r.id, r.pattern, frags)) for r in spec.rules)
    kinds = {w: u.kind for u in spec.units for w in [*u.words, *u.counted]}
    normal = {w: n for u in spec.units for w, n in u.normal.items()}
    places = {w: c for u in spec.units for w, c in u.counted.items()}
    checked = frozenset(w for u in spec.units if u.check_word for w in [*u.words, *u.counted])
    slogans = load_lines(SLOGANS)
    before = frozenset(spec.approx.before)
    followers = _followers(spec)
    sizes = tuple(sorted({len(m) for m in before}, reverse=True))
    return Compiled(spec, patterns, _sieve(patterns), kinds, normal, places, checked,
                    re.compile(trie_alternation(slogans)) if slogans else None, before, sizes,
                    followers, _runs(followers),
                    compile_rule(FILE, "filter_settings.title", spec.filter_settings.title, {}),
                    compile_nouns(FILE, spec.counted, frags, spec.filter_settings.min_word_freq))


def _sieve(patterns: tuple[tuple[Rule, re.Pattern], ...]) -> Sieve:
    return Sieve(tuple((order, rule, pattern) for order, (rule, pattern) in enumerate(patterns)
                       if rule.anchor == "numeral"))


def _runs(followers: frozenset[str]) -> re.Pattern:
    after = "".join(re.escape(ch) for ch in sorted(followers))
    # its first character opens the run (none of them before it), its last closes it; the
    # group `numeral` runs on to the end of its numeral (1,100.5), whose next character decides
    # which rules are tried (`Sieve`): one match a run instead of two
    return re.compile(f"{RUN}(?<!{RUN}[\\s\\S]){RUN}*(?!{RUN})(?:(?=[{after}])|\\Z)"
                      f"(?=(?P<numeral>{NUMERAL_CHAR}*))")


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
    frags = {f"UNIT_{k.upper()}": f"[{GAP}]?(?:{trie_alternation(ws)})" for k, ws in by_kind.items()}
    ordinal = [*by_kind.get("count", []), *by_kind.get("activity", []), *spec.ordinal_units]
    frags["UNIT_ORDINAL"] = f"[{GAP}]?(?:{trie_alternation(ordinal)})"
    return frags


def _approx_fragments(spec: QuantityRules) -> dict[str, str]:
    only = spec.approx.magnitude_only
    before = [w for w in spec.approx.before if w not in only]
    return {"APPROX_BEFORE": alternation(before), "APPROX_MAGNITUDE": alternation(only),
            "APPROX_MID": alternation(spec.approx.mid),
            "APPROX_AFTER": alternation(spec.approx.after)}


# ------------------------------------------------------------------------------ values

class Reading(NamedTuple):
    """What the match says of a candidate: its amount, unit, approximation and unit kind (a
    named tuple: a corpus reads thousands, which a frozen dataclass makes at twice the cost)."""

    value: float
    value_max: float | None
    unit: str | None
    approx: Approx | None
    ordinal: bool
    kind: str


def _fraction(den: str, num: str) -> float | None:
    """A share of a whole; more than the whole (5/3) is no share but a code or a score."""
    d, n = numerals.parse_number(den), numerals.parse_number(num)
    return n / d if d and n is not None and n <= d else None


def _yuan(num: str, g: dict) -> float | None:
    """Yuan with its jiao and fen added in (五元三毛 5.3, 五毛钱 0.5)."""
    whole = numerals.parse_number(num) if num else 0.0
    jiao = g.get("jiao") or g.get("jiao2")
    parts = [numerals.parse_number(x) if x else 0.0 for x in (jiao, g.get("fen"))]
    if whole is None or None in parts:
        return None
    return round(whole + parts[0] / 10 + parts[1] / 100, 2)


def _plain(s: str | None) -> str:
    return "".join(ch for ch in s or "" if ch.isalnum())


def _by_end(joiners: list[str]) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The joiners that may end a text, by its last character, in the rules' order (the first
    that ends it is the one that counts), and those that end any text (the empty one)."""
    anywhere = tuple(j for j in joiners if not j)
    return {j[-1]: tuple(k for k in joiners if not k or k[-1] == j[-1]) for j in joiners if j}, anywhere


def _lone(joiners: list[str]) -> frozenset[str]:
    """The texts between two counts that are a joiner alone: each joiner that no joiner before
    it in the rules' order ends (以及 after 及 leaves 以 before 及, which is no joiner)."""
    return frozenset(j for i, j in enumerate(joiners) if not any(j.endswith(k) for k in joiners[:i]))


def _candidate(m: re.Match, order: int, rule: Rule, lead: bool = False) -> Candidate:
    """The candidate of a rule's match; `lead`: the pattern has a `lead` group, where it starts."""
    groups = m.groupdict()
    unit = groups.get("unit")
    if unit and unit[0] in GAP:  # the unit is what follows the gap
        groups["unit"] = unit[1:]
    return Candidate(m.end("lead") if lead else m.start(), m.end(), rule, order, groups, m)


def _tries(numeral: Iterable[tuple[int, Rule, re.Pattern, frozenset | None]]) -> tuple[tuple, ...]:
    """Numeral rules (order, rule, pattern, the characters it can start with or None: any) as
    the matching loop reads them: (the pattern's `match`, order, rule, whether it has a `lead`
    group, `back`, the characters it can start with)."""
    return tuple((pattern.match, order, rule, "lead" in pattern.groupindex, rule.back, starts)
                 for order, rule, pattern, starts in numeral)


def _hits(view: str, pos: int, tries: tuple[tuple, ...]) -> list[Candidate]:
    """The matches at `pos` of the numeral rules the sieve left (`_tries`): a loop, not a list
    comprehension, which is a call of its own (twelve thousand a corpus)."""
    hits = []
    for match, order, rule, lead, back, starts in tries:
        if back and (pos < back or (starts is not None and view[pos - back] not in starts)):
            continue
        if m := match(view, pos - back):
            hits.append(_candidate(m, order, rule, lead))
    return hits


def _leftmost(c: Candidate):
    """The quantities' overlap policy: matching runs left to right, so the leftmost candidate
    wins, then the longest, then the earlier rule."""
    return c.start, c.start - c.end, c.order


class Quantities(Extractor):
    """Counts, amounts, ratios and ordinals, with what they count."""

    kind = "quantity"
    record = Quantity
    rules_file = FILE
    yields_to = ("time",)  # 2个月 in 反馈后2个月内 is part of the time
    contained_fields = ("counted",)

    def __init__(self, r: Compiled | None = None):
        self.r = r or compile_rules()
        self.spec = self.r.spec
        self.nouns = NounReader(self.r.nouns)
        fs = self.spec.filter_settings
        self.formula_stops = frozenset(ch for ch in self.spec.counted.stop_chars
                                       if ch not in fs.quote_joiners)
        d = self.spec.direction
        self.between = by_last_char(d.between)
        self.change_words = by_last_char([*d.up, *d.down, *d.comparative])
        # what a character before a figure must be for it to have a direction (most are none)
        self.change_ends = frozenset(self.between) | frozenset(self.change_words)
        self.negative_marks = by_last_char(self.spec.negative.marks)
        self.not_after_sign = re.compile(f"[{self.spec.negative.not_after}]")
        self.approx_ends = frozenset(m[-1] for m in self.r.approx_markers if m)
        self.marks_before = frozenset(self.negative_marks) | self.approx_ends  # either of them
        a = self.spec.approx  # the approximation each group's marker says, in `_approx`'s order
        self.approx_tables = (("pre", a.before), ("mid", a.mid), ("post", a.after))
        self._readings: dict[tuple, Reading | None] = {}
        self.enumeration_gap = 2 * self.spec.counted.window
        self.written_reach = 3 * self.spec.counted.window  # where a noun read is looked for as written
        self.joiners, self.any_joiner = _by_end(self.spec.counted.enumeration_joiners)
        self.divisions = frozenset(self.spec.counted.divisions)
        self.attendance_units = frozenset(self.spec.counted.attendance.units)
        self.unseen = frozenset(self.spec.counted.transparent)  # what a window leaves out
        self.lone_joiners = _lone(self.spec.counted.enumeration_joiners)
        self.lone_reach = min(self.enumeration_gap, max(map(len, self.lone_joiners), default=0))
        # the rules searched over the whole text, gated where their first characters are few
        self.scanned = tuple((order, rule, Scan(pattern), "lead" in pattern.groupindex)
                             for order, (rule, pattern) in enumerate(self.r.patterns)
                             if rule.anchor == "scan")
        self.typed = Typed(Quantity)
        # an opening quote mark, looked for before walking back to it
        self.quote_near = re.compile(f"[{re.escape(fs.quote_open)}]")
        self.quote_reach = fs.quote_max_inner + 1  # how far before a formula its quote may open
        self.code_chars = frozenset(ch for ch in map(chr, range(128))
                                    if re.fullmatch(f"[{fs.code_neighbours}]", ch))
        self.filters = (
            (self._enumerator, "quantity.filter.enumerator"),
            (self._quoted_formula, "quantity.filter.quoted_formula"),
            (self._code, "quantity.filter.code"),
            (self._inside_word, "quantity.filter.inside_word"),
            (self._indefinite_one, "quantity.filter.indefinite_one"),
            (self._bare_magnitude, "quantity.filter.bare_magnitude"),
        )
        # the filters that can drop a numeral written in digits (most of a report's): the others
        # read a Chinese numeral (统一, 一批, 万人), unless the rule file lists one led by a digit
        digit_led = {self._inside_word: False,
                     self._indefinite_one: any(w[:1].isdigit() for w in fs.indefinite),
                     self._bare_magnitude: any(map(str.isdigit, fs.bare_magnitude_start))}
        self.digit_filters = tuple((test, fid) for test, fid in self.filters
                                   if digit_led.get(test, True))
        # whether `drop_reason`'s screen of a numeral in digits stands for all of them
        self.digits_screened = {test for test, _ in self.digit_filters} <= {
            self._enumerator, self._quoted_formula, self._code}
        self.enumerators = frozenset(fs.enumerators)

    def explain(self, ctx: Context) -> list[Explained]:
        """Every candidate with the quantity it became, or the id of the filter that dropped it."""
        found, _ = self._analyse(ctx)
        return [Explained(c, None if c.dropped_by else self._mention(ctx, c), c.dropped_by)
                for c in sorted(found, key=attrgetter("start", "end", "order"))]

    def extract(self, ctx: Context) -> list[Quantity]:
        """The quantities of `explain` without its rows (one for each of the candidates, most of
        which a corpus's ten thousand are kept, made to be thrown away), in its order."""
        kept = self._analyse(ctx)[1]
        return [self._mention(ctx, c) for c in sorted(kept, key=attrgetter("start", "end", "order"))]

    def _analyse(self, ctx: Context) -> tuple[list[Candidate], list[Candidate]]:
        """Every candidate, and those kept in text order, with their fields read."""
        view, mask = ctx.view, self.blocked_mask(ctx.view, ctx.addresses)
        found = self.candidates(view)
        counts: list[tuple[Candidate, Reading]] = []
        for c in select(found, _leftmost):
            c.dropped_by = self.drop_reason(c, view, mask)
            if c.dropped_by is None:
                r = self.read(c)
                if r is None:
                    c.dropped_by = "quantity.filter.unparsed"
                else:
                    counts.append((c, r))
        kept: list[Candidate] = []
        for (c, r), noun in zip(counts, self.counted_nouns(view, counts)):
            self._count(ctx, c, r, noun, kept)
            kept.append(c)
        links = [self._joined(view, q, nxt) for q, nxt in zip(kept, kept[1:])]
        self._forward(kept, links)
        self._respectively(view, kept, links)
        return found, kept

    def _mention(self, ctx: Context, c: Candidate) -> Quantity:
        """The record of a kept count, with the noun it counts as its explanation: what
        `Extractor.mention` makes, made by `typed` straight (seven thousand a corpus)."""
        return self.typed.mention(c, ctx.original[c.start:c.end], f"counted:{c.how['counted']}")

    def examples(self) -> Iterable[tuple[str, Example]]:
        for rule in self.spec.rules:
            for ex in rule.examples:
                yield rule.id, ex.model_copy(update={"fields": {**EXAMPLE_DEFAULTS, **ex.fields}})
        for act in self.spec.counted.acts:
            yield from ((act.id, ex) for ex in act.examples)
        att = self.spec.counted.attendance
        yield from ((att.id, ex) for ex in att.examples)
        for f in self.spec.filters:
            yield from ((f.id, ex) for ex in f.examples)

    def rule_ids(self) -> list[str]:
        c = self.spec.counted
        return [*(r.id for r in self.spec.rules), *(a.id for a in c.acts), c.attendance.id,
                *(f.id for f in self.spec.filters)]

    # -------------------------------------------------------------------------- matching

    def candidates(self, view: str) -> list[Candidate]:
        """Every rule's matches (overlapping ones too: `select` decides between them).

        Numeral rules are tried only where a run of numeral characters starts (and inside a run
        when nothing matched at its start), which is what keeps matching fast on long reports,
        and only the rules that the character after the numeral leaves possible (`Sieve`).
        """
        found = [_candidate(m, order, rule, lead) for order, rule, scan, lead in self.scanned
                 for m in scan.finditer(view)]
        covered, n, by_follower = 0, len(view), self.r.sieve.by_follower
        signs, approx, marks = self.negative_marks, self.approx_ends, self.marks_before
        for run in self.r.runs.finditer(view):
            start, end = run.span()
            after = run.end("numeral")
            tries = by_follower[view[after] if after < n else None]
            first = start if start > covered else covered
            hits = _hits(view, first, tries)
            if not hits and first + 1 < end:  # positions inside the run are left
                for pos in range(max(first + 1, end - INSIDE_RUN), end):
                    if hits := _hits(view, pos, tries):
                        break
            reach = -1  # the furthest end of the hits, where the next run's matching starts
            for c in hits:  # a sign or an approximation marker before it only where one ends
                if c.start and view[c.start - 1] in marks:
                    if view[c.start - 1] in signs:
                        c = self._with_sign(c, view)
                    if c.start and view[c.start - 1] in approx:
                        c = self._with_approx(c, view)
                found.append(c)
                if c.end > reach:
                    reach = c.end
            if hits:
                covered = reach
        return found

    def _with_sign(self, c: Candidate, view: str) -> Candidate:
        """Extend a rate, money or measure over a minus sign right before it (负3.9%, -2.1%)."""
        neg = self.spec.negative
        mark = ending(view, c.start, self.negative_marks)
        if c.rule.ordinal or mark is None:
            return c
        at = c.start - len(mark)
        if at and self.not_after_sign.match(view[at - 1]):
            return c
        unit = c.groups.get("unit") or c.rule.unit or ""
        if self.r.unit_kind.get(unit, "count") not in neg.kinds:
            return c
        c.groups["sign"], c.start = mark, at
        return c

    def _with_approx(self, c: Candidate, view: str) -> Candidate:
        """Extend a match over an approximation marker right before it (近, 约, 超过, 上万)."""
        if c.rule.ordinal or c.groups.get("pre") or c.groups.get("sign"):
            return c
        num = c.groups.get("num") or ""
        spec, markers = self.spec, self.r.approx_markers
        for size in self.r.approx_sizes:  # longest first
            at = c.start - size
            marker = view[at:c.start] if at >= 0 else ""
            if marker not in markers:
                continue
            if marker in spec.approx.magnitude_only \
                    and num[:1] not in spec.filter_settings.bare_magnitude_start:
                continue
            if at and self.nouns.is_word(view[at - 1:c.start]):
                break  # the marker ends another word: 附近3个村, 最近两次
            c.groups["pre"] = marker
            c.start = at
            break
        return c

    # -------------------------------------------------------------------------- filters

    def blocked_mask(self, view: str, addresses=()) -> bytearray:
        """1 for every character inside a 《title》 or a listed slogan; 2 marks a title, 3 a
        web address."""
        mask = bytearray(len(view))
        for a, b in addresses:
            mask[a:b] = b"\x03" * (b - a)
        for m in self.r.title.finditer(view):
            mask[m.start():m.end()] = b"\x02" * (m.end() - m.start())
        if self.r.slogans is not None:
            for m in self.r.slogans.finditer(view):
                mask[m.start():m.end()] = bytes(max(1, b) for b in mask[m.start():m.end()])
        return mask

    def drop_reason(self, c: Candidate, view: str, mask: bytearray) -> str | None:
        """The id of the first filter that drops the candidate, or None to keep it. A numeral
        in digits with no letter beside it, no enumerator and no quote mark close enough before
        it for a quoted formula is one no filter of `digit_filters` drops (their first tests):
        most of a report's figures, kept without a call to each filter."""
        s, e = c.start, c.end
        if mask.count(0, s, e) < e - s:  # a mark: the highest says which
            return BLOCKED_BY[max(mask[s:e])]
        num = c.groups.get("num") or ""
        if not num[:1].isdigit():
            filters = self.filters
        elif (self.digits_screened and view[s - 1:s] not in self.code_chars
              and view[e:e + 1] not in self.code_chars and view[s:e] not in self.enumerators
              and not self.quote_near.search(view, max(0, s - self.quote_reach), s)):
            return None
        else:
            filters = self.digit_filters
        for test, fid in filters:
            if test(c, view, num):
                return fid
        return None

    def _quoted_formula(self, c: Candidate, view: str, num: str) -> bool:
        """A short quoted phrase led by or holding a number: “三个到位”, “一核三区、两轴一带”."""
        fs, stops = self.spec.filter_settings, self.formula_stops
        if not self.quote_near.search(view, max(0, c.start - self.quote_reach), c.start):
            return False
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

    def _code(self, c: Candidate, view: str, num: str) -> bool:
        letters = self.code_chars
        return (c.start > 0 and view[c.start - 1] in letters) or (c.end < len(view) and view[c.end] in letters)

    def _inside_word(self, c: Candidate, view: str, num: str) -> bool:
        """A Chinese numeral that is the tail of a word (统一) or the head of a longer one (三轮车)."""
        if not num or num[0].isdigit() or c.rule.ordinal:
            return False
        if num in self.spec.filter_settings.lone_numerals:
            return True
        s, e, freq, least = c.start, c.end, lexicon().freq, self.nouns.r.min_word_freq
        for i in range(max(0, s - 3), s):
            if (freq(view[i:s + 1]) or 0) >= least:  # `NounReader.is_word`, one call fewer
                return True
        if self._word_from(view, s, e + 1, min(len(view), s + 7)):
            return True
        unit = c.groups.get("unit") or ""
        if unit and unit in self.r.check_word_units:
            us = c.match.end("unit") - len(unit)  # after a gap character, if there is one
            return self._word_from(view, us, us + len(unit) + 1, min(len(view), us + 4))
        return False

    def _word_from(self, view: str, s: int, shortest: int, longest: int) -> bool:
        """A dictionary word `view[s:j]` with shortest <= j <= longest. jieba's table holds
        every prefix of its words, so the look-ups stop at the first string that is none; one
        look-up a string tells both (`NounReader.is_word` is its frequency's test)."""
        freq, least = lexicon().freq, self.nouns.r.min_word_freq
        for j in range(shortest, longest + 1):
            f = freq(view[s:j])
            if (f or 0) >= least:
                return True
            if f is None:
                return False
        return False

    def _indefinite_one(self, c: Candidate, view: str, num: str) -> bool:
        """一 before a classifier and a noun is an article (建立一套机制); after the noun, at the end
        of its phrase, it counts (开展专项巡察一轮。)."""
        fs = self.spec.filter_settings
        if num not in fs.indefinite:  # the one test most candidates fail
            return False
        g = c.groups
        kind = self.r.unit_kind.get(g.get("unit") or "", "")
        if kind in fs.count_after_kinds and (c.end >= len(view) or view[c.end] in fs.count_after):
            return False
        return (not c.rule.ordinal
                and not (g.get("num2") or g.get("den") or g.get("pre") or g.get("mid")
                         or g.get("post") or g.get("half")))

    def _bare_magnitude(self, c: Candidate, view: str, num: str) -> bool:
        fs = self.spec.filter_settings
        return (bool(num) and num[0] in fs.bare_magnitude_start and c.rule.unit != "%"
                and not c.groups.get("pre") and not c.groups.get("mid"))

    def _enumerator(self, c: Candidate, view: str, num: str) -> bool:
        return view[c.start:c.end] in self.enumerators

    # -------------------------------------------------------------------------- values

    def read(self, c: Candidate) -> Reading | None:
        """Value, range, unit, approximation and ordinality of a candidate; None if no value.

        A reading depends on the rule and the groups alone, and the same figures recur (`3个`,
        `5%`), so each is read once. The groups are keyed by their values alone (a third of the
        cost of their items): a rule's match gives its groups in its pattern's order, and the
        matching adds at most one, a sign or else an approximation marker (`_with_sign`,
        `_with_approx`), which the sign's place in the key tells apart."""
        groups = c.groups
        key = (id(c.rule), groups.get("sign"), *groups.values())
        reading = self._readings.get(key, _UNREAD)
        if reading is _UNREAD:
            if len(self._readings) >= READINGS_KEPT:
                self._readings.clear()
            reading = self._readings[key] = self._read(c.groups, c.rule)
        return reading

    def _read(self, g: dict, rule: Rule) -> Reading | None:
        unit = g.get("unit") or rule.unit or self.spec.currency_before.get(g.get("cur") or "")
        kind = self.r.unit_kind.get(unit or "", "share" if unit == "fraction" else "count")
        num, num2 = numerals.one_of((g.get("num") or "") + (g.get("scale") or "")), g.get("num2")
        unit = self.r.unit_normal.get(unit or "", unit)
        if rule.value is not None:
            lo, hi = rule.value, None
        elif rule.discount:
            lo, hi = numerals.discount(num), None
        elif g.get("jiao") or g.get("jiao2") or g.get("fen"):
            lo, hi = _yuan(num, g), None
        elif kind == "money":
            lo, hi, scale = numerals.money_range(num, num2)
            unit = scale + unit
        elif g.get("den"):
            lo, hi = _fraction(g["den"], num), None
        else:
            lo, hi = numerals.parse_range(num, num2)
        if lo is None:
            return None
        lo, hi = self._adjust(lo, hi, rule, g, unit)
        if g.get("sign"):
            lo, hi = -lo, None if hi is None else -hi
        if hi is not None and hi < lo:  # a range written high to low (or a negative one)
            lo, hi = hi, lo
        ordinal = rule.ordinal or (num in self.spec.filter_settings.ordinal_alone
                                   and not (g.get("pre") or g.get("mid") or g.get("post") or g.get("den")))
        return Reading(lo, hi, unit, self._approx(g), ordinal, kind)

    def _approx(self, g: dict) -> Approx | None:
        for key, table in self.approx_tables:
            if g.get(key):
                return table.get(g[key])
        return None

    @staticmethod
    def _adjust(lo: float, hi: float | None, rule: Rule, g: dict, unit: str | None):
        """A half inside the unit (三个半月), a rule's factor (八成), and shares rounded to four
        places as the spec writes them (三分之一 → 0.3333)."""
        if g.get("half"):
            lo += 0.5
        if rule.factor is not None:
            lo, hi = lo * rule.factor, None if hi is None else hi * rule.factor
        if g.get("extra"):  # 九成五: five per cent more
            lo += numerals.parse_number(g["extra"]) or 0
        if unit == "fraction":
            lo, hi = round(lo, 4), None if hi is None else round(hi, 4)
        return lo, hi

    # -------------------------------------------------------------------------- counted nouns

    def _count(self, ctx: Context, c: Candidate, r: Reading, noun: tuple[str | None, str],
               kept: list[Candidate]) -> None:
        """Fill the candidate's fields: the reading and the counted noun, with how it was found
        (`noun`: what `counted_nouns` read)."""
        value, value_max, unit, approx, ordinal, kind = r
        counted, how = noun
        if counted and how in ("after", "before"):
            act = self.nouns.act_object(counted, unit)
            if act:
                counted = act[0]
                c.applied.append(act[1])
            else:
                counted = self._written(ctx, c, counted, how)
        if not counted:
            counted = self.nouns.subject_before(ctx.view, c.start, kind == "activity")
            how = "subject"
        if not counted:
            counted = self._inherited(ctx, c, r, kept)
            how = "inherited"
        if not counted:
            counted = self.spec.counted.default_by_unit.get(unit or "")
            how = "default" if counted else "none"
        if unit in self.attendance_units and self._attendance(ctx, c, r, how):
            counted, how = self.spec.counted.attendance.counted, "attendance"
            c.applied.append(self.spec.counted.attendance.id)
        c.fields = {"value": value, "value_max": value_max, "approx": approx, "unit": unit,
                    "counted": counted or None, "ordinal": ordinal,
                    "direction": None if ordinal else self.direction(ctx, c.start)}
        c.how["counted"] = how

    def counted_nouns(self, view: str, counts: list[tuple[Candidate, Reading]]
                      ) -> list[tuple[str | None, str]]:
        """The counted noun of each (candidate, reading) and how it was found (for the
        mention's explanation): the rule's or the match's, the noun phrase after the count,
        the verb closing its clause, a quoted name before it, the noun phrase before it.

        The phrases after the counts are read all at once, then those before the counts left
        without one: the windows the segmenter has not cut yet are cut in one call each time
        (`nouns.cut_all`), not in one call a window."""
        found = [self._given_noun(c, r) for c, r in counts]
        open_ = [i for i, noun in enumerate(found) if noun is None]
        afters = self.nouns.noun_openings([self._opening(view, *counts[i]) for i in open_])
        before = []
        for i, after in zip(open_, afters):
            found[i] = (after, "after") if after else self._beside(view, *counts[i])
            if found[i] is None:
                before.append(i)
        asks = [(c.start, r.kind == "activity", r.kind in RATIO_KINDS)
                for c, r in (counts[i] for i in before)]
        for i, noun in zip(before, self.nouns.nouns_before(view, asks)):
            found[i] = (noun, "before") if noun else (None, "")
        return found

    def _given_noun(self, c: Candidate, r: Reading) -> tuple[str | None, str] | None:
        """The counted noun the rule or its match gives, if they give one."""
        if c.rule.counted:
            return c.rule.counted, "rule"
        if c.groups.get("noun"):
            return c.groups["noun"], "noun"
        if r.kind == "place":
            return self.r.place_counted.get(c.groups.get("unit") or ""), "unit"
        return None

    def _opening(self, view: str, c: Candidate, r: Reading) -> tuple[str, bool, bool] | None:
        """What `NounReader.noun_openings` reads after the count: its window, whether the
        window's edge cut it short, and whether the count counts an activity; None for a ratio
        that 的 does not follow (it counts only a noun after 的). The window opens with the
        character after the count unless that is one the window leaves out (a quote mark), so
        for most ratios that character alone tells that 的 does not follow, without a window."""
        if r.kind not in RATIO_KINDS:
            return (*self.nouns.window_after(view, c.end), r.kind == "activity")
        de, next_char = self.spec.counted.attributive, view[c.end:c.end + 1]
        if de and next_char != de[0] and next_char not in self.unseen:
            return None
        window, cut_short = self.nouns.window_after(view, c.end)
        return (window, cut_short, False) if window.startswith(de) else None

    def _beside(self, view: str, c: Candidate, r: Reading) -> tuple[str, str] | None:
        """For a count with no noun after it, the verb closing its clause (an activity's) or a
        quoted name right before it, if either stands there."""
        verb = self.nouns.clause_end_verb(view, c.end) if r.kind == "activity" else ""
        if verb:
            return verb, "clause"
        lo = max(0, c.start - 40)
        quoted = "”" in view[lo:c.start] and self.r.nouns.quoted_before.search(view, lo, c.start)
        if quoted:  # “高效办成一件事”20项: a quoted name before the number is what it counts
            return quoted.group("q"), "quoted"
        return None

    def direction(self, ctx: Context, start: int) -> Direction | None:
        """The direction of change the verb right before a figure states (下降3.9% down), read
        back over 了, 同比 and the like; 多/少 only after a comparison in the clause."""
        view, d, between = ctx.view, self.spec.direction, self.between
        if not start or view[start - 1] not in self.change_ends:
            return None
        at = start
        while at and (skip := ending(view, at, between)):
            at -= len(skip)
        word = ending(view, at, self.change_words) if at else None
        if word is None:
            return None
        if word in d.comparative:
            clause = view[ctx.units.ends("clause").start_before(at, max(0, at - 20)):at]
            return d.comparative[word] if any(b in clause for b in d.compared_by) else None
        return "up" if word in d.up else "down"

    def _attendance(self, ctx: Context, c: Candidate, r: Reading, how: str) -> bool:
        """People counted as they attend a meeting (A、B等共860余人参加会议): what they are is the
        list before, what the count counts is the attendance; `r.unit` is one of theirs."""
        att = self.spec.counted.attendance
        if not self.r.nouns.attendance.match(ctx.view, c.end):
            return False
        if how in ("none", "default", "inherited", "subject"):
            return True
        lo = max(0, c.start - 3 * self.spec.counted.window)
        clause = ctx.view[ctx.units.ends("clause").start_before(c.start, lo):c.start]
        return any(mark in clause for mark in att.list_marks)

    def _written(self, ctx: Context, c: Candidate, counted: str, how: str) -> str:
        reach = self.written_reach
        if how == "after":
            return self.nouns.as_written(ctx.text, counted, c.end, min(len(ctx.view), c.end + reach),
                                         last=False)
        return self.nouns.as_written(ctx.text, counted, max(0, c.start - reach), c.start, last=True)

    def _inherited(self, ctx: Context, c: Candidate, r: Reading, kept: list[Candidate]) -> str | None:
        """The counted noun of an earlier quantity of the same statement that this one
        continues: the same unit (发现问题40个,已整改35个), any unit for a rate, or the item just
        before in an enumeration (5大类、30多项)."""
        lo = ctx.units.ends("statement").start_before(c.start, max(0, c.start - SENTENCE_REACH))
        for prev in reversed(kept):
            if prev.end < lo:
                return None
            f = prev.fields
            if f["counted"] and not f["ordinal"] and (
                    f["unit"] == r.unit or r.kind in RATIO_KINDS or ctx.view[prev.end:c.start] == "、"):
                return f["counted"]
        return None

    # -------------------------------------------------------------------------- enumerations

    def _respectively(self, view: str, kept: list[Candidate], links: list[bool]) -> None:
        """`A和B分别完成X、Y`: the k nouns listed before 分别 go one by one to the k counts of the
        enumeration after it, when they look alike (出口和进口; not 城镇、农村居民人均收入, where
        the first is a modifier sharing the head of the last). `links[i]`: kept[i] and kept[i + 1]
        are joined (`_joined`; `_forward` changes no count a link reads); counts with an ordinal
        between them are read again. An enumeration is a run of joined counts: few are."""
        counts = [(i, c) for i, c in enumerate(kept) if not c.fields["ordinal"]]
        joined = [links[i] if j == i + 1 else self._joined(view, c, d)
                  for (i, c), (j, d) in zip(counts, counts[1:])]
        for k in [k for k, link in enumerate(joined) if link and not (k and joined[k - 1])]:
            n = 1
            while k + n < len(joined) and joined[k + n]:
                n += 1
            chain = [c for _, c in counts[k:k + n + 1]]
            for c, noun in zip(chain, self.nouns.listed_before(view, chain[0].start, len(chain)) or ()):
                c.fields["counted"], c.how["counted"] = noun, "respectively"

    def _forward(self, kept: list[Candidate], links: list[bool]) -> None:
        """A count with no noun of its own that opens an enumeration counts what the enumeration's
        last member counts: 3大类、9个方面、52项整改任务 → 整改任务 (方面 and its like divide
        what the enumeration counts; see counted.divisions). `links[i]`: kept[i] and the next
        one are joined (`_joined`)."""
        divisions = self.divisions
        later: str | None = None
        for i in range(len(kept) - 1, -1, -1):
            c = kept[i]
            if c.fields["ordinal"]:
                continue
            if i + 1 == len(kept) or not links[i]:
                later = None
            elif later and self._needs_noun(c):
                c.fields["counted"], c.how["counted"] = later, "enumeration"
            if c.fields["counted"] and c.fields["counted"] not in divisions:
                later = c.fields["counted"]

    def _joined(self, view: str, q: Candidate, nxt: Candidate) -> bool:
        """Two counts are members of one enumeration: a joiner between them, after the first
        one's own noun if it has one (9个方面、52项). A count whose noun was not read after it
        has none there: only a joiner alone joins it (`_lone`), which most pairs are too far
        apart to hold."""
        gap = nxt.start - q.end
        if q.how["counted"] != "after":
            return gap <= self.lone_reach and view[q.end:nxt.start] in self.lone_joiners
        if gap > self.enumeration_gap:  # too far apart: no slice to read
            return False
        between = view[q.end:nxt.start]
        for joiner in self.joiners.get(between[-1:], self.any_joiner):
            if between.endswith(joiner):
                own = between[:len(between) - len(joiner)]
                counted = q.fields["counted"]
                return not own or own == counted or _plain(own) == _plain(counted)
        return False

    def _needs_noun(self, c: Candidate) -> bool:
        """No noun of its own, or for rounds and times only the verb before them (开展3轮、5轮巡察)."""
        how, f = c.how["counted"], c.fields
        if how in ("none", "default"):
            return True
        return (how == "before" and self.r.unit_kind.get(f["unit"] or "") == "activity"
                and self.nouns.word_class(f["counted"] or "") in ("verb", "pred"))
