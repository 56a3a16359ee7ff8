"""A document's home (issue 16): the places and the organisation it speaks from or about.

A rectification notice of a district bureau writes `区委`, `局党组`; a county's practice article
writes `县委`, `县卫计委`; an enterprise's notice writes `集团党委`. Who these are is said once,
in the title, the dateline or the opening (`中共某某集团有限公司委员会关于…`, `某某日报讯`,
`对某镇党委开展了巡察`), or not at all. The home is what those say: the chain of divisions from
the province down to the county and township, and the organisation, each with the stretch of
text that shows it. Regions (spec §1) take the home's province for the whole text; names
(spec §4 "Names") fill short forms from it.

Evidence, strongest first (`rules/home.yaml`): the manifest, the title's issuer and places, a
provincial paper's dateline or sign-off, the issuer signing at the foot, the places of the
first paragraph of running text, and the opening inspection clause's organisation with, for a
township, its full form elsewhere in the text. The first evidence that names a place fixes the
chain; later evidence only adds a level below it. A county or district names its city and
province through the gazetteer's codes when its name is unique or another place of the same
evidence picks one (`开封市鼓楼区`); a name that stays ambiguous (`鼓楼区` alone) gives nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from pydantic import field_validator

from pipeline.candidates import Candidate, Explained
from pipeline.context.headings import LINE
from pipeline.context.places import Place, gazetteer
from pipeline.context.view import NormalText
from pipeline.records import Home, HomeEvidence
from pipeline.rules import Example, RuleModel, compile_rule, load_model

RULES = "home.yaml"
LEVEL_FIELDS = {"provincial": "province", "municipal": "city", "county": "county"}


class PatternRule(RuleModel):
    id: str
    pattern: str
    examples: list[Example] = []

    # patterns may be folded over lines in YAML; none needs a literal space
    _sq = field_validator("pattern")(lambda v: re.sub(r"\s+", "", v))


class HomeRules(RuleModel):
    fragments: dict[str, str]
    issuer: PatternRule
    target: PatternRule
    press: PatternRule
    press_reach: int
    paragraph_chars: int
    opening_reach: int
    opening_chars: int
    organisation_keys: dict[str, list[str]]
    township_keys: list[str]
    generic_owners: list[str]


@dataclass
class Found:
    """One piece of evidence: its span and rule, the places it names (as written, and whether
    as a short name), and the organisation it names."""

    start: int
    end: int
    rule_id: str
    names: list[tuple[str, bool, str]] = field(default_factory=list)  # (text, short, level)
    organisation: str | None = None


@lru_cache(maxsize=1)
def rules() -> tuple[HomeRules, dict[str, re.Pattern]]:
    """`rules/home.yaml`, validated, with its patterns compiled."""
    spec = load_model(RULES, HomeRules)
    return spec, {key: compile_rule(RULES, getattr(spec, key).id, getattr(spec, key).pattern,
                                    spec.fragments)
                  for key in ("issuer", "target", "press")}


class Homes:
    """Finds the home of a document, built once with the regions stage it reads places with.

    `reader` is the regions stage (`pipeline.context.regions.Regions`): its gazetteer forms,
    its judgement of a place name as evidence (`places`, `place_at`), the title lines
    (`headings.title_end`, `title_places`) and the issuer's sign-off (`signoff_places`).
    """

    rules_file = RULES

    def __init__(self, reader: Any):
        self.reader = reader
        self.spec, self.rx = rules()
        self.keys = sorted(self.spec.organisation_keys.items(), key=lambda kv: -len(kv[0]))

    # -------------------------------------------------------------------- the home

    def home(self, nt: NormalText, meta: dict | None = None) -> Home:
        """The home of a text; `meta` is its manifest row (`region`, `place`)."""
        home = self.build(nt.view, list(self.evidence(nt.view, meta or {})))
        evidence = [e.model_copy(update={"text": nt.span(e.start, e.end)}) for e in home.evidence]
        return home.model_copy(update={"evidence": evidence})

    def evidence(self, view: str, meta: dict) -> Iterator[Found]:
        """Every piece of evidence, strongest first."""
        yield from self.manifest(meta)
        title_end = self.reader.headings.title_end(view)
        yield from self.issuer(view, title_end)
        places = self.reader.title_places(view, title_end)
        if places:
            yield Found(places[0].start, places[-1].end, "home.title", _names(places))
        yield from self.press(view)
        places = self.reader.signoff_places(view)
        if places:
            yield Found(places[-1].start, places[0].end, "home.signoff", _names(places))
        yield from self.paragraph(view, title_end)
        yield from self.target(view, title_end)

    def build(self, view: str, found: list[Found]) -> Home:
        """The chain the first placed evidence fixes, deepened by later evidence inside it; the
        first organisation named, and for a township its county from its full form."""
        org = next((f for f in found if f.organisation), None)
        chain, used, written = self.chain(view, found)
        township = org.organisation if org and self.is_township(org.organisation) else None
        if township and (not chain or chain[-1].level != "county"):
            chain, used, written = self.chain(view, [*found, *self.full_forms(view, township)])
        if org is not None:
            used = _with_organisation(view, used, org)
        levels = {LEVEL_FIELDS[p.level]: p.name for p in chain}
        names = [written.get(p.code, p.name) for p in chain]
        place = self.written(view, names[1:], township)
        organisation = self.filled(org.organisation, names, place) if org else None
        return Home(**levels, township=township, place=place, organisation=organisation,
                    organisation_keys=self.keys_of(organisation),
                    evidence=sorted(used, key=lambda e: e.start))

    def chain(self, view: str, found: list[Found]
              ) -> tuple[tuple[Place, ...], list[HomeEvidence], dict[str, str]]:
        """The chain of places, the evidence that made it, and how the text writes each of its
        places (`峨山县` for `峨山彝族自治县`), by code."""
        chain: tuple[Place, ...] = ()
        used: list[HomeEvidence] = []
        written: dict[str, str] = {}
        for f in found:
            c = self.resolve(f.names)
            if c and c[:len(chain)] == chain and len(c) > len(chain):
                used.append(_evidence(view, f, c[-1].name))
                chain = c
                for text, short, level in f.names:
                    if not short:
                        for p in gazetteer().named(text):
                            written.setdefault(p.code, text)
        return chain, used, written

    # -------------------------------------------------------------------- evidence

    def manifest(self, meta: dict) -> Iterator[Found]:
        forms = self.reader.gazetteer
        names = [_name(forms[meta[k]]) for k in ("region", "place") if meta.get(k) in forms]
        if names:
            yield Found(0, 0, "home.manifest", names)

    def issuer(self, view: str, title_end: int) -> Iterator[Found]:
        """The issuer of the first line: an organisation (by its ending) and the place its name
        begins with (any gazetteer form: `成都` of a Chengdu company)."""
        line = LINE.search(view)
        if line is None or line.start() >= max(title_end, line.end()) + 1:
            return
        m = self.rx["issuer"].match(view, line.start(), line.end())
        if m is None:
            return
        name = m.group("name")
        head = self.head_place(name)
        yield Found(m.start(), m.end(), self.spec.issuer.id, [head] if head else [],
                    name if self.keys_of(name) else None)

    def head_place(self, name: str) -> tuple[str, bool, str] | None:
        """The longest gazetteer form a name begins with, unless it begins the name of a
        university, paper or bank (`region.not.organisation`: `吉林大学` is no Jilin body)."""
        forms, not_org = self.reader.gazetteer, self.reader.r.rx["organisation"]
        for n in range(min(12, len(name)), 1, -1):
            form = forms.get(name[:n])
            if form is not None:
                return None if not_org.match(name[n:]) else _name(form)
        return None

    def press(self, view: str) -> Iterator[Found]:
        """A provincial paper at either end of the text, when no other province is named."""
        reach = self.spec.press_reach
        for lo, hi in ((0, reach), (max(0, len(view) - reach), len(view))):
            for m in self.rx["press"].finditer(view, lo, hi):
                form = self.reader.gazetteer.get(m.group("place"))
                if form is None or form.level != "provincial" or form.province is None:
                    continue
                if not self.names_another(view, form.province):
                    yield Found(m.start(), m.end(), self.spec.press.id, [_name(form)])

    def names_another(self, view: str, province: str) -> bool:
        """Whether a place of the text, as evidence, lies in another province; the scan of the
        whole text stops at the first such place."""
        return any(p is not None and p.province and p.province != province
                   for _, p, _ in self.reader.candidates(view))

    def paragraph(self, view: str, title_end: int) -> Iterator[Found]:
        """The places of the opening, from the title lines to the end of the first paragraph of
        running text, when one of them acts or is a city or county named in full (a province or
        a short name only in passing, `浙江省城乡建设`, is no home)."""
        reach = min(len(view), title_end + self.spec.opening_reach)
        end = next((line.end() for line in LINE.finditer(view, title_end, reach)
                    if len(line.group().strip()) >= self.spec.paragraph_chars), reach)
        found = self.reader.places(view, title_end, end)
        if any(p.actor or not p.form.short and p.form.level != "provincial" for p in found):
            yield Found(found[0].start, found[-1].end, "home.paragraph", _names(found))

    def target(self, view: str, title_end: int) -> Iterator[Found]:
        """The organisation the opening inspection clause is about (`对某局党组开展了巡察`),
        unless only a generic word of a unit stands before its ending (`校机关`)."""
        m = self.rx["target"].search(view, 0, title_end + self.spec.opening_chars)
        if m and not self.generic(m.group("name")):
            yield Found(m.start(), m.end(), self.spec.target.id, [], m.group("name"))

    def generic(self, name: str) -> bool:
        ends = [e for e, _ in self.keys if name.endswith(e)]
        return bool(ends) and name[:-len(ends[0])] in self.spec.generic_owners

    def full_forms(self, view: str, township: str) -> Iterator[Found]:
        """The township written after its county (`中共某县某镇党委`, `某县某镇`), anywhere."""
        for m in re.finditer(re.escape(township), view):
            p = self.place_before(view, m.start())
            if p is not None:
                yield Found(p.start, m.end(), "home.full_form", [_name(p.form)])

    def place_before(self, view: str, end: int):
        """A county-level place named in full right before `end`."""
        for n in range(min(9, end), 1, -1):
            p = self.reader.place_at(view, end - n)
            if p is not None and p.end == end and not p.form.short:
                return p
        return None

    # -------------------------------------------------------------------- places

    def resolve(self, names: list[tuple[str, bool, str]]) -> tuple[Place, ...]:
        """The chain of divisions the names of one piece of evidence agree on: the deepest when
        they nest (`广东省`, `广州市`, `增城区`), else what they share (two counties of one
        city: the city). A name of several divisions counts only when the others pick one."""
        g = gazetteer()
        options = [[p for p in g.named(text, short) if not short or p.level == level]
                   for text, short, level in names]
        fixed = [g.chain(o[0]) for o in options if len(o) == 1]
        chains = list(fixed)
        for o in options:
            if len(o) > 1:
                fit = [g.chain(p) for p in o if any(set(g.chain(p)[:-1]) & set(c) for c in fixed)]
                chains += fit if len(fit) == 1 else []
        if not chains:
            return ()
        deepest = max(chains, key=len)
        if all(deepest[:len(c)] == c for c in chains):
            return deepest
        return _common(chains)

    # -------------------------------------------------------------------- names

    @cached_property
    def townships(self) -> frozenset[str]:
        """The keys of organisations that are townships (`镇`, `乡`, `街道`)."""
        return frozenset(self.spec.township_keys)

    def keys_of(self, name: str | None) -> list[str]:
        """The words an organisation's short forms are written with, by the end of its name."""
        if not name:
            return []
        return next((keys for end, keys in self.keys if name.endswith(end)), [])

    def is_township(self, name: str | None) -> bool:
        return bool(set(self.keys_of(name)) & self.townships)

    @staticmethod
    def written(view: str, names: list[str], township: str | None) -> str | None:
        """The lowest home place as the text writes it in full, without its province (`names`:
        the chain below the province as written): a county after its city where the text
        writes them so (`韶关市武江区`), a township after its county (`峨山县石门镇`)."""
        if not names:
            return township
        name = names[-1]
        if len(names) > 1 and names[-2] + name in view:
            name = names[-2] + name
        return name + township if township else name

    def filled(self, org: str, names: list[str], place: str | None) -> str:
        """An organisation named by its level alone (`旗人大常委会机关`) with the home place of that
        level as written (`names`, province first: `阿荣旗人大常委会机关`), a township with its
        county (`峨山县石门镇`); one named in full stays as written."""
        if place and self.is_township(org) and not org.startswith(place):
            return place if place.endswith(org) else place + org
        for name in reversed(names):
            if org.startswith(name[-1]) and not org.startswith(name):
                return name + org[1:]
        return org

    # -------------------------------------------------------------------- the rule file

    def examples(self) -> Iterable[tuple[str, Example]]:
        for key in ("issuer", "target", "press"):
            rule = getattr(self.spec, key)
            yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        return [getattr(self.spec, key).id for key in ("issuer", "target", "press")]

    def explain(self, ctx) -> list[Explained]:
        """Every match of the rule file's patterns, with the evidence each gives."""
        view, rows = ctx.view, []
        for key in ("issuer", "target", "press"):
            rule = getattr(self.spec, key)
            for m in self.rx[key].finditer(view):
                name = m.groupdict().get("name") or m.groupdict().get("place")
                ev = HomeEvidence(start=m.start(), end=m.end(), text=ctx.span(m.start(), m.end()),
                                  rule_id=rule.id, organisation=name if self.keys_of(name) else None)
                rows.append(Explained(Candidate(m.start(), m.end(), rule), ev))
        return rows


def _name(form) -> tuple[str, bool, str]:
    """A gazetteer form as evidence names it: text, short or not, the level it names."""
    return form.text, form.short, form.level


def _names(found) -> list[tuple[str, bool, str]]:
    return [_name(p.form) for p in found]


def _evidence(view: str, f: Found, place: str | None, organisation: str | None = None) -> HomeEvidence:
    return HomeEvidence(start=f.start, end=f.end, text=view[f.start:f.end], rule_id=f.rule_id,
                        place=place, organisation=organisation)


def _with_organisation(view: str, used: list[HomeEvidence], org: Found) -> list[HomeEvidence]:
    """The evidence with the organisation's: on the piece that named a place too, if one did."""
    same = [e for e in used if (e.start, e.end, e.rule_id) == (org.start, org.end, org.rule_id)]
    if same:
        return [e.model_copy(update={"organisation": org.organisation}) if e is same[0] else e
                for e in used]
    return [*used, _evidence(view, org, None, org.organisation)]


def _common(chains: list[tuple[Place, ...]]) -> tuple[Place, ...]:
    """The longest chain every chain starts with."""
    out: list[Place] = []
    for level in zip(*chains):
        if any(p != level[0] for p in level):
            break
        out.append(level[0])
    return tuple(out)
