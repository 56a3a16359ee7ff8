"""Scanning a text with a rule's regex only where one of its matches can begin.

Python's `re` skips quickly over a text only when a pattern opens with a literal or a character
class. A pattern that opens with a look-behind (`(?<!团)`), an optional word (`(?:上级)?`) or
an alternation of groups is tried at every position, which made most of the cost of the body and
time rules. The characters a match can begin with are read from the pattern's parse tree once,
when the rules are built, and the text is scanned with `[those characters](?<=(?=PATTERN).)`:
the engine skips to a character of the class, and the look-behind steps back onto it and tries
the pattern there. Each position found is then matched once more, in text order and skipping
those inside the previous match, which is what `finditer` yields.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pipeline.regexes import regex

try:  # the parser behind re.compile (sre_parse before 3.11)
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c
    import sre_parse as _p

MAX_LITERAL_GATES = 8  # first characters scanned for one by one (a class scan costs about ten)
SHORT = 1000  # a stretch of text shorter than this is scanned with one gate, not one a character
MAX_RANGE = 256  # a class range wider than this (`[\u4e00-\u9fff]`) lets a match begin anywhere
Chars = frozenset[str] | None  # None: any character may begin a match


def first_chars(pattern: str, flags: int = 0) -> Chars:
    """The characters every non-empty match of `pattern` begins with, or None where that is no
    short list (a broad class, any character, a pattern that can match empty, case folding)."""
    if flags & ~re.UNICODE:
        return None
    try:
        chars, nullable = _first(_p.parse(pattern, flags).data)
    except Exception:  # internals other than expected: no gate, a plain scan
        return None
    return None if chars is None or nullable else frozenset(chars)


def skips(pattern: str, flags: int = 0) -> bool:
    """Whether `re` itself skips to where a match can begin: the pattern opens (perhaps inside
    groups) with a literal, a class, or an alternation whose branches all open with a literal."""
    op, av = _opening(pattern, flags)
    return op in (_c.LITERAL, _c.IN) or op is _c.BRANCH and all(
        b.data and b.data[0][0] is _c.LITERAL for b in av[1])


def literal_led(pattern: str, flags: int = 0) -> bool:
    """Whether the pattern opens (perhaps inside groups) with a literal character: `re` then finds
    where a match can begin about ten times faster than by a class of characters."""
    return _opening(pattern, flags)[0] is _c.LITERAL


def _opening(pattern: str, flags: int) -> tuple:
    """The pattern's first item outside groups, (None, None) if none or unreadable."""
    try:
        items = _p.parse(pattern, flags).data
        while items and items[0][0] is _c.SUBPATTERN:
            items = items[0][1][-1].data
    except Exception:
        return None, None
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
    are no short list, gets none."""

    __slots__ = ("rx", "gates", "_chars", "_class_gate")

    def __init__(self, rx: re.Pattern):
        self.rx = rx
        chars = None if literal_led(rx.pattern, rx.flags) else first_chars(rx.pattern, rx.flags)
        if not chars or len(chars) > MAX_LITERAL_GATES and skips(rx.pattern, rx.flags):
            chars = None
        self._chars, self._class_gate = chars, None
        if not chars:
            self.gates: tuple[re.Pattern, ...] = ()
        elif len(chars) <= MAX_LITERAL_GATES:
            self.gates = tuple(regex(re.escape(ch) + self._look) for ch in sorted(chars))
        else:
            self.gates = (self.class_gate,)

    @property
    def _look(self) -> str:
        return r"(?<=(?=(?:" + self.rx.pattern + r"))[\s\S])"

    @property
    def class_gate(self) -> re.Pattern:
        """The one gate led by the class of every first character (built on first use)."""
        if self._class_gate is None:
            self._class_gate = regex("[" + "".join(sorted(map(re.escape, self._chars))) + "]"
                                     + self._look)
        return self._class_gate

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        """The matches `self.rx.finditer(text, pos, endpos)` yields."""
        end = len(text) if endpos is None else endpos
        if not self.gates:
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

    def starts(self, text: str, pos: int, end: int) -> list[int]:
        """Every position where a match begins, overlapping ones included, in text order."""
        if not self.gates:
            return [m.start() for m in _ahead(self.rx.pattern).finditer(text, pos, end)]
        if len(self.gates) == 1 or end - pos < SHORT:
            gate = self.gates[0] if len(self.gates) == 1 else self.class_gate
            return [g.start() for g in gate.finditer(text, pos, end)]
        return sorted(g.start() for gate in self.gates for g in gate.finditer(text, pos, end))


@lru_cache(maxsize=64)
def _ahead(pattern: str) -> re.Pattern:
    """The pattern as a look-ahead: it matches (empty) wherever the pattern does."""
    return regex(f"(?=(?:{pattern}))")
