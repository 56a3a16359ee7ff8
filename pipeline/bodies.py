"""Responsible bodies: who acts, who is inspected, normalised to full names (spec §4)."""
from __future__ import annotations

from .normalize import NormalText
from .records import Body, RegionSpan


def extract(nt: NormalText, doc, regions: list[RegionSpan]) -> list[Body]:
    """Body mentions; `doc` is the spaCy Doc over `nt.view`, `regions` fill in names."""
    return []
