"""`rules/items.yaml` as data: its schema (pydantic, extra="forbid") and its compiled form.

Everything the item stage knows about Chinese is read here once per process: the action lexicon
as a dict with one alternation regex over it, the word lists as frozensets. Sentences, clauses
and brackets come from the document context (`rules/boundaries.yaml`). Engine modules (`acts`,
`build`) ask `item_rules()` and never hold word lists of their own.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pydantic import Field, model_validator

from pipeline.context.boundaries import boundaries
from pipeline.errors import RuleError
from pipeline.regexes import regex
from pipeline.rules import (Example, RuleModel, alternation, compile_rule, display, load_model,
                            trie_alternation)

HAN = r"[\u4e00-\u9fff]"
ACT_CLASSES = ("strong", "weak", "causative", "light", "state")

class ActionRule(RuleModel):
    id: str
    cls: str = Field(alias="class")
    words: list[str]
    examples: list[Example]


class Frame(RuleModel):
    id: str
    open: list[str]
    close: list[str]


class LightObjects(RuleModel):
    id: str
    words: list[str]
    examples: list[Example]


class TitleAct(RuleModel):
    id: str
    pattern: str
    examples: list[Example]


class Exhortation(RuleModel):
    id: str
    classes: list[str]
    markers: list[str] = []
    objects: list[str] = []
    examples: list[Example]


class ItemFile(RuleModel):
    """The schema of `rules/items.yaml`."""

    actions: list[ActionRule]
    modifier_markers: list[str]
    noun_heads_always: list[str]
    noun_after: list[str]
    noun_object_verbs: list[str]
    noun_suffixes: list[str]
    resultative: list[str]
    glued_objects: list[str]
    attributive_prefixes: list[str]
    change_complements: list[str]
    dropped_complements: list[str]
    light_gap: str
    light_objects: LightObjects
    problem_words: list[str]
    problem_enders: list[str]
    noun_heads: list[str]
    noun_use_classes: list[str]
    phrase_openers: list[str]
    purpose_openers: list[str]
    object_openers: list[str]
    disposal_openers: list[str]
    not_object_after: list[str]
    future_openers: list[str]
    directive_causatives: list[str]
    clause_governors: list[str]
    frames: list[Frame]
    adverbial_endings: list[str]
    aspect: list[str]
    resolve_stops: list[str]
    negators: list[str]
    object_of_act: list[str]
    agent_openers: list[str]
    complements: list[str]
    adverbs: list[str]
    verb_prefixes: list[str]
    continuation_subjects: list[str]
    breakdowns: list[str]
    topic_followers: list[str]
    partitive_endings: list[str]
    means_verbs: list[str]
    means_heads: list[str]
    finding_intros: list[str]
    run_joiners: list[str]
    title_acts: list[TitleAct]
    fallback_not_actions: list[str]
    count_openers: list[str]
    attributive_marker: str
    name_attributives: list[str]
    change_verbs: list[str]
    practice_idioms: list[str]
    exhortations: list[Exhortation]

    @model_validator(mode="after")
    def _classes_known(self):
        for a in self.actions:
            if a.cls not in ACT_CLASSES + ("nominal", "extent", "speech", "disposal"):
                raise ValueError(f"{a.id}: unknown class {a.cls!r}")
            blank = next((w for w in a.words if not w or any(ch.isspace() for ch in w)), None)
            if blank is not None:  # the scan reads words across a token's dropped space as apart
                raise ValueError(f"{a.id}: {blank!r} is empty or holds whitespace")
        return self


class ItemRules:
    """`rules/items.yaml` compiled once: the lexicon as a dict, the boundaries as regexes."""

    FILE = "items.yaml"

    def __init__(self, f: ItemFile):
        self.file = f
        self.lexicon: dict[str, tuple[str, str]] = {}
        for a in f.actions:
            for w in a.words:
                if w in self.lexicon:
                    raise RuleError(display(self.FILE), a.id, f"{w} is already in {self.lexicon[w][1]}")
                self.lexicon[w] = (a.cls, a.id)
        self.light_words = {w: r for w, r in self.lexicon.items() if r[0] == "light"}
        self.longest = max(len(w) for w in self.lexicon)
        self.modifier_markers = frozenset(f.modifier_markers)
        self.noun_heads_always = frozenset(f.noun_heads_always)
        self.noun_after = frozenset(f.noun_after)
        self.noun_object_verbs = frozenset(f.noun_object_verbs)
        self.noun_suffixes = tuple(f.noun_suffixes)
        self.resultative = frozenset(f.resultative)
        self.glued_objects = frozenset(f.glued_objects)
        self.attributive_prefixes = frozenset(f.attributive_prefixes)
        self.change_complements = frozenset(f.change_complements)
        self.dropped_complements = tuple(f.dropped_complements)
        self.light_gap = compile_rule(self.FILE, "light_gap", f.light_gap, {})
        self.light_object_end = re.compile(f"(?:{alternation(f.light_objects.words)})$")
        self.light_object_id = f.light_objects.id
        self.problem_words = tuple(sorted(f.problem_words, key=len, reverse=True))
        self.problem_enders = tuple(f.problem_enders)
        self.problem_re = re.compile(alternation(f.problem_words))
        self.problem_initials = frozenset(w[0] for w in f.problem_words)
        self.noun_heads = frozenset(f.noun_heads)
        self.noun_head_prefixes = tuple(h for h in f.noun_heads if len(h) > 1)
        self.noun_use_classes = frozenset(f.noun_use_classes)
        self.phrase_openers = frozenset(f.phrase_openers)
        self.object_openers = frozenset(f.object_openers)
        self.purpose_openers = frozenset(f.purpose_openers)
        self.disposal_openers = frozenset(f.disposal_openers)
        self.not_object_after = frozenset(f.not_object_after)
        self.future_openers = frozenset(f.future_openers)
        self.directive_causatives = frozenset(f.directive_causatives)
        self.clause_governors = frozenset(f.clause_governors)
        self.frame_open: dict[str, frozenset[str]] = {}
        for fr in f.frames:
            for w in fr.open:
                self.frame_open[w] = self.frame_open.get(w, frozenset()) | set(fr.close)
        self.adverbial_endings = tuple(f.adverbial_endings)
        self.timing_words = frozenset(f.adverbial_endings) - frozenset(f.resultative)
        self.aspect = frozenset(f.aspect)
        self.aspect_chars = "".join(f.aspect)  # what `str.lstrip` strips
        self.resolve_stop_re = re.compile(alternation(f.resolve_stops))
        self.negators = frozenset(f.negators)
        self.object_of_act = tuple(f.object_of_act)
        self.agent_openers = tuple(f.agent_openers)
        self.complements = tuple(f.complements)
        self.adverbs = tuple(sorted(f.adverbs, key=len, reverse=True))
        self.verb_prefixes = frozenset(f.adverbs) | set(f.verb_prefixes)
        self.continuation_subjects = tuple(f.continuation_subjects)
        self.part_subjects = self.continuation_subjects + tuple(f.breakdowns)
        self.topic_followers = tuple(f.topic_followers)
        self.partitive_endings = tuple(f.partitive_endings)
        self.means_re = re.compile(  # a whole clause: means verb … means head
            f"(?:{alternation(f.means_verbs)}).*(?:{alternation(f.means_heads)})[\"”’]?$")
        self.finding_intros = frozenset(f.finding_intros)
        self.run_joiners = frozenset(f.run_joiners) | {"", "、"}
        self.enumerator_words = boundaries().enumerators
        self.compound_re = re.compile(  # the Chinese characters after a light verb, to 的
            f"(?:{alternation(f.aspect)})?{HAN}+?(?={re.escape(f.attributive_marker)}|[^{HAN[1:-1]}]|$)")
        self.fallback_not_actions = frozenset(f.fallback_not_actions)
        self.count_openers = tuple(f.count_openers)
        self.attributive_marker = f.attributive_marker
        self.name_attributives = tuple(f.name_attributives)
        self.change_verbs = frozenset(f.change_verbs)
        self.practice_idioms = frozenset(f.practice_idioms)
        self.lexicon_re = regex(trie_alternation(self.lexicon))  # a tree: twice as fast to scan
        # Pairs of characters next to each other inside a lexicon word: no lexicon word runs
        # across a boundary between two characters that are not one of them (`acts.Words`).
        self.lexicon_pairs = frozenset(w[k:k + 2] for w in self.lexicon for k in range(len(w) - 1))
        self.pair_firsts = frozenset(p[0] for p in self.lexicon_pairs)
        self.pair_seconds = frozenset(p[1] for p in self.lexicon_pairs)
        self.opener_words = frozenset(self.frame_open) | self.object_openers | self.purpose_openers
        self.title_acts = [(t.id, compile_rule(self.FILE, t.id, t.pattern, {})) for t in f.title_acts]
        self.exhortations = f.exhortations
        self.exhort_classes = frozenset(c for r in f.exhortations for c in r.classes)
        self.exhort_res = [(r, re.compile(alternation(r.markers)) if r.markers else None,
                            re.compile(alternation(r.objects)) if r.objects else None)
                           for r in f.exhortations]

    def action_word(self, word: str, after: str = "") -> str:
        """The action as reported (spec §5): a change verb with the result complement written
        after it (提高 + 到 → 提高到), without one that says only where it stays (稳定在 → 稳定)."""
        if word not in self.change_verbs:
            return word
        if len(word) > 1 and word.endswith(self.dropped_complements):
            return word[:-1]
        if after[:1] in self.change_complements and not word.endswith(tuple(self.change_complements)):
            return word + after[:1]
        return word

    def lookup(self, texts: list[str], i: int, stop: int):
        """The longest lexicon entry spelt by words i, i+1, i+2 of `texts` (never past `stop`):
        (word, how many words, class, rule id), or None."""
        best, text = None, ""
        for n in range(1, 4):
            if i + n > min(stop, len(texts)):
                break
            text += texts[i + n - 1]
            if len(text) > self.longest:
                break
            hit = self.lexicon.get(text)
            if hit:
                best = (text, n, *hit)
        return best


@lru_cache(maxsize=1)
def item_rules() -> ItemRules:
    return ItemRules(load_model(ItemRules.FILE, ItemFile))

