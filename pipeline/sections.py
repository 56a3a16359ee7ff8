"""Headings and region segments (spec §1)."""
from __future__ import annotations

from .normalize import NormalText
from .records import Heading, RegionSpan


def headings(nt: NormalText) -> list[Heading]:
    """Heading lines: numbered (一、 （二） 1.) or short lines without final punctuation."""
    return []


def regions(nt: NormalText, default: str | None = None) -> list[RegionSpan]:
    """Region segments of the text; `default` (from the manifest or the caller) covers the rest."""
    if default:
        return [RegionSpan(region=default, start=0, end=len(nt.original), rule_id="region.default")]
    return []


def region_at(spans: list[RegionSpan], offset: int) -> str | None:
    """The region of the segment holding `offset`, or None."""
    for s in spans:
        if s.start <= offset < s.end:
            return s.region
    return None


def heading_at(heads: list[Heading], offset: int) -> Heading | None:
    """The last heading that starts before `offset`: the section an item sits in."""
    found = None
    for h in heads:
        if h.start > offset:
            break
        found = h
    return found
