"""Practice categories researchers compare across inspection reports (`rules/practices.yaml`).

Each category has cue terms and `except` phrases inside which a cue does not count (规定 in
中央八项规定). Cues are found once per document, in one regex pass per category, and asked per
item span.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from pydantic import Field

from pipeline.candidates import Candidate, Explained
from pipeline.records import Cue
from pipeline.rules import Example, RuleModel, alternation, load_model


class Practice(RuleModel):
    id: str
    name: str
    cues: list[str]
    except_: list[str] = Field(default_factory=list, alias="except")
    examples: list[Example]


class PracticeFile(RuleModel):
    categories: list[Practice]


@lru_cache(maxsize=1)
def practice_rules() -> list[tuple[Practice, re.Pattern, re.Pattern | None]]:
    """Each category with its cue regex and the regex of phrases where its cues do not count."""
    f = load_model("practices.yaml", PracticeFile)
    return [(p, re.compile(alternation(p.cues)),
             re.compile(alternation(p.except_)) if p.except_ else None) for p in f.categories]


class Cues:
    """Every practice cue of a document, found in one pass per category and kept in one list
    in text order, to be asked per span."""

    def __init__(self, view: str, rules=None):
        found = []
        for rank, (p, cue_re, not_re) in enumerate(rules or practice_rules()):
            blocked = [(m.start(), m.end()) for m in not_re.finditer(view)] if not_re else []
            found.extend((m.start(), m.end(), rank, p.name, m.group()) for m in cue_re.finditer(view)
                         if not any(a <= m.start() and m.end() <= b for a, b in blocked))
        found.sort()
        self.found = found
        self.starts = [f[0] for f in found]

    def of(self, start: int, end: int) -> tuple[list[str], list[Cue]]:
        """Practice categories of a span (in the order of the rule file), each with the first
        cue that fired in it."""
        first: dict[int, tuple] = {}
        for k in range(bisect_left(self.starts, start), bisect_left(self.starts, end)):
            hit = self.found[k]
            if hit[1] <= end and hit[2] not in first:
                first[hit[2]] = hit
        hits = [first[r] for r in sorted(first)]
        return ([h[3] for h in hits],
                [Cue(category=name, cue=cue, start=a, end=b) for a, b, _, name, cue in hits])


def categorize(view: str, start: int, end: int) -> tuple[list[str], list[Cue]]:
    """Practice categories of one span of a text (for callers outside the item builder)."""
    return Cues(view[:end]).of(start, end)


class Practices:
    """The practice categories as one owner of examples: each example's `span` is a cue that
    makes its category fire (tests/test_rule_examples.py)."""

    rules_file = "practices.yaml"

    def __init__(self):
        self.rules = practice_rules()

    def examples(self):
        for p, _, _ in self.rules:
            yield from ((p.id, ex) for ex in p.examples)

    def rule_ids(self) -> list[str]:
        return [p.id for p, _, _ in self.rules]

    def explain(self, ctx) -> list[Explained]:
        """Every cue that counts in the context's view, as a candidate of its category."""
        cues = Cues(ctx.view, self.rules)
        return [Explained(Candidate(a, b, self.rules[rank][0])) for a, b, rank, _, _ in cues.found]

