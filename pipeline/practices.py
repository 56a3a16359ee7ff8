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

from .records import Cue
from .rules import RuleModel, alternation, load_model

class PracticeExample(RuleModel):
    text: str
    cue: str


class Practice(RuleModel):
    id: str
    name: str
    cues: list[str]
    except_: list[str] = Field(default_factory=list, alias="except")
    examples: list[PracticeExample]


class PracticeFile(RuleModel):
    categories: list[Practice]


@lru_cache(maxsize=1)
def practice_rules() -> list[tuple[Practice, re.Pattern, re.Pattern | None]]:
    """Each category with its cue regex and the regex of phrases where its cues do not count."""
    f = load_model("practices.yaml", PracticeFile)
    return [(p, re.compile(alternation(p.cues)),
             re.compile(alternation(p.except_)) if p.except_ else None) for p in f.categories]


class Cues:
    """Every practice cue of a document, found in one pass per category, to be asked per span."""

    def __init__(self, view: str):
        self.found = []
        for p, cue_re, not_re in practice_rules():
            blocked = [(m.start(), m.end()) for m in not_re.finditer(view)] if not_re else []
            hits = [(m.start(), m.end(), m.group()) for m in cue_re.finditer(view)
                    if not any(a <= m.start() and m.end() <= b for a, b in blocked)]
            self.found.append((p.name, [h[0] for h in hits], hits))

    def of(self, start: int, end: int) -> tuple[list[str], list[Cue]]:
        """Practice categories of a span, each with the first cue that fired in it."""
        cats, cues = [], []
        for name, starts, hits in self.found:
            k = bisect_left(starts, start)
            if k < len(hits) and hits[k][1] <= end:
                a, b, cue = hits[k]
                cats.append(name)
                cues.append(Cue(category=name, cue=cue, start=a, end=b))
        return cats, cues


def categorize(view: str, start: int, end: int) -> tuple[list[str], list[Cue]]:
    """Practice categories of one span of a text (for callers outside the item builder)."""
    return Cues(view[:end]).of(start, end)
