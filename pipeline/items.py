"""Work items: the act, what it acts on, who does it, how much and by when (spec §5)."""
from __future__ import annotations

from .normalize import NormalText
from .records import Heading, RegionSpan, WorkItem


def extract(nt: NormalText, doc, heads: list[Heading], regions: list[RegionSpan],
            mentions: list) -> tuple[list[WorkItem], list]:
    """Items of the text and the mentions with their `item_id` set."""
    return [], mentions
