"""`rules/ledger.yaml`: its schema (validated at load, unknown keys are errors) and its patterns,
compiled once. The ledger's Chinese words all live in that file (the anchors stage's in
`rules/anchors.yaml`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field

from pipeline.records import NoticeForm
from pipeline.rules import Example, RuleModel, compile_rule, load_model

LEDGER_FILE = "ledger.yaml"
RULE_ID = r"^ledger(\.[a-z0-9_]+)+$"


# ---------------------------------------------------------------- the file's rules

class Cued(RuleModel):
    """A rule with examples (`pipeline.rules.Example`) that pipeline/ledger/explain.py shows."""

    id: str = Field(pattern=RULE_ID)
    examples: list[Example] = Field(min_length=2)


# ---------------------------------------------------------------- the file's sections

class FormRule(Cued):
    form: NoticeForm
    cue: str


class SubjectRule(Cued):
    after: str = Field(description="matched right after the body mention")
    not_name: str = Field(description="a body whose name matches is never the subject")


class TargetRule(Cued):
    before: str = Field(description="searched in the clause before the mention (anchor with $)")
    after: str = Field(description="matched right after the mention (or its enumeration)")
    cue: str = Field(description="the preposition a target phrase follows")
    phrase: str = Field(description="the target phrase after the cue, group `name`")
    organ_end: str = Field(description="a party organ the phrase may end after")


class SelfRule(Cued):
    pattern: str
    before: str


class Bodies(RuleModel):
    subject: SubjectRule
    target: TargetRule
    not_candidate: str
    inspector: str
    group_number: str
    generic: str
    self_reference: SelfRule


class Keys(Cued):
    drop_prefix: str
    party_suffix: str
    place_committee: str
    level_chars: str
    abbreviations: dict[str, str]


class CueRule(Cued):
    cue: str


class Figures(RuleModel):
    fields: dict[str, str]
    problems: CueRule
    new_problems: CueRule
    tasks: CueRule
    same_unit: list[list[str]]
    alt_units: list[str]


class CompletionRule(CueRule):
    reporting: str


class Times(RuleModel):
    completion: CompletionRule
    inspection: CueRule


class Checks(RuleModel):
    rate_tolerance_points: float = Field(ge=0)
    reliable_dates: list[str]


class LedgerFile(RuleModel):
    fragments: dict[str, str] = Field(default_factory=dict)
    sentence_end: str
    headline_max_chars: int = Field(ge=1)
    headline_breaks: str
    lead_min_chars: int = Field(ge=1)
    forms: list[FormRule] = Field(min_length=1)
    bodies: Bodies
    keys: Keys
    figures: Figures
    times: Times
    checks: Checks


# ---------------------------------------------------------------- compiled

@dataclass(frozen=True)
class Compiled:
    spec: LedgerFile
    sentence_end: re.Pattern
    headline_breaks: re.Pattern
    forms: tuple[tuple[FormRule, re.Pattern], ...]
    subject_after: re.Pattern
    subject_not: re.Pattern
    target_before: re.Pattern
    target_after: re.Pattern
    target_cue: re.Pattern
    target_phrase: re.Pattern
    target_organ: re.Pattern
    not_candidate: re.Pattern
    inspector: re.Pattern
    group_number: re.Pattern
    generic: re.Pattern
    self_reference: re.Pattern
    self_before: re.Pattern
    drop_prefix: re.Pattern
    party_suffix: re.Pattern
    place_committee: re.Pattern
    abbreviations: re.Pattern
    problems: re.Pattern
    new_problems: re.Pattern
    tasks: re.Pattern
    completion: re.Pattern
    reporting: re.Pattern
    inspection: re.Pattern

    def unit_class(self, unit: str | None) -> str | None:
        """Units that count the same thing share a class (人 and 名)."""
        for group in self.spec.figures.same_unit:
            if unit in group:
                return group[0]
        return unit


@lru_cache(maxsize=1)
def ledger_rules() -> Compiled:
    """`rules/ledger.yaml`, validated and compiled; a bad pattern names its rule."""
    spec = load_model(LEDGER_FILE, LedgerFile)
    frag = spec.fragments

    def comp(rule_id: str, pattern: str) -> re.Pattern:
        return compile_rule(LEDGER_FILE, rule_id, pattern, frag)

    b, k, f, t = spec.bodies, spec.keys, spec.figures, spec.times
    abbreviations = "|".join(map(re.escape, sorted(k.abbreviations, key=len, reverse=True)))
    return Compiled(
        spec=spec, sentence_end=comp("sentence_end", spec.sentence_end),
        headline_breaks=comp("headline_breaks", spec.headline_breaks),
        forms=tuple((r, comp(r.id, r.cue)) for r in spec.forms),
        subject_after=comp(b.subject.id, b.subject.after), subject_not=comp(b.subject.id, b.subject.not_name),
        target_before=comp(b.target.id, b.target.before), target_after=comp(b.target.id, b.target.after),
        target_cue=comp(b.target.id, b.target.cue), target_phrase=comp(b.target.id, b.target.phrase),
        target_organ=comp(b.target.id, b.target.organ_end),
        not_candidate=comp("bodies.not_candidate", b.not_candidate),
        inspector=comp("bodies.inspector", b.inspector),
        group_number=comp("bodies.group_number", b.group_number), generic=comp("bodies.generic", b.generic),
        self_reference=comp(b.self_reference.id, b.self_reference.pattern),
        self_before=comp(b.self_reference.id, b.self_reference.before),
        drop_prefix=comp(k.id, k.drop_prefix), party_suffix=comp(k.id, k.party_suffix),
        place_committee=comp(k.id, k.place_committee), abbreviations=comp(k.id, abbreviations),
        problems=comp(f.problems.id, f.problems.cue), new_problems=comp(f.new_problems.id, f.new_problems.cue),
        tasks=comp(f.tasks.id, f.tasks.cue),
        completion=comp(t.completion.id, t.completion.cue),
        reporting=comp(t.completion.id, t.completion.reporting),
        inspection=comp(t.inspection.id, t.inspection.cue),
    )
