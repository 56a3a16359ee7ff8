"""Bodies (spec §4): who acts, who is inspected, normalised to full names with their level.

Two sources find candidate spans: the rules of `rules/bodies.yaml` (the organ system as patterns
plus gazetteers) and a small spaCy span categoriser trained by the project (`pipeline.model`).
Merge policy (`merge`): every rule mention is kept; a model span is added where no rule mention
overlaps it and its probability reaches `model.threshold`, and replaces the rule mentions it
contains when it reaches `model.extend_threshold` (a longer name the patterns could not delimit). Both then pass the same negative
filters, role cues and name normalisation, so the two differ only in which spans they propose;
each mention records its `source`, `rule_id` and `score`.

`MODE` switches the sources for an ablation: `merged` (default), `rules` or `model`;
`MODEL_PATH` points the model source at another trained model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import field_validator

from pipeline.context import sections
from pipeline.context.sections import region_at
from pipeline.context.view import NormalText
from pipeline.records import Body, RegionSpan
from pipeline.rules import RuleModel, compile_rule, load_lines, load_model, load_table, trie_alternation

RULES = "bodies.yaml"
MODE: Literal["merged", "rules", "model"] = "merged"
MODEL_PATH: str | None = None  # another trained model than `model.path` (benchmarks)
CLAUSE_END = ",;。:!?\n"
SENTENCE_END = "。;!?\n"
JOINERS = ("、", "和", "及", "与", "以及", "或")
LevelSpec = Literal["central", "provincial", "municipal", "county", "township", "village", "unit",
                    "prefix"]


def _squeeze(v: str) -> str:
    """Patterns may be folded over lines in YAML; no Chinese pattern needs a literal space."""
    return re.sub(r"\s+", "", v)


class BodyRule(RuleModel):
    id: str
    pattern: str = ""
    gazetteer: Literal["places"] | None = None
    level: LevelSpec | None = None
    naming: Literal["as_written", "region", "owner", "province", "unit", "plural"] = "as_written"
    role: Literal["responsible", "target", "participant"] | None = None
    needs_cue: bool = False
    split: bool = False
    trim_left: bool = False
    trigger: str = ""
    examples: list[str]

    _sq = field_validator("pattern")(_squeeze)


class ContextRule(RuleModel):
    id: str
    left: str = ""
    right: str = ""
    examples: list[str] = []

    _sq = field_validator("left", "right")(_squeeze)


class RoleCue(RuleModel):
    id: str
    role: Literal["responsible", "target", "participant"]
    left: str = ""
    right: str = ""
    before: str = ""
    licenses_place: bool = True

    _sq = field_validator("left", "right", "before")(_squeeze)


class PlaceRule(RuleModel):
    id: str
    pattern: str
    examples: list[str]

    _sq = field_validator("pattern")(_squeeze)


class ModelConfig(RuleModel):
    path: str
    threshold: float
    extend_threshold: float
    not_extended_by: str
    trigger: str

    _sq = field_validator("trigger", "not_extended_by")(_squeeze)


class BodyRules(RuleModel):
    fragments: dict[str, str]
    rules: list[BodyRule]
    leading_group: str
    party_group: str
    left_prefix: str
    sub_unit: str
    name_left_stop: str
    filters: list[ContextRule]
    roles: list[RoleCue]
    owner_levels: list[str]
    owned_by_region: dict[str, Literal["place", "committee"]]
    owned_by_inspector: list[str]
    owned_by_committee: list[str]
    owned_by_local: list[str]
    local_homes: dict[str, str]
    home_keys: dict[str, str]
    unit_keys: dict[str, list[str]]
    plural_owners: dict[str, list[str]]
    aliases: dict[str, str]
    strip_prefixes: list[str]
    level_prefixes: dict[str, str]
    learnt_places: list[PlaceRule]
    learnt_levels: dict[str, LevelSpec]
    model: ModelConfig

    _sq = field_validator("fragments")(lambda v: {k: _squeeze(x) for k, x in v.items()})
    _sq2 = field_validator("name_left_stop")(_squeeze)


@dataclass(frozen=True)
class Place:
    name: str
    level: str
    province: str


@dataclass(frozen=True)
class Compiled:
    """`bodies.yaml` with every regex compiled and every gazetteer indexed, once per process."""

    spec: BodyRules
    patterns: list[tuple[BodyRule, re.Pattern, re.Pattern | None]]
    places: dict[str, Place]
    place_end_rx: re.Pattern
    provinces: dict[str, tuple[str, str]]  # short or full name → (full, committee)
    leading_group: re.Pattern
    party_group: re.Pattern
    left_prefix: re.Pattern
    sub_unit: re.Pattern
    left_stop: re.Pattern
    name_char: re.Pattern
    not_extended_by: re.Pattern
    home_key: re.Pattern
    filters: list[tuple[ContextRule, re.Pattern | None, re.Pattern | None]]
    cues: list[tuple[RoleCue, re.Pattern | None, re.Pattern | None, re.Pattern | None]]
    dept_tail: re.Pattern
    prefix_levels: list[tuple[str, str]]
    model_rule: BodyRule
    learners: list[tuple[PlaceRule, re.Pattern]]
    province_before: re.Pattern


DIVISION_LEVEL = {"province": "provincial", "prefecture": "municipal", "county": "county"}


def divisions() -> list[tuple[str, str, list[str], str]]:
    """(name, level, short names, province) of every division in `rules/divisions.tsv`, the
    gazetteer the sections stage reads too (built from cpca's adcodes table)."""
    return [(name, DIVISION_LEVEL[level], [s for s in shorts.split("|") if s], prov)
            for _code, name, shorts, level, prov in load_table(sections.GAZETTEER)]


def province_table() -> dict[str, tuple[str, str]]:
    """Short or full province name → (full name, its party committee's name): `省`/`市` take
    `委` (`河北省委`, `北京市委`), autonomous regions `党委`; SARs have none, their name stands."""
    out = {}
    for name, level, shorts, _prov in divisions():
        if level == "provincial":
            committee = (name + "委" if name.endswith(("省", "市")) else
                         name + "党委" if name.endswith("自治区") else name)
            for form in [name, *shorts]:
                out[form] = (name, committee)
    return out


def place_table() -> dict[str, Place]:
    """Cities and counties by full name. Districts (`区`) of two characters (`城区`, `郊区`) are
    too generic to find in running text; longer ones (`大武口区`) are kept."""
    out = {}
    for name, level, _shorts, prov in divisions():
        if level == "county" and name.endswith("区") and len(name) < 3:
            continue
        if len(name) >= 2:
            out.setdefault(name, Place(name, level, prov))
    return out


def _gazetteer_fragments(fragments: dict[str, str]) -> dict[str, str]:
    """Word-list fragments: short province names, central bodies, department stems."""
    provinces = province_table()
    return {**fragments,
            "PROV_SHORT": trie_alternation(k for k, (full, _c) in provinces.items() if k != full),
            "PROV_FULL": trie_alternation(full for full, _c in provinces.values()),
            "CENTRAL": trie_alternation(load_lines("bodies_central.txt")),
            "STEM": trie_alternation(load_lines("bodies_dept_stems.txt"))}


def _context(file: str, rid: str, left: str, right: str, frags: dict):
    return (compile_rule(file, rid, left, frags) if left else None,
            compile_rule(file, rid, right, frags) if right else None)


@lru_cache(maxsize=1)
def rules() -> Compiled:
    """Load, validate and compile `rules/bodies.yaml` and its gazetteers."""
    spec = load_model(RULES, BodyRules)
    frags = _gazetteer_fragments(spec.fragments)
    patterns = [(r, compile_rule(RULES, r.id, r.pattern, frags),
                 re.compile(f"[{re.escape(r.trigger)}]") if r.trigger else None)
                for r in spec.rules if r.pattern]
    places = place_table()
    provinces = province_table()
    return Compiled(
        spec=spec, patterns=patterns, places=places,
        place_end_rx=re.compile("[" + "".join(sorted({n[-1] for n in places})) + "]"),
        provinces=provinces,
        leading_group=compile_rule(RULES, "leading_group", spec.leading_group, frags),
        left_prefix=compile_rule(RULES, "left_prefix", spec.left_prefix, frags),
        left_stop=compile_rule(RULES, "name_left_stop", spec.name_left_stop, frags),
        sub_unit=compile_rule(RULES, "sub_unit", spec.sub_unit, frags),
        name_char=compile_rule(RULES, "NAMECH", "{NAMECH}", frags),
        not_extended_by=compile_rule(RULES, "model.not_extended_by", spec.model.not_extended_by, frags),
        home_key=re.compile("^(?:" + "|".join(sorted(spec.home_keys, key=len, reverse=True)) + ")"),
        party_group=compile_rule(RULES, "party_group", spec.party_group, frags),
        filters=[(f, *_context(RULES, f.id, f.left, f.right, frags)) for f in spec.filters],
        cues=[(c, *_context(RULES, c.id, c.left, c.right, frags),
               compile_rule(RULES, c.id, c.before, frags) if c.before else None) for c in spec.roles],
        dept_tail=compile_rule(RULES, "dept_tail", "(?:{STEM})(?:厅|局|办|委|中心|部门)$", frags),
        prefix_levels=sorted(spec.level_prefixes.items(), key=lambda kv: -len(kv[0])),
        model_rule=BodyRule(id="model.bodies", level="prefix", naming="region", examples=[]),
        learners=[(r, compile_rule(RULES, r.id, r.pattern, frags)) for r in spec.learnt_places],
        province_before=compile_rule(RULES, "province_before", "(?:{PROV_FULL})$", frags),
    )


def learn_places(view: str) -> dict[str, Place]:
    """Cities and counties the gazetteer lacks (new, small or renamed ones), learnt from the
    contexts that mark a name as a place's (`learnt_places`: after `中共`, after a province's
    full name, opening a line before an organ); a level's own name (`自治区`) or a name holding
    a stop word (`根据`) is none."""
    c = rules()
    out: dict[str, Place] = {}
    for _rule, rx in c.learners:
        for m in rx.finditer(view):
            name = m.group("place")
            if name not in c.places and name not in c.spec.level_prefixes \
                    and not c.left_stop.search(name, 0, len(name) - 1):
                out.setdefault(name, Place(name, c.spec.learnt_levels[name[-1]], ""))
    return out


def with_learnt(learnt: dict[str, Place]) -> dict[str, Place]:
    """The gazetteer's places plus those a document teaches (`learn_places`)."""
    return {**rules().places, **learnt} if learnt else rules().places


# ---------------------------------------------------------------- candidates

@dataclass
class Cand:
    """A candidate span with what is known about it so far; becomes a `Body` if it survives."""

    start: int
    end: int
    rule: BodyRule
    source: str = "rule"
    score: float = 1.0
    place: Place | None = None
    dropped_by: str | None = None
    role: str = "participant"
    role_by: str = "default"
    name: str = ""
    level: str | None = None
    name_by: str = ""
    group: int = 0
    notes: list[str] = field(default_factory=list)


def rule_candidates(view: str, places: dict[str, Place] | None = None) -> list[Cand]:
    """Every match of every pattern rule, enumerations split into their members; `places`
    (the gazetteer's by default) are the named cities and counties."""
    c = rules()
    places = places or c.places
    out = []
    for rule, rx, trigger in c.patterns:
        for m in _matches(view, rx, trigger):
            if rule.split:
                out.extend(_split(m.start(), m.group(), rule))
            elif rule.trim_left:
                k = _trimmed(view, m, rule)
                out.extend([k] if k else [])
            else:
                out.append(Cand(m.start(), m.end(), rule))
    out.extend(place_candidates(view, places))
    return [grow(view, k, places) for k in out]


def _trimmed(view: str, m: re.Match, rule: BodyRule) -> Cand | None:
    """A name run back over name characters starts after the last stop word before its head
    (`督促` in `督促永新镇党委`); its named part (group `place` or `name`) keeps at least three
    characters. A named `place` becomes the mention's place (`永新镇`)."""
    group = "place" if "place" in m.re.groupindex else "name"
    start, head = m.start(), m.end(group)
    for s in rules().left_stop.finditer(view, max(0, start - 4), head):
        if start < s.end() <= head:
            start = s.end()
    if head - start < 3:
        return None
    k = Cand(start, m.end(), rule)
    if "place" in m.re.groupindex:
        k.place = Place(view[start:head], rule.level or "township", "")
    return k


WINDOW = 40
PLACE_WORD_GLUE = set("城域级区")  # `德钦县城`, `市域`: the place is part of a longer word


def _matches(view: str, rx: re.Pattern, trigger: re.Pattern | None):
    """`rx.finditer` over the view, or (faster) only over windows around its trigger characters:
    a regex led by a long word alternation is slow to scan with, a character class is not."""
    if trigger is None:
        yield from rx.finditer(view)
        return
    lo = hi = -1
    for t in trigger.finditer(view):
        if t.start() - WINDOW > hi:
            if hi > lo:
                yield from rx.finditer(view, lo, hi)
            lo = max(0, t.start() - WINDOW)
        hi = min(len(view), t.end() + WINDOW)
    if hi > lo:
        yield from rx.finditer(view, lo, hi)


def _split(start: int, text: str, rule: BodyRule) -> list[Cand]:
    out, pos = [], start
    for part in text.split("、"):
        out.append(Cand(pos, pos + len(part), rule))
        pos += len(part) + 1
    return out


def place_candidates(view: str, places: dict[str, Place]) -> list[Cand]:
    """Named cities and counties, found by looking up the words that end at a place suffix."""
    c = rules()
    rule = next(r for r in c.spec.rules if r.gazetteer == "places")
    out = []
    for m in c.place_end_rx.finditer(view):
        p = _place_ending(view, m.end(), places)
        if p and p.level != "provincial" and view[m.end():m.end() + 1] not in PLACE_WORD_GLUE:
            out.append(Cand(m.end() - len(p.name), m.end(), rule, place=p))
    return out


def _place_starting(text: str, places: dict[str, Place]) -> Place | None:
    """The longest known place that `text` starts with."""
    return next((p for n in range(min(9, len(text)), 1, -1) if (p := places.get(text[:n]))), None)


def _place_ending(view: str, end: int, places: dict[str, Place]) -> Place | None:
    """The longest known place whose name ends at `end`."""
    for k in range(min(9, end), 1, -1):
        p = places.get(view[end - k:end])
        if p:
            return p
    return None


def grow(view: str, k: Cand, places: dict[str, Place] | None = None) -> Cand:
    """Attach a place named before a level prefix, a `中共`, and a leading group's name after."""
    c = rules()
    places = places or c.places
    if k.rule.naming == "region" and k.place is None:
        for j in (3, 2, 1):
            p = _place_ending(view, k.start + j, places)
            if p and len(p.name) > j and p.name.endswith(view[k.start:k.start + j]) \
                    and not _joined(view, k.start + j - len(p.name), p):
                k.start, k.place = k.start + j - len(p.name), p
                break
    if k.place is not None and k.place.level != "provincial" and view.startswith(k.place.name, k.start):
        m = c.province_before.search(view, max(0, k.start - 8), k.start)
        k.start = m.start() if m else k.start
    m = c.left_prefix.search(view, max(0, k.start - 5), k.start)
    if m and m.end() == k.start:
        k.start = m.start()
    m = c.leading_group.match(view[k.end:k.end + 30])
    if m and k.rule.id.startswith(("body.committee", "body.central", "body.place")):
        k.end += m.end()
    m = c.party_group.match(view[k.end:k.end + 16])
    if m and not view[k.start:k.end].endswith(("党委", "党组", "党工委")):
        k.end += m.end()
    m = c.sub_unit.match(view[k.end:k.end + 10])
    if m and k.rule.id.startswith("body.discipline"):
        k.end += m.end()
    return k


def _joined(view: str, start: int, p: Place) -> bool:
    """`县法院和县检察院`, `农业局会同县财政局`: a place whose name begins with a joiner or a
    verb (`和县`, `会同县`) after a word is that word and a level prefix, not the place."""
    if start == 0 or not view[start - 1].isalnum():
        return False
    m = rules().left_stop.match(p.name)
    return bool(m) and len(p.name) - m.end() <= 1


def resolve(cands: list[Cand]) -> list[Cand]:
    """Keep the longest of overlapping candidates (the earlier rule on a tie), in text order."""
    order = {id(r): i for i, r in enumerate(rules().spec.rules)}
    taken: list[Cand] = []
    busy = bytearray(max((k.end for k in cands), default=0))
    for k in sorted(cands, key=lambda k: (k.source != "rule", k.start - k.end,
                                          order.get(id(k.rule), 99), k.start)):
        if not any(busy[k.start:k.end]):
            busy[k.start:k.end] = b"\x01" * (k.end - k.start)
            taken.append(k)
    return sorted(taken, key=lambda k: k.start)


def apply_filters(view: str, cands: list[Cand]) -> list[Cand]:
    """Mark candidates that the negative knowledge says are no body; return the survivors."""
    for k in cands:
        line_start = view.rfind("\n", 0, k.start) + 1
        left, right = view[max(line_start, k.start - 40):k.start], view[k.end:k.end + 40]
        for f, lrx, rrx in rules().filters:
            if (lrx is None or lrx.search(left)) and (rrx is None or rrx.search(right)):
                k.dropped_by = f.id
                break
    return [k for k in cands if not k.dropped_by]


# ---------------------------------------------------------------- roles

def groups(view: str, cands: list[Cand]) -> list[list[Cand]]:
    """Enumerations: mentions joined only by `、`/`和`/`及`… share one role."""
    out: list[list[Cand]] = []
    for k in cands:
        if out and view[out[-1][-1].end:k.start] in JOINERS:
            out[-1].append(k)
        else:
            out.append([k])
    return out


def clause_bounds(view: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a span: from the last clause mark before it to the next after it."""
    lo, hi = max(0, start - CUE_REACH), min(len(view), end + CUE_REACH)  # cues are read no further
    s = max(lo - 1, *(view.rfind(ch, lo, start) for ch in CLAUSE_END)) + 1
    ends = [i for i in (view.find(ch, end, hi) for ch in CLAUSE_END) if i >= 0]
    return s, min(ends) if ends else hi


CUE_REACH = 200  # cues are read this far around a group: a clause without marks can be the text


def assign_roles(view: str, cands: list[Cand]) -> list[Cand]:
    """Role of each enumeration group from the first cue that fires; unlicensed places go."""
    keep = []
    for i, g in enumerate(groups(view, cands)):
        s, e = clause_bounds(view, g[0].start, g[-1].end)
        left, right = view[s:g[0].start].lstrip(" \u3000\t"), view[g[-1].end:e]
        floor = max(0, s - CUE_REACH)
        before = view[max(floor - 1, *(view.rfind(ch, floor, s) for ch in SENTENCE_END)) + 1:s]
        cue = next((c for c, lrx, rrx, brx in rules().cues
                    if (lrx is None or lrx.search(left)) and (rrx is None or rrx.match(right))
                    and (brx is None or brx.search(before))), None)
        for k in g:
            k.group = i
            if k.rule.needs_cue and (cue is None or not cue.licenses_place):
                k.dropped_by = "body.filter.place_not_acting"
                continue
            k.role, k.role_by = (k.rule.role, "rule") if k.rule.role else (
                (cue.role, cue.id) if cue else ("participant", "default"))
            keep.append(k)
    return keep


# ---------------------------------------------------------------- names and levels

def alias(name: str) -> str:
    """Short official forms: `纪律检查委员会` → `纪委`, `中共浙江省委` → `浙江省委`,
    `中共川南理工大学委员会` → `川南理工大学党委`."""
    spec = rules().spec
    for long, short in spec.aliases.items():
        name = name.replace(long, short)
    name = TERM.sub("", name)
    m = FULL_NAME.match(name)
    if m:
        owner = TERM.sub("", m.group(1))
        if owner == "中央":
            return "党中央" + m.group(2)
        return owner + ("委" if owner.endswith(("省", "市", "县", "区", "州", "旗", "盟"))
                        and not owner.endswith("自治区") else "党委") + m.group(2)
    for prefix in spec.strip_prefixes:
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix):]
    return name


FULL_NAME = re.compile(r"^(?:中共|中国共产党)(.{2,}?)委员会(.*)$")
TERM = re.compile(r"^第?[一二三四五六七八九十]{1,3}届")  # `十九届中央` is `中央`


def prefix_level(name: str) -> str | None:
    """The level a name's first characters announce (`省…` provincial, `校…` unit)."""
    for prefix, level in rules().prefix_levels:
        if name.startswith(prefix):
            return level
    return None


def fill_region(name: str, region: str | None) -> tuple[str, bool]:
    """`省纪委监委` in a Hebei segment → `河北省纪委监委`; True when a prefix was filled."""
    if not region:
        return name, False
    for generic in ("自治区", "省", "市"):
        if name.startswith(generic) and region.endswith(generic) and not name.startswith(
                ("省市", "市县", "省直", "市直")):
            if generic == "市" and rules().provinces.get(region, ("", ""))[0] != region:
                return name, False
            return region + name[len(generic):], True
    return name, False


@dataclass
class Owners:
    """What was named so far, that bare organs are completed with.

    `inspectors`: committees that inspect (central, provincial, unit) and owners of named
    inspection organs; `committees`: any named committee; `groups`: full leading-group names;
    `homes`: the named place or unit a generic prefix stands for (`市` → `赤峰市` after
    `赤峰市政府`, `校` → `川南理工大学` after its committee), keyed by `home_keys`;
    `first_homes` and `ordinals` are learnt over the whole document in a first pass: the first
    home of each key, and the numbered inspection groups (`省委第三巡视组`) by kind.
    """

    inspectors: dict[int, tuple[str, str]] = field(default_factory=dict)
    committees: dict[int, tuple[str, str]] = field(default_factory=dict)
    last: dict[str, tuple[str, str]] = field(default_factory=dict)
    groups: list[tuple[str, str | None]] = field(default_factory=list)
    homes: dict[str, tuple[str, str]] = field(default_factory=dict)
    first_homes: dict[str, tuple[str, str]] = field(default_factory=dict)
    ordinals: dict[str, set] = field(default_factory=dict)
    ahead: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)

    def note(self, kind: str, para: int, owner: str, level: str | None) -> None:
        getattr(self, kind)[para] = self.last[kind] = (owner, level)
        self.ahead.setdefault((kind, para), (owner, level))

    def find(self, kind: str, para: int, region: str | None) -> tuple[str, str | None] | None:
        """The paragraph's nearest before, else its first after, else the region's committee,
        else anything named before."""
        if para in getattr(self, kind):
            return getattr(self, kind)[para]
        if (kind, para) in self.ahead:
            return self.ahead[(kind, para)]
        if region in rules().provinces:
            return rules().provinces[region][1], "provincial"
        return self.last.get(kind)

    def note_home(self, key: str, name: str, level: str | None) -> None:
        self.homes[key] = (name, level)
        self.first_homes.setdefault(key, (name, level))

    def home(self, key: str) -> tuple[str, str | None] | None:
        """The last home of this key named before, else the first named after."""
        return self.homes.get(key) or self.first_homes.get(key)


COMMITTEE_END = re.compile(r"^(.*?(?:党中央|中央|党委|(?<!纪)委))(?=巡视|巡察|常委会|全委会|专项小组|$|组织部|宣传部)")
ORDINAL_GROUP = re.compile(r"第[0-9一二三四五六七八九十]{1,3}(巡视|巡察)组$")
INSPECTOR_RULES = ("body.committee", "body.central.organ")
ORGAN_RULES = ("body.committee", "body.discipline", "body.government", "body.department",
               "body.inspection", "body.unit")
UNIT_ORGAN_END = re.compile(r"(?:党委|党组|党工委|党总支|纪委|纪工委)(?:.*)$")


def name_and_level(view: str, k: Cand, region: str | None, owners: Owners, para: int,
                   places: dict[str, Place]) -> None:
    """Fill `name`, `level`, `name_by` of a candidate and remember committees as owners."""
    c = rules()
    text = _without_province(k, alias(view[k.start:k.end]), places)
    k.name, k.level, k.name_by = text, _level(k, text), "as_written"
    naming = k.rule.naming
    if naming == "province":
        k.name, k.name_by = c.provinces.get(text, (text, ""))[0], "province"
    elif naming == "region" and k.place is None:
        _name_by_region(view, k, text, region, owners)
    elif naming == "owner":
        _name_by_owner(view, k, text, region, owners, para)
    elif naming == "unit":
        _name_unit(k, text, places)
    elif naming == "plural":
        _name_plural(k, text, owners)
    _remember(k, owners, para)


def _remember(k: Cand, owners: Owners, para: int) -> None:
    """Note the committees, leading groups, homes and numbered groups a mention names."""
    m = COMMITTEE_END.match(k.name)
    if m and k.rule.id.startswith(INSPECTOR_RULES) and k.name_by != "owner":
        if k.level in rules().spec.owner_levels:
            owners.note("inspectors", para, m.group(1), k.level)
        if k.rule.id.startswith("body.committee"):
            owners.note("committees", para, m.group(1), k.level)
    if k.name.endswith("领导小组") and k.name != "领导小组":
        owners.groups.append((k.name, k.level))
    if (g := ORDINAL_GROUP.search(k.name)) and len(k.name) > len(g.group()):
        owners.ordinals.setdefault(g.group(1), set()).add((k.name, k.level))
    if k.rule.id.startswith(ORGAN_RULES) and k.name_by not in ("home", "owner"):
        _remember_home(k, owners)


def _remember_home(k: Cand, owners: Owners) -> None:
    """A named place before an organ (`赤峰市` of `赤峰市政府`) or a named unit's committee
    (`川南理工大学` of its `党委`) is what later generic prefixes (`市`, `学校`) stand for."""
    spec = rules().spec
    if k.place is not None and k.name.startswith(k.place.name):
        if k.place.level != "provincial":
            _note_place_home(owners, k.place)
        return
    if k.level == "unit" and (m := UNIT_ORGAN_END.search(k.name)) and m.start() >= 3:
        unit = k.name[:m.start()]
        for key, ends in spec.unit_keys.items():
            if unit.endswith(tuple(ends)):
                owners.note_home(key, unit, "unit")


def _without_province(k: Cand, name: str, places: dict[str, Place]) -> str:
    """`江西省萍川市纪委监委` → `萍川市纪委监委`: a city's or county's body is named by its
    place alone, however the text introduces it, so that every mention of it names it alike;
    the place becomes the mention's."""
    provinces = rules().provinces
    for n in range(min(8, len(name) - 2), 1, -1):
        if provinces.get(name[:n], ("",))[0] == name[:n]:
            rest = name[n:]
            p = _place_starting(rest, places)
            if p and p.level != "provincial":
                k.place = p
                return rest
            return name
    return name


def _note_place_home(owners: Owners, p: Place) -> None:
    """A place is the home of the generic prefix its name ends with (`市` for `赤峰市`)."""
    keys = rules().spec.home_keys
    ends = [e for e in keys if p.name.endswith(e)]
    if ends:
        owners.note_home(keys[max(ends, key=len)], p.name, p.level)


def _level(k: Cand, text: str) -> str | None:
    if k.rule.level != "prefix":
        return k.rule.level
    if k.place is not None:
        return k.place.level
    return prefix_level(text)


def _name_by_region(view: str, k: Cand, text: str, region: str | None, owners: Owners) -> None:
    """Generic level prefix → the region's name (`省委` → `河北省委`), or the place or unit a
    document is about (`市委` → `赤峰市委`, `学校党委` → `川南理工大学党委`); not after `各`."""
    name, filled = fill_region(text, region)
    if filled:
        k.name, k.level, k.name_by = name, "provincial", "region"
        return
    m = rules().home_key.match(text)
    if m and view[k.start - 1:k.start] != "各":
        home = owners.home(rules().spec.home_keys[m.group()])
        if home:
            k.name, k.level, k.name_by = home[0] + text[m.end():], home[1], "home"
            return
    if c_dept := rules().dept_tail.search(text):
        if text.endswith("厅") and c_dept.start() == 0 and region:
            k.name, k.level, k.name_by = _committee_place(region) + text, "provincial", "region"


def _committee_place(region: str) -> str:
    return rules().provinces.get(region, (region, ""))[0]


def _name_unit(k: Cand, text: str, places: dict[str, Place]) -> None:
    """A named unit's committee keeps its name (aliased); its level is the unit's, or the
    place's for `中共黄冈市委员会`."""
    k.name_by = "unit"
    if k.rule.level == "prefix":
        p = _place_starting(text, places)
        k.level = p.level if p else prefix_level(text) or "unit"


def _name_plural(k: Cand, text: str, owners: Owners) -> None:
    """`各县区党委` → the home city's (`石嘴山市各县区党委`), `各村党组织` → the home township's."""
    for prefix, keys in rules().spec.plural_owners.items():
        if text.startswith(prefix):
            home = next((h for h in map(owners.home, keys) if h), None)
            if home:
                k.name, k.name_by = home[0] + text, "home"
            return


def _name_by_owner(view: str, k: Cand, text: str, region, owners: Owners, para: int) -> None:
    """Bare organs: `巡视组` → owner's, `纪委` → region's, `党组织` after `被巡视` keeps it."""
    c = rules().spec
    before = view[max(0, k.start - 4):k.start]
    if text in ("党组织",) and (m := re.search(r"被(?:巡视|巡察)+$", before)):
        k.name, k.name_by = m.group() + text, "modifier"
        return
    if text in c.owned_by_region and region in rules().provinces:
        full, committee = rules().provinces[region]
        base = full if c.owned_by_region[text] == "place" else committee
        k.name, k.level, k.name_by = base + text, "provincial", "region"
        return
    if text == "领导小组" and owners.groups:
        k.name, k.level = owners.groups[-1]
        k.name_by = "leading_group"
        return
    if _name_by_ordinal(view, k, text, owners):
        return
    organ = text[2:] if text.startswith("党委") and len(text) > 2 else text
    if organ in c.owned_by_local:
        if home := _local_home(owners):
            k.name, k.level, k.name_by = home[0] + organ, home[1], "owner"
        return
    bare_ordinal = ORDINAL_GROUP.fullmatch(organ)
    kind = ("inspectors" if organ in c.owned_by_inspector or (bare_ordinal and "巡视" in organ) else
            "committees" if organ in c.owned_by_committee or organ.endswith("领导小组") else None)
    found = owners.find(kind, para, region) if kind else None
    if found:
        k.name, k.level, k.name_by = found[0] + organ, found[1], "owner"


def _name_by_ordinal(view: str, k: Cand, text: str, owners: Owners) -> bool:
    """A bare `巡视组`/`巡察组` in a document that names exactly one numbered group of its kind
    is that group (`省委第三巡视组`); `各巡视组` stays plural."""
    if text not in ("巡视组", "巡察组") or view[k.start - 1:k.start] == "各":
        return False
    named = owners.ordinals.get(text[:2], set())
    if len(named) != 1:
        return False
    k.name, k.level = next(iter(named))
    k.name_by = "numbered_group"
    return True


def _local_home(owners: Owners) -> tuple[str, str | None] | None:
    """The committee a local inspection organ (`巡察组`) belongs to: the city's or county's the
    document is about (`仁怀市委`), else its unit's (`川南理工大学党委`)."""
    for key, committee in rules().spec.local_homes.items():
        if home := owners.home(key):
            return home[0] + committee, home[1]
    return None


def _inherit(g: list[Cand]) -> None:
    """Members of an enumeration without a place take the place of its first member:
    `自治区农业厅、水利厅` → `…水利厅`, `自治区党委、政府` → `内蒙古自治区政府`,
    `自治区纪委监委、党委组织部` → `宁夏回族自治区党委组织部`."""
    head = g[0]
    place = _place_part(head)
    if not place:
        return
    for k in g[1:]:
        text = k.name
        if (rules().dept_tail.match(text) and not text.endswith("部门")
                or text.startswith("党委") or text in ("政府", "人民政府")):
            if not k.name.startswith(place):
                k.name, k.level, k.name_by = place + text, head.level, "enumeration"


def _place_part(head: Cand) -> str:
    """The place a mention's name begins with: `宁夏回族自治区` of `宁夏回族自治区纪委监委`
    (written `自治区纪委监委`)."""
    m = rules().dept_tail.search(head.name)
    cuts = [m.start()] if m else []
    cuts += [i for i in (head.name.find(o) for o in ("党委", "纪委", "委")) if i > 0]
    return next((head.name[:i] for i in cuts if head.name[i - 1] in "省市县区州旗盟"), "")


def normalise(view: str, cands: list[Cand], regions: list[RegionSpan],
              learnt: dict[str, Place] | None = None) -> list[Cand]:
    """Names and levels in text order; a first pass learns each paragraph's first owners and
    the document's homes and numbered groups, so a bare organ named before its owner still
    finds it."""
    places = with_learnt(learnt or {})
    paras = [view.count("\n", 0, k.start) for k in cands]
    found = Owners()
    for k, para in zip(cands, paras):
        name_and_level(view, k, region_at(regions, k.start), found, para, places)
    for p in (learnt or {}).values():
        _note_place_home(found, p)
    owners = Owners(ahead=found.ahead, first_homes=found.first_homes, ordinals=found.ordinals)
    for k, para in zip(cands, paras):
        name_and_level(view, k, region_at(regions, k.start), owners, para, places)
    by_group: dict[int, list[Cand]] = {}
    for k in cands:
        by_group.setdefault(k.group, []).append(k)
    for g in by_group.values():
        if len(g) > 1:
            _inherit(g)
    return cands


# ---------------------------------------------------------------- entry points

def model_candidates(nt: NormalText, covered: list[Cand]) -> list[Cand]:
    """Spans the trained model proposes, at or above the configured threshold, read only where
    an organ head stands outside the `covered` (rule) candidates or a rule mention may begin
    further left (`uncertain_edges`)."""
    from pipeline.model import predict

    c = rules()
    busy = bytearray(len(nt.view))
    for k in covered:
        busy[k.start:k.end] = b"\x01" * (k.end - k.start)
    config = c.spec.model if MODEL_PATH is None else c.spec.model.model_copy(update={"path": MODEL_PATH})
    found = predict(nt.view, config, busy, uncertain_edges(nt.view, covered))
    return [Cand(s, e, c.model_rule, source="model", score=p) for s, e, p in found
            if p >= c.spec.model.threshold]


def uncertain_edges(view: str, mentions: list[Cand]) -> list[int]:
    """Starts of rule mentions right after a name character that is no stop word
    (`联合社` + `党委`): the rule may have matched only the head of a longer name."""
    c = rules()
    out = []
    for k in mentions:
        if k.start and c.name_char.match(view, k.start - 1):
            stop = c.left_stop.search(view, max(0, k.start - 4), k.start)
            if not (stop and stop.end() == k.start):
                out.append(k.start)
    return out


def merge(view: str, rule: list[Cand], model: list[Cand]) -> list[Cand]:
    """The merge policy. Rule mentions stand; a model span that overlaps none is added; a model
    span that contains one rule mention and reaches `model.extend_threshold` replaces it when
    what it adds is a name (the rule matched only part of a longer one: `党委` of
    `省农村信用社联合社党委`); any other model span goes, among them spans that would weld two
    rule mentions into one (`省委` … `第三巡视组` across `第二轮巡视`)."""
    ext = rules().spec.model.extend_threshold
    out, index, gone = list(rule), _Overlaps(rule), set()
    for m in sorted(model, key=lambda k: (-k.score, k.start)):
        inside = [k for k in index.overlapping(m.start, m.end) if id(k) not in gone]
        if not inside:
            out.append(m)
            index.add(m)
        elif m.score >= ext and len(inside) == 1 and all(
                m.start <= k.start and k.end <= m.end and k.source == "rule"
                and (k.start, k.end) != (m.start, m.end) for k in inside) \
                and _adds_a_name(view, m, inside):
            m.notes.append("extends " + ",".join(k.rule.id for k in inside))
            gone.update(id(k) for k in inside)
            out.append(m)
            index.add(m)
    return [k for k in out if id(k) not in gone]


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


def _adds_a_name(view: str, m: Cand, inside: list[Cand]) -> bool:
    """What a model span adds to rule mentions is part of a name: on the left at least two name
    characters with no stop word (not `导` of `指导`) and no modifier (`各`, `本届`); on the
    right no post (`常委` of `省委常委`)."""
    c = rules()
    left = view[m.start:min(k.start for k in inside)]
    right = view[max(k.end for k in inside):m.end]
    if left and (len(left) < 2 or c.left_stop.search(left) or c.not_extended_by.match(left)
                 or not all(c.name_char.match(ch) for ch in left)):
        return False
    post = next(rx for f, _l, rx in c.filters if f.id == "body.filter.post")
    return not (right and post.match(right))


def candidates(nt: NormalText, mode: str, places: dict[str, Place]) -> list[Cand]:
    view = nt.view
    if mode == "rules":
        return rule_candidates(view, places)
    if mode == "model":
        return [grow(view, k, places) for k in model_candidates(nt, [])]
    found = resolve(rule_candidates(view, places))
    return merge(view, found, [grow(view, k, places) for k in model_candidates(nt, found)])


def find(nt: NormalText, regions: list[RegionSpan] | None = None,
         mode: str | None = None) -> list[Cand]:
    """Surviving candidates with role, name and level (the dropped ones are not returned)."""
    mode = mode or MODE
    view = nt.view
    learnt = learn_places(view)
    kept = apply_filters(view, resolve(candidates(nt, mode, with_learnt(learnt))))
    kept = assign_roles(view, kept)
    return normalise(view, kept, regions or [], learnt)


def to_body(nt: NormalText, k: Cand) -> Body:
    """The record; a name keeps the full-width brackets its text is written with
    (`村（社区）党组织`), which the view folds to ASCII."""
    text = nt.original[k.start:k.end]
    name = k.name.translate(FULL_BRACKETS) if "（" in text else k.name
    return Body(start=k.start, end=k.end, text=text, rule_id=k.rule.id,
                source=k.source, score=round(k.score, 4), name=name, role=k.role,
                level=k.level, explanation="; ".join([f"role: {k.role_by}", f"name: {k.name_by}", *k.notes]))


FULL_BRACKETS = str.maketrans("()", "（）")


def extract(nt: NormalText, regions: list[RegionSpan], use_model: bool | None = None) -> list[Body]:
    """Body mentions of the text; `regions` fill in names (巡视组 of 河北 → 河北省委巡视组).

    Args:
        use_model: None follows `MODE`; False uses the rules alone; True merges the model in.
    """
    mode = MODE if use_model is None else ("merged" if use_model else "rules")
    return [to_body(nt, k) for k in find(nt, regions, mode)]
