"""Who is responsible for a work item: the bodies its own clauses name, or the subject that an
earlier item of the same sentence stated, carried over and marked as such.

Chinese reports drop a subject that goes on from the clause before (`省委高度重视，先后召开…，
及时传达…`: 省委 for each act), but they do not carry it past the sentence: a new sentence, a
new paragraph or a new subject starts over. So a subject carries to the later items of its own
sentence only, never across a line break, and every carried body is recorded in the item's
`inherited` with the mention it came from; the bodies table counts stated and inherited items
apart. (Carrying the first subject of a paragraph or a section to every item under it made one
body responsible for hundreds of clauses that never name it.)
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.records import Inherited, all_fields, made

INHERITED_FIELDS = all_fields(Inherited)


@dataclass(frozen=True)
class Subject:
    """The bodies an item stated as its subject, where it ended and its mentions."""

    sentence: int
    end: int
    names: tuple[str, ...]
    mention_ids: tuple[str, ...]


class Responsibility:
    """Reads a document's items in text order and decides each one's responsible bodies."""

    def __init__(self, view: str):
        self.view = view
        self.subject: Subject | None = None

    def of(self, sentence: int, start: int, end: int, own: list[str], inside: list
           ) -> tuple[list[str], list[Inherited]]:
        """The responsible names of the item at [start, end) of the sentence that starts at
        `sentence`, and those of them that are inherited. `own` are the names its clauses
        state (a new subject), `inside` its mentions."""
        if own:
            ids = tuple(self._mention_of(name, inside) for name in own)
            self.subject = Subject(sentence, end, tuple(own), ids)
            return list(own), []
        carried = self.carried(sentence, start)
        if carried is None:
            return [], []
        return list(carried.names), [made(Inherited, {"name": n, "mention_id": i}, INHERITED_FIELDS)
                                     for n, i in zip(carried.names, carried.mention_ids)]

    def carried(self, sentence: int, start: int) -> Subject | None:
        """The subject that goes on to an item starting at `start`: one stated earlier in the
        same sentence with no line break since."""
        s = self.subject
        if s is None or s.sentence != sentence or "\n" in self.view[s.end:start]:
            return None
        return s

    @staticmethod
    def _mention_of(name: str, inside: list) -> str:
        """The first body mention of the item with that name (the statement to point back to)."""
        return next((m.mention_id for m in inside if m.kind == "body" and m.name == name), "")
