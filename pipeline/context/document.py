"""The document context: everything about one document that more than one stage reads.

Built once per document by the run (`pipeline.run.process`) and handed, frozen, to every
extractor and to the item stage, as spaCy hands one `Doc` to its components: the original text
and its same-length simplified view, the segmenter's words, the sentences and clauses of the
one boundary definition, the headings, the region segments, the reference date, and the
document's home (`pipeline.context.home`: the places and organisation it speaks from). No stage rebuilds any of them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.context.boundaries import Units, boundaries
from pipeline.context.segment import Tokens, tokens
from pipeline.context.spans import overlaps
from pipeline.context.view import NormalText, normalize
from pipeline.records import Heading, Home, RegionSpan
from pipeline.scan import scan_of


@dataclass(frozen=True, eq=False)
class Context:
    """One document as every stage reads it; offsets index `original` and `view` alike."""

    text: NormalText
    tokens: Tokens
    units: Units
    doc_id: str = ""
    headings: tuple[Heading, ...] = ()
    regions: tuple[RegionSpan, ...] = ()
    reference_date: dt.date | None = None
    reference_date_source: str | None = None
    feedback_date: dt.date | None = None  # the manifest's: anchored deadlines count from it
    home: Home = field(default_factory=Home)

    @classmethod
    def of(cls, text: str | NormalText, **parts) -> Context:
        """The context of a text with its words and units; other parts as given (for callers
        and tests that need no headings or regions)."""
        nt = text if isinstance(text, NormalText) else normalize(text)
        return cls(text=nt, tokens=tokens(nt.view), units=boundaries().units(nt.view), **parts)

    @property
    def original(self) -> str:
        return self.text.original

    @property
    def view(self) -> str:
        return self.text.view

    def span(self, start: int, end: int) -> str:
        """The original characters of a span: what a mention's `text` must be."""
        return self.text.original[start:end]

    @cached_property
    def addresses(self) -> list[tuple[int, int]]:
        """Web addresses and runs of percent escapes in the original text, sorted: nothing is
        read inside them (`rules/boundaries.yaml` web_address)."""
        return scan_of(self.units.rules.address_re).spans(self.text.original)

    def in_address(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a web address."""
        return overlaps(self.addresses, start, end)

    def region_at(self, offset: int) -> str | None:
        """The region of the segment holding `offset`, or None."""
        for s in self.regions:
            if s.start <= offset < s.end:
                return s.region
        return None
