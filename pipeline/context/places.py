"""The divisions gazetteer (`rules/divisions.tsv`), parsed once into one `Place` model.

Every province-, prefecture- and county-level division with its short names and province, as
built by `scripts/build_divisions.py` from cpca's adcodes table. Regions read it for evidence of
the region a text speaks for, bodies for the place a body belongs to, the home for the chain of
places a document speaks from (a county's city and province, by their codes), the comparison
tables for the official order of the provinces. Levels are those of the records (`provincial`,
`municipal`, `county`, and below them `township` … for places a document teaches).

An autonomous unit is also written by its short name and its level word (`峨山彝族自治县` as
`峨山县`, `红河哈尼族彝族自治州` as `红河州`): those forms (`aliases`) are derived by the endings of
`derived_forms` in `rules/regions.yaml`, and name the place as its full name does.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline.rules import load_table

FILE = "divisions.tsv"
# The gazetteer's own level words → the records' level vocabulary.
LEVELS = {"province": "provincial", "prefecture": "municipal", "county": "county"}
RANK = {"provincial": 0, "municipal": 1, "county": 2}


@dataclass(frozen=True)
class Place:
    """A place by its full name: its level and the province-level division it lies in.

    `province` is "" for a place the gazetteer lacks, learnt from the text it is named in.
    """

    name: str
    level: str
    province: str = ""
    shorts: tuple[str, ...] = ()
    code: str = ""
    aliases: tuple[str, ...] = ()  # derived full forms of an autonomous unit (`峨山县`)

    @property
    def names(self) -> tuple[str, ...]:
        """Its full name and the forms that name it as fully (`红河哈尼族彝族自治州`, `红河州`)."""
        return (self.name, *self.aliases)


class Gazetteer:
    """Every division of the gazetteer, in its file order (by division code)."""

    def __init__(self, rows: list[list[str]], derived: dict[str, str] | None = None):
        """Args:
            rows: the TSV's rows (code, name, shorts, level, province).
            derived: an autonomous unit's ending → the level word its derived form ends with
                (`自治县` → `县`): `峨山彝族自治县` (short `峨山`) is also `峨山县`.
        """
        derived = derived or {}

        def aliases(name: str, shorts: tuple[str, ...]) -> tuple[str, ...]:
            end = next((e for e in derived if name.endswith(e)), None)
            return tuple(s + derived[end] for s in shorts) if end else ()

        self.divisions = tuple(
            Place(name, LEVELS[level], prov, sh, code, aliases(name, sh))
            for code, name, shorts, level, prov in rows
            for sh in [tuple(s for s in shorts.split("|") if s)])
        self.by_code = {p.code: p for p in self.divisions}
        self._named: dict[str, list[Place]] = {}
        self._short: dict[str, list[Place]] = {}
        for p in self.divisions:
            for n in p.names:
                self._named.setdefault(n, []).append(p)
            for n in p.shorts:
                self._short.setdefault(n, []).append(p)

    def named(self, name: str, short: bool = False) -> tuple[Place, ...]:
        """Every division a full name (or derived form) names: one, or several (`鼓楼区` ×4);
        with `short`, those a short name (`河北`, `成都`) names."""
        return tuple((self._short if short else self._named).get(name, ()))

    def parent(self, p: Place) -> Place | None:
        """The division above: a county's prefecture (`AABB00`), else its province (`AA0000`:
        districts of a municipality, counties a province administers); a province has none."""
        if p.level == "provincial":
            return None
        for code in (p.code[:4] + "00", p.code[:2] + "0000"):
            if code != p.code and code in self.by_code:
                return self.by_code[code]
        return None

    def chain(self, p: Place) -> tuple[Place, ...]:
        """The place and every division above it, the province first."""
        out = [p]
        while (up := self.parent(out[-1])) is not None:
            out.append(up)
        return tuple(reversed(out))

    @property
    def provinces(self) -> tuple[Place, ...]:
        """The province-level divisions, in the official order of their codes."""
        return tuple(p for p in self.divisions if p.level == "provincial")

    def by_level(self) -> list[Place]:
        """Every division, provinces first, then prefectures, then counties (stable)."""
        return sorted(self.divisions, key=lambda p: RANK[p.level])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, read once per process, with the derived forms of `rules/regions.yaml`."""
    from pipeline.context.sections import rules

    return Gazetteer(load_table(FILE), rules().r.derived_forms)
