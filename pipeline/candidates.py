"""One candidate type, and the rows that say what became of each candidate.

Every stage that owns a rule file explains a text as `Explained` rows: the candidate a rule
proposed (its span, its rule, what was learnt of it), the record it became, or the id of what
dropped it. The extractors (`pipeline.extractors.base`) build on them; the context's stages
(boundaries, regions) and the item stage use them to show their rules' examples, which one test
checks for every rule file (`tests/test_rule_examples.py`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.records import Span

OVERLAP = "overlap"  # what `dropped_by` says of a candidate a longer (or earlier) one beat


@dataclass(eq=False)
class Candidate:
    """A span one rule (or the model) proposes, and what is learnt of it before it is kept.

    `fields` are the record's own fields as they are read (`value`, `unit`; `time_kind`,
    `start_date`; `name`, `role`) and `how` says how each was found, which makes the mention's
    explanation; an extractor never reads the explanation back to decide anything.
    """

    start: int
    end: int
    rule: Any  # the rule model that matched (its `id` is the mention's rule_id)
    order: int = 0  # the rule's rank in its file: the earlier rule wins a tie
    groups: dict[str, Any] = field(default_factory=dict)  # named groups of the match
    match: re.Match | None = None
    source: str = "rule"
    score: float = 1.0
    place: Any = None  # the place the span names, where the extractor reads one
    fields: dict[str, Any] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # ids of rules that shaped it after the match
    dropped_by: str | None = None  # id of the filter that dropped it, or OVERLAP
    rival: Candidate | None = None  # the candidate that beat it, when dropped by OVERLAP

    @property
    def rule_id(self) -> str:
        return self.rule.id


@dataclass(frozen=True)
class Explained:
    """One candidate and what became of it: a mention, or the id of what dropped it."""

    candidate: Candidate
    mention: Span | None = None  # a Mention, a WorkItem …
    dropped_by: str | None = None

    @property
    def status(self) -> str:
        """`kept`, `found`, or why dropped, in words (`overlaps time.deadline.before …`)."""
        c = self.candidate
        if self.mention is not None:
            return "kept"
        if self.dropped_by is None:
            return "found"  # a finding that makes no mention of its own (a place a text teaches)
        if self.dropped_by == OVERLAP and c.rival is not None:
            return f"dropped: overlaps {c.rival.rule_id} [{c.rival.start}:{c.rival.end}]"
        return f"dropped: {self.dropped_by}" + (f" ({'; '.join(c.notes)})" if c.notes else "")


@dataclass(frozen=True)
class RuleRef:
    """A rule known by its id alone (an item's act rule, a measure's deciding rule)."""

    id: str
