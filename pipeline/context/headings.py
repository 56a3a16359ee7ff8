"""Headings (spec §1): numbered lines (一、 （二） 1.) and short lines that end no sentence.

An item sits under the last heading before it; the regions stage reads the title lines and the
section labels with the same tests. A short line that signs, dates or credits the text (a
report's speaker `省长 某某`, the occasion `…在…大会上`, a posting time, a paper's name) is no
section heading: items after it sit under the heading before it (`not_section`). The rules are
the `headings` section of `rules/regions.yaml`.
"""
from __future__ import annotations

import re

from pipeline.context.boundaries import Boundaries, boundaries
from pipeline.context.sections import Compiled, rules
from pipeline.context.view import NormalText
from pipeline.records import Heading
from pipeline.regexes import any_of

LINE = re.compile(r"[^\r\n]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


class Headings:
    """Heading lines of a document (`headings` of rules/regions.yaml), built once."""

    def __init__(self, r: Compiled | None = None, b: Boundaries | None = None):
        self.r, self.b = r or rules(), b or boundaries()
        self.numbered_any = any_of([rx for _, rx in self.r.numbered])

    def headings(self, nt: NormalText) -> list[Heading]:
        """Heading lines: numbered (一、 （二） 1.) or short lines without final punctuation."""
        out, prev = [], ""
        for m in LINE.finditer(nt.view):
            line = m.group()
            stripped = line.strip()
            if stripped:
                span = self.heading_span(stripped, prev)
                if span and not (span[2] == 0 and self.signs(stripped)):
                    lead = m.start() + line.index(stripped)
                    s, e, level = lead + span[0], lead + span[1], span[2]
                    out.append(Heading(start=s, end=e, text=nt.original[s:e], level=level))
                prev = stripped
        return out

    def heading_span(self, line: str, prev: str) -> tuple[int, int, int] | None:
        """(start, end, level) of the heading in a stripped view line, or None."""
        c = self.r
        if self.numbered_any is None or self.numbered_any.match(line):
            for rule, rx in c.numbered:
                if rx.match(line):
                    return 0, self.numbered_end(line), rule.level
        return (0, len(line), 0) if self.is_short_heading(line, prev) else None

    def signs(self, line: str) -> bool:
        """Whether a heading-like line signs, dates or credits the text (`not_section`)."""
        return any(rx.search(line) for rx in self.r.not_section)

    def numbered_end(self, line: str) -> int:
        """A numbered heading runs to its first sentence break; a run-on one to its first comma."""
        m = self.b.mark_re["heading"].search(line)
        cut = m.start() if m else len(line)
        if cut > 2 * self.r.h.max_chars:
            cut = min((i for i in (line.find(",", 0, cut), line.find("，", 0, cut)) if i >= 0),
                      default=cut)
        return len(line[:cut].rstrip())

    def is_short_heading(self, line: str, prev: str) -> bool:
        """A short line that does not end as a sentence and is not page furniture or a byline."""
        c = self.r
        h = c.h
        if len(line) > h.max_chars or not self.looks_whole(line):
            return False
        if len(HAN.findall(line)) < h.min_han or line in h.boilerplate:
            return False
        if prev and (prev[-1] in h.open_punct or (len(prev) > h.max_chars
                                                   and prev[-1] not in h.final_punct + "”\"』」")):
            return False
        return not any(rx.search(line) for rx in c.not_heading)

    def looks_whole(self, line: str) -> bool:
        """Not a sentence, nor a piece of one broken across lines."""
        h = self.r.h
        if line[0] in h.close_punct or line[0] in h.open_punct:
            return False
        if line[-1] in h.final_punct + h.open_punct + h.no_final_chars:
            return False
        if self.b.mark_re["statement"].search(line):
            return False
        return sum(line.count(ch) for ch in ",，、") <= h.max_commas

    def title_end(self, view: str, max_lines: int = 12) -> int:
        """End of the title lines: the lines before the first paragraph of running text.

        Page furniture (`【字号：`, `下载`, `您的位置:`) and salutations (`各位代表:`) are too short
        to be running text, and do not count towards `max_lines`; a numbered heading starts the body.
        """
        h = self.r.h
        end = counted = 0
        for m in LINE.finditer(view):
            line = m.group().strip()
            han = len(HAN.findall(line))
            if len(line) > h.max_chars or (line and line[-1] in h.final_punct and han > 2 * h.min_han):
                break
            if any(rx.match(line) for _, rx in self.r.numbered):
                break
            counted += han >= h.min_han
            if counted > max_lines:
                break
            end = m.end()
        return end




def heading_at(heads: list[Heading], offset: int) -> Heading | None:
    """The last heading that starts before `offset`: the section an item sits in."""
    found = None
    for h in heads:
        if h.start > offset:
            break
        found = h
    return found
