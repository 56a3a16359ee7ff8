"""The inspected bodies of a document: candidate mentions, grouped into clusters.

A body mention is a candidate when it is the target of an inspection or feedback clause
(`…巡察组对X开展了巡察`, `向X、Y反馈`) or the subject of the notice (`中共X关于…整改…的通报`,
`X公布了…整改进展情况`), and is neither an inspection or discipline organ, nor a category
(`被巡察单位`), nor inside a title in 《》. Where the bodies stage found only part of a target's name,
the clause gives the whole (`向旗政协机关党组反馈`: `旗政协` and `党组` are one target named by the
phrase). Candidates with the same link key are one cluster, and so are all subject mentions; other mentions of the same key join it (`一、市水利局党组` as a
heading). Self-references (`局党组`, `我单位党组`, `该局党组`) are set aside here and given to a
cluster by scope (`scope.Scope.resolve_self`).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.ledger.keys import MIN_SHARED, key, same_body
from pipeline.ledger.rules import Compiled, ledger_rules
from pipeline.context.spans import SpanCover
from pipeline.ledger.text import Text
from pipeline.records import Body

BRACKETED = re.compile(r"《[^《》\n]*》")
PHRASE_REACH = 40  # the characters after 对 or 向 a target phrase is read in


@dataclass
class Cluster:
    """One inspected body: its named mentions, its self-references, the mention anchoring it."""

    key: str
    named: list[Body] = field(default_factory=list)
    targets: list[Body] = field(default_factory=list)
    subjects: list[Body] = field(default_factory=list)
    selves: list[Body] = field(default_factory=list)
    phrases: dict[str, str] = field(default_factory=dict)  # mention id → the clause's whole name

    @property
    def anchor(self) -> Body:
        """The first target of an inspection or feedback clause, else the notice's subject."""
        pool = self.targets or self.subjects or self.named
        return min(pool, key=lambda b: b.start)

    @property
    def rule_id(self) -> str:
        rules = ledger_rules().spec.bodies
        return rules.target.id if self.targets else rules.subject.id

    @property
    def mentions(self) -> list[Body]:
        seen = {b.mention_id: b for b in [*self.named, *self.targets, *self.subjects, *self.selves]}
        return sorted(seen.values(), key=lambda b: b.start)

    def name(self, title: tuple[int, int]) -> str:
        """The fullest name of the cluster, the title's first."""
        in_title = [b for b in self.subjects if title[0] <= b.start < title[1]]
        if in_title:
            return in_title[0].name
        names = [(self.phrases.get(b.mention_id, b.name), b.start) for b in self.named or self.targets]
        return min(names, key=lambda x: (-len(x[0]), x[1]))[0]

    def level(self):
        if self.anchor.level:
            return self.anchor.level
        return next((b.level for b in self.mentions if b.level), None)


@dataclass
class Found:
    """What the body analysis of one document found."""

    clusters: list[Cluster]
    selves: list[Body]  # self-references, not yet given to a cluster
    self_targets: list[Body]  # self-references that are targets of an inspection or feedback
    generic: bool  # the document names inspected bodies only as a category somewhere
    view: str = ""

    @cached_property
    def self_named(self) -> bool:
        """The text names an inspected body as itself (对我市开展巡视), mention or not; read only
        for a record without a body, so its scan of the whole text waits until one is made."""
        return bool(self.self_targets) or self_inspected(ledger_rules(), self.view)


def find(text: Text, bodies: list[Body]) -> Found:
    """The clusters of the document's body mentions."""
    rules = ledger_rules()
    brackets = SpanCover((m.start(), m.end()) for m in BRACKETED.finditer(text.view))
    usable = [b for b in bodies if not brackets.covers(b.start, b.end)]
    starts = {b.mention_id: self_start(rules, text.view, b) for b in usable}
    selves = [b for b in usable if starts[b.mention_id] is not None]
    named = [b for b in usable if starts[b.mention_id] is None and not excluded(rules, text.view, b)]
    subjects = [b for b in named if is_subject(rules, text, b)]
    phrases = target_phrases(rules, text.view, named)
    ends = {b.end: b.start for b in usable}
    targets = [b for b in named if b.mention_id in phrases or is_target(rules, text.view, b, b.start, ends)]
    self_targets = [b for b in selves if is_target(rules, text.view, b, starts[b.mention_id], ends)]
    clusters = group(subjects, targets, named, phrases)
    generic = any(rules.generic.search(text.view, b.start, b.end) for b in bodies)
    return Found(clusters, selves, self_targets, generic, text.view)


def self_inspected(rules: Compiled, view: str) -> bool:
    """Whether a self-reference stands as the target of an inspection or feedback clause."""
    for m in rules.self_reference.finditer(view):
        if rules.self_before.search(view[max(0, m.start() - 1):m.start()]) and \
                rules.target_before.search(view[max(0, m.start() - 4):m.start()]) and \
                rules.target_after.search(view[m.end():m.end() + 60]):
            return True
    return False


def excluded(rules: Compiled, view: str, b: Body) -> bool:
    return bool(rules.not_candidate.search(b.name) or rules.generic.search(view, b.start, b.end))


def self_start(rules: Compiled, view: str, b: Body) -> int | None:
    """Where a self-reference covering the whole mention starts (`我单位` before `党组`), or None."""
    lo = max(0, b.start - 4)
    for m in rules.self_reference.finditer(view, lo, b.end):
        if m.start() <= b.start and m.end() == b.end and rules.self_before.search(view[max(0, m.start() - 1):m.start()]):
            return m.start()
    return None


def is_subject(rules: Compiled, text: Text, b: Body) -> bool:
    lead = text.lead
    if not lead[0] <= b.start < lead[1] or rules.subject_not.search(b.name):
        return False
    return bool(rules.subject_after.search(text.view[b.end:lead[1]]))


def is_target(rules: Compiled, view: str, b: Body, start: int, ends: dict[int, int]) -> bool:
    """After 对/向 (or after an enumeration that opens so), and followed by an inspection act;
    `ends` maps each body mention's end to its start."""
    if not rules.target_after.search(view[b.end:b.end + 60]):
        return False
    before = enumeration_start(view, start, ends)
    return bool(rules.target_before.search(view[max(0, before - 4):before]))


def enumeration_start(view: str, start: int, ends: dict[int, int]) -> int:
    """The start of the list of bodies a mention closes (`市水务局党组、市粮食局党组`)."""
    seen = set()
    while start > 0 and view[start - 1] in "、和及与" and start - 1 in ends and start not in seen:
        seen.add(start)
        start = ends[start - 1]
    return start


def target_phrases(rules: Compiled, view: str, named: list[Body]) -> dict[str, str]:
    """Mentions inside a longer target phrase (`对` or `向`, name characters, the act), with the
    phrase as their name, up to the last of them or of its party organs: the first one's own
    name, then the rest. A phrase lies within `PHRASE_REACH` of its cue, so a cue with no
    mention starting that near is passed over unread (most of the text's 对 and 向)."""
    out: dict[str, str] = {}
    starts = [b.start for b in named]
    for cue in rules.target_cue.finditer(view):
        s = cue.end()
        k = bisect_left(starts, s)
        if k == len(starts) or starts[k] >= s + PHRASE_REACH:
            continue
        m = rules.target_phrase.search(view[s:s + PHRASE_REACH])
        if not m:
            continue
        inside = [b for b in named[k:bisect_left(starts, s + m.end("name"))] if b.end <= s + m.end("name")]
        if not inside:
            continue
        organs = [s + o.end() for o in rules.target_organ.finditer(m["name"])]
        e, first = max([inside[-1].end, *organs]), inside[0]
        if (first.start, first.end) == (s, e):
            continue
        name = first.name + view[first.end:e] if first.start == s else view[s:e]
        out.update({b.mention_id: name for b in inside})
    return out


def group(subjects: list[Body], targets: list[Body], named: list[Body], phrases: dict[str, str]) -> list[Cluster]:
    """Clusters of candidates by link key (all subjects are one); other mentions of a key join
    (without a subject or target there is no cluster to join: most documents)."""
    if not subjects and not targets:
        return []
    keys = Keys()
    if subjects:
        home = keys.add(Cluster(key(subjects[0].name), subjects=list(subjects)))
        for b in subjects:
            keys.learn(key(b.name), home)
    for b in targets:
        k = key(phrases.get(b.mention_id, b.name))
        home = keys.owner(k) or keys.add(Cluster(k))
        keys.learn(k, home)
        home.targets.append(b)
        if b.mention_id in phrases:
            home.phrases[b.mention_id] = phrases[b.mention_id]
    for b in named:
        home = keys.owner(key(b.name))
        if home is not None:
            home.named.append(b)
    return sorted(keys.clusters, key=lambda c: c.anchor.start)


class Keys:
    """The clusters and the link keys their candidates carry. A key names the cluster of an
    equal key, else of a key it is the same body as (`same_body`: one ends with the other),
    found through an index of every key's endings, so a document of many bodies stays linear."""

    def __init__(self):
        self.clusters: list[Cluster] = []
        self.by_key: dict[str, Cluster] = {}
        self.endings: dict[str, list[str]] = {}  # a proper ending of known keys → those keys

    def add(self, cluster: Cluster) -> Cluster:
        self.clusters.append(cluster)
        self.learn(cluster.key, cluster)
        return cluster

    def learn(self, k: str, cluster: Cluster) -> None:
        if k in self.by_key:
            return
        self.by_key[k] = cluster
        for i in range(1, len(k) - MIN_SHARED + 1):
            self.endings.setdefault(k[i:], []).append(k)

    def owner(self, k: str) -> Cluster | None:
        if k in self.by_key:
            return self.by_key[k]
        shorter = (k[i:] for i in range(1, len(k) - MIN_SHARED + 1))
        for known in [*shorter, *self.endings.get(k, ())]:
            if known in self.by_key and same_body(k, known):
                return self.by_key[known]
        return None
