"""Names and levels of body mentions (spec §4): generic prefixes filled, bare organs owned.

`省委` in a Hebei segment is `河北省委`; `市委` in a report about Chifeng, once `赤峰市政府` is
named, is `赤峰市委`; a bare `巡视组` belongs to the committee that inspects in its paragraph;
`中共浙江省委` is `浙江省委`. Every word these steps look for is data in the `naming` section
of `rules/bodies.yaml` (and its `owned_by_*`, `home_keys` … tables); this module holds the
order of the steps. Names are read in two passes over a document, so that a bare organ named
before its owner still finds it.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import field_validator

from pipeline.context.places import Place
from pipeline.extractors.base import Candidate
from pipeline.records import Home
from pipeline.rules import RuleModel, compile_rule

INSPECTOR_RULES = ("body.committee", "body.central.organ")
ORGAN_RULES = ("body.committee", "body.discipline", "body.government", "body.department",
               "body.inspection", "body.unit")
PLACE_RULES = "body.place"  # a named place as a body (`某市实行…`)
LINE_BREAK = re.compile("\n")
# mentions that name a unit, whose owner may be written short (`某港集团党委`)
SHORT_FORM_RULES = ("body.committee.unit", "body.committee.township", "body.committee.village",
                    "body.unit", "body.central.state", "body.place", "model")


class NamingRules(RuleModel):
    """The `naming` section of `rules/bodies.yaml`: owners, homes, short forms, level prefixes,
    and every word the naming steps (and the bodies' enumerations and places) look for."""

    owner_levels: list[str]
    owned_by_region: dict[str, Literal["place", "committee"]]
    owned_by_home: dict[str, Literal["place", "committee"]]
    owned_by_organisation: str
    self_committees: list[str]
    self_owner: str
    local_dept_end: str
    short_form_ends: list[str]
    full_form_ends: list[str]
    not_full_form: str
    sentence_ends: str

    # a pattern folded over lines in YAML needs no literal space
    _sq = field_validator("owned_by_organisation")(lambda v: re.sub(r"\s+", "", v))
    owned_by_inspector: list[str]
    owned_by_committee: list[str]
    owned_by_local: list[str]
    local_homes: dict[str, str]
    home_keys: dict[str, str]
    unit_keys: dict[str, list[str]]
    plural_owners: dict[str, list[str]]
    subordinate_levels: dict[str, list[str]]
    enumeration_joiners: list[str]
    place_word_glue: str
    short_district_end: str
    province_committees: dict[str, str]
    full_name: str
    term: str
    centre: str
    centre_name: str
    place_endings: str
    not_place_endings: list[str]
    place_committee: str
    unit_committee: str
    autonomous_committee: str
    township_endings: list[str]
    as_written: list[str]
    country_prefix: str
    doubled_level: str
    region_generics: list[str]
    not_region_generics: list[str]
    city_generic: str
    dept_tail: str
    provincial_dept_end: str
    party_organs: list[str]
    committee_end: str
    ordinal_group: str
    numbered_groups: list[str]
    central_inspection: str
    unit_organ_end: str
    leading_group: str
    group_offices: list[str]
    plural_marker: str
    inspected_organ: str
    inspected_modifier: str
    committee_prefix: str
    generic_department: str
    governments: list[str]
    place_organs: list[str]
    aliases: dict[str, str]
    strip_prefixes: list[str]
    level_prefixes: dict[str, str]


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

    provinces: dict[str, tuple[str, str]]
    inspectors: dict[int, tuple[str, str]] = field(default_factory=dict)
    committees: dict[int, tuple[str, str]] = field(default_factory=dict)
    last: dict[str, tuple[str, str]] = field(default_factory=dict)
    groups: list[tuple[str, str | None]] = field(default_factory=list)
    homes: dict[str, tuple[str, str]] = field(default_factory=dict)
    first_homes: dict[str, tuple[str, str]] = field(default_factory=dict)
    ordinals: dict[str, set] = field(default_factory=dict)
    ahead: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    places: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    organisation: tuple[str, str | None, tuple[str, ...]] | None = None
    acting: list[tuple[int, str, str | None]] = field(default_factory=list)
    lowest: tuple[str, str | None] | None = None

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
        if region in self.provinces:
            return self.provinces[region][1], "provincial"
        return self.last.get(kind)

    def note_home(self, key: str, name: str, level: str | None) -> None:
        """Note a home; `homes` keeps the most recently noted last."""
        self.homes.pop(key, None)
        self.homes[key] = (name, level)
        self.first_homes.setdefault(key, (name, level))

    def home(self, key: str) -> tuple[str, str | None] | None:
        """The last home of this key named before, else the document's own (`pipeline.context.
        home`), else the first named after."""
        return self.homes.get(key) or self.places.get(key) or self.first_homes.get(key)


def _set(k: Candidate, name: str, how: str, level: str | None = None, keep_level=False) -> None:
    """Give a candidate its name, how it was found, and (unless kept) its level."""
    k.fields["name"], k.how["name"] = name, how
    if not keep_level:
        k.fields["level"] = level


class Naming:
    """Fills `name` and `level` of body candidates, built once with the compiled naming rules."""

    def __init__(self, w: NamingRules, provinces: dict[str, tuple[str, str]],
                 fragments: dict[str, str], file: str):
        """Args:
            provinces: short or full province name → (full name, its committee's name).
            fragments: the rule file's named regex fragments (`{STEM}` …), for `dept_tail`.
            file: the rule file, named by a pattern that does not compile.
        """
        self.w, self.provinces = w, provinces

        def rx(key: str) -> re.Pattern:
            return compile_rule(file, f"naming.{key}", getattr(w, key), fragments)

        self.term, self.full_name, self.committee_end = rx("term"), rx("full_name"), rx("committee_end")
        self.country_prefix, self.doubled_level = rx("country_prefix"), rx("doubled_level")
        self.ordinal_group, self.unit_organ_end = rx("ordinal_group"), rx("unit_organ_end")
        self.inspected_modifier, self.dept_tail = rx("inspected_modifier"), rx("dept_tail")
        self.organisation_organ = rx("owned_by_organisation")
        self.not_full = rx("not_full_form")
        self.home_key = re.compile("^(?:" + "|".join(sorted(w.home_keys, key=len, reverse=True)) + ")")
        self.prefix_levels = sorted(w.level_prefixes.items(), key=lambda kv: -len(kv[0]))

    # -------------------------------------------------------------------- the document

    def normalise(self, view: str, cands: list[Candidate], groups: list[list[Candidate]],
                  region_at: Callable[[int], str | None], places: dict[str, Place],
                  learnt: dict[str, Place], home: Home | None = None,
                  named: list[tuple[int, int]] = ()) -> None:
        """Names and levels in text order; a first pass learns each paragraph's first owners and
        the document's homes and numbered groups, so a bare organ named before its owner still
        finds it. `region_at(offset)` is the region of the segment holding an offset; `home` is
        the document's (`pipeline.context.home`), whose places and organisation short forms
        stand for; `named` the spans of the places the text names (for their full forms)."""
        breaks = [m.start() for m in LINE_BREAK.finditer(view)]  # a count per candidate was quadratic
        # what both passes read of each candidate: its paragraph, its region, its name as written
        each = [(k, bisect_left(breaks, k.start), region_at(k.start), *self.written(view, k, places))
                for k in cands]
        own = self.document_homes(view, home or Home())
        found = Owners(self.provinces, **own)
        for k, para, region, text, level in each:
            self.name_and_level(view, k, text, level, region, found, para, places)
        for p in learnt.values():
            self._note_place_home(found, p)
        owners = Owners(self.provinces, ahead=found.ahead, first_homes=found.first_homes,
                        ordinals=found.ordinals, **own)
        for k, para, region, text, level in each:
            self.name_and_level(view, k, text, level, region, owners, para, places)
        for g in groups:
            if len(g) > 1:
                self._inherit(g)
        self.expand_short_forms(view, cands, home or Home(), places, named)

    def written(self, view: str, k: Candidate, places: dict[str, Place]) -> tuple[str, str | None]:
        """The name as written, in its short official form without a province before a city
        (whose place becomes the candidate's), and the level it says: what both passes of
        `normalise` start from, read once."""
        text = self._without_province(k, self.alias(view[k.start:k.end]), places)
        return text, self._level(k, text)

    def name_and_level(self, view: str, k: Candidate, text: str, level: str | None,
                       region: str | None, owners: Owners, para: int,
                       places: dict[str, Place]) -> None:
        """Fill `name`, `level` and how the name was found, from the name as `written` and its
        level; remember committees as owners."""
        _set(k, text, "as_written", level)
        naming = k.rule.naming
        if naming in ("region", "owner", "plural") and self._name_by_organisation(view, k, text, owners):
            pass
        elif naming == "province":
            _set(k, self.provinces.get(text, (text, ""))[0], "province", keep_level=True)
        elif naming == "region" and k.place is None:
            self._name_by_region(view, k, text, region, owners)
        elif naming == "owner":
            self._name_by_owner(view, k, text, region, owners, para)
        elif naming == "unit":
            self._name_unit(k, text, places)
        elif naming == "plural":
            self._name_plural(view, k, text, owners)
        elif naming == "as_written":
            self._name_by_ordinal(view, k, text, owners)
        self._name_township(k, places, owners)
        self._remember(k, owners, para)

    # -------------------------------------------------------------------- the document's home

    def document_homes(self, view: str, home: Home) -> dict:
        """What the document's home gives the owners: its places by the generic prefix they
        stand for (`市` → the home city as written, `县` → the home county), the lowest of them
        above the township (whose bare organs `纪委监委`, `组织部` are), and the organisation
        with the words its short forms are written with. A university's own text that writes
        `校党委` and never its name has `校` for its organisation."""
        out: dict = {"places": {}}
        for name, level in self._home_places(home):
            key = self._place_key(name)
            if key:
                out["places"][key] = (name, level)
            if level != "township":
                out["lowest"] = (name, level)
        if home.organisation:
            level = "township" if home.township and home.organisation == home.place else \
                self.prefix_level(home.organisation) or "unit"
            out["organisation"] = (home.organisation, level, tuple(home.organisation_keys))
        elif any(c in view for c in self.w.self_committees):
            out["organisation"] = (self.w.self_owner, "unit", (self.w.self_owner,))
        return out

    @staticmethod
    def _home_places(home: Home) -> list[tuple[str, str]]:
        """The home's places below the province as the text writes them (`place` is the lowest,
        perhaps after its city: `韶关市武江区`), upper levels first."""
        place, out = home.place or "", []
        if home.city:
            out.append((place if not (home.county or home.township) else home.city, "municipal"))
        if home.county:
            county = place[:-len(home.township)] if home.township else place
            out.append((county or home.county, "county"))
        if home.township:
            out.append((place, "township"))
        return out

    def _place_key(self, name: str) -> str | None:
        keys = self.w.home_keys
        ends = [e for e in keys if name.endswith(e)]
        return keys[max(ends, key=len)] if ends else None

    def _name_by_organisation(self, view: str, k: Candidate, text: str, owners: Owners) -> bool:
        """In a document about an organisation, its short forms (`局党组`, `集团党委`, `院党委`)
        and its own bare organs and rectification groups (`党委`, `纪委办公室`, `整改工作领导小组`,
        `工作专班`) are its: `区水务局党组`, `某某集团有限公司党委`. Not after `各`."""
        org = owners.organisation
        if org is None or view[k.start - 1:k.start] == self.w.plural_marker:
            return False
        name, level, keys = org
        key = next((key for key in sorted(keys, key=len, reverse=True)
                    if text.startswith(key) and len(text) > len(key)), None)
        if key is not None:
            _set(k, name + text[len(key):], "organisation", level)
            return True
        if self.organisation_organ.fullmatch(text):
            _set(k, name + text, "organisation", level)
            return True
        return False

    def _name_township(self, k: Candidate, places: dict[str, Place], owners: Owners) -> None:
        """A named township or village of a county's document is that county's (`石门镇` in a
        text about 峨山县 → `峨山县石门镇`), unless its name begins with another place."""
        county = next((n for n, lvl in owners.places.values() if lvl == "county"), None)
        name = k.fields["name"]
        if county is None or k.fields["level"] not in ("township", "village") or \
                k.how["name"] == "organisation" or name.startswith(county) or \
                self.prefix_level(name) is not None or place_starting(name, places) is not None:
            return
        _set(k, county + name, "home", keep_level=True)

    # -------------------------------------------------------------------- short official forms

    def alias(self, name: str) -> str:
        """Short official forms and the spec's conventions (§4 "Names"): `纪律检查委员会` → `纪委`,
        `中共浙江省委` → `浙江省委`, `中共黄冈市委员会` → `黄冈市委`, `中共川南理工大学委员会` →
        `川南理工大学委员会` (a unit's committee keeps its word), `中共中央` kept as written,
        `中共中央巡视组` → `中央巡视组`, a term dropped (`十九届中央` → `中央`), a country prefix of
        the foreign press dropped (`中国国家体育总局` → `国家体育总局`)."""
        w = self.w
        for long, short in w.aliases.items():
            name = name.replace(long, short)
        m = self.full_name.match(name)
        if m:
            owner = self.term.sub("", m.group(1))
            if owner == w.centre:
                return w.centre_name + m.group(2)
            return owner + self.committee_of(owner) + m.group(2)
        if name in w.as_written:
            return name
        for prefix in w.strip_prefixes:
            if name.startswith(prefix) and len(name) > len(prefix) + 1:
                name = name[len(prefix):]
                break
        name = self.country_prefix.sub("", self.term.sub("", name))
        return self.doubled_level.sub(r"\1", name) if self._doubled(name) else name

    def _doubled(self, name: str) -> bool:
        """`某某县县委`: the level written twice, the second time as the committee's prefix."""
        m = self.doubled_level.match(name)
        return bool(m) and name[m.end(1) - 1] == name[m.end(1)]

    def committee_of(self, owner: str) -> str:
        """The word a committee's name adds to its owner: `委` for a place (`浙江省委`), `党委`
        for an autonomous region or a township (`广西壮族自治区党委`, `某某镇党委`), `委员会` for a
        unit, as written."""
        w = self.w
        if owner.endswith(tuple(w.not_place_endings)) or owner.endswith(tuple(w.township_endings)):
            return w.autonomous_committee
        return w.place_committee if owner.endswith(tuple(w.place_endings)) else w.unit_committee

    def prefix_level(self, name: str) -> str | None:
        """The level a name's first characters announce (`省…` provincial, `校…` unit)."""
        for prefix, level in self.prefix_levels:
            if name.startswith(prefix):
                return level
        return None

    def fill_region(self, name: str, region: str | None) -> tuple[str, bool]:
        """`省纪委监委` in a Hebei segment → `河北省纪委监委`; True when a prefix was filled."""
        if not region:
            return name, False
        w = self.w
        for generic in w.region_generics:
            if name.startswith(generic) and region.endswith(generic) and not name.startswith(
                    tuple(w.not_region_generics)):
                if generic == w.city_generic and self.provinces.get(region, ("", ""))[0] != region:
                    return name, False
                return region + name[len(generic):], True
        return name, False

    def _level(self, k: Candidate, text: str) -> str | None:
        if k.rule.level != "prefix":
            return k.rule.level
        if k.place is not None:
            return k.place.level
        return self.prefix_level(text)

    def _without_province(self, k: Candidate, name: str, places: dict[str, Place]) -> str:
        """`江西省萍川市纪委监委` → `萍川市纪委监委`: a city's or county's body is named by its
        place alone, however the text introduces it, so that every mention of it names it alike;
        the place becomes the mention's."""
        provinces = self.provinces
        for n in range(min(8, len(name) - 2), 1, -1):
            if provinces.get(name[:n], ("",))[0] == name[:n]:
                rest = name[n:]
                p = place_starting(rest, places)
                if p and p.level != "provincial":
                    k.place = p
                    return rest
                return name
        return name

    # -------------------------------------------------------------------- owners and homes

    def _remember(self, k: Candidate, owners: Owners, para: int) -> None:
        """Note the committees, leading groups, homes and numbered groups a mention names."""
        name, level, how = k.fields["name"], k.fields["level"], k.how["name"]
        w = self.w
        m = self.committee_end.match(name)
        if m and k.rule.id.startswith(INSPECTOR_RULES) and how != "owner":
            if level in self.w.owner_levels:
                owners.note("inspectors", para, m.group(1), level)
            if k.rule.id.startswith("body.committee"):
                owners.note("committees", para, m.group(1), level)
        if name.endswith(w.leading_group) and name != w.leading_group:
            owners.groups.append((name, level))
        if (g := self.ordinal_group.search(name)) and len(name) > len(g.group()) \
                and self.w.enumeration_joiners[0] not in name:
            owners.ordinals.setdefault(g.group(1), set()).add((name, level))
        if k.rule.id.startswith(ORGAN_RULES) and how not in ("home", "owner", "organisation"):
            self._remember_home(k, owners)
        if k.rule.id.startswith(PLACE_RULES) and k.place is not None:
            owners.acting.append((k.start, name, level))

    def _remember_home(self, k: Candidate, owners: Owners) -> None:
        """A named place before an organ (`赤峰市` of `赤峰市政府`) or a named unit's committee
        (`川南理工大学` of its `党委`) is what later generic prefixes (`市`, `学校`) stand for."""
        name = k.fields["name"]
        if k.place is not None and name.startswith(k.place.name):
            if k.place.level != "provincial":
                self._note_place_home(owners, k.place)
            return
        if k.fields["level"] == "unit" and (m := self.unit_organ_end.search(name)) and m.start() >= 3:
            unit = name[:m.start()]
            for key, ends in self.w.unit_keys.items():
                if unit.endswith(tuple(ends)):
                    owners.note_home(key, unit, "unit")

    def _note_place_home(self, owners: Owners, p: Place) -> None:
        """A place is the home of the generic prefix its name ends with (`市` for `赤峰市`)."""
        keys = self.w.home_keys
        ends = [e for e in keys if p.name.endswith(e)]
        if ends:
            owners.note_home(keys[max(ends, key=len)], p.name, p.level)

    def _acting_place(self, view: str, k: Candidate, owners: Owners) -> tuple[str, str | None] | None:
        """The committee of the one named place that acts earlier in the organ's sentence
        (`某市实行巡察组原班人马…` → `某市委巡察组`); none when several do."""
        start = max(view.rfind(ch, 0, k.start) for ch in self.w.sentence_ends)
        acting = [(name, level) for at, name, level in owners.acting if start < at < k.start]
        if len(acting) != 1:
            return None
        return acting[0][0] + self.w.place_committee, acting[0][1]

    def _local_home(self, owners: Owners) -> tuple[str, str | None] | None:
        """The committee a local inspection organ (`巡察组`) belongs to: that of the city, county
        or unit named last before it (`弥勒市实行巡察组…`), else of the document's own place
        (the lowest), else of the first named after it (`仁怀市委`, `川南理工大学党委`)."""
        local = self.w.local_homes
        for homes in (owners.homes, owners.places, owners.first_homes):
            key = next((key for key in reversed(homes) if key in local), None)
            if key is not None:
                name, level = homes[key]
                return name + local[key], level
        return None

    # -------------------------------------------------------------------- the naming kinds

    def _name_by_region(self, view: str, k: Candidate, text: str, region: str | None,
                        owners: Owners) -> None:
        """Generic level prefix → the region's name (`省委` → `河北省委`), or the place or unit a
        document is about (`市委` → `赤峰市委`, `学校党委` → `川南理工大学党委`); not after `各`."""
        w = self.w
        name, filled = self.fill_region(text, region)
        if filled:
            _set(k, name, "region", "provincial")
            return
        m = self.home_key.match(text)
        if m and view[k.start - 1:k.start] != w.plural_marker:
            home = owners.home(self.w.home_keys[m.group()])
            if home:
                _set(k, home[0] + text[m.end():], "home", home[1])
                return
        if dept := self.dept_tail.search(text):
            if text.endswith(w.provincial_dept_end) and dept.start() == 0 and region:
                _set(k, self.provinces.get(region, (region, ""))[0] + text, "region", "provincial")
            elif text.endswith(w.local_dept_end) and dept.start() == 0 and owners.lowest:
                _set(k, owners.lowest[0] + text, "home", owners.lowest[1])

    def _name_unit(self, k: Candidate, text: str, places: dict[str, Place]) -> None:
        """A named unit's committee keeps its name (aliased); its level is the unit's, or the
        place's for `中共黄冈市委员会`."""
        k.how["name"] = "unit"
        if k.rule.level == "prefix":
            p = place_starting(text, places)
            k.fields["level"] = p.level if p else self.prefix_level(text) or "unit"

    def _name_plural(self, view: str, k: Candidate, text: str, owners: Owners) -> None:
        """`各县区党委` → the home city's (`石嘴山市各县区党委`), `各村党组织` → the home township's;
        a plural led by the document's own level (`市县党委` in a city's text) names that place
        for it (`韶关市县党委`), one of the levels below it belongs to it (`乡(镇)党委` in a county's
        text → `某某县乡(镇)党委`)."""
        for prefix, keys in self.w.plural_owners.items():
            if text.startswith(prefix):
                home = next((h for h in map(owners.home, keys) if h), None)
                if home:
                    _set(k, home[0] + text, "home", keep_level=True)
                return
        m = self.home_key.match(text)
        if m and view[k.start - 1:k.start] != self.w.plural_marker:
            home = owners.places.get(self.w.home_keys[m.group()])
            if home:
                _set(k, home[0] + text[m.end():], "home", keep_level=True)
                return
        if owners.lowest and text.startswith(tuple(self.w.subordinate_levels.get(owners.lowest[1], ()))):
            _set(k, owners.lowest[0] + text, "home", keep_level=True)

    def _name_by_owner(self, view: str, k: Candidate, text: str, region, owners: Owners,
                       para: int) -> None:
        """Bare organs: `巡视组` → owner's, `纪委` → region's, `党组织` after `被巡视` keeps it."""
        w = self.w
        before = view[max(0, k.start - 4):k.start]
        if text == w.inspected_organ and (m := self.inspected_modifier.search(before)):
            _set(k, m.group() + text, "modifier", keep_level=True)
            return
        if text in w.owned_by_home and owners.lowest:
            place, level = owners.lowest
            base = place if w.owned_by_home[text] == "place" else place + w.place_committee
            _set(k, base + text, "home", level)
            return
        if text in w.owned_by_region and region in self.provinces:
            full, committee = self.provinces[region]
            base = full if w.owned_by_region[text] == "place" else committee
            _set(k, base + text, "region", "provincial")
            return
        office = text[len(w.leading_group):] if text.startswith(w.leading_group) else \
            text if text in w.group_offices else None
        if office in w.group_offices and owners.groups:
            name, level = owners.groups[-1]
            _set(k, name + office, "leading_group", level)
            return
        if self._name_by_ordinal(view, k, text, owners):
            return
        self._name_by_owners(view, k, self._organ(text), region, owners, para)

    def _organ(self, text: str) -> str:
        """A bare organ without the committee word that may lead it (`党委巡察办` → `巡察办`)."""
        prefix = self.w.committee_prefix
        return text[len(prefix):] if text.startswith(prefix) and len(text) > len(prefix) else text

    def _name_by_owners(self, view: str, k: Candidate, organ: str, region, owners: Owners,
                        para: int) -> None:
        w = self.w
        if organ in w.owned_by_local:
            if home := self._acting_place(view, k, owners) or self._local_home(owners):
                _set(k, home[0] + organ, "owner", home[1])
            return
        bare_ordinal = self.ordinal_group.fullmatch(organ)
        kind = ("inspectors" if organ in w.owned_by_inspector
                or (bare_ordinal and w.central_inspection in organ) else
                "committees" if organ in w.owned_by_committee
                or organ.endswith(w.leading_group) else None)
        found = owners.find(kind, para, region) if kind else None
        if found:
            owner = self.w.centre if found[1] == "central" else found[0]
            _set(k, owner + organ, "owner", found[1])

    def _name_by_ordinal(self, view: str, k: Candidate, text: str, owners: Owners) -> bool:
        """A bare `巡视组`/`巡察组` in a document that names exactly one numbered group of its kind
        is that group (`省委第三巡视组`); `各巡视组` stays plural."""
        bare = next((g for g in self.w.numbered_groups if text.endswith(g)), None)
        if bare is None or view[k.start - 1:k.start] == self.w.plural_marker:
            return False
        owner = text[:-len(bare)]
        named = {n for n in owners.ordinals.get(bare[:2], set()) if n[0].startswith(owner)}
        if len(named) != 1:
            return False
        name, level = next(iter(named))
        _set(k, name, "numbered_group", level)
        return True

    # -------------------------------------------------------------------- short and full forms

    def expand_short_forms(self, view: str, cands: list[Candidate], home: Home,
                           places: dict[str, Place], named: list[tuple[int, int]]) -> None:
        """A mention that writes short a body the document names in full elsewhere is that body
        (`某港发展集团党委` for `某某港城发展集团有限公司`, `红河州` for `红河哈尼族彝族自治州`,
        `某区委巡察组` where the text writes `某市某区`): its owner (the name up to a unit's or a
        place's ending) reads as the full form's characters in order, its first two together,
        and one full form only does (a place's, of the same level, for a place). Names already
        filled are left alone."""
        units = self._unit_full_forms(cands, home)
        spots = self._place_full_forms(view, home, places, named)
        for k in cands:
            name = k.fields["name"]
            if k.how["name"] not in ("as_written", "unit") or name.endswith(tuple(self.w.full_form_ends)):
                continue
            cut = self._owner_cut(k, name, places)
            owner = name[:cut]
            if not cut or owner.endswith(tuple(self.w.full_form_ends)):
                continue
            placed = place_starting(owner, places) is not None
            found = {f for f in (spots if placed else units) if len(f) > len(owner)
                     and not name.startswith(f) and (not placed or f[-1] == owner[-1])
                     and _abbreviates(owner, f)}
            if len(found) == 1:
                _set(k, found.pop() + name[cut:], "full_form", keep_level=True)

    def _owner_cut(self, k: Candidate, name: str, places: dict[str, Place]) -> int:
        """Where the owner a short form may abbreviate ends: after the gazetteer place a name
        begins with (`某区` of `某区委巡察组`, of `某区某镇`), else after the place a mention is
        named by, else, in a named unit's mention, after the last unit's or place's ending
        three characters in or more (`某港集团` of `某港集团党委`); 0 for none."""
        p = place_starting(name, places)
        if p is not None and p.level != "provincial":
            return len(p.name)
        if k.place is not None:
            return len(k.place.name) if name.startswith(k.place.name) else 0
        if not k.rule.id.startswith(SHORT_FORM_RULES):
            return 0
        return self._longest_cut(name, 3)

    def _longest_cut(self, name: str, least: int) -> int:
        ends = tuple(self.w.short_form_ends)
        return next((i for i in range(len(name), least - 1, -1) if name[:i].endswith(ends)), 0)

    def _unit_full_forms(self, cands: list[Candidate], home: Home) -> set[str]:
        """The units a document names: its home organisation and its mentions' owners (a name
        up to its last unit's ending, four characters or more, no bracket or enumeration in it)."""
        out = {home.organisation} if home.organisation else set()
        for k in cands:
            name = k.fields["name"]
            cut = self._longest_cut(name, 4)
            if cut and not self.not_full.search(name[:cut]):
                out.add(name[:cut])
        return out

    def _place_full_forms(self, view: str, home: Home, places: dict[str, Place],
                          named: list[tuple[int, int]]) -> set[str]:
        """The places a document names in full: its home place, every gazetteer place it names,
        and one written after the city or county above it (`某市某区`)."""
        out = {home.place} if home.place else set()
        ends = {e: s for s, e in named}
        for s, e in named:
            out.add(view[s:e])
            if s in ends and (up := places.get(view[ends[s]:s])) and up.level != "provincial":
                out.add(view[ends[s]:e])
        return out

    # -------------------------------------------------------------------- enumerations

    def _inherit(self, g: list[Candidate]) -> None:
        """Members of an enumeration without a place take the place of its first member:
        `自治区农业厅、水利厅` → `…水利厅`, `自治区党委、政府` → `内蒙古自治区政府`,
        `自治区纪委监委、党委组织部` → `宁夏回族自治区党委组织部`."""
        head = g[0]
        place = self._place_part(head.fields["name"])
        if not place:
            return
        w = self.w
        for k in g[1:]:
            text = k.fields["name"]
            if (self.dept_tail.match(text) and not text.endswith(w.generic_department)
                    or text.startswith(w.committee_prefix) or text in w.governments):
                if not text.startswith(place):
                    _set(k, place + text, "enumeration", head.fields["level"])

    def _place_part(self, name: str) -> str:
        """The place a name begins with: `宁夏回族自治区` of `宁夏回族自治区纪委监委` (written
        `自治区纪委监委`)."""
        w = self.w
        m = self.dept_tail.search(name)
        cuts = [m.start()] if m else []
        cuts += [i for i in (name.find(o) for o in w.place_organs) if i > 0]
        return next((name[:i] for i in cuts if name[i - 1] in w.place_endings), "")


def _abbreviates(short: str, full: str) -> bool:
    """`short` reads as `full`'s characters in order, its first two together (`空港集团` of
    `某某空港城市发展集团`, not `市委` of `某某市第二医院委员会`: too short for owners anyway)."""
    at = full.find(short[:2])
    if at < 0:
        return False
    it = iter(full[at + 2:])
    return all(ch in it for ch in short[2:])


def place_starting(text: str, places: dict[str, Place]) -> Place | None:
    """The longest known place that `text` starts with."""
    return next((p for n in range(min(9, len(text)), 1, -1) if (p := places.get(text[:n]))), None)



def place_ending(view: str, end: int, places: dict[str, Place],
                 tails: dict[str, tuple[int, ...]] | None = None) -> Place | None:
    """The longest known place whose name ends at `end`; `tails`: the lengths of the names
    of `places` by their last two characters (`bodies.Places`), when known: only those are
    looked up."""
    lengths = range(min(9, end), 1, -1) if tails is None else tails.get(view[end - 2:end], ())
    for k in lengths:
        if k <= end and (p := places.get(view[end - k:end])):
            return p
    return None
