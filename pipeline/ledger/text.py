"""The ledger's view of a document's text: sentences (up to `。!?;` or a line end), paragraphs,
sections under numbered headings, the title line and the lead (title and first paragraph)."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

from pipeline.context.segment import LINE
from pipeline.ledger.rules import ledger_rules

_MATCH_SPAN = re.Match.span


def sentence_spans(view: str) -> list[tuple[int, int]]:
    """Spans between the ledger's sentence ends, without surrounding whitespace."""
    out, pos = [], 0
    for m in ledger_rules().sentence_end.finditer(view):
        out += _trimmed(view, pos, m.start())
        pos = m.end()
    return out + _trimmed(view, pos, len(view))


def _trimmed(view: str, s: int, e: int) -> list[tuple[int, int]]:
    while s < e and view[s].isspace():
        s += 1
    while e > s and view[e - 1].isspace():
        e -= 1
    return [(s, e)] if s < e else []


def span_at(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The span holding `pos` (spans sorted, not overlapping), else the empty span at `pos`."""
    i = bisect_right(spans, (pos, float("inf"))) - 1
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return (pos, pos)


@dataclass(frozen=True)
class Text:
    """A document's view and the ledger's units over it."""

    view: str
    heading_starts: tuple[int, ...] = ()  # numbered headings (level ≥ 1)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.view)

    @cached_property
    def lines(self) -> list[tuple[int, int]]:
        """The spans of the lines that are not blank, without the whitespace around them."""
        return list(map(_MATCH_SPAN, LINE.finditer(self.view)))

    def sentence(self, pos: int) -> tuple[int, int]:
        return span_at(self.sentences, pos)

    def section(self, pos: int) -> tuple[int, int]:
        """The text under the numbered heading before `pos` up to the next one; without a
        heading before it, its paragraph (line)."""
        k = bisect_right(self.heading_starts, pos) - 1
        if k < 0:
            return span_at(self.lines, pos)
        end = self.heading_starts[k + 1] if k + 1 < len(self.heading_starts) else len(self.view)
        return self.heading_starts[k], end

    @cached_property
    def heading_set(self) -> frozenset[int]:
        return frozenset(self.heading_starts)

    def heading_line(self, section: tuple[int, int]) -> tuple[int, int] | None:
        """The heading line that opens a section, if the section opens with one."""
        if section[0] in self.heading_set:
            return span_at(self.lines, section[0])
        return None

    @cached_property
    def head(self) -> list[tuple[int, int]]:
        """The first lines (`lines`), up to the first long one after the first: all that the
        title, the lead and the form read, found without cutting the rest of the text into lines
        (most documents stop at the form: no body, no record)."""
        out, least = [], ledger_rules().spec.lead_min_chars
        for s, e in map(_MATCH_SPAN, LINE.finditer(self.view)):
            out.append((s, e))
            if len(out) > 1 and e - s >= least:
                break
        return out

    @cached_property
    def title(self) -> tuple[int, int]:
        """The headline (one line, or two: 中共X关于⏎…的通报), else the first line."""
        lines = self.head
        if not lines:
            return (0, 0)
        if not self.is_headline(lines[0]):
            return lines[0]
        second = lines[1] if len(lines) > 1 else None
        return (lines[0][0], second[1]) if second and self.is_headline(second) else lines[0]

    def is_headline(self, line: tuple[int, int]) -> bool:
        rules = ledger_rules()
        return line[1] - line[0] <= rules.spec.headline_max_chars and \
            not rules.headline_breaks.search(self.view, *line)

    @cached_property
    def form_span(self) -> tuple[int, int]:
        """Where the notice's form is read: the headline, else the lead."""
        return self.title if self.head and self.is_headline(self.head[0]) else self.lead

    @cached_property
    def lead(self) -> tuple[int, int]:
        """The title and the lines after it up to the first long one (the first paragraph):
        the last of `head`, which ends at that line, or at the text's last line."""
        return self.title[0], self.head[-1][1] if self.head else 0
