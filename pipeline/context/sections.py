"""The rule file of the document's layout, `rules/regions.yaml`: its schema, compiled once.

Headings (`pipeline.context.headings`) and region segments (`pipeline.context.regions`) read
it; its patterns' examples are shown by `SectionPatterns` (tests/test_rule_examples.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.candidates import Candidate, Explained
from pipeline.rules import Example, RuleModel, compile_rule, load_model

RULES = "regions.yaml"


class PatternRule(RuleModel):
    id: str
    pattern: str
    examples: list[Example] = []


class NumberedRule(PatternRule):
    level: int


class HeadingRules(RuleModel):
    max_chars: int
    min_han: int
    final_punct: str
    open_punct: str
    close_punct: str
    no_final_chars: str
    max_commas: int
    boilerplate: list[str]
    numbered: list[NumberedRule]
    not_heading: list[PatternRule]
    not_section: list[PatternRule] = []


class RegionRules(RuleModel):
    signature: PatternRule
    signature_body: PatternRule
    signature_other: PatternRule
    editor_note: PatternRule
    dateline: PatternRule
    guarded_lead: PatternRule
    organisation: PatternRule
    section_label: PatternRule
    section_label_tail: PatternRule
    sentence_lead: PatternRule
    actor: PatternRule
    subordinate_actor: PatternRule
    signoff: PatternRule
    signoff_date: PatternRule
    signoff_lines: int
    word_joins: list[str]
    left_word_min_freq: int
    glued_prefixes: list[str]
    central_target: PatternRule
    derived_forms: dict[str, str]


class SectionRules(RuleModel):
    fragments: dict[str, str]
    headings: HeadingRules
    regions: RegionRules


@dataclass(frozen=True)
class Compiled:
    """The rules of `regions.yaml` with every pattern compiled once."""

    h: HeadingRules
    r: RegionRules
    numbered: tuple[tuple[NumberedRule, re.Pattern], ...]
    not_heading: tuple[re.Pattern, ...]
    rx: dict[str, re.Pattern]
    not_section: tuple[re.Pattern, ...] = ()


@lru_cache(maxsize=1)
def rules() -> Compiled:
    """Load and compile `rules/regions.yaml`; a bad pattern names its rule id."""
    model = load_model(RULES, SectionRules)
    frag = model.fragments

    def comp(rule: PatternRule) -> re.Pattern:
        return compile_rule(RULES, rule.id, rule.pattern, frag)

    r = model.regions
    named = {k: comp(getattr(r, k)) for k in
             ("signature", "signature_body", "editor_note", "dateline", "guarded_lead",
              "organisation", "section_label", "section_label_tail", "sentence_lead", "actor",
              "subordinate_actor", "signoff", "signoff_date", "signature_other", "central_target")}
    return Compiled(
        h=model.headings, r=r,
        numbered=tuple((n, comp(n)) for n in model.headings.numbered),
        not_heading=tuple(comp(n) for n in model.headings.not_heading), rx=named,
        not_section=tuple(comp(n) for n in model.headings.not_section))


class SectionPatterns:
    """The patterns of `rules/regions.yaml` as one owner of examples: each example is a piece
    of text its pattern is searched in (tests/test_rule_examples.py)."""

    rules_file = RULES

    def __init__(self):
        c = rules()
        self.patterns = [(rule, rx) for rule, rx in c.numbered]
        self.patterns += [(rx_rule, c.not_heading[k]) for k, rx_rule in enumerate(c.h.not_heading)]
        self.patterns += [(rx_rule, c.not_section[k]) for k, rx_rule in enumerate(c.h.not_section)]
        self.patterns += [(getattr(c.r, name), rx) for name, rx in c.rx.items()]

    def examples(self):
        for rule, _ in self.patterns:
            yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        return [rule.id for rule, _ in self.patterns]

    def explain(self, ctx) -> list[Explained]:
        """Every match of every pattern in the context's view."""
        return [Explained(Candidate(m.start(), m.end(), rule))
                for rule, rx in self.patterns for m in rx.finditer(ctx.view)]
