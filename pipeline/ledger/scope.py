"""Which body a fact belongs to (docs/ledger.md §3.3).

For a fact at a position (a figure, a period, a date, a deadline), the first of these that
names a body decides: its work item (the clause), its sentence, its section (the heading's body,
else the bodies named in the section before it), the document (the notice's subject, else its
only body; not in a document of form `other`, whose stray figures and dates are no body's). Where the deciding step names several bodies, a date is theirs together (a feedback
to two bureaus dates both); a figure goes to the body named nearest before it, unless that
mention is one of an enumeration of bodies: then it is ambiguous and goes to none.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from pipeline.ledger.bodies import Found
from pipeline.ledger.text import Text
from pipeline.records import WorkItem

JOINERS = "、和及与"


@dataclass(frozen=True)
class Owners:
    """The bodies (cluster indices) a fact belongs to: all of them for a date, one for a figure."""

    clusters: tuple[int, ...]
    figure: int | None  # None: no body, or several with none nearest (ambiguous)

    @property
    def ambiguous(self) -> bool:
        return self.figure is None and len(self.clusters) > 1


class Scope:
    def __init__(self, text: Text, found: Found, items: list[WorkItem], whole: bool = True):
        self.text, self.found, self.whole = text, found, whole
        self.items = {it.item_id: it for it in items}
        self.subject = next((i for i, c in enumerate(found.clusters) if c.subjects), None)
        self.spots: list[tuple[int, int, int]] = []  # (start, end, cluster) of every named mention
        for i, c in enumerate(found.clusters):
            self.spots += [(b.start, b.end, i) for b in c.mentions]
        self.spots.sort()
        self.resolve_self()

    # -------------------------------------------------------------- self-references

    def resolve_self(self) -> None:
        """A self-reference is the notice's subject, else the one body its section names, else
        the document's only body; left out otherwise."""
        for b in self.found.selves:
            home = self.subject
            if home is None:
                got = self.owners(b.start)
                home = got.clusters[0] if len(got.clusters) == 1 else None
            if home is not None:
                self.found.clusters[home].selves.append(b)
                if b in self.found.self_targets:
                    self.found.clusters[home].targets.append(b)
        self.spots = sorted({(b.start, b.end, i) for i, c in enumerate(self.found.clusters)
                             for b in c.mentions})
        self.by_end = {e: c for _, e, c in self.spots}
        self.by_start = {a: c for a, _, c in self.spots}

    # -------------------------------------------------------------- the steps

    def owners(self, pos: int, item_id: str | None = None) -> Owners:
        """The clusters of the first step that names any; a date passes no item (its sentence
        is its smallest unit: 对浙江省开展巡视，同时将杭州市委纳入… dates both)."""
        item = self.items.get(item_id) if item_id else None
        spans = [(item.start, item.end)] if item else []
        spans.append(self.text.sentence(pos))
        for s, e in spans:
            got = self.named_in(s, e)
            if got:
                return self.settle(got, pos, s)
        section = self.text.section(pos)
        heading = self.text.heading_line(section)
        for s, e in ([heading] if heading else []) + [(section[0], pos)]:
            got = self.named_in(s, e)
            if got:
                return self.settle(got, pos, s)
        if not self.whole:
            return Owners((), None)
        if self.subject is not None:
            return Owners((self.subject,), self.subject)
        n = len(self.found.clusters)
        return Owners(tuple(range(n)), 0 if n == 1 else None)

    def named_in(self, s: int, e: int) -> list[int]:
        """The clusters with a mention starting in [s, e)."""
        k, j = bisect_left(self.spots, (s, -1, -1)), bisect_left(self.spots, (e, -1, -1))
        return sorted({c for _, _, c in self.spots[k:j]})

    def settle(self, got: list[int], pos: int, s: int) -> Owners:
        """One body; or several, with the figure's body if the nearest one before it is alone."""
        if len(got) == 1:
            return Owners(tuple(got), got[0])
        k = bisect_left(self.spots, (pos, -1, -1))
        nearest = self.spots[k - 1] if k and self.spots[k - 1][0] >= s else None
        if nearest is not None and self.enumerated(nearest):
            nearest = None
        return Owners(tuple(got), nearest[2] if nearest else None)

    def enumerated(self, spot: tuple[int, int, int]) -> bool:
        """Whether a mention stands in a list of several bodies (`A、B`, `A和B`)."""
        view, (a, b, c) = self.text.view, spot
        before = self.by_end.get(a - 1)
        after = self.by_start.get(b + 1)
        return bool(before is not None and before != c and view[a - 1] in JOINERS or
                    after is not None and after != c and view[b] in JOINERS)

