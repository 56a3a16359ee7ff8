"""Scanning a text with a rule's regex only where one of its matches can begin.

Python's `re` skips quickly over a text only when a pattern opens with a literal or a character
class (and to a literal about ten times faster than to a class). A pattern that opens with a
look-behind (`(?<!团)`), an optional word (`(?:上级)?`) or an alternation of groups is tried at
every position, which made most of the cost of the body and time rules. The characters a match
can begin with are read from the pattern's parse tree (once: the answer is kept in the cache
folder), and the text is scanned with gates `C(?<=(?=(PATTERN)).)`, one led by each first
character C or one by their class: the engine skips to C, and the look-behind steps back onto it
and tries the pattern there. The positions found are then matched, in text order and skipping
those inside the previous match, which is what `finditer` yields; where only spans are needed,
the gate's group 1 gives them without matching again.
"""
from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from pipeline.kept import kept
from pipeline.regexes import BACK_REFERENCE, regex

try:  # the parser behind re.compile (sre_parse before 3.11)
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p

_REPEATS = tuple(getattr(_c, op) for op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_c, op))

MAX_LITERAL_GATES = 8  # first characters scanned for one by one (a class scan costs about ten)
SHORT = 1000  # a stretch of text shorter than this is scanned with one gate, not one a character
MAX_RANGE = 256  # a class range wider than this (`[\u4e00-\u9fff]`) lets a match begin anywhere
MAX_PAIRS = 4096  # the most two-character beginnings worked out for a pattern (else none)
Chars = frozenset[str] | None  # None: any character may begin a match
Gate = tuple[str, dict[str, str]]  # gate characters, and what may follow each where known
# digest of (pattern, flags) -> its gate: characters ("" for none), what may follow each
TABLE = kept("scan", b"xunshi-scan-2",
             lambda: f"{sys.version} {MAX_LITERAL_GATES} {MAX_RANGE} {MAX_PAIRS}")


def first_chars(pattern: str, flags: int = 0) -> Chars:
    """The characters every non-empty match of `pattern` begins with, or None where that is no
    short list (a broad class, any character, a pattern that can match empty, case folding)."""
    tree = _tree(pattern, flags)
    return None if tree is None else _first_chars(tree)


def gate_chars(pattern: str, flags: int = 0) -> str:
    """The first characters a scan of `pattern` is gated by ("" for a plain scan: a pattern led by
    a literal, one `re` skips through by itself with many first characters, one that may begin
    anywhere)."""
    return gate(pattern, flags)[0]


def gate(pattern: str, flags: int = 0) -> Gate:
    """The first characters a scan of `pattern` is gated by (`gate_chars`), and for each the
    characters that can follow it in a match, where they are known and it never ends one.
    Parsing a pattern costs more than a short document's scan: the answer is kept across runs
    in the cache folder, like the compiled regexes (`pipeline.regexes`)."""
    key = hashlib.sha1(f"{flags}:{pattern}".encode()).digest()
    known = TABLE.known
    if key not in known:
        try:
            tree = _tree(pattern, flags)
            chars = _decide(tree)
            known[key] = TABLE.added[key] = (chars, _followers(tree, chars) if chars else {})
        except Exception:  # parser internals other than expected: a plain scan
            known[key] = ("", {})
    return known[key]


def reads_only_its_match(pattern: str, flags: int = 0) -> bool:
    """Whether the pattern looks at nothing but the characters it matches (no look-around,
    anchor, word boundary or back reference): then it matches at a place of a stretch of a text
    wherever it matches the stretch's characters there in the whole text, and the other way
    round, so the positions found in the whole text answer for any stretch of it."""
    tree = _tree(pattern, flags)
    try:
        return tree is not None and _plain(tree)
    except Exception:  # parser internals other than expected
        return False


def _plain(items) -> bool:
    for op, av in items:
        if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
            continue
        if op is _c.SUBPATTERN:
            ok = _plain(av[-1].data)
        elif op is _c.BRANCH:
            ok = all(_plain(b.data) for b in av[1])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            ok = _plain(av[2].data)
        else:  # look-arounds, anchors, back references, what 3.11 added
            return False
        if not ok:
            return False
    return True


def _decide(tree) -> str:
    if tree is None or _opening(tree)[0] is _c.LITERAL:
        return ""
    chars = _first_chars(tree)
    if not chars or len(chars) > MAX_LITERAL_GATES and _skips(_opening(tree)):
        return ""
    return "".join(sorted(chars))


def _tree(pattern: str, flags: int):
    """The parse tree, or None for flags other than Unicode (case folding) or internals other
    than expected (no gate then: a plain scan)."""
    if flags & ~re.UNICODE:
        return None
    try:
        return _p.parse(pattern, flags).data
    except Exception:
        return None


def _first_chars(tree) -> Chars:
    chars, nullable = _first(tree)
    return None if chars is None or nullable else frozenset(chars)


def _skips(opening: tuple) -> bool:
    op, av = opening
    return op in (_c.LITERAL, _c.IN) or op is _c.BRANCH and all(
        b.data and b.data[0][0] is _c.LITERAL for b in av[1])


def _opening(items) -> tuple:
    """The pattern's first item outside groups, (None, None) if none."""
    while items and items[0][0] is _c.SUBPATTERN:
        items = items[0][1][-1].data
    return items[0] if items else (None, None)


def _first(items) -> tuple[set[str] | None, bool]:
    """(characters a sequence can begin with, whether it can match empty)."""
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _first_item(op, av)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_item(op, av) -> tuple[set[str] | None, bool]:
    if op is _c.LITERAL:
        return {chr(av)}, False
    if op is _c.IN:
        return _class(av), False
    if op is _c.BRANCH:
        out, nullable = set(), False
        for branch in av[1]:
            chars, empty = _first(branch.data)
            if chars is None:
                return None, False
            out, nullable = out | chars, nullable or empty
        return out, nullable
    if op is _c.SUBPATTERN:
        return (None, False) if av[1] & re.IGNORECASE else _first(av[-1].data)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
        chars, nullable = _first(av[2].data)
        return chars, nullable or av[0] == 0
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):  # zero width: the next item begins the match
        return set(), True
    return None, False


def _followers(tree, chars: str) -> dict[str, str]:
    """For each gate character, the characters that can follow it in a match, when every
    match that begins with it is longer than it and those characters are a known list."""
    pairs = _prefixes(tree, 2)
    if pairs is None:
        return {}
    after: dict[str, set[str]] = {}
    for p in pairs:
        after.setdefault(p[:1], set()).add(p[1:])
    return {ch: "".join(sorted(after[ch])) for ch in chars
            if ch in after and "" not in after[ch]}


def _prefixes(items, k: int) -> set[str] | None:
    """The first `k` characters of every match of a sequence (all of a shorter match), or None
    where they are not known or too many: look-arounds and anchors are left out, so these are
    all the beginnings there can be, perhaps more."""
    out = {""}
    for op, av in items:
        if all(len(p) >= k for p in out):
            break
        item = _item_prefixes(op, av, k)
        out = None if item is None else _then(out, item, k)
        if out is None:
            return None
    return out


def _item_prefixes(op, av, k: int) -> set[str] | None:
    if op is _c.LITERAL:
        return {chr(av)}
    if op is _c.IN:
        return _class(av)
    if op is _c.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            found = _prefixes(branch.data, k)
            if found is None:
                return None
            out |= found
        return out if len(out) <= MAX_PAIRS else None
    if op is _c.SUBPATTERN:
        return None if av[1] & re.IGNORECASE else _prefixes(av[-1].data, k)
    if op in _REPEATS:
        unit = _prefixes(av[2].data, k)
        return None if unit is None else _repeat(unit, av[0], av[1], k)
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):  # zero width: what it asks is left out
        return {""}
    return None


def _then(heads: set[str], tails: set[str], k: int) -> set[str] | None:
    """The first `k` characters of a beginning in `heads` followed by one in `tails`."""
    out = {h if len(h) >= k else (h + t)[:k] for h in heads for t in tails}
    return out if len(out) <= MAX_PAIRS else None


def _repeat(unit: set[str], lo: int, hi: int, k: int) -> set[str] | None:
    """The beginnings of `lo` to `hi` matches of a unit in a row. Once those of n units add
    nothing to those of fewer, those of more add nothing either: the loop stops there."""
    out: set[str] = set()
    now: set[str] | None = {""}
    for n in range(lo + 4 * k + 2):
        if n >= lo:
            if n > lo and now <= out:
                return out
            out |= now
        if n == hi:
            return out
        now = _then(now, unit, k)
        if now is None:
            return None
    return None


def _class(items) -> set[str] | None:
    out = set()
    for op, av in items:
        if op is _c.LITERAL:
            out.add(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < MAX_RANGE:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return out


class Scan:
    """A rule's regex and its gates: `finditer` as the regex's own, faster.

    A few first characters get one gate each, led by that character (`re` looks for one
    character about ten times faster than for a class), for long stretches of text; short ones
    (a trigger's window) are scanned with one gate led by their class, as are texts whose
    match may begin with many characters. A pattern led by a literal, or whose first characters
    are no short list, gets none. The gates are compiled with the rules, so that the run keeps
    them for the next process (`pipeline.regexes`: a few milliseconds for all of them then).

    `each_follower`: the class gate checks what may follow each first character (`led_each`)
    rather than what may follow any of them: for a long pattern tried at many places where
    its first characters stand (the times' `begins`, tried wherever a date may begin), where
    the class's look-ahead lets through most places the pattern then fails at."""

    __slots__ = ("rx", "chars", "gates", "class_gate", "lines")

    def __init__(self, rx: re.Pattern, each_follower: bool = False):
        self.rx = rx
        self.lines = line_led(rx)
        self.chars, after = gate(rx.pattern, rx.flags)  # "" for a plain scan
        look = _look(rx.pattern)
        self.class_gate = regex((led_each if each_follower else led)(self.chars, after) + look) \
            if len(self.chars) > 1 else None
        if len(self.chars) > MAX_LITERAL_GATES:
            self.gates: tuple[re.Pattern, ...] = (self.class_gate,)
        else:
            self.gates = tuple(regex(led(ch, after) + look) for ch in self.chars)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        """The matches `self.rx.finditer(text, pos, endpos)` yields."""
        end = len(text) if endpos is None else endpos
        if self.lines:
            return self.chain(text, line_starts(text, pos, end), pos, end)
        if not self.chars:
            return self.rx.finditer(text, pos, end)
        return self.chain(text, self.starts(text, pos, end), pos, end)

    def chain(self, text: str, starts: list[int], pos: int, end: int) -> Iterator[re.Match]:
        """The non-empty matches `self.rx.finditer(text, pos, end)` yields, given (in text order)
        every position where one may begin: each leftmost one after the match before."""
        last, match = pos, self.rx.match
        for start in starts:
            if start >= last:
                m = match(text, start, end)
                if m is not None and m.end() > start:
                    last = m.end()
                    yield m

    def finditer_in(self, text: str, windows: list[tuple[int, int]]) -> list[re.Match]:
        """The matches `finditer(text, s, e)` yields for each window (s, e) in turn, in one call.

        Why: rules tried in thousands of short windows of a text spent more on the calls of a
        scan per window (the scan, its gate's hits, the chain of matches) than on matching.
        Each window is still scanned on its own, as `finditer` with that `pos` and `endpos`:
        look-behinds read before the window, nothing reads past its end."""
        if not self.chars:
            finditer = self.rx.finditer
            return [m for s, e in windows for m in finditer(text, s, e)]
        out: list[re.Match] = []
        match, hits = self.rx.match, self._hits
        for s, e in windows:
            last = s
            for g in hits(text, s, e):
                if (p := g.start()) >= last and (m := match(text, p, e)) is not None \
                        and m.end() > p:
                    last = m.end()
                    out.append(m)
        return out

    def chain_in(self, text: str, windows: list[tuple[int, int]],
                 starts: list[list[int]]) -> list[re.Match]:
        """`chain` for each window (s, e) in turn, given the positions where a match may begin
        in each (`starts_in`), in one call (see `finditer_in`)."""
        out: list[re.Match] = []
        match = self.rx.match
        for (s, e), ps in zip(windows, starts):
            last = s
            for p in ps:
                if p >= last and (m := match(text, p, e)) is not None and m.end() > p:
                    last = m.end()
                    out.append(m)
        return out

    def starts_in(self, text: str, windows: list[tuple[int, int]]) -> list[list[int]]:
        """`starts(text, s, e)` for each window (s, e)."""
        return [self.starts(text, s, e) for s, e in windows]

    def spans(self, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
        """The (start, end) of each match `finditer` yields, read from the gates' own matches
        (group 1 holds the pattern's) instead of matching each again."""
        end = len(text) if endpos is None else endpos
        if not self.chars:
            return [m.span() for m in self.rx.finditer(text, pos, end)]
        out, last = [], pos
        for g in self._hits(text, pos, end):
            s, e = g.span(1)
            if s >= last and e > s:
                out.append((s, e))
                last = e
        return out

    def starts(self, text: str, pos: int, end: int) -> list[int]:
        """Every position where a match begins, overlapping ones included, in text order."""
        if not self.chars:
            return [m.start() for m in _ahead(self.rx.pattern).finditer(text, pos, end)]
        return [g.start() for g in self._hits(text, pos, end)]

    @property
    def gate(self) -> re.Pattern | None:
        """The one gate a short text is scanned with (its only one, or the class gate); None for
        a plain scan."""
        if not self.chars:
            return None
        return self.gates[0] if len(self.chars) == 1 else self.class_gate

    def _hits(self, text: str, pos: int, end: int) -> Iterable[re.Match]:
        """The gates' matches in text order: a short stretch is scanned with the class gate (one
        call, not one a character)."""
        if len(self.chars) == 1 or end - pos < SHORT:
            return self.gate.finditer(text, pos, end)
        return sorted((g for gate in self.gates for g in gate.finditer(text, pos, end)),
                      key=re.Match.start)


LINE_START = "(?m:^)"
_NEWLINE = re.compile("\n")


def line_led(rx: re.Pattern) -> bool:
    """Whether every match of the pattern begins with a line's start (`(?m:^)`, or `^` under
    MULTILINE, before all the rest: not one alternative's): then its matches begin only where
    a line does. Why: `re` tries such a pattern at every place of a text (a line start is no
    character it can skip to), a few thousand lines are tried at a third of the cost. Only a
    pattern written so is parsed."""
    if not (rx.pattern.startswith(LINE_START)
            or rx.flags & re.MULTILINE and rx.pattern.startswith("^")):
        return False
    try:
        items = _p.parse(rx.pattern, rx.flags).data
    except Exception:  # parser internals other than expected
        return False
    op, av = items[0] if items else (None, None)
    if op is _c.SUBPATTERN and av[1] & re.MULTILINE:  # `(?m:^)`
        op, av = av[-1].data[0] if len(av[-1].data) == 1 else (None, None)
    elif not rx.flags & re.MULTILINE:
        return False
    return op is _c.AT and av is _c.AT_BEGINNING


def line_starts(text: str, pos: int, end: int) -> list[int]:
    """Where a line starts in [pos, end), in text order (`pos` itself when one does)."""
    first = [pos] if pos == 0 or text[pos - 1] == "\n" else []
    return first + [m.end() for m in _NEWLINE.finditer(text, pos, end)]


class Gates:
    """The gate hits of several scans, found in one pass over a text.

    Why: a scan gated by a few first characters passes over a text once for each of them (`re`
    finds one character fast, a class ten times slower), and a stage's rules hold dozens of
    such gates (the times' triggers some seventy, the bodies' rules without a trigger forty);
    the times' triggers cost 17 ms over the 31 reports of gov-reports-2026 scanned one by one,
    11 ms joined. One regex holds the gates of them all: a choice by the first character, each
    of its scans' patterns looked for there as a group of its own (`_joined`). The scans gated
    by a class, or by none, are left to scan on their own: joined, the pass stopped at their
    first characters too often. Even with the look-ahead each branch now opens with (callgrind
    over gov-reports-2026: the bodies' gates and their four class scans 270 -> 219 M
    instructions joined), the bodies took about 10% more CPU than alone (the branches' choice among
    some fifty characters, at every place of the frequent ones, costs more cycles than its
    instructions show)."""

    def __init__(self, scans: Sequence[Scan | None]):
        """`scans`: None for a place whose scan is none of these (the answers keep the order)."""
        keys = [None if s is None or not _joinable(s) else (s.rx.pattern, s.rx.flags) for s in scans]
        joined: dict[tuple[str, int], Scan] = {}  # one slot for a pattern given twice
        for s, key in zip(scans, keys):
            if key is not None:
                joined.setdefault(key, s)
        self.rx, self.groups = _joined(list(joined.values())) if len(joined) > 1 else (None, {})
        slot = {key: k for k, key in enumerate(joined)} if self.rx is not None else {}
        self.slot = tuple(slot.get(key) for key in keys)
        self.size = len(slot)

    def starts(self, text: str) -> list[list[int] | None]:
        """For each scan joined, `Scan.starts(text, 0, len(text))`; None for the others."""
        hits = self._hits(text)
        return [None if k is None else [s for s, _e in hits[k]] for k in self.slot]

    def spans(self, text: str) -> list[list[tuple[int, int]] | None]:
        """For each scan joined, `Scan.spans(text)`; None for the others."""
        hits = self._hits(text)
        return [None if k is None else _disjoint(hits[k]) for k in self.slot]

    def _hits(self, text: str) -> list[list[tuple[int, int]]]:
        """For each slot, its pattern's match at each of its gate hits, in text order."""
        if self.rx is None:
            return []
        out: list[list[tuple[int, int]]] = [[] for _ in range(self.size)]
        groups = self.groups
        for m in self.rx.finditer(text):
            regs = m.regs
            for group, k in groups[text[m.start()]]:
                if regs[group][0] >= 0:
                    out[k].append(regs[group])
        return out


def _joinable(scan: Scan) -> bool:
    """A scan gated by a few first characters, whose pattern can stand in another (no flags of
    its own, no reference to its groups)."""
    p = scan.rx.pattern
    return 1 < len(scan.chars) <= MAX_LITERAL_GATES and scan.rx.flags == re.UNICODE \
        and not BACK_REFERENCE.search(p) and "(?(" not in p


_NAMED = re.compile(r"(?<!\\)\(\?P<\w+>")  # a named group's opening


def _joined(scans: list[Scan]) -> tuple[re.Pattern | None, dict[str, list[tuple[int, int]]]]:
    """The regex of the joined gates, and for each first character the (group, slot) of the
    scans it opens. At a first character the regex steps back onto it and looks, for each
    scan it opens, for what may follow it there (`led`) and the scan's pattern (its groups
    unnamed, as group `g<n>`); it matches where one of them is found. Where what may follow
    the first character is known for each scan it opens, a look-ahead for one of those rules
    out most places before the step back (most first characters begin no match). None where
    the patterns cannot be joined after all."""
    by_char: dict[str, list[tuple[int, str | None]]] = {}
    for k, scan in enumerate(scans):
        chars, after = gate(scan.rx.pattern, scan.rx.flags)
        for ch in chars:
            by_char.setdefault(ch, []).append((k, after.get(ch)))
    branches, names, n = [], {}, 0
    for ch, found in sorted(by_char.items()):
        looks, own = [], []
        for k, follow in found:
            n += 1
            ahead = r"(?=[\s\S][" + "".join(map(re.escape, follow)) + "])" if follow else ""
            looks.append(f"(?:{ahead}(?=(?P<g{n}>{_NAMED.sub('(?:', scans[k].rx.pattern)}))|)")
            own.append((f"g{n}", k))
        found_one = "(?!)"
        for name, _k in reversed(own):
            found_one = f"(?({name})|{found_one})"
        follows = [follow for _k, follow in found]
        any_follows = "(?=[" + "".join(map(re.escape, sorted(set("".join(follows))))) + "])" \
            if all(follows) else ""
        branches.append(re.escape(ch) + any_follows + "(?<=" + "".join(looks) + r"[\s\S])"
                        + found_one)
        names[ch] = own
    try:
        rx = regex("(?:" + "|".join(branches) + ")")
    except re.error:
        return None, {}
    return rx, {ch: [(rx.groupindex[name], k) for name, k in own] for ch, own in names.items()}


def _disjoint(hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches `finditer` yields, from a pattern's match at each place one begins."""
    out, last = [], 0
    for s, e in hits:
        if s >= last and e > s:
            out.append((s, e))
            last = e
    return out


def led(chars: str, after: dict[str, str]) -> str:
    """What a gate opens with: one of `chars`, and where what can follow each of them is known,
    a look-ahead for one of those (for several characters, one for what follows any of them:
    a class checked at once costs less than a choice among the characters)."""
    one_of = re.escape(chars) if len(chars) == 1 else "[" + "".join(map(re.escape, chars)) + "]"
    if not all(ch in after for ch in chars):
        return one_of
    follow = sorted(set("".join(after[ch] for ch in chars)))
    return one_of + "(?=[" + "".join(map(re.escape, follow)) + "])"


def led_each(chars: str, after: dict[str, str]) -> str:
    """What a gate opens with: one of `chars`, each with a look-ahead for what can follow it
    where that is known (a choice among the characters: slower to check than `led`'s class,
    but it lets through only the places where a match can begin with two characters)."""
    if len(chars) < 2 or not any(ch in after for ch in chars):
        return led(chars, after)
    return "(?:" + "|".join(led(ch, after) if ch in after else re.escape(ch) for ch in chars) + ")"


def _look(pattern: str) -> str:
    """What a gate goes on with after its first character: a step back onto it, and the
    pattern matched there as group 1."""
    return r"(?<=(?=(" + pattern + r"))[\s\S])"


def searcher(rx: re.Pattern) -> Callable[[str], re.Match | None]:
    """A search of short texts for a test: it finds a match (the gate's, not the pattern's)
    in a text wherever `rx.search` finds one, and none elsewhere. Why: a pattern whose first
    characters are few but that opens with no literal (an alternation, `(?:^|全省)经济`) is
    tried by `re` at every place of a text; the gate a scan reads a short text with
    (`Scan.gate`) skips to those characters at C speed, as every match begins with one.
    Where the pattern has none, `rx.search` itself."""
    chars, after = gate(rx.pattern, rx.flags)
    return regex(led(chars, after) + _look(rx.pattern)).search if chars else rx.search


@lru_cache(maxsize=64)
def scan_of(rx: re.Pattern) -> Scan:
    """The scan of a compiled pattern, built once (for patterns compiled outside a rule set)."""
    return Scan(rx)


@lru_cache(maxsize=64)
def _ahead(pattern: str) -> re.Pattern:
    """The pattern as a look-ahead: it matches (empty) wherever the pattern does."""
    return regex(f"(?=(?:{pattern}))")
