"""The extractor interface: one candidate type, one overlap resolver, one way to explain.

Every extractor is built once with its compiled rules and options, then asked per document:
`extract(ctx)` gives its mentions, `explain(ctx)` every candidate it considered with what became
of it (the rule that found it, the mention it became, or the filter or rival that dropped it),
which is how a miss is debugged and how the rule files' examples are checked. The run
(`pipeline.run.process`) finds the extractors of this package by themselves
(`pipeline.extractors.extractor_classes`): a new kind of mention needs its rules file, its
module here and its record in `records.py`, nothing else.

Compare Presidio: `AnalyzerEngine` builds the NLP artefacts once and hands them to every
recognizer, a class with one method, whose results carry an explanation.
"""
from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, ClassVar

from pipeline.candidates import OVERLAP, Candidate, Explained
from pipeline.context.document import Context
from pipeline.records import Mention, SharedFields, made
from pipeline.rules import Example

__all__ = ["OVERLAP", "Candidate", "Explained", "Extractor", "Refiner", "Typed", "absorb", "select"]


class Extractor(ABC):
    """A stage that finds one kind of mention, built once with its compiled rules."""

    kind: ClassVar[str]  # the mention kind it makes (`Mention.kind` of its record)
    record: ClassVar[type[Mention]]
    rules_file: ClassVar[str]  # the file under rules/ whose examples `examples` yields
    yields_to: ClassVar[tuple[str, ...]] = ()  # kinds whose mentions absorb those inside them
    # fields the spec scores by containment (§7: `counted`): an example's value and the
    # record's need only contain one another
    contained_fields: ClassVar[tuple[str, ...]] = ()
    typed: Typed | None = None  # makes records without validation, where fields come typed

    @classmethod
    def build(cls, use_model: bool = True) -> Extractor:
        """The extractor as a run builds it; `use_model` False means rules alone."""
        return cls()

    @abstractmethod
    def explain(self, ctx: Context) -> list[Explained]:
        """Every candidate, in text order, with the mention it became or what dropped it."""

    def extract(self, ctx: Context) -> list[Mention]:
        """The mentions of one document; spans index its original text."""
        return [row.mention for row in self.explain(ctx) if row.mention is not None]

    @abstractmethod
    def examples(self) -> Iterable[tuple[str, Example]]:
        """(rule id, example) of every rule and filter in the rules file."""

    @abstractmethod
    def rule_ids(self) -> list[str]:
        """The id of every rule and filter in the rules file (each must have an example)."""

    def example_context(self, text: str) -> Context:
        """The context an example of the rules file is read in."""
        return Context.of(text)

    def mention(self, ctx: Context, c: Candidate, explanation: str | None = None) -> Mention:
        """The record of a kept candidate: its span as written, its provenance, its fields;
        made without validating it again (`typed`) by a stage whose fields come typed."""
        text = ctx.span(c.start, c.end)
        if self.typed is not None:
            return self.typed.mention(c, text, explanation)
        return self.record(**{"start": c.start, "end": c.end, "text": text, "rule_id": c.rule_id,
                              "source": c.source, "score": float(c.score),
                              "explanation": explanation, **c.fields})


# the fields `Extractor.mention` gives every record, before the candidate's own
MENTION_GIVEN = ("start", "end", "text", "rule_id", "source", "score", "explanation")


class Typed:
    """Records of one mention class made from values already of their fields' types, without
    validating them again: what validation gives (the same values in the declared field order,
    the defaults of the fields left out, the fields given as set) at a fifth of its cost. A
    stage that makes thousands of one record (quantities, times, bodies) uses it for values it
    typed itself; tests hold it to validation's records."""

    def __init__(self, cls: type[Mention]):
        fields = cls.model_fields
        if any(f.default_factory is not None for f in fields.values()):
            raise TypeError(f"{cls.__name__}: a default made per record needs validation")
        self.cls = cls
        self.template = {name: None if f.is_required() else f.default for name, f in fields.items()}
        self.given = SharedFields(MENTION_GIVEN)  # with a candidate's fields: its record's set

    def mention(self, c: Candidate, text: str, explanation: str | None) -> Mention:
        """The record `Extractor.mention` makes of a candidate, its fields overriding the rest.
        The records that set the same fields share one fields set (most of a stage's records
        do): a set of a dozen names less for each (`run.process.number` replaces a shared set
        with a shared one, not changing it)."""
        fields = c.fields
        return made(self.cls, {  # the template's order: the declared one
            **self.template, "start": c.start, "end": c.end, "text": text, "rule_id": c.rule_id,
            "source": c.source, "score": float(c.score), "explanation": explanation, **fields},
            self.given.with_(fields))


class Refiner(ABC):
    """A stage after the overlap resolver: it reads the resolved mentions of the whole document
    and fills fields of one kind's records (measures, scope and status on quantities). Found by
    the run like the extractors, and applied in order after them."""

    kind: ClassVar[str]  # the kind of mention it refines
    rules_file: ClassVar[str]

    @classmethod
    def build(cls, use_model: bool = True) -> Refiner:
        return cls()

    @abstractmethod
    def refine(self, ctx: Context, mentions: list[Mention]) -> list[Mention]:
        """The document's mentions, those of `kind` with the fields this stage decides."""


def select(found: Iterable[Candidate], key: Callable[[Candidate], Any]) -> list[Candidate]:
    """The one overlap resolver: take candidates in the order of `key`, keep each that shares
    no character with one kept before, and return the kept ones in text order.

    `key` is the policy: longest first then the earlier rule (times, bodies), or leftmost then
    longest (quantities, which scan left to right). A dropped candidate records the rival that
    beat it. An empty span holds no character and is always kept.
    """
    taken: list[Candidate] = []
    starts: list[int] = []
    empty: list[Candidate] = []
    for c in sorted(found, key=key):
        if c.end <= c.start:
            empty.append(c)
            continue
        i = bisect.bisect_left(starts, c.start)
        rival = _rival(taken, i, c)
        if rival is not None:
            c.dropped_by, c.rival = OVERLAP, rival
            continue
        taken.insert(i, c)
        starts.insert(i, c.start)
    return sorted(taken + empty, key=lambda c: c.start) if empty else taken


def _rival(taken: list[Candidate], i: int, c: Candidate) -> Candidate | None:
    """The kept candidate `c` overlaps, if any; `taken` is disjoint and sorted, `i` is where
    `c` would go, so only its two neighbours can overlap it."""
    if i and taken[i - 1].end > c.start:
        return taken[i - 1]
    if i < len(taken) and taken[i].start < c.end:
        return taken[i]
    return None


def absorb(mentions: list[Mention], yields_to: dict[str, tuple[str, ...]]) -> list[Mention]:
    """Mentions of one kind that share a character with a mention of a kind it yields to are
    part of that one (`2个月` in `反馈后2个月内` is part of the time, not a count; `2019本` is no
    count of books before `本月`); the rest in text order (start, longest first, kind). The
    mentions of one kind are disjoint."""
    cover = {k: _Disjoint([(m.start, m.end) for m in mentions if m.kind == k])
             for k in {k for ks in yields_to.values() for k in ks}}
    checks = {kind: [cover[k] for k in ks] for kind, ks in yields_to.items() if ks}
    keep = []
    for m in mentions:
        for c in checks.get(m.kind, ()):
            if c.meets(m.start, m.end):
                break
        else:
            keep.append(m)
    keep.sort(key=attrgetter("kind"))  # three stable sorts: start, then longest, then kind
    keep.sort(key=attrgetter("end"), reverse=True)
    keep.sort(key=attrgetter("start"))
    return keep


class _Disjoint:
    """Sorted spans asked `overlaps`' question, with the bisection on a list of plain starts
    instead of (start, end) tuples."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def meets(self, a: int, b: int) -> bool:
        """Whether [a, b) shares a character with one of the spans (`overlaps`)."""
        i = bisect.bisect_right(self.starts, a) - 1
        if i >= 0 and self.ends[i] > a:
            return True
        return i + 1 < len(self.starts) and self.starts[i + 1] < b
