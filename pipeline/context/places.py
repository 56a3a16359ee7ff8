"""The divisions gazetteer (`rules/divisions.tsv`), parsed once into one `Place` model.

Every province-, prefecture- and county-level division with its short names and province, as
built by `scripts/build_divisions.py` from cpca's adcodes table. Regions read it for evidence of
the region a text speaks for, bodies for the place a body belongs to, the comparison tables for
the official order of the provinces. Levels are those of the records (`provincial`,
`municipal`, `county`, and below them `township` … for places a document teaches).
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


class Gazetteer:
    """Every division of the gazetteer, in its file order (by division code)."""

    def __init__(self, rows: list[list[str]]):
        self.divisions = tuple(
            Place(name, LEVELS[level], prov, tuple(s for s in shorts.split("|") if s), code)
            for code, name, shorts, level, prov in rows)

    @property
    def provinces(self) -> tuple[Place, ...]:
        """The province-level divisions, in the official order of their codes."""
        return tuple(p for p in self.divisions if p.level == "provincial")

    def by_level(self) -> list[Place]:
        """Every division, provinces first, then prefectures, then counties (stable)."""
        return sorted(self.divisions, key=lambda p: RANK[p.level])


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, read once per process."""
    return Gazetteer(load_table(FILE))
