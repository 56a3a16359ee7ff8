"""Text from page layouts (PDF text layers, Word line breaks) made the text a `.txt` would hold.

Two artefacts of layout change records without changing what a reader sees:

- compatibility characters: PDF fonts often map 月 日 十 to Kangxi radicals (⽉ ⽇ ⼗) or to CJK
  compatibility forms, which no rule or dictionary knows. They become the unified ideographs
  (Unicode's NFKC mapping, one character for one, plus `rules/radicals.tsv` for the radical
  supplement, which Unicode leaves unmapped).
- hard line breaks: a PDF breaks lines where the page ends, and text pasted from one into Word
  keeps those breaks (`召开常委会会\\n议12次`). A break is joined when the line before it is full
  (as wide as the widest lines of its block, give or take a character) and does not end a
  sentence; short lines (headings, the last line of a paragraph) keep their break.

This runs when a format is read, so the text `xunshi text FILE` prints, which every offset
refers to, is already normalised; `.txt` files are never altered.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from pipeline.rules import load_table

COMPATIBILITY_RANGES = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
SENTENCE_CLOSE = "。！？；：!?;:…」』”）)】"  # a line ending in one of these ends where it should
FULL = 0.9  # a line at least this share of its block's widest is full: the page broke it
TOLERANCE = 2  # display columns (one CJK character) a full line may fall short by


@lru_cache(maxsize=1)
def unify_table() -> dict[int, str]:
    """Compatibility character → unified ideograph, for `str.translate`."""
    table = {}
    for lo, hi in COMPATIBILITY_RANGES:
        for code in range(lo, hi + 1):
            unified = unicodedata.normalize("NFKC", chr(code))
            if len(unified) == 1 and unified != chr(code):
                table[code] = unified
    table.update({ord(radical): unified for radical, unified in load_table("radicals.tsv")})
    return table


def unify(text: str) -> str:
    """Kangxi radicals and CJK compatibility forms as the ideographs they stand for."""
    return text.translate(unify_table())


def width(line: str) -> int:
    """Display columns: wide (CJK, full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def join_lines(block: str) -> str:
    """The lines of one block (a page, a paragraph) with breaks inside sentences removed."""
    lines = block.split("\n")
    if len(lines) < 2:
        return block
    widths = [width(line.strip()) for line in lines]
    widest = sorted(widths, reverse=True)[len(widths) // 10]  # one over-long line is not the norm
    full = max(FULL * widest, widest - TOLERANCE)
    out = [lines[0]]
    for prev, w, line in zip(lines, widths, lines[1:]):
        if w >= full and line.strip() and not prev.rstrip().endswith(tuple(SENTENCE_CLOSE)):
            out[-1] = _joined(out[-1], line)
        else:
            out.append(line)
    return "\n".join(out)


def _joined(before: str, after: str) -> str:
    """Two pieces of one sentence: CJK joins directly, two words of Latin script by a space."""
    a, b = before.rstrip(), after.lstrip()
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def normalise(text: str) -> str:
    """Both steps on one block of lines set to one width (a PDF's pages, a Word paragraph)."""
    return unify(join_lines(text))
