"""Bodies (spec §4): who acts, who is inspected, normalised to full names with their level.

Two sources find candidate spans: the rules of `rules/bodies.yaml` (the organ system as patterns
plus gazetteers) and a small spaCy span categoriser trained by the project (`pipeline.model`).
Merge policy (`merge`): every rule mention is kept; a model span is added where no rule mention
overlaps it and its probability reaches `model.threshold`, and replaces the rule mentions it
contains when it reaches `model.extend_threshold` (a longer name the patterns could not
delimit). Both then pass the same negative filters and name normalisation (`naming`), so the
two differ only in which spans they propose; each mention records its `source`, `rule_id` and
`score`. Roles are read from the clause by the roles stage after the overlap resolver
(`roles`), whose cues also say where a place name acts as a body.

The sources are chosen when the extractor is built: `mode` `merged` (default), `rules` or
`model` (an ablation), and `model_path` for another trained model than `model.path`.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import field_validator

from pipeline.context.document import Context
from pipeline.context.places import Place, gazetteer
from pipeline.context.spans import windows
from pipeline.extractors.base import OVERLAP, Candidate, Explained, Extractor, Typed, select
from pipeline.extractors.naming import Naming, NamingRules, place_ending
from pipeline.extractors.roles import role_rules
from pipeline.regexes import regex
from pipeline.scan import Gates, Scan
from pipeline.items.lexicon import item_rules
from pipeline.records import Body
from pipeline.rules import (Example, RuleModel, compile_rule, load_lines, load_model,
                            trie_alternation)

RULES = "bodies.yaml"
Mode = Literal["merged", "rules", "model"]
LevelSpec = Literal["central", "provincial", "municipal", "county", "township", "village", "unit",
                    "prefix"]
WINDOW = 40
MODEL_ORDER = 99  # a model span ranks after every rule on a tie
TERMED_RULES = ("body.committee", "body.central.organ")  # a term before them is theirs (`十届省委`)
FULL_BRACKETS = str.maketrans("()", "（）")
# the act lexicon's classes of verbs no name begins with (`派出巡察组` is an act on `巡察组`)
LEADING_ACT_CLASSES = ("strong", "weak", "causative", "light", "speech", "disposal", "state", "extent")


def _squeeze(v: str) -> str:
    """Patterns may be folded over lines in YAML; no Chinese pattern needs a literal space."""
    return re.sub(r"\s+", "", v)


class BodyRule(RuleModel):
    id: str
    pattern: str = ""
    gazetteer: Literal["places"] | None = None
    level: LevelSpec | None = None
    naming: Literal["as_written", "region", "owner", "province", "unit", "plural"] = "as_written"
    role: Literal["responsible", "target"] | None = None  # fixed: the roles stage keeps it
    needs_cue: bool = False
    split: bool = False
    trim_left: bool = False
    trigger: str = ""
    examples: list[Example]

    _sq = field_validator("pattern")(_squeeze)


class ContextRule(RuleModel):
    id: str
    left: str = ""
    right: str = ""
    examples: list[Example] = []

    _sq = field_validator("left", "right")(_squeeze)


class PlaceRule(RuleModel):
    id: str
    pattern: str
    examples: list[Example]

    _sq = field_validator("pattern")(_squeeze)


class ModelConfig(RuleModel):
    path: str
    heads: str = ""  # characters a body's name can end in: the spans the model is trained to score
    threshold: float
    extend_threshold: float
    not_extended_by: str
    glued_head: str
    trigger: str

    _sq = field_validator("trigger", "not_extended_by", "glued_head")(_squeeze)


class BodyRules(RuleModel):
    fragments: dict[str, str]
    rules: list[BodyRule]
    leading_group: str
    party_group: str
    left_prefix: str
    sub_unit: str
    name_left_stop: str
    term_before: str
    filters: list[ContextRule]
    learnt_places: list[PlaceRule]
    learnt_levels: dict[str, LevelSpec]
    naming: NamingRules
    model: ModelConfig

    _sq = field_validator("fragments")(lambda v: {k: _squeeze(x) for k, x in v.items()})
    _sq2 = field_validator("name_left_stop")(_squeeze)


@dataclass(frozen=True)
class Compiled:
    """`bodies.yaml` with every regex compiled and every gazetteer indexed."""

    spec: BodyRules
    patterns: list[tuple[int, BodyRule, Scan, Scan | None]]  # (rank, rule, scan, trigger)
    gates: Gates  # the scans of the patterns without a trigger, passing over a text together
    places: Places
    place_end_rx: re.Pattern
    place_tail_rx: re.Pattern  # the last characters of `places.tails`, found in one pass
    provinces: dict[str, tuple[str, str]]  # short or full name → (full, committee)
    leading_group: re.Pattern
    party_group: re.Pattern
    left_prefix: re.Pattern
    sub_unit: re.Pattern
    left_stop: re.Pattern
    name_char: re.Pattern
    not_extended_by: re.Pattern
    glued_head: re.Pattern
    filters: list[tuple[ContextRule, re.Pattern | None, re.Pattern | None]]
    model_rule: BodyRule
    learners: list[tuple[PlaceRule, Scan]]
    province_before: re.Pattern
    term_before: re.Pattern
    fragments: dict[str, str]  # named regex fragments, gazetteers included (for the naming rules)


def province_table(words: NamingRules) -> dict[str, tuple[str, str]]:
    """Short or full province name → (full name, its party committee's name), the committee's
    word by the name's ending (`河北省委`, `北京市委`, `广西壮族自治区党委`); SARs have none."""
    out = {}
    for p in gazetteer().provinces:
        ending = next((e for e in words.province_committees if p.name.endswith(e)), None)
        committee = p.name + words.province_committees[ending] if ending else p.name
        for form in [p.name, *p.shorts]:
            out[form] = (p.name, committee)
    return out


class Places(dict):
    """Places by the names they are written with, and `tails`: the lengths of those names (of
    two to nine characters, longest first) by their last two characters. Why: a look-up of the
    names that end at a place in a text (`place_ending`, `Bodies.place_candidates`) reads the
    two characters before it first, and most end no name, where it tried every length."""

    def __init__(self, names: dict[str, Place], tails: dict[str, tuple[int, ...]] | None = None):
        super().__init__(names)
        self.tails = _tails(names) if tails is None else tails

    def with_learnt(self, learnt: dict[str, Place]) -> Places:
        """These places and those `learnt` from a document (names none of these has)."""
        return Places({**self, **learnt}, _tails(learnt, self.tails))


def place_table(words: NamingRules) -> Places:
    """Cities and counties by the names they are written with: the full name, or the derived
    form of an autonomous unit (`峨山县`, whose place is then named so, as written). Districts
    of two characters (`城区`, `郊区`) are too generic to find in running text; longer ones
    (`大武口区`) are kept."""
    out = {}
    for p in gazetteer().divisions:
        for name in p.names:
            if p.level == "county" and name.endswith(words.short_district_end) and len(name) < 3:
                continue
            if len(name) >= 2:
                out.setdefault(name, p if name == p.name else replace(p, name=name, aliases=()))
    return Places(out)


def _gazetteer_fragments(fragments: dict[str, str], provinces) -> dict[str, str]:
    """Word-list fragments: short province names, central bodies, department stems."""
    return {**fragments,
            "PROV_SHORT": trie_alternation(k for k, (full, _c) in provinces.items() if k != full),
            "PROV_FULL": trie_alternation(full for full, _c in provinces.values()),
            "CENTRAL": trie_alternation(load_lines("bodies_central.txt")),
            "STEM": trie_alternation(load_lines("bodies_dept_stems.txt"))}


def _context(file: str, rid: str, left: str, right: str, frags: dict):
    return (compile_rule(file, rid, left, frags) if left else None,
            compile_rule(file, rid, right, frags) if right else None)


def compile_rules() -> Compiled:
    """Load, validate and compile `rules/bodies.yaml` and its gazetteers."""
    spec = load_model(RULES, BodyRules)
    w = spec.naming
    provinces = province_table(w)
    frags = _gazetteer_fragments(spec.fragments, provinces)
    patterns = [(rank, r, Scan(compile_rule(RULES, r.id, r.pattern, frags)),
                 Scan(compile_rule(RULES, r.id, r.trigger, frags)) if r.trigger else None)
                for rank, r in enumerate(spec.rules) if r.pattern]
    places = place_table(w)

    def rx(rid: str, pattern: str) -> re.Pattern:
        return compile_rule(RULES, rid, pattern, frags)

    return Compiled(
        spec=spec, patterns=patterns, places=places,
        gates=Gates([scan if trigger is None else None for _r, _b, scan, trigger in patterns]),
        place_end_rx=re.compile("[" + "".join(sorted({n[-1] for n in places})) + "]"),
        place_tail_rx=_tail_gate(places.tails),
        provinces=provinces,
        leading_group=rx("leading_group", spec.leading_group),
        left_prefix=rx("left_prefix", spec.left_prefix),
        left_stop=rx("name_left_stop", spec.name_left_stop),
        sub_unit=rx("sub_unit", spec.sub_unit),
        name_char=rx("NAMECH", "{NAMECH}"),
        not_extended_by=rx("model.not_extended_by", spec.model.not_extended_by),
        glued_head=rx("model.glued_head", spec.model.glued_head),
        party_group=rx("party_group", spec.party_group),
        filters=[(f, *_context(RULES, f.id, f.left, f.right, frags)) for f in spec.filters],
        model_rule=BodyRule(id="model.bodies", level="prefix", naming="region", examples=[]),
        learners=[(r, Scan(rx(r.id, r.pattern))) for r in spec.learnt_places],
        province_before=rx("province_before", "(?:{PROV_FULL})$"), fragments=frags,
        term_before=rx("term_before", spec.term_before),
    )


def _matches(view: str, scan: Scan, trigger: Scan | None, starts: list[int] | None = None
             ) -> Iterator[re.Match]:
    """The rule's matches over the view, or (faster) only over windows around the hits of its
    trigger: a regex led by a name's characters (`{NAMECH}{2,16}?大学党委`) is slow to scan
    with, a character class or a word (`村[党村]`) is not. Hits none further than two windows
    from the next make one window (`spans.windows`). `starts`: where a match may begin in the
    view, when found already (`Compiled.gates`)."""
    if starts is not None:
        yield from scan.chain(view, starts, 0, len(view))
        return
    if trigger is None:
        yield from scan.finditer(view)
        return
    yield from scan.finditer_in(view, windows(trigger.spans(view), WINDOW, WINDOW, len(view)))


def _tails(names, known: dict[str, tuple[int, ...]] | None = None) -> dict[str, tuple[int, ...]]:
    """The last two characters of the names (of two to nine characters, as `place_ending` reads
    them) → their lengths, longest first; added to those `known`."""
    grown: dict[str, set[int]] = {}
    for n in names:
        if 2 <= len(n) <= 9:
            grown.setdefault(n[-2:], set((known or {}).get(n[-2:], ()))).add(len(n))
    return {**(known or {}), **{k: tuple(sorted(v, reverse=True)) for k, v in grown.items()}}


def _tail_gate(tails: dict[str, tuple[int, ...]]) -> re.Pattern:
    """A regex that finds the ends of the two characters of `tails` in a text: each last
    character, led by itself (a scan skips to it at C speed), with a look-behind for the ones
    before it. Why: most place suffixes of a report (`市`, `区`, `省`: ten thousand in
    gov-reports-2026) end no name's two last characters, and each cost a turn of the
    interpreter's loop to rule out; the regex rules them out in the scan."""
    before: dict[str, set[str]] = {}
    for tail in tails:
        before.setdefault(tail[1], set()).add(tail[0])
    return regex("|".join(re.escape(last) + "(?<=[" + "".join(map(re.escape, sorted(firsts)))
                          + r"][\s\S])" for last, firsts in sorted(before.items())))


def _word_start(words: list[int], start: int, limit: int) -> int:
    """`start`, or the end of the segmenter's word it falls inside (at most `limit`)."""
    if not words:
        return start
    i = bisect.bisect_right(words, start) - 1
    if i < 0 or words[i] == start or i + 1 >= len(words):
        return start
    return words[i + 1] if words[i + 1] <= limit else start


def leading_words() -> frozenset[str]:
    """Words no name begins with: the act lexicon's verbs and the frames' openers (`对`, `向`) of
    `rules/items.yaml`, but for an organ's field written like a verb (`统计` of `统计局`)."""
    rules = item_rules()
    acts = {w for w, (cls, _rule) in rules.lexicon.items() if cls in LEADING_ACT_CLASSES}
    frames = {w for f in rules.file.frames for w in f.open}
    return frozenset((acts | frames) - set(load_lines("bodies_dept_stems.txt")))


def _rule_first(k: Candidate):
    """The bodies' overlap policy: rule mentions before model spans, then the longest, then the
    rule listed first."""
    return k.source != "rule", k.start - k.end, k.order, k.start


class Bodies(Extractor):
    """Organisations that act, are inspected or take part, with their full names and levels."""

    kind = "body"
    record = Body
    rules_file = RULES

    def __init__(self, r: Compiled | None = None, use_model: bool = True, mode: Mode | None = None,
                 model_path: str | None = None, predict: Callable | None = None):
        """Args:
            use_model: False reads the rules alone (`--no-model`); `mode` overrides it.
            mode: `merged`, `rules` or `model` (which sources propose spans).
            model_path: another trained model than the rule file's `model.path`.
            predict: the model's span proposer (tests pass a stand-in).
        """
        self.r = r or compile_rules()
        self.spec = self.r.spec
        self.mode: Mode = mode or ("merged" if use_model else "rules")
        self.model = self.spec.model if model_path is None else \
            self.spec.model.model_copy(update={"path": model_path})
        self._predict = predict
        self.naming = Naming(self.spec.naming, self.r.provinces, self.r.fragments, RULES)
        self.joiners = frozenset(self.spec.naming.enumeration_joiners)
        self.typed = Typed(Body)
        self.post = next(rx for f, _l, rx in self.r.filters if f.id == "body.filter.post")
        self.roles = role_rules()
        self.leading_words = leading_words()

    # -------------------------------------------------------------------- the interface

    @classmethod
    def build(cls, use_model: bool = True) -> Bodies:
        return cls(use_model=use_model)

    def explain(self, ctx: Context) -> list[Explained]:
        """Every candidate, the learnt places among them, with the body it became or the filter,
        rival or missing role cue that dropped it."""
        view = ctx.view
        learnt, learnt_rows = self.learn_places(view)
        places = self.r.places.with_learnt(learnt) if learnt else self.r.places
        placed = self.place_candidates(view, places)
        named = [(c.start, c.end) for c in placed]  # before `grow` moves their edges
        found, rows = self.candidates(view, places, ctx.tokens.starts, placed)
        kept = self.apply_filters(view, select(found, _rule_first))
        kept, groups = self.license_places(ctx, kept)
        self.naming.normalise(view, kept, groups, ctx.region_at, places, learnt, ctx.home, named)
        made = {id(k): self.mention(ctx, k) for k in kept}
        return learnt_rows + [Explained(k, made.get(id(k)), None if id(k) in made else k.dropped_by)
                              for k in sorted(rows, key=lambda k: (k.start, k.end, k.order))]

    def examples(self) -> Iterable[tuple[str, Example]]:
        for group in (self.spec.rules, self.spec.filters, self.spec.learnt_places):
            for rule in group:
                yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        return [r.id for g in (self.spec.rules, self.spec.filters, self.spec.learnt_places) for r in g]

    def mention(self, ctx: Context, k: Candidate, explanation: str | None = None) -> Body:
        """The record; a name keeps the full-width brackets its text is written with
        (`村（社区）党组织`), which the view folds to ASCII. Made without validating it again
        (`typed`): naming gives its fields their types."""
        name = k.fields["name"]
        if "（" in ctx.span(k.start, k.end):
            k.fields["name"] = name.translate(FULL_BRACKETS)
        k.score = round(k.score, 4)
        return super().mention(ctx, k, "; ".join([f"name: {k.how['name']}", *k.notes]))

    # -------------------------------------------------------------------- candidates

    def candidates(self, view: str, places: Places, words: list[int] = (),
                   placed: list[Candidate] | None = None) -> tuple[list[Candidate], list[Candidate]]:
        """The spans the chosen sources propose, and every candidate considered (for `explain`);
        `words` are the starts of the segmenter's words, `placed` the named places if found."""
        if self.mode == "rules":
            found = self.rule_candidates(view, places, words, placed)
            return found, list(found)
        if self.mode == "model":
            found = [self.grow(view, k, places) for k in self.model_candidates(view, [], words)]
            return found, list(found)
        rules = self.rule_candidates(view, places, words, placed)
        kept = select(rules, _rule_first)
        model = [self.grow(view, k, places) for k in self.model_candidates(view, kept, words)]
        return self.merge(view, kept, model), rules + model

    def learn_places(self, view: str) -> tuple[dict[str, Place], list[Explained]]:
        """Cities and counties the gazetteer lacks (new, small or renamed ones), learnt from the
        contexts that mark a name as a place's (`learnt_places`: after `中共`, after a province's
        full name, opening a line before an organ); a level's own name (`自治区`) or a name holding
        a stop word (`根据`) is none. Each is also a row of `explain`, where it was first learnt."""
        c = self.r
        out: dict[str, Place] = {}
        rows = []
        for rule, scan in c.learners:
            for m in scan.finditer(view):
                name = m.group("place")
                if name not in c.places and name not in c.spec.naming.level_prefixes \
                        and not c.left_stop.search(name, 0, len(name) - 1) and name not in out:
                    out[name] = Place(name, c.spec.learnt_levels[name[-1]], "")
                    rows.append(Explained(Candidate(m.start("place"), m.end("place"), rule)))
        return out, rows

    def rule_candidates(self, view: str, places: Places, words: list[int] = (),
                        placed: list[Candidate] | None = None) -> list[Candidate]:
        """Every match of every pattern rule, enumerations split into their members, and the
        named cities and counties of `places` (`placed`, when they are found already)."""
        out = []
        for (rank, rule, scan, trigger), starts in zip(self.r.patterns, self.r.gates.starts(view)):
            for m in _matches(view, scan, trigger, starts):
                if rule.split:
                    out.extend(self._split(m.start(), m.group(), rule, rank))
                elif rule.trim_left:
                    k = self._trimmed(view, m, rule, rank, words)
                    out.extend([k] if k else [])
                else:
                    out.append(Candidate(m.start(), m.end(), rule, rank))
        out.extend(self.place_candidates(view, places) if placed is None else placed)
        return [self.grow(view, k, places) for k in out]

    def _trimmed(self, view: str, m: re.Match, rule: BodyRule, rank: int,
                 words: list[int] = ()) -> Candidate | None:
        """A name run back over name characters starts after the last stop word before its head
        (`督促` in `督促永新镇党委`; a one-character one inside a short name, `和` of `民和镇`, is
        none),
        and never inside a word of the segmenter (`布` of `公布`); its named part (the group
        that matched: `place`, `name` …) keeps at least three characters. A named `place`
        becomes the mention's place (`永新镇`)."""
        group = next(g for g in m.re.groupindex if m.start(g) >= 0)
        start, head = m.start(), m.end(group)
        for s in self.r.left_stop.finditer(view, max(0, start - 4), head):
            if start < s.end() <= head and (len(s.group()) > 1 or s.end() <= head - 3):
                start = s.end()
        snapped = _word_start(words, start, head - 3)
        if not self.r.left_stop.search(view, start - 2 if snapped > start else start, start):
            start = snapped
        if head - start < 3:
            return None
        k = Candidate(start, m.end(), rule, rank)
        if group == "place":
            k.place = Place(view[start:head], rule.level or "township", "")
        return k

    @staticmethod
    def _split(start: int, text: str, rule: BodyRule, rank: int) -> list[Candidate]:
        out, pos = [], start
        for part in text.split("、"):
            out.append(Candidate(pos, pos + len(part), rule, rank))
            pos += len(part) + 1
        return out

    def place_candidates(self, view: str, places: Places) -> list[Candidate]:
        """Named cities and counties, found by looking up the words that end at a place suffix:
        only those as long as a name ending in the two characters before it (most end none)."""
        rank, rule = next((i, r) for i, r in enumerate(self.spec.rules) if r.gazetteer == "places")
        glue = self.spec.naming.place_word_glue
        tails = places.tails
        # a document's learnt places end in tails the compiled regex does not know
        ends = self.r.place_tail_rx if places is self.r.places else self.r.place_end_rx
        out = []
        for m in ends.finditer(view):
            end = m.end()
            p = place_ending(view, end, places, tails)  # (learnt places) most end none
            if p and p.level != "provincial" and view[end:end + 1] not in glue:
                out.append(Candidate(end - len(p.name), end, rule, rank, place=p))
        return out

    def grow(self, view: str, k: Candidate, places: Places) -> Candidate:
        """Attach a place named before a level prefix (`宜城` + `市委`, `某某县` + `县委`, `某市`
        + `、区党委`), a term (`十五届` + `某市委`), a `中共`, and a leading group's name after."""
        c = self.r
        if k.rule.naming in ("region", "plural") and k.place is None:
            self._attach_place(view, k, places)
        if k.place is not None and k.place.level != "provincial" and view.startswith(k.place.name, k.start):
            m = c.province_before.search(view, max(0, k.start - 8), k.start)
            k.start = m.start() if m else k.start
        if k.rule.id.startswith(TERMED_RULES):
            m = c.term_before.search(view, max(0, k.start - 5), k.start)
            k.start = m.start() if m else k.start
        m = c.left_prefix.search(view, max(0, k.start - 5), k.start)
        if m and m.end() == k.start:
            k.start = m.start()
        return self._grow_right(view, k)

    def _attach_place(self, view: str, k: Candidate, places: Places) -> None:
        """The place whose name ends with the mention's level prefix (`宜城市` over `市委`), or
        ends right before a prefix that repeats its level (`某某县县委`)."""
        for j in (3, 2, 1):
            p = place_ending(view, k.start + j, places, places.tails)
            if p and len(p.name) > j and p.name.endswith(view[k.start:k.start + j]) \
                    and not self._joined(view, k.start + j - len(p.name), p):
                k.start, k.place = k.start + j - len(p.name), p
                return
        p = place_ending(view, k.start, places, places.tails)
        if p and k.rule.naming == "region" and view.startswith(p.name[-1], k.start) \
                and not self._joined(view, k.start - len(p.name), p):
            k.start, k.place = k.start - len(p.name), p

    def _grow_right(self, view: str, k: Candidate) -> Candidate:
        """A leading group's name, a party group and a numbered office after the mention."""
        c = self.r
        m = c.leading_group.match(view[k.end:k.end + 30])
        if m and k.rule.id.startswith(("body.committee", "body.central", "body.place")):
            k.end += m.end()
        m = c.party_group.match(view[k.end:k.end + 16])
        if m and not view[k.start:k.end].endswith(tuple(self.spec.naming.party_organs)):
            k.end += m.end()
        m = c.sub_unit.match(view[k.end:k.end + 10])
        if m and k.rule.id.startswith("body.discipline"):
            k.end += m.end()
        return k

    def _joined(self, view: str, start: int, p: Place) -> bool:
        """`县法院和县检察院`, `农业局会同县财政局`: a place whose name begins with a joiner or a
        verb (`和县`, `会同县`) after a word is that word and a level prefix, not the place."""
        if start == 0 or not view[start - 1].isalnum():
            return False
        m = self.r.left_stop.match(p.name)
        return bool(m) and len(p.name) - m.end() <= 1

    # -------------------------------------------------------------------- the model

    def model_candidates(self, view: str, covered: list[Candidate], words: list[int] = ()
                         ) -> list[Candidate]:
        """Spans the trained model proposes, at or above the configured threshold, read only where
        an organ head stands outside the `covered` (rule) candidates or a rule mention may begin
        further left (`uncertain_edges`). A span ending inside a word (`glued_head`) or opening
        with a verb or preposition (`leads_with_act`) has its edge wrong and is none."""
        busy = bytearray(len(view))
        for k in covered:
            busy[k.start:k.end] = b"\x01" * (k.end - k.start)
        found = self.predict(view, self.model, busy, self.uncertain_edges(view, covered))
        glued = self.r.glued_head
        return [Candidate(s, e, self.r.model_rule, MODEL_ORDER, source="model", score=p)
                for s, e, p in found if p >= self.model.threshold and not glued.match(view, e - 1)
                and not self.leads_with_act(view, s, e, words)]

    def leads_with_act(self, view: str, start: int, end: int, words: list[int]) -> bool:
        """Whether the segmenter's word opening `view[start:end]` is a verb of the act lexicon or
        a frame's preposition (`rules/items.yaml`), a department's field (`统计`) aside."""
        i = bisect.bisect_left(words, start)
        if i >= len(words) or words[i] != start:
            return False
        stop = words[i + 1] if i + 1 < len(words) else end
        return view[start:min(stop, end)] in self.leading_words

    @property
    def predict(self) -> Callable:
        """The model's span proposer, imported on first use (the rules-only run never loads it)."""
        if self._predict is None:
            from pipeline.model.predict import predict

            self._predict = predict
        return self._predict

    def uncertain_edges(self, view: str, mentions: list[Candidate]) -> list[int]:
        """Starts of rule mentions right after a name character that is no stop word
        (`联合社` + `党委`): the rule may have matched only the head of a longer name."""
        c = self.r
        out = []
        for k in mentions:
            if k.start and c.name_char.match(view, k.start - 1):
                stop = c.left_stop.search(view, max(0, k.start - 4), k.start)
                if not (stop and stop.end() == k.start):
                    out.append(k.start)
        return out

    def merge(self, view: str, rule: list[Candidate], model: list[Candidate]) -> list[Candidate]:
        """The merge policy. Rule mentions stand; a model span that overlaps none is added; a model
        span that contains one rule mention and reaches `model.extend_threshold` replaces it when
        what it adds is a name (the rule matched only part of a longer one: `党委` of
        `省农村信用社联合社党委`); any other model span goes, among them spans that would weld two
        rule mentions into one (`省委` … `第三巡视组` across `第二轮巡视`)."""
        ext = self.model.extend_threshold
        out, index, gone = list(rule), _Overlaps(rule), set()
        for m in sorted(model, key=lambda k: (-k.score, k.start)):
            inside = [k for k in index.overlapping(m.start, m.end) if id(k) not in gone]
            if not inside:
                out.append(m)
                index.add(m)
            elif m.score >= ext and len(inside) == 1 and all(
                    m.start <= k.start and k.end <= m.end and k.source == "rule"
                    and (k.start, k.end) != (m.start, m.end) for k in inside) \
                    and self._adds_a_name(view, m, inside):
                m.notes.append("extends " + ",".join(k.rule.id for k in inside))
                for k in inside:
                    k.dropped_by, k.rival = OVERLAP, m
                gone.update(id(k) for k in inside)
                out.append(m)
                index.add(m)
            else:
                m.dropped_by = "body.model.merge"
        return [k for k in out if id(k) not in gone]

    def _adds_a_name(self, view: str, m: Candidate, inside: list[Candidate]) -> bool:
        """What a model span adds to rule mentions is part of a name: on the left at least two name
        characters with no stop word (not `导` of `指导`) and no modifier (`各`, `本届`); on the
        right no post (`常委` of `省委常委`)."""
        c = self.r
        left = view[m.start:min(k.start for k in inside)]
        right = view[max(k.end for k in inside):m.end]
        if left and (len(left) < 2 or c.left_stop.search(left) or c.not_extended_by.match(left)
                     or not all(c.name_char.match(ch) for ch in left)):
            return False
        return not (right and self.post.match(right))

    # -------------------------------------------------------------------- filters and places

    def apply_filters(self, view: str, cands: list[Candidate]) -> list[Candidate]:
        """Mark candidates that the negative knowledge says are no body; return the survivors."""
        for k in cands:
            line_start = view.rfind("\n", 0, k.start) + 1
            left, right = view[max(line_start, k.start - 40):k.start], view[k.end:k.end + 40]
            for f, lrx, rrx in self.r.filters:
                if (lrx is None or lrx.search(left)) and (rrx is None or rrx.search(right)):
                    k.dropped_by = f.id
                    break
        return [k for k in cands if not k.dropped_by]

    def groups(self, view: str, cands: list[Candidate]) -> list[list[Candidate]]:
        """Enumerations: mentions joined only by `、`/`和`/`及`… (their members share a place)."""
        out: list[list[Candidate]] = []
        for k in cands:
            if out and view[out[-1][-1].end:k.start] in self.joiners:
                out[-1].append(k)
            else:
                out.append([k])
        return out

    def license_places(self, ctx: Context, cands: list[Candidate]
                       ) -> tuple[list[Candidate], list[list[Candidate]]]:
        """A place name (a rule that `needs_cue`) is a body only where a role cue that licenses
        places fires around its enumeration; the rest go. A rule's fixed role is the mention's.
        Returns the kept candidates and their enumerations."""
        keep, groups = [], []
        for g in self.groups(ctx.view, cands):
            if any(k.rule.needs_cue for k in g) and not self.roles.licenses(ctx, g[0].start, g[-1].end):
                for k in g:
                    if k.rule.needs_cue:
                        k.dropped_by = "body.filter.place_not_acting"
                g = [k for k in g if not k.dropped_by]
            for k in g:
                if k.rule.role:
                    k.fields["role"] = k.rule.role
            groups.append(g)
            keep.extend(g)
        return keep, [g for g in groups if g]


class _Overlaps:
    """Spans filed by 16-character stretch, so that finding those overlapping a span does not
    walk every span of the document (which made `merge` quadratic on long texts)."""

    def __init__(self, spans=()):
        self.by: dict[int, list] = {}
        self.added = 0
        for k in spans:
            self.add(k)

    def add(self, k) -> None:
        self.added += 1
        for b in range(k.start >> 4, ((k.end - 1) >> 4) + 1):
            self.by.setdefault(b, []).append((self.added, k))

    def overlapping(self, s: int, e: int) -> list:
        """The spans overlapping [s, e), in the order they were added."""
        found = {n: k for b in range(s >> 4, ((e - 1) >> 4) + 1) for n, k in self.by.get(b, ())
                 if k.start < e and s < k.end}
        return [found[n] for n in sorted(found)]
