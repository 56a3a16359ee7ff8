"""The act of a clause: which lexicon word is its predicate, and what it resolves to.

A clause's act is found from jieba words and the lexicon alone (jieba's POS tagger is five times
slower than the rest of the pipeline). Lexicon words used as nouns (before 的 or a head noun such
as 情况, in a 、 list of nouns, after 把/对), inside an adverbial frame (在…后, 根据…部署),
inside a date or count, or negated (未落实) are not acts. The count a clause holds picks the
verb that governs it; causatives (推动 X 开展 Y) and light verbs (进行 梳理) resolve to the verb
they carry.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate, compress, count, islice, repeat
from operator import add, itemgetter, not_
from typing import NamedTuple

from pipeline.context import segment
from pipeline.context.spans import SpanCover
from pipeline.items.clauses import Clause, Verb
from pipeline.items.lexicon import ACT_CLASSES, ItemRules
from pipeline.records import Body, Quantity, Time
from pipeline.rules import alternation


class Hit(NamedTuple):
    """A lexicon word at word index `i` spanning `n` jieba words, with what its context in the
    document says about it (made once per document by `Words`; a tuple of plain values, which
    the garbage collector stops tracking, where a document holds thousands)."""

    i: int
    n: int
    start: int
    word: str
    cls: str
    rule_id: str
    out: bool  # inside brackets or inside a date or count: not a word of the clause
    noun: bool  # a noun or a modifier by its neighbours (整改情况, 巡视反馈的)
    negated: bool  # 未落实, 不规范
    timed: bool  # before a time word (报送后)
    act_cls: str  # its class as an act: a verbal noun with 了 after it is a strong verb
    verb: Verb  # the hit as a verb of its class as an act, outside any frame

    def as_verb(self, cls: str, framed: bool = False) -> Verb:
        """The hit as a verb of another class than its own act's, or framed (`verb` otherwise)."""
        return Verb(self.start, self.start + len(self.word), self.word, cls, self.rule_id, framed)


_tuple = tuple.__new__  # a named tuple made from a tuple of all its fields, without the
# keyword handling of its constructor: the scan makes one per lexicon word of a document

# What a word's text says to the item stage, one bit each (`WordFlags`).
WHOLE = 1  # it is a lexicon word
HOLDS = 2  # it is none, but holds one that is kept (率达's 达, 集中学习's 学习)
OPEN_END = 4  # its last character is one a lexicon word goes on after
OPEN_START = 8  # its first character is one a lexicon word has before it
OPENER = 16  # a frame, object or purpose opener (`Words.openers`)
NOUN_NEXT = 32  # after a verb, it may make the verb a noun (`Acts.noun_use`)
NOUN_BEFORE = 64  # before a verb, it may make the verb a noun (`noun_use`, `_after_opener`)
SAYS = 128  # next to a verb, it may negate it (未), time it (后) or mark its aspect (了)
COUNTED = (Time, Quantity)  # the mentions no verb of a clause is read inside
_ONLY = {bit: bytes(int(bool(b & bit)) for b in range(256))  # `bytes.translate` tables
         for bit in (WHOLE, HOLDS, OPEN_END, OPEN_START, OPENER, NOUN_NEXT, NOUN_BEFORE, SAYS)}


def ones(mask: bytes, first: int = 0) -> list[int]:
    """Indexes (plus `first`) of the 1 bytes of a mask of 0 and 1 bytes: the mask split at its
    ones, the index of each one is the sum of the lengths of the runs of zeros before it plus
    the ones before it, all by C loops (a search makes a match object for each one, `compress`
    steps over every byte in turn)."""
    zeros = mask.split(b"\x01")  # one more run than ones: the last follows the last one
    return list(map(add, accumulate(map(len, islice(zeros, len(zeros) - 1))), count(first)))


def shifted(mask: bytes, by: int) -> bytes:
    """A mask of 0 and 1 bytes moved `by` places to the right (left when negative), the same
    length: byte k of the result is byte k - by of `mask`, 0 where that is outside it."""
    n = len(mask)
    as_int = int.from_bytes(mask, "little")
    moved = as_int << 8 * by if by >= 0 else as_int >> -8 * by
    return (moved & ((1 << 8 * n) - 1)).to_bytes(n, "little")


def both(a: bytes, b: bytes) -> bytes:
    """The bytewise `and` of two masks of 0 and 1 bytes of one length."""
    return (int.from_bytes(a, "little") & int.from_bytes(b, "little")).to_bytes(len(a), "little")


def either(a: bytes, b: bytes) -> bytes:
    """The bytewise `or` of two masks of 0 and 1 bytes of one length."""
    return (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little")


class HeldWords(dict):
    """The lexicon words a word's text holds alone and keeps (`held_words`), by text."""

    def __init__(self, rules: ItemRules):
        super().__init__()
        self.rules = rules

    def __missing__(self, text: str) -> tuple:
        held = self[text] = held_words(self.rules, text, True)
        return held


class WordFlags(dict):
    """The flags of a word's text, found at its first sight and remembered for the process (up
    to `LIMIT` texts), so that a document's flags are one `bytes(map(...))` over its words,
    not the same set lookups for every lexicon word's neighbours.

    A document of the corpus brings hundreds of texts first seen: each is flagged by three
    look-ups, its whole text and its first and last characters in tables made from the rules
    (`of_text` holds whether it is a lexicon word); only the few whose characters say that a
    longer test may pass (a bit above a byte) or that are three characters or more are asked
    further."""

    __slots__ = ("rules", "held", "of_text", "of_first", "of_last", "heads", "suffixes",
                 "search")
    LIMIT = 1 << 18

    # Bits of a character, above a byte (never stored): a text that starts with it may begin a
    # noun head of several characters, one that ends with it end a noun suffix of several,
    # and it is a lexicon word alone, which a text of two characters may hold.
    HEAD, TAIL, SINGLE = 256, 512, 1024

    def __init__(self, rules: ItemRules):
        super().__init__()
        self.rules = rules
        self.held = HeldWords(rules)
        self.of_text = self._table(  # the flags a word has by its whole text
            (rules.opener_words, OPENER),
            (rules.phrase_openers | {rules.attributive_marker}, NOUN_BEFORE),
            (rules.negators | rules.timing_words | rules.aspect, SAYS),
            (rules.resultative | rules.modifier_markers | {"、"} | rules.noun_heads_always
             | rules.noun_heads, NOUN_NEXT),
            (rules.lexicon, WHOLE))  # the scan of a lexicon word alone finds it
        singles = {w for w in rules.lexicon if len(w) == 1}
        self.of_first = self._table((rules.pair_seconds, OPEN_START),
                                    (rules.problem_initials, NOUN_NEXT),
                                    ({h[0] for h in rules.noun_head_prefixes}, self.HEAD),
                                    (singles, self.SINGLE))
        self.of_last = self._table((rules.pair_firsts, OPEN_END),
                                   ({s for s in rules.noun_suffixes if len(s) == 1}, NOUN_NEXT),
                                   ({s[-1] for s in rules.noun_suffixes if len(s) > 1}, self.TAIL),
                                   (singles, self.SINGLE))
        self.heads, self.suffixes = rules.noun_head_prefixes, rules.noun_suffixes
        self.search = rules.lexicon_re.search
        self._empty()

    @staticmethod
    def _table(*bits: tuple[set[str], int]) -> dict[str, int]:
        """A table of texts (words or characters) to flags, from sets of texts and the bit each
        gives."""
        out: dict[str, int] = {}
        for texts, bit in bits:
            for t in texts:
                out[t] = out.get(t, 0) | bit
        return out

    def _empty(self) -> None:
        """No text remembered but the pad words' "" (no first or last character to look up)."""
        self.clear()
        self.held.clear()
        self[""] = self.of_text.get("", 0)

    def of(self, texts: list[str]) -> bytes:
        """The flags of `texts`, one byte each (all forgotten first past `LIMIT` texts)."""
        if len(self) >= self.LIMIT:
            self._empty()
        return bytes(map(self.__getitem__, texts))

    def __missing__(self, text: str) -> int:
        flags = (self.of_text.get(text, 0) | self.of_first.get(text[0], 0)
                 | self.of_last.get(text[-1], 0))
        if flags > 255 or len(text) > 2:
            flags = self._asked(text, flags)
        self[text] = flags
        return flags

    def _asked(self, text: str, flags: int) -> int:
        """The flags of a text whose characters say that a noun head or suffix of several
        characters or a lexicon word inside may be there: a text of two characters holds one
        only if a character of it is a lexicon word alone."""
        if (flags & self.HEAD and text.startswith(self.heads)
                or flags & self.TAIL and text.endswith(self.suffixes)):
            flags |= NOUN_NEXT
        if (not flags & WHOLE and (len(text) > 2 or flags & self.SINGLE) and self.search(text)
                and self.held[text]):
            flags |= HOLDS
        return flags & 255


@lru_cache(maxsize=4)
def word_flags(rules: ItemRules) -> WordFlags:
    return WordFlags(rules)


def kept(rules: ItemRules, before: str, word: str, rest: str, ends_word: bool) -> bool:
    """Whether a lexicon word that is not a whole jieba word is kept: inside a word that is a
    modifier plus a verb (集中学习, 深入开展), two verbs (研究部署), a noun and a verb of change
    (价格上涨), a noun suffix and a verb (合格率达), all ending the word; or a verb and its
    result complement (提高到, 压减至), a second verb or a glued object, all starting it.
    `before` and `rest` are the word's characters before and after it."""
    return (ends_word and (before in rules.verb_prefixes or before in rules.lexicon
                           or before in rules.noun_suffixes or word in rules.change_verbs)
            or not before and (rest in rules.lexicon or rest in rules.resultative
                               or rest in rules.glued_objects))


def held_words(rules: ItemRules, text: str, ends_word: bool) -> tuple:
    """The lexicon words the scan finds in `text` alone and keeps, as (offset, word, class,
    rule id); `ends_word` says whether the word's end is a word boundary (not so before the
    space a token drops)."""
    out = []
    for m in rules.lexicon_re.finditer(text):
        a, b, w = m.start(), m.end(), m.group()
        if (a == 0 and b == len(text) and ends_word
                or kept(rules, text[:a], w, text[b:], ends_word and b == len(text))):
            out.append((a, w, *rules.lexicon[w]))
    return tuple(out)


def _hit(i: int, n: int, start: int, word: str, cls: str, rule_id: str) -> Hit:
    """A hit as if its context said nothing (`Words.prepare` makes again those it says of)."""
    return _tuple(Hit, (i, n, start, word, cls, rule_id, False, False, False, False, cls,
                        _tuple(Verb, (start, start + len(word), word, cls, rule_id, False))))


class Words:
    """The jieba words of the view (`segment.tokens`) with every lexicon word found in them,
    computed once per document so clauses only look up what they hold."""

    def __init__(self, toks: segment.Tokens | None, view: str, acts: Acts, brackets=(),
                 mentions=()):
        toks = toks or segment.tokens(view)
        self.view, self.acts, self.rules = view, acts, acts.rules
        self.starts, self.texts = toks.starts, toks.texts
        self.pad = self.texts + ["", "", ""]  # at(-1) and at(len + 2) read as ""
        self.inner: dict[int, int] = {}  # word index -> offset of a hit starting inside it
        self.noun_words: set[int] = set()
        self.named = bytearray(len(view))  # 1 inside a body mention: no verb is read there
        self.known = word_flags(self.rules)
        self.flags = self.known.of(self.pad)  # the flags of `pad`
        self.openers = self._having(OPENER)
        self.hits = self.prepare(*self._hits(), brackets, mentions)
        self.free = list(compress(self.hits, map(not_, map(itemgetter(6), self.hits))))  # not out:
        self.free_at = list(map(itemgetter(0), self.free))  # the hits that are words of a clause
        self.free_words = list(map(self.starts.__getitem__, self.free_at))  # their words' starts
        self.long = set(compress(self.free_at, map((1).__lt__, map(itemgetter(1), self.free))))

    def _having(self, bit: int) -> list[int]:
        """Indexes of the words whose flags have `bit`."""
        return ones(self.flags[:len(self.texts)].translate(_ONLY[bit]))

    def prepare(self, hits: list[Hit], irregular: list[int], brackets, mentions) -> list[Hit]:
        """Each lexicon word found with what its context says: bracketed or inside a date or
        count (not a clause word), a noun by its neighbours, negated, before a time word; all of
        which depend on the document, not on the clause a hit ends up in. `hits` come as if
        their context said nothing, which is so of nineteen in twenty: only those whose context
        may say something are made again (`_odd`)."""
        counts = []
        for m in mentions:
            if type(m) is Body:  # by type: read from the object, its `kind` from its dict
                self.named[m.start:m.end] = b"\x01" * (m.end - m.start)
            elif type(m) in COUNTED:
                counts.append((m.start, m.end))
        at = list(map(itemgetter(2), hits))
        bracketed = {p for a, b in brackets
                     for p in range(bisect_left(at, a + 1), bisect_left(at, b))}
        self.noun_words = nouns = self.acts.context_nouns(
            self, [h for p, h in enumerate(hits) if p not in bracketed] if bracketed else hits)
        odd = self._odd(hits, at, irregular, counts, nouns) | bracketed
        if odd:
            covers = SpanCover(counts).covers
            for p in odd:
                h = hits[p]
                hits[p] = self._said(h, p in bracketed or covers(h.start, h.start + len(h.word)),
                                     nouns)
        return hits

    def _odd(self, hits: list[Hit], at: list[int], irregular: list[int], counts, nouns: set[int]
             ) -> set[int]:
        """Positions of the hits whose context may say something: the `irregular` ones (not
        one whole word, so not read by their neighbours' flags), those inside a date or count,
        used as nouns or next to a word that `SAYS` something."""
        odd = {bisect_left(at, s) for s in irregular}
        for a, b in counts:
            odd.update(range(bisect_left(at, a), bisect_left(at, b)))
        words = list(map(itemgetter(0), hits))
        for k in nouns:
            odd.update(range(bisect_left(words, k), bisect_right(words, k)))
        says = self.flags.translate(_ONLY[SAYS])  # on `pad`: 0 past the words
        near = either(shifted(says, 1), shifted(says, -1))  # the words before and after
        odd.update(ones(bytes(map(near.__getitem__, words))))
        return odd

    def _said(self, h: Hit, out: bool, nouns: set[int]) -> Hit:
        """A hit with what its context says, given whether it is `out` of the clause words."""
        rules, pad = self.rules, self.pad
        i, n, start, word, cls, rule_id = h[:6]
        nxt = pad[i + n]
        prev = self.view[self.starts[i]:start] if start > self.starts[i] else pad[i - 1]
        act_cls = "strong" if cls == "nominal" and nxt in rules.aspect else cls
        # 会议召开后, 超过3000人: part of a mention; 不规范, 未落实: a state or a problem
        return _tuple(Hit, (i, n, start, word, cls, rule_id, out, i in nouns,
                            prev in rules.negators, nxt in rules.timing_words, act_cls,
                            _tuple(Verb, (start, start + len(word), word, act_cls, rule_id,
                                          False))))

    def _hits(self) -> tuple[list[Hit], list[int]]:
        """The lexicon words one regex pass over the view would find (leftmost, longest), kept
        where they stand on word boundaries or inside a word as `kept` says, made as if their
        context said nothing; and the starts of the irregular ones (not one whole word).

        No lexicon word runs across the boundary of two words whose last and first characters
        are no pair inside a lexicon word, so the regex would find the same words in the parts
        of the view between such boundaries scanned alone: most parts are one word, whose
        lexicon words are known by its text (`WordFlags`); the few parts of several words are
        scanned (`_joined`)."""
        parts = self._joined()
        aside = {k for lo, hi in parts for k in range(lo, hi)}
        gapped = self._gapped()
        whole = self._having(WHOLE)
        if aside or gapped:
            whole = [k for k in whole if k not in aside and k not in gapped]
        hits = self._whole_hits(whole)
        others = self._held_hits(aside, gapped)
        for lo, hi in parts:
            others += self._scan(self.starts[lo], self._end(hi - 1))
        if others:
            hits += others
            hits.sort(key=itemgetter(2))
        return hits, [h.start for h in others]

    def _whole_hits(self, ks: list[int]) -> list[Hit]:
        """The hits of words that are lexicon words, made column by column (`_hit` for each)."""
        words = list(map(self.texts.__getitem__, ks))
        at = list(map(self.starts.__getitem__, ks))
        of = list(map(self.rules.lexicon.__getitem__, words))
        cls, ids, no = list(map(itemgetter(0), of)), list(map(itemgetter(1), of)), repeat(False)
        verbs = map(_tuple, repeat(Verb), zip(at, map(add, at, map(len, words)), words, cls,
                                              ids, no))
        return list(map(_tuple, repeat(Hit), zip(ks, repeat(1), at, words, cls, ids, no, no, no,
                                                 no, cls, verbs)))

    def _held_hits(self, aside: set[int], gapped: set[int]) -> list[Hit]:
        """The hits inside words that hold lexicon words but are none (and inside words before
        a dropped space, where the word's end is no boundary), outside the joined parts."""
        rules, starts, texts, held, out = self.rules, self.starts, self.texts, self.known.held, []
        ks = self._having(HOLDS)
        if gapped:
            ks = sorted({*ks, *gapped})
        for k in ks:
            if k in aside:
                continue
            found = held[texts[k]] if k not in gapped else held_words(rules, texts[k], False)
            for off, w, cls, rule_id in found:
                out.append(_hit(k, 1, starts[k] + off, w, cls, rule_id))
                if off:
                    self.inner.setdefault(k, off)
        return out

    def _joined(self) -> list[tuple[int, int]]:
        """Word ranges [lo, hi) across whose inner boundaries a lexicon word may run: the last
        character of a word and the first of the next are a pair inside a lexicon word."""
        texts, flags, pairs, n = self.texts, self.flags, self.rules.lexicon_pairs, len(self.texts)
        if n < 2:
            return []
        ks = ones(both(flags[:n - 1].translate(_ONLY[OPEN_END]),
                       flags[1:n].translate(_ONLY[OPEN_START])), 1)  # words k after word k - 1
        lasts = map(itemgetter(-1), map(texts.__getitem__, map(add, ks, repeat(-1))))
        firsts = map(itemgetter(0), map(texts.__getitem__, ks))
        parts: list[tuple[int, int]] = []
        for k in compress(ks, map(pairs.__contains__, map(add, lasts, firsts))):
            if parts and parts[-1][1] == k:
                parts[-1] = (parts[-1][0], k + 1)
            else:
                parts.append((k - 1, k + 1))
        return parts

    def _gapped(self) -> set[int]:
        """Indexes of the words followed by a character of no word: the single space after a
        word that `segment.tokens` drops (as spaCy's trailing space)."""
        view, starts, out = self.view, self.starts, set()
        p = view.find(" ")
        while p >= 0:
            k = bisect_right(starts, p) - 1
            if k >= 0 and self._end(k) == p and not self._starts_word(p):
                out.add(k)
            p = view.find(" ", p + 1)
        return out

    def _scan(self, start: int, end: int) -> list[Hit]:
        """The lexicon words of view[start:end] by the regex, kept where they stand on word
        boundaries (at most three words) or inside one word as `kept` says."""
        rules, out, starts, view = self.rules, [], self.starts, self.view
        for m in rules.lexicon_re.finditer(view, start, end):
            a, b = m.span()
            w = m.group()
            i = bisect_right(starts, a) - 1
            j = bisect_left(starts, b)  # the word after the match, if the match ends one
            w0, ends_word = starts[i], self._starts_word(b)
            if not (a == w0 and ends_word or j - i == 1 and kept(
                    rules, view[w0:a], w, view[b:self._end(i)], ends_word)):
                continue
            if a > w0:
                self.inner.setdefault(i, a - w0)
            if j - i <= 3:
                out.append(_hit(i, max(j - i, 1), a, w, *rules.lexicon[w]))
        return out

    def _end(self, i: int) -> int:
        return self.starts[i] + len(self.texts[i])

    def _starts_word(self, p: int) -> bool:
        """Whether a word starts at offset `p`, or `p` ends the view."""
        k = bisect_left(self.starts, p)
        return p == len(self.view) or k < len(self.starts) and self.starts[k] == p

    def in_name(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a body mention (镇磨 of 双龙湾镇磨口村 is no verb)."""
        return any(self.named[start:end])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Indexes [lo, hi) of the words that start inside [start, end)."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def clause(self, start: int, end: int) -> tuple[int, int, list[int] | tuple, list[Hit] | tuple]:
        """What `Acts.analyse` reads of the clause [start, end), in one call (it is made for
        every clause): the indexes [lo, hi) of the words that start inside it, the indexes of
        its opener words and its hits that are words of a clause (not bracketed, not in a date
        or count); () for none, as most clauses have no opener and one in five no hit. Only a
        hit of several words (one in seventy) starting at one of the last two words can run
        past `hi` (a hit spans at most three words)."""
        starts, openers, at = self.starts, self.openers, self.free_at
        lo = bisect_left(starts, start)
        hi = bisect_left(starts, end, lo)
        a = bisect_left(openers, lo)
        ops = openers[a:bisect_left(openers, hi, a)] if a < len(openers) and openers[a] < hi else ()
        a = bisect_left(at, lo)
        b = bisect_left(at, hi, a)
        if a == b:
            return lo, hi, ops, ()
        if at[b - 1] < hi - 2 or hi - 1 not in self.long and hi - 2 not in self.long:
            return lo, hi, ops, self.free[a:b]
        k = bisect_left(at, hi - 2, a, b)
        return lo, hi, ops, self.free[a:k] + [h for h in self.free[k:b] if h.i + h.n <= hi]

    def hits_between(self, start: int, end: int) -> bool:
        """Whether a word starting in [start, end) holds a hit that is a word of a clause."""
        at = self.free_words
        return bisect_left(at, start) < bisect_left(at, end)

    def at(self, i: int) -> str:
        """Word i, or "" before the first word and past the last."""
        return self.pad[i]

    def head(self, i: int) -> str:
        """Word i up to a lexicon word that starts inside it (率 of 率达)."""
        return self.at(i)[: self.inner.get(i)]


# ---------------------------------------------------------------- the act of a clause


def choose_act(verbs: list[Verb]) -> tuple[Verb | None, bool]:
    """The governing verb: the first act, else the first verbal noun, else an extent verb;
    verbs inside an adverbial frame only when the clause has no other."""
    if len(verbs) == 1:  # the common clause: its one verb, whether framed or not
        cls = verbs[0].cls
        if cls in ACT_CLASSES or cls == "nominal":
            return verbs[0], False
        return (verbs[0], True) if cls == "extent" else (None, False)
    if not verbs:
        return None, False
    for pool in ([v for v in verbs if not v.framed], verbs):
        nominal = None
        for v in pool:
            if v.cls in ACT_CLASSES:
                return v, False
            if nominal is None and v.cls == "nominal":
                nominal = v
        if nominal is not None:
            return nominal, False
    ext = next((v for v in verbs if v.cls == "extent"), None)
    return ext, ext is not None


def noun_governed(act: Verb, c: Clause) -> Verb | None:
    """A causative with no verb after it may govern a verbal noun (督促整改问题, 推动整改工作),
    though not a verb that names a kind of noun (确保新签约项目…)."""
    h = next((h for h in c.hits if h.start > act.start and (
        h.cls == "nominal" or h.cls == "strong" and not h.noun)), None)
    return h.as_verb(h.cls) if h else None




def _first_count(mentions, c: Clause):
    """The clause's first count (a quantity that is no ordinal), or None."""
    for m in mentions:
        if (m.kind == "quantity" and c.start <= m.start and m.end <= c.end
                and not getattr(m, "ordinal", False)):
            return m
    return None


GOVERNING = ACT_CLASSES + ("nominal",)  # the classes of a verb that may govern a count
CONTINUING = ("state", "extent")  # the classes of a relation that may describe the item before
RESOLVED = ("causative", "light")  # the classes of an act that `resolve` reads further


def _verbal(v: Verb) -> bool:
    """A verb that is no verbal noun."""
    return v.cls != "nominal"


class Acts:
    """Finds the act of a clause from its words and the lexicon, built once with the item rules."""

    def __init__(self, rules: ItemRules):
        self.rules = rules
        # the last characters of the adverbial endings: a clause ending in another (or a space,
        # which is stripped first) is no adverbial of time, with no need to look further
        self.ending_chars = frozenset(w[-1] for w in rules.adverbial_endings)
        # the words a clause may start with when a frame opener opens it (enumerators skipped)
        self.frame_starts = frozenset(rules.frame_open) | rules.enumerator_words
        self.count_opener_re = re.compile(alternation(rules.count_openers) or "(?!)")

    def find_verbs(self, words: Words, c: Clause, hits: list[Hit], hi: int,
                   frames: list[tuple[int, int]], openers: list[int]) -> list[Verb] | tuple:
        """Lexicon words of a clause (its `hits`, up to word `hi`) used as its predicate: not as
        nouns, not inside a phrase. `openers` are the indexes of the clause's opener words."""
        if len(hits) == 1 and not openers:  # the common clause: no noun list, zone or frame
            h = hits[0]
            cls = h.act_cls
            if h.noun or h.negated or cls == "disposal":  # 作为 without 把: a preposition
                return ()
            if cls != "speech":
                return (h.as_verb(cls, True) if h.timed else h.verb,)
        rules = self.rules
        zone = self.object_zone(words, hi, hits, openers) if openers else None
        nouns = self.clause_nouns(words, hits, frames) if len(hits) > 1 else ()
        found = []
        for h in hits:
            if h.noun or h.negated or h.i in nouns or (zone and zone[0] < h.i < zone[1]):
                continue
            cls = h.act_cls
            if cls == "disposal":
                if not any(words.texts[i] in rules.disposal_openers
                           for i in openers if i < h.i):
                    continue  # 作为 without 把: a preposition (作为…的任务)
                cls = "strong"
            if cls == "speech":
                if not words.view[h.start + len(h.word):c.end].strip(" :,"):
                    c.speech = h.as_verb("strong")
                    continue  # 郭永平指出: a report of speech, not an act (but see build)
                cls = "strong"
            framed = h.timed or bool(frames) and any(a <= h.i < b for a, b in frames)  # 报送后, 在…后
            if framed or cls != h.act_cls:
                found.append(h.as_verb(cls, framed))
            else:
                found.append(h.verb)
        return found

    def context_nouns(self, words: Words, hits: list[Hit]) -> set[int]:
        """Word indexes of hits used as nouns by their neighbours. In a run of adjacent verbs the
        last decides: before 的 or a problem (执行贯彻不到位) the whole run is a modifier; before a
        head noun such as 情况 only the last word is (报送 整改情况); before a noun head (动员部署会,
        下达提醒函) only its members that are often nouns are; 组织、宣传、财政等系统 is a list of
        nouns. Runs never cross punctuation, so this is done once for the whole document. Only
        runs with a neighbour whose flags say it may make a noun (`NOUN_NEXT`, `NOUN_BEFORE`) are
        asked: nine in ten have none."""
        rules, pad, out = self.rules, words.pad, set()
        at, ns = list(map(itemgetter(0), hits)), list(map(itemgetter(1), hits))
        asked = self._noun_neighbours(words, at, ns)
        for p in asked:
            if p + 1 < len(hits) and at[p + 1] in (at[p], at[p] + ns[p]):
                continue  # not the last of its run
            first = p
            while first and at[first] in (at[first - 1], at[first - 1] + ns[first - 1]):
                first -= 1
            run, last = hits[first:p + 1], hits[p]
            why = self.noun_use(words, last.i, last.n, last.cls)
            if why == "always":
                out.update(r.i for r in run)
            elif why == "head":
                out.add(last.i)
            elif why == "class":
                out.update(r.i for r in run if r.cls in rules.noun_use_classes)
            elif len(run) == 1 and self._after_opener(words, last.i, last.cls):
                out.add(last.i)
        listed = [p for p in asked if p + 1 < len(hits) and at[p + 1] == at[p] + ns[p] + 1
                  and pad[at[p] + ns[p]] == "、"]  # 组织、宣传、财政等系统: a list of nouns
        for p in reversed(listed):
            if at[p + 1] in out:
                out.add(at[p])
        return out

    @staticmethod
    def _noun_neighbours(words: Words, at: list[int], ns: list[int]) -> list[int]:
        """Positions of the hits (at word `at[p]`, `ns[p]` words long) with a word before or
        after them that may make them nouns: a `NOUN_BEFORE` or `NOUN_NEXT` word, or a word
        after them with a hit inside, of which only the head is read (`Words.head`)."""
        flags = words.flags
        after = bytes(map(flags.__getitem__, map(add, at, ns))).translate(_ONLY[NOUN_NEXT])
        before = bytes(map(flags.__getitem__, map(add, at, repeat(-1)))).translate(
            _ONLY[NOUN_BEFORE])
        asked = ones(either(after, before))
        ending = [p for j in words.inner  # the last hit before a word with one inside
                  if (p := bisect_left(at, j) - 1) >= 0 and at[p] + ns[p] == j]
        return sorted({*asked, *ending}) if ending else asked

    def clause_nouns(self, words: Words, hits: list[Hit], frames: list[tuple[int, int]]) -> set[int]:
        """Word indexes of hits that the rest of their clause makes nouns: items of an act's object
        list, and the verbal noun after 给予."""
        return {*self._listed_nouns(words, hits, frames), *self._noun_objects(hits)}

    def _noun_objects(self, hits: list[Hit]) -> list[int]:
        """Verbs whose object is a verbal noun (给予党纪处分, 受到诫勉谈话): the lexicon words after
        them in the clause are that noun, not acts."""
        verbs = self.rules.noun_object_verbs
        for k, h in enumerate(hits):
            if h.word in verbs:
                return [g.i for g in hits[k + 1:] if g.i > h.i]
        return []

    def _listed_nouns(self, words: Words, hits: list[Hit], frames: list[tuple[int, int]]
                      ) -> list[int]:
        """In the object list of an act, verbs often used as nouns next to a 、 are items of the
        list (下设综合协调、督导检查两个专班) and a verb right after 等 modifies the list's head
        noun (编印《手册》等学习资料3种); with no act before (a strong verb outside the `frames`),
        the list is a preposition's object and the verb after 等 is the act (向A、B等发出意见书)."""
        for h in hits:
            if h.cls == "strong" and not h.noun and not (
                    frames and any(a <= h.i < b for a, b in frames)):
                first = h.i
                break
        else:
            return []
        pad, classes, after = words.pad, self.rules.noun_use_classes, self.rules.noun_after
        return [h.i for h in hits if h.i > first and (
            h.cls in classes and "、" in (pad[h.i - 1], pad[h.i + h.n]) or pad[h.i - 1] in after)]

    def noun_use(self, words: Words, i: int, n: int, cls: str) -> str | None:
        """Why a verb is a noun or a modifier here, not a predicate: `always` before 的 or 等, a
        problem (执行不到位) or as an item of a 、 list; `head` before a head noun such as 情况 or
        率 (only the word before it is a noun); `class` where a verb often used as a noun heads a
        noun (整改工作, 督查机制) or follows 的; None otherwise."""
        rules, pad = self.rules, words.pad
        j = i + n
        while pad[j] in rules.resultative and pad[j + 1] in rules.modifier_markers:
            j += 1
        nxt = pad[j] if j not in words.inner else words.head(j)
        if nxt in rules.modifier_markers or self._problem_after(words, j):
            return "always"
        if nxt in rules.noun_heads_always or nxt.endswith(rules.noun_suffixes):
            return "head"
        if nxt == "、" and not rules.lookup(words.texts, j + 1, j + 4):
            return "always"
        before = pad[i][:words.inner[i]] if i in words.inner else pad[i - 1]
        if before in rules.attributive_prefixes and nxt in rules.noun_heads:
            return "head"  # 新签约项目, 新开工项目: what the project is, not an act
        if cls in rules.noun_use_classes and (
                pad[i - 1] == rules.attributive_marker or nxt in rules.noun_heads
                or nxt.startswith(rules.noun_head_prefixes)):
            return "class"
        return None

    def _problem_after(self, words: Words, j: int) -> bool:
        """A problem word ends what the verb says (执行不到位, 落实不力的问题), unless it goes on
        to modify a noun (清理不规范报销经费)."""
        rules = self.rules
        if j >= len(words.starts) or words.pad[j][:1] not in rules.problem_initials:
            return False
        m = rules.problem_re.match(words.view, words.starts[j])
        if m is None:
            return False
        after = words.view[m.end():m.end() + 2]
        return not after or after[0] in ",;:、。!?)" or after.startswith(rules.problem_enders)

    def _after_opener(self, words: Words, i: int, cls: str) -> bool:
        """A verb right after 把/对/为… opens the phrase's noun (把实现全覆盖作为…, 为做好…召开),
        but an act right after 将 is what will be done (将组建…)."""
        before = words.pad[i - 1]
        if before in self.rules.future_openers and cls in ACT_CLASSES:
            return False
        return before in self.rules.phrase_openers

    def frame_spans(self, words: Words, hi: int, openers: list[int]) -> list[tuple[int, int]]:
        """Word ranges of adverbial frames (从…起, 在…基础上, 包括…在内) of one clause (its
        `openers` up to word `hi`), each closed by the first closer after its opener."""
        rules = self.rules
        out = []
        for i in openers:
            closers = rules.frame_open.get(words.texts[i])
            if closers:
                j = next((j for j in range(i + 1, hi) if words.texts[j] in closers), None)
                if j is not None:
                    out.append((i, j + 1))
        return out

    def object_zone(self, words: Words, hi: int, hits: list[Hit], openers: list[int]
                    ) -> tuple[int, int] | None:
        """Words of a phrase whose verbs are not the clause's act: the noun phrase of `对 … 进行 V`
        (up to the light verb) and `把/将 … V` (up to the last act), and the purpose phrase of
        `为(了) V1 … Vk` (up to Vk, or the whole clause when V1 is its only act)."""
        rules = self.rules
        for i in openers:
            w = words.texts[i]
            later = [h for h in hits if h.i > i]
            if w in rules.purpose_openers:
                zone = self.purpose_zone(words, i, hi, later)
            elif (w in rules.object_openers and words.at(i + 1) not in rules.not_object_after
                  and not self._future(words, i, later)):
                zone = self.object_phrase(w, i, later)
            else:
                continue
            if zone:
                return zone
        return None

    def _future(self, words: Words, i: int, later: list[Hit]) -> bool:
        """将 right before an act, adverbs aside (将组建, 将全部转入), means "will": it opens no
        object phrase."""
        rules = self.rules
        if words.texts[i] not in rules.future_openers or not later:
            return False
        k = i + 1
        while words.at(k) in rules.adverbs:
            k += 1
        return later[0].i == k and later[0].cls in ACT_CLASSES

    def object_phrase(self, opener: str, i: int, later: list[Hit]) -> tuple[int, int] | None:
        light = next((h.i for h in later if h.cls == "light"), None)
        if light is not None:
            return (i, light)
        if opener in self.rules.disposal_openers:
            acts = [h.i for h in later if h.cls in ACT_CLASSES or h.cls == "disposal"]
            return (i, acts[-1]) if acts else None
        return None

    def purpose_zone(self, words: Words, i: int, hi: int, later: list[Hit]) -> tuple[int, int] | None:
        """`为做好…工作召开会议`: the purpose phrase runs from 为 to the last act of the clause."""
        rules = self.rules
        k = i + 1
        while words.at(k) in rules.adverbs:
            k += 1
        if not later or later[0].i != k:
            return None  # 为 + a noun: a beneficiary (为基层减负), not a purpose
        acts = [h.i for h in later if h.cls in ACT_CLASSES or h.cls == "nominal"]
        return (i, acts[-1]) if len(acts) > 1 else (i, hi)

    def continues(self, view: str, c: Clause, act: Verb) -> bool:
        """A relation whose subject points back (内容包括…, 其中涉及…): it describes the item before."""
        if act.cls not in CONTINUING:
            return False
        before = view[c.start:act.start].strip()
        return len(before) <= 4 and before.startswith(self.rules.continuation_subjects)

    def resolve(self, act: Verb, verbs: list[Verb], words: Words, c: Clause) -> Verb:
        """A causative's act is the act it governs; a light verb's act is the verbal noun it carries."""
        rules = self.rules
        if act.cls == "causative" and words.view[act.end:act.end + 1] not in rules.aspect:
            m = rules.resolve_stop_re.search(words.view, act.end, c.end)
            stop = m.start() if m else c.end
            later, governed = [], None  # the verbs up to the stop; the first that is no causative
            for v in verbs:
                if act.start < v.start < stop and v.cls != "extent" and not v.framed:
                    later.append(v)
                    if governed is None and v.cls != "causative":
                        governed = v
            if governed is not None and governed.word in rules.practice_idioms:
                return act  # 推动建章立制: the idiom says how, the causative is the act
            return governed or noun_governed(act, c) or (later[-1] if later else act)
        if act.cls == "light":
            return self.light_object(act, words, c) or act
        return act

    def light_object(self, act: Verb, words: Words, c: Clause) -> Verb | None:
        """The verbal noun a light verb carries (spec §5), in the phrase of Chinese characters
        after it (past 了, a count of rounds and an opening quote): an inspection noun ending the
        phrase (进行了延伸巡察 → 巡察, 进行“回头看” → 回头看), else the first act in it (进行评估检查
        → 评估, 进行专题研究 → 研究, 进行提醒谈话 → the compound 提醒谈话). None when it holds
        neither: the light verb is the act."""
        rules, view = self.rules, words.view
        gap = rules.light_gap.match(view, act.end, c.end)
        m = rules.compound_re.match(view, gap.end() if gap else act.end, c.end)
        if m is None:
            return None
        s, e = m.start(), m.end()
        obj = rules.light_object_end.search(view, s, e)
        if obj:
            return Verb(obj.start(), obj.end(), obj.group(), "strong", rules.light_object_id)
        for i in range(s, e - 1):
            for k in range(min(rules.longest, e - i), 1, -1):
                hit = rules.lexicon.get(view[i:i + k])
                if hit and hit[0] not in ("light", "extent"):
                    return Verb(i, i + k, view[i:i + k], *hit)
        return None

    def analyse(self, view: str, words: Words, c: Clause, mentions: list = ()) -> Clause:
        """Fill in a clause's verbs and act. A clause that is an adverbial (ends in 时/期间/后,
        or is one frame from end to end, such as 根据…部署) has none, unless a date opens it:
        the date belongs to that clause's act (spec §5: 自2019年5月县委开展首轮巡察以来 → 开展).
        Most clauses hold one verb and no opener or count: each rarer reading is looked into
        only where a cheap test of the clause (its last character, its first word, the act's
        class or word) allows it."""
        lo, hi, openers, hits = words.clause(c.start, c.end)
        frames = self.frame_spans(words, hi, openers) if openers else ()
        c.hits = hits
        verbs = c.verbs = self.find_verbs(words, c, hits, hi, frames, openers) if hits else ()
        last = view[c.end - 1]
        if ((last in self.ending_chars or last.isspace()) and self._adverbial_end(view, c, mentions)
                or frames and (lo, hi) in frames):
            return self._adverbial(words, c, lo, mentions)
        if words.pad[lo] in self.frame_starts and self._frame_opener_only(words, c, lo):
            c.adverbial = True  # 对照反馈的6个方面问题, …: a basis for the act after it
            return c
        act, extent = None, False
        if len(verbs) == 1:  # the common clause: its one verb is an act, a verbal noun or an
            act = verbs[0]  # extent verb (`find_verbs` leaves no other) and governs any count
            extent = act.cls == "extent"  # (`governing` would give it or None)
        elif verbs:
            act = self.governing(view, c, mentions) if mentions else None
            if act is None:
                act, extent = choose_act(verbs)
        if act is None:
            after = self._after_date(words, c, lo, mentions) if mentions else lo
            if words.pad[after] in self.rules.phrase_openers and not (
                    after > lo and self._counts(c, mentions)):
                c.adverbial = True  # (2025年前)对A、B及其所辖9个县, 以及…开展巡察: the phrase waits for its verb
            return c
        if act.word in self.rules.clause_governors and self._governs_clause(view, act, mentions):
            act = act._replace(cls="causative")
        c.act = act
        c.extent = extent or act.cls in CONTINUING and self.continues(view, c, act)
        c.action = self.resolve(act, verbs, words, c) if act.cls in RESOLVED else act
        return c

    def _adverbial(self, words: Words, c: Clause, lo: int, mentions) -> Clause:
        """An adverbial clause has no act, unless a date opens it and an act follows the date."""
        act = choose_act(c.verbs)[0] if self._after_date(words, c, lo, mentions) > lo else None
        if act is None or act.cls not in ACT_CLASSES:
            c.adverbial = True
            return c
        c.act, c.action = act, self.resolve(act, c.verbs, words, c)
        return c

    @staticmethod
    def _counts(c: Clause, mentions) -> bool:
        return any(m.kind == "quantity" and c.start <= m.start and m.end <= c.end for m in mentions)

    def _after_date(self, words: Words, c: Clause, lo: int, mentions) -> int:
        """The first word of a clause after a date that opens it (2025年前对…, 自2019年5月…),
        or `lo` when none does."""
        k = lo + 1 if words.at(lo) in self.rules.frame_open else lo
        t = next((m for m in mentions if m.kind == "time" and m.start == words.starts[k]
                  and m.end <= c.end), None) if k < len(words.starts) else None
        return words.span(t.end, c.end)[0] if t else lo

    @staticmethod
    def _governs_clause(view: str, act: Verb, mentions) -> bool:
        """明确/规定 (a clause governor) right before a date: it introduces a clause whose act
        the date belongs to."""
        return any(m.kind == "time" and m.start >= act.end and not view[act.end:m.start].strip()
                   for m in mentions)

    def _adverbial_end(self, view: str, c: Clause, mentions) -> bool:
        """A clause ending in 时/后/起 … is an adverbial of time, unless the ending is the
        classifier of a count (查处案件412起)."""
        end = c.end
        if view[end - 1].isspace():
            end = c.start + len(view[c.start:end].rstrip())
        return view.endswith(self.rules.adverbial_endings, c.start, end) and not any(
            m.kind == "quantity" and m.start < end <= m.end for m in mentions)

    def _frame_opener_only(self, words: Words, c: Clause, lo: int) -> bool:
        """A clause that opens with a frame opener that is also a verb (对照, 针对, 围绕) and has
        no act after it is an adverbial of basis, even with no closer (对照反馈的问题,逐项整改)."""
        rules, pad = self.rules, words.pad
        while pad[lo] in rules.enumerator_words:
            lo += 1
        if lo >= len(words.starts) or pad[lo] not in rules.frame_open:
            return False
        start = words.starts[lo]
        return not any(v.start > start and v.cls in ACT_CLASSES and not v.framed for v in c.verbs)

    def governing(self, view: str, c: Clause, mentions: list) -> Verb | None:
        """The verb that governs the clause's first count: the nearest act before it
        (the first of a run such as 修订完善), unless a preposition stands between them
        (占比重由47.6%提升至…), in which case the first act after it, a verb before a verbal noun
        (对涉及…的2个投资项目启动…). None when the clause counts nothing."""
        q = _first_count(mentions, c)
        if q is None:
            return None
        acts, before, verbal, after = [], [], [], []  # in one pass over the verbs
        for v in c.verbs:
            if v.cls in GOVERNING and not v.framed:
                acts.append(v)
                if v.end <= q.start:
                    before.append(v)
                    if v.cls != "nominal":
                        verbal.append(v)
                elif v.start >= q.end:
                    after.append(v)
        before = verbal or before  # 受理信访举报460件: 受理
        acting = next(filter(_verbal, after), None)  # the first act after the count
        if before and before[-1].cls == "nominal" and acting is not None:
            before = []  # 投资连续9个月保持增长: a verbal noun subject, the act comes after
        if before and (not self.opener_between(view, before[-1].end, q.start)
                       or self._attributive(view, q.end, after, c.end)):
            v = self._run_start(view, acts, before[-1])
            if v.word in self.rules.practice_idioms:  # 推动建章立制55项: the causative governs
                v = next((a for a in reversed(before) if a.cls == "causative" and a.end <= v.start), v)
            return v
        return acting or (after[0] if after else None)

    def _attributive(self, view: str, end: int, after: list[Verb], stop: int) -> bool:
        """A preposition phrase that a 的 closes before any verb after the count modifies a noun
        (完成对全市82个乡镇的专项督查): it is the object of the verb before it, which governs."""
        if any(v.cls != "nominal" for v in after):
            return False
        return self.rules.attributive_marker in view[end:after[0].start if after else stop]

    def opener_between(self, view: str, a: int, b: int) -> bool:
        """Whether a count opener (由, 对, 较 …) stands in view[a:b]."""
        return self.count_opener_re.search(view, a, b) is not None

    def _run_start(self, view: str, acts: list[Verb], v: Verb) -> Verb:
        """The first verb of the run that ends at `v` (健全完善, 梳理、修订, 新建和修订); a manner
        word that is also a verb (细化制定) modifies the verb after it and does not start a run."""
        rules = self.rules
        if v.word in rules.change_verbs:
            return v  # 投资增长6.5%: a change is said of the noun before it, not run with it
        k = acts.index(v)
        if k > 0 and v.cls == acts[k - 1].cls == "nominal" and acts[k - 1].end == v.start:
            return acts[k - 1]  # 审核报告113份: the first verbal noun acts on the second
        while (k > 0 and acts[k - 1].cls in ("strong", "weak")
               and acts[k - 1].word not in rules.verb_prefixes
               and view[acts[k - 1].end:acts[k].start] in rules.run_joiners):
            k -= 1
        return acts[k]
