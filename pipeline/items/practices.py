"""Practice categories researchers compare across inspection reports (`rules/practices.yaml`).

A cue counts where it means the practice: as a whole word and in an inspection context.
- Whole word: the cue starts and ends on the segmenter's word boundaries, or inside a compound
  word where that word splits into two words of the dictionary (`整改` in `整改措施`, `村居` in
  `村居巡察`), never across a word's middle (`村居` in `农村居民`, `提级` in `提级别`).
- Inspection context: the cue's sentence (which holds its item) or the heading of its section
  speaks of inspection work (`context` of the rule file: 巡视, 巡察, 督查, 整改), or the whole
  document does (a report of inspection work, dense in those words), so that a work report's
  `社区卫生服务全覆盖` is no inspection practice.
Each category also has `except` phrases inside which a cue does not count (规定 in 中央八项规定).
Cues are found once per document, in one regex pass for every category, and asked per
item span.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from pydantic import Field, model_validator

from pipeline.candidates import Candidate, Explained
from pipeline.context import segment
from pipeline.context.spans import SpanCover, merged
from pipeline.records import Cue, Heading, all_fields, made
from pipeline.rules import Example, RuleModel, alternation, load_model, trie_alternation


class Practice(RuleModel):
    id: str
    name: str
    cues: list[str]
    except_: list[str] = Field(default_factory=list, alias="except")
    examples: list[Example]

    @model_validator(mode="after")
    def _both_ways(self):
        if {ex.expect for ex in self.examples} != {"found", "absent"}:
            raise ValueError("examples where a cue counts (found) and where it must not (absent)")
        return self


class InspectionContext(RuleModel):
    words: str = Field(description="regex: words that make a sentence, a heading or a document "
                                   "speak of inspection work, where cues count")
    per_mille: float = Field(description="matches per 1000 characters of a document that is "
                                         "about inspection work throughout")
    at_least: int = Field(description="and at least this many matches")


class PracticeFile(RuleModel):
    context: InspectionContext
    categories: list[Practice]


@lru_cache(maxsize=1)
def practice_file() -> PracticeFile:
    return load_model("practices.yaml", PracticeFile)


@lru_cache(maxsize=1)
def practice_rules() -> list[tuple[Practice, re.Pattern, re.Pattern | None]]:
    """Each category with its cue regex and the regex of phrases where its cues do not count."""
    return [(p, re.compile(alternation(p.cues)),
             re.compile(alternation(p.except_)) if p.except_ else None)
            for p in practice_file().categories]


@lru_cache(maxsize=1)
def inspection_words() -> re.Pattern:
    return re.compile(practice_file().context.words)


def inspection_document(view: str, matches: int | None = None) -> bool:
    """Whether a whole document speaks of inspection work (a report of inspection, not a work
    report that mentions it): dense enough in the context words (`matches` of them, when the
    caller has found them)."""
    c = practice_file().context
    n = len(inspection_words().findall(view)) if matches is None else matches
    return n >= c.at_least and n * 1000 >= c.per_mille * max(1, len(view))


@lru_cache(maxsize=1 << 16)
def inner_bounds(word: str) -> frozenset[int]:
    """Offsets inside a word where it splits into words of the segmenter's dictionary (its
    shorter words, by the segmenter's search mode):
    - a shorter word ends there and another begins (`整改|措施`, `干部|队伍`);
    - or one ends or begins there and none runs across it: a bound character beside a word
      (`副|组长`, `培训|班`), never `农|村居民` (农村 runs across) nor `班|组长` (班组);
    - and, in a word the dictionary does not hold (the segmenter's guess that glued a
      classifier to its noun: `个村`), wherever both sides are words."""
    parts = [(s, e) for s, e in segment.search_spans(word) if e - s < len(word)]
    starts, ends = {s for s, _ in parts}, {e for _, e in parts}
    crossed = {k for s, e in parts for k in range(s + 1, e)}
    found = (starts & ends) | ((starts | ends) - crossed - {0, len(word)})
    if not segment.is_word(word):
        found |= {k for k in range(1, len(word))
                  if segment.is_word(word[:k]) and segment.is_word(word[k:])}
    return frozenset(found)


class Words:
    """Word boundaries of a document: the segmenter's tokens, and the splits of compounds."""

    def __init__(self, tokens: segment.Tokens, length: int):
        self.starts, self.texts, self.length = tokens.starts, tokens.texts, length

    def boundary(self, offset: int) -> bool:
        if offset >= self.length:
            return True
        k = bisect_right(self.starts, offset) - 1
        if k < 0 or self.starts[k] == offset:
            return True
        return offset - self.starts[k] in inner_bounds(self.texts[k])

    def whole(self, start: int, end: int) -> bool:
        """Whether [start, end) begins and ends on word boundaries."""
        return self.boundary(start) and self.boundary(end)


class Scope:
    """Whether a place of a document is in an inspection context: the document, its sentence
    or the heading of its section speaks of inspection work."""

    def __init__(self, view: str, sentences: list[tuple[int, int]], headings: list[Heading],
                 context: re.Pattern, document: bool = False,
                 found: list[tuple[int, int]] | None = None):
        self.view, self.context, self.document = view, context, document
        self.found = found  # the spans of the context words in the view, when known
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self.headings = headings
        self.heading_starts = [h.start for h in headings]
        self._sentence_speaks: dict[int, bool] = {}  # sentence index -> speaks, asked once each
        self._heading_speaks: dict[int, bool] = {}  # heading index -> speaks, asked once each

    def speaks(self, s: int, e: int) -> bool:
        return self.context.search(self.view, s, e) is not None

    def sentence_speaks(self, k: int) -> bool:
        """Whether sentence k speaks of inspection work (asked once per sentence)."""
        known = self._sentence_speaks.get(k)
        if known is None:
            known = self._sentence_speaks[k] = self.speaks(*self.sentences[k])
        return known

    def spans(self) -> list[tuple[int, int]]:
        """Where `inspection` may hold, in text order and apart: the whole text of a document
        that speaks of inspection work, else its sentences that do (found from one scan for
        the context words: a sentence any match runs into is asked) and the sections under
        its headings that do. Most sentences of a work report do not: cues are looked for
        only there."""
        if self.document:
            return [(0, len(self.view))]
        starts, out = self.sentence_starts, []
        found = self.found
        if found is None:
            found = [m.span() for m in self.context.finditer(self.view)]
        for a, b in found:
            for k in range(max(0, bisect_right(starts, a) - 1), bisect_left(starts, b)):
                if self.sentence_speaks(k):
                    out.append(self.sentences[k])
        for h, start in enumerate(self.heading_starts):
            if self.heading_speaks(h):
                nxt = h + 1
                out.append((start, self.heading_starts[nxt] if nxt < len(self.heading_starts)
                            else len(self.view)))
        return merged(sorted(out))

    def inspection(self, offset: int) -> bool:
        if self.document:
            return True
        k = bisect_right(self.sentence_starts, offset) - 1
        if k >= 0 and offset < self.sentences[k][1] and self.sentence_speaks(k):
            return True
        h = bisect_right(self.heading_starts, offset) - 1
        return h >= 0 and self.heading_speaks(h)

    def heading_speaks(self, h: int) -> bool:
        """Whether heading h speaks of inspection work (asked once per heading: every cue of
        its section outside a sentence that does asks it)."""
        known = self._heading_speaks.get(h)
        if known is None:
            heading = self.headings[h]
            known = self._heading_speaks[h] = self.speaks(heading.start, heading.end)
        return known


class CueTable:
    """The cues of every category in one regex, a tree of their characters: a document is
    scanned once for all categories instead of once per category. Where a cue begins, the
    scan's match is the longest cue there; the other cues that begin there are its prefixes,
    so what each category's own regex (longest first) would match there is known from it."""

    def __init__(self, rules):
        self.rules = rules
        cues = {c for p, _, _ in rules for c in p.cues}
        self.any = re.compile(trie_alternation(cues))
        self.longest = max(map(len, cues))
        self.at: dict[str, tuple[tuple[int, str], ...]] = {  # longest cue -> (category, its cue)
            w: tuple((rank, max((c for c in p.cues if w.startswith(c)), key=len))
                     for rank, (p, _, _) in enumerate(rules) if any(w.startswith(c) for c in p.cues))
            for w in cues}

    def matches(self, view: str, spans: list[tuple[int, int]] | None = None
                ) -> Iterator[tuple[int, int, int]]:
        """(start, end, category) of what each category's regex finds, as `finditer` would
        (a category's next match starts at or after the end of its last), in text order; only
        those starting in `spans` (in text order, apart; the whole text when None). The scan
        jumps to a longest cue's length before each span, so that a match running into it
        weighs as in a scan of the whole text (which it does exactly unless a chain of
        overlapping cues of one category runs into the span: cues are words, and spans start
        sentences and sections)."""
        last_end = [0] * len(self.rules)
        spans = [(0, len(view))] if spans is None else spans
        k, reach = 0, self.longest - 1
        m = self.any.search(view, max(0, spans[0][0] - reach)) if spans else None
        while m is not None:
            p = m.start()
            while k < len(spans) and spans[k][1] <= p:
                k += 1
            if k == len(spans):
                return
            if p < spans[k][0] - reach:  # far before the next span: jump to it
                m = self.any.search(view, spans[k][0] - reach)
                continue
            for rank, cue in self.at[m.group()]:
                if p >= last_end[rank]:
                    last_end[rank] = p + len(cue)
                    if p >= spans[k][0]:
                        yield p, p + len(cue), rank
            m = self.any.search(view, p + 1)


CUE_FIELDS = all_fields(Cue)


@lru_cache(maxsize=1)
def cue_table() -> CueTable:
    return CueTable(practice_rules())


class Cues:
    """Every practice cue that counts in a document (a whole word, in an inspection context),
    found in one pass over the text (`CueTable`) and kept in one list in text order, to be
    asked per span. A category's excepted phrases are looked for only once a cue of it is."""

    def __init__(self, view: str, words: Words, scope: Scope, rules=None):
        table = cue_table() if rules is None or rules is practice_rules() else CueTable(rules)
        rules, blocked, found = table.rules, {}, []
        for a, b, rank in table.matches(view, scope.spans()):
            p, _, not_re = rules[rank]
            if not_re is not None:
                if rank not in blocked:
                    blocked[rank] = SpanCover((m.start(), m.end()) for m in not_re.finditer(view))
                if blocked[rank].covers(a, b):
                    continue
            if words.whole(a, b) and scope.inspection(a):
                found.append((a, b, rank, p.name, view[a:b]))
        found.sort()
        self.found = found
        self.starts = [f[0] for f in found]

    @classmethod
    def of_context(cls, ctx, rules=None) -> Cues:
        """The cues of a document context (its view, words, sentences and headings)."""
        view, context = ctx.view, inspection_words()
        found = [m.span() for m in context.finditer(view)]  # one scan: density and spans
        scope = Scope(view, ctx.units.sentences, list(ctx.headings), context,
                      inspection_document(view, len(found)), found)
        return cls(view, Words(ctx.tokens, len(view)), scope, rules)

    def any_between(self, start: int, end: int) -> bool:
        """Whether a cue starts in [start, end): a sentence without one spares its items `of`."""
        k = bisect_left(self.starts, start)
        return k < len(self.starts) and self.starts[k] < end

    def of(self, start: int, end: int) -> tuple[list[str], list[Cue]]:
        """Practice categories of a span (in the order of the rule file), each with the first
        cue that fired in it."""
        starts = self.starts
        lo = bisect_left(starts, start)
        if lo == len(starts) or starts[lo] >= end:  # no cue in the span (most items)
            return [], []
        hi = bisect_left(starts, end, lo)
        first: dict[int, tuple] = {}
        for k in range(lo, hi):
            hit = self.found[k]
            if hit[1] <= end and hit[2] not in first:
                first[hit[2]] = hit
        hits = [first[r] for r in sorted(first)]
        return ([h[3] for h in hits],
                [made(Cue, {"category": name, "cue": cue, "start": a, "end": b}, CUE_FIELDS)
                 for a, b, _, name, cue in hits])


def categorize(text: str, start: int, end: int) -> tuple[list[str], list[Cue]]:
    """Practice categories of one span of a text (for callers outside the item builder)."""
    from pipeline.context.document import Context

    return Cues.of_context(Context.of(text[:end])).of(start, end)


class Practices:
    """The practice categories as one owner of examples: each example's `span` is a cue that
    makes its category fire, or one that must not (tests/test_rule_examples.py)."""

    rules_file = "practices.yaml"

    def __init__(self):
        self.rules = practice_rules()

    def examples(self):
        for p, _, _ in self.rules:
            yield from ((p.id, ex) for ex in p.examples)

    def rule_ids(self) -> list[str]:
        return [p.id for p, _, _ in self.rules]

    def explain(self, ctx) -> list[Explained]:
        """Every cue that counts in the context, as a candidate of its category."""
        cues = Cues.of_context(ctx, self.rules)
        return [Explained(Candidate(a, b, self.rules[rank][0])) for a, b, rank, _, _ in cues.found]
