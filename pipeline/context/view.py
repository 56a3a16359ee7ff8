"""A simplified, half-width view of the text with the same length as the original.

Extractors read the view; spans they find index the original unchanged, because the view is
built character for character (OpenCC `t2s` maps one character to one character for this genre;
where a phrase rule would change the length, the affected line is converted character by
character instead). Full-width ASCII forms (`１２`, `％`, `，`, `（`, `：`) become their ASCII
twins in the view, so a rule writes `,` `(` `%` once instead of twice; `。` `、` `《》` `“”` `—`
are not full-width ASCII and stay as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import ne

HAN = re.compile(r"[\u4e00-\u9fff]")
TRADITIONAL, MIXED = 0.05, 0.005  # the shares of changed Han characters that make a script
HAN_STEP = 2048  # characters of the text whose Han characters are counted at a time
FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
FULLWIDTH[0x3000] = 0x20  # ideographic space
FULLWIDTH[0x2212] = 0x2D  # the minus sign is read as a hyphen-minus (−2.1% as -2.1%)
# Invisible characters that web pages and Word leave inside words (zero-width space, joiners,
# word joiner, BOM, soft hyphen) are one character in the view, U+200B, which rules may skip.
FULLWIDTH.update({c: 0x200B for c in (0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)})
# `str.translate` looks every character up in the table; replacing only the characters of the
# table that occur (found by one regex scan) is six times faster on Chinese text, same view.
_FOLDED = re.compile("[" + re.escape("".join(map(chr, FULLWIDTH))) + "]")
_FOLD = {chr(k): chr(v) for k, v in FULLWIDTH.items()}


@dataclass(frozen=True)
class NormalText:
    """The original text and its same-length simplified view."""

    original: str
    view: str
    script: str  # simplified | traditional | mixed

    def __post_init__(self) -> None:
        if len(self.original) != len(self.view):
            raise ValueError("normalised view must keep the original length")

    def span(self, start: int, end: int) -> str:
        """The original characters of a span: what a mention's `text` must be."""
        return self.original[start:end]


@lru_cache(maxsize=1)
def _converter():
    import opencc  # loaded on first use: `xunshi --help` must not pay for it

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified, guaranteed to keep the length (and so every offset)."""
    conv = _converter().convert
    out = conv(text)
    if len(out) == len(text):
        return out
    return "".join(_line_1to1(line, conv) for line in text.splitlines(keepends=True))


def _line_1to1(line: str, conv) -> str:
    out = conv(line)
    if len(out) == len(line):
        return out
    chars = (conv(c) for c in line)
    return "".join(s if len(s) == 1 else c for c, s in zip(line, chars))


def detect_script(original: str, simplified: str) -> str:
    """`traditional` when many characters changed, `mixed` when a few did.

    The Han characters are counted a stretch at a time, and no further once there are enough
    of them for the changed ones to be few (a simplified report has a handful of variants):
    more of them could only lower the share."""
    if original == simplified:  # most reports: no character-by-character pass at all
        return "simplified"
    changed, han = differences(original, simplified), 0
    for i in range(0, len(original), HAN_STEP):
        han += len(HAN.findall(original, i, i + HAN_STEP))
        if han and changed / han <= MIXED:
            return "simplified"
    ratio = changed / (han or 1)
    if ratio > TRADITIONAL:
        return "traditional"
    return "mixed" if ratio > MIXED else "simplified"


def differences(a: str, b: str, step: int = 128) -> int:
    """The characters in which two texts of one length differ, compared character by character
    only in the stretches that differ (a simplified report has a handful of variants)."""
    n = 0
    for i in range(0, len(a), step):
        x, y = a[i:i + step], b[i:i + step]
        if x != y:
            n += sum(map(ne, x, y))
    return n


def normalize(text: str) -> NormalText:
    """Build the view every extractor reads: simplified script, half-width ASCII forms."""
    simplified = to_simplified(text)
    return NormalText(original=text, view=fold(simplified), script=detect_script(text, simplified))


def fold(text: str) -> str:
    """Full-width ASCII forms and invisible characters as the view has them: each of the few
    distinct characters of the table that occur replaced in one pass (`str.replace`), the next
    one looked for from where the last was found (every one before it is replaced)."""
    m = _FOLDED.search(text)
    while m is not None:
        ch = m.group()
        text = text.replace(ch, _FOLD[ch])
        m = _FOLDED.search(text, m.start())
    return text
