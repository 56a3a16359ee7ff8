"""Word segmentation: jieba with the domain dictionary, as words with their offsets.

The segmenter reads the simplified view (jieba is about 100× slower on traditional script),
which has the original's length, so word offsets are offsets in the original too. The rule
stages read `tokens(view)`: plain lists, because building a spaCy `Doc` from them (a lexeme
per new word, lexical attributes) cost a tenth of a rules-only run and no stage reads it; the
statistical body model reads characters in its own `Doc`s. `make_doc` still gives the words
as a spaCy `Doc` for callers who want one.

Two backends read the same dictionaries: `rjieba` (the jieba-rs binding, about 20× faster) when
it is installed, and `jieba`, the reference. They agree on 99.98% of the tokens of the shared
corpora (`python -m pipeline.bench --agreement`); the few differences are splits inside runs of
ASCII digits and hyphens (`2026-02`), which no rule relies on. `XUNSHI_SEGMENTER=jieba` forces
the reference.
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress
from operator import add

from pipeline.rules import rule_path

USER_DICT = "dict.txt"
BACKENDS = ("rjieba", "jieba")
# The characters `str.isspace` is true of, as a class: twice as fast to scan as `\s`.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
BLANK = re.compile(f"[{WHITESPACE}]+")


def stretch(separators: str) -> str:
    """A regex of a stretch of text between `separators` (a character class's body) without
    the whitespace around it, never empty: the first character that is neither, then the rest
    up to the last such character before a separator. One scan finds every stretch of a text,
    where cutting it and stripping each part costs a string a part."""
    return f"[^{WHITESPACE}{separators}](?:[^{separators}]*[^{WHITESPACE}{separators}])?"


# The characters `str.splitlines` cuts at (each is whitespace too).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# A line without the whitespace around it: what `line.strip()` keeps of each line of
# `text.splitlines()` that is not blank.
LINE = re.compile(stretch(LINE_BREAKS))
# The runs of whitespace whose words `words_tokens` may merge: two characters or more, or a lone
# space (a space after a word). A lone other character (nearly every run of a report: a line
# break) is one word or inside one, and stays as it is; led by the class, the regex skips the
# text at C speed and makes a match only for the few runs that matter.
MERGEABLE = re.compile(f"[{WHITESPACE}](?:[{WHITESPACE}]+|(?<= ))")


def user_words() -> list[tuple[str, int | None, str | None]]:
    """The domain dictionary as (word, frequency, POS), in jieba's user-dictionary format."""
    rows = []
    for line in rule_path(USER_DICT).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        rest = parts[1:]
        freq = int(rest.pop(0)) if rest and rest[0].isdigit() else None
        rows.append((parts[0], freq, rest[0] if rest else None))
    return rows


@lru_cache(maxsize=1)
def backend() -> str:
    """`XUNSHI_SEGMENTER` if set, else rjieba when importable, else jieba."""
    chosen = os.environ.get("XUNSHI_SEGMENTER", "").strip().lower()
    if chosen:
        if chosen not in BACKENDS:
            raise ValueError(f"XUNSHI_SEGMENTER={chosen!r}: choose one of {', '.join(BACKENDS)}")
        return chosen
    try:
        import rjieba  # noqa: F401
    except ImportError:
        return "jieba"
    return "rjieba"


@lru_cache(maxsize=1)
def tokenizer():
    """A private jieba tokenizer with the domain dictionary, loaded once per process."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    tok.load_userdict(str(rule_path(USER_DICT)))
    return tok


@lru_cache(maxsize=1)
def fast_tokenizer():
    """An rjieba tokenizer with the same domain dictionary, loaded once per process."""
    import rjieba

    tok = rjieba.Jieba()
    for word, freq, tag in user_words():
        tok.add_word(word, freq, tag)
    return tok


@lru_cache(maxsize=1)
def blank_nlp():
    """A blank Chinese pipeline whose tokenizer is ours (`make_doc` is replaced)."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.tokenizer = make_doc
    return nlp


def words(text: str) -> list[str]:
    """The segmenter's words for a text, in order; their concatenation is the text."""
    if backend() == "rjieba":
        return fast_tokenizer().cut(text, True)
    return list(tokenizer().cut(text, HMM=True))


def search_spans(word: str) -> list[tuple[int, int]]:
    """(start, end) of the dictionary words inside a word, and of the word itself: the
    segmenter's search mode (`整改措施` → 整改, 措施, 整改措施)."""
    if backend() == "rjieba":
        return [(s, e) for _, s, e in fast_tokenizer().tokenize(word, "search", True)]
    return [(s, e) for _, s, e in tokenizer().tokenize(word, mode="search")]


def is_word(word: str) -> bool:
    """Whether the segmenter's dictionary (with the domain dictionary) holds `word`."""
    if backend() == "rjieba":
        return fast_tokenizer().has_word(word)
    return bool(tokenizer().FREQ.get(word))


@dataclass(frozen=True)
class Tokens:
    """The words of a text (whitespace runs kept as words, as in `make_doc`) and their starts."""

    starts: list[int]
    texts: list[str]


def tokens(text: str) -> Tokens:
    """The segmenter's words of `text` and their offsets: the tokens `make_doc` would give."""
    ws = words(text)
    return words_tokens(ws if all(ws) else [w for w in ws if w], text)


def words_tokens(ws: list[str], text: str) -> Tokens:
    """The tokens of `words_and_spaces(ws, text)` with their offsets, found without a look at
    every word: the words concatenate to the text, so a word's offset is the sum of the lengths
    before it, and only the words inside a run of whitespace of the text can be blank.

    Both segmenters give a text's pieces in order, each following the last (jieba's cut yields
    the blocks of a `re.split` and their words; jieba-rs's, slices of the same blocks), so the
    words concatenate to the text when their lengths add up to its length: the sum, the last
    offset, is compared instead of the joined words (a fifth of this function's cost).

    `ws` becomes the tokens' list: the few runs to merge (two or three a report) are replaced
    in it and in the starts where they stand, from the last, instead of copying both lists of
    some ten thousand entries around them into new ones (a third of this function's cost)."""
    starts = list(accumulate(map(len, ws), initial=0))
    if starts.pop() != len(text):  # left: each word's start
        out, spaces = words_and_spaces(ws, text)
        ends = accumulate(map(add, map(len, out), spaces))  # a trailing space belongs to its word
        return Tokens([0, *ends][:len(out)], out)
    # a run of one blank word that is no word's trailing space stays the token it is (nearly all
    # runs of a report: a line break); only the other runs are merged
    runs = [(i, j) for i, j in blank_runs(text, starts, MERGEABLE)
            if j - i > 1 or i and ws[i][0] == " "]
    for i, j in reversed(runs):
        run, start = "".join(ws[i:j]), starts[i]
        if i and run[0] == " ":  # the space after a word is that word's trailing space
            run, start = run[1:], start + 1
        ws[i:j] = [run] if run else []
        starts[i:j] = [start] if run else []
    return Tokens(starts, ws)


def blank_runs(text: str, starts: list[int], runs: re.Pattern = BLANK) -> list[tuple[int, int]]:
    """(first, end) indices of the words that make up each run of whitespace of the text (or
    each match of `runs`), given the words' starts: those from the first that starts in the run
    to the last that ends in it (one that reaches past the run's end holds other characters).
    Two bisections a run and no look at a word; the runs of two runs of whitespace are never
    adjacent (a word that is not blank lies between them)."""
    n, length, out = len(starts), len(text), []
    for m in runs.finditer(text):
        a, b = m.span()
        i = bisect_left(starts, a)
        j = bisect_left(starts, b, i)
        if (starts[j] if j < n else length) != b:
            j -= 1
        if j > i:
            out.append((i, j))
    return out


def make_doc(text: str):
    """A spaCy `Doc` over `text` whose tokens are jieba's words (whitespace kept as tokens)."""
    from spacy.tokens import Doc

    ws, spaces = words_and_spaces([w for w in words(text) if w], text)
    return Doc(blank_nlp().vocab, words=ws, spaces=spaces)


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's `get_words_and_spaces` in linear time, for words that concatenate to the text.

    spaCy's own version searches `text[pos:]` afresh for every word, which copies the rest of
    the text each time: quadratic, a quarter of the run time on a 100 k-character report.
    A single space after a word becomes that token's trailing space; other whitespace stays a
    token, exactly as spaCy does it.
    """
    if "".join(words) != text:
        from spacy.util import get_words_and_spaces

        return get_words_and_spaces(words, text)
    blanks = list(compress(range(len(words)), map(str.isspace, words)))
    if not blanks:
        return list(words), [False] * len(words)
    out, spaces, prev = [], [], 0
    for i, j in _runs(blanks):
        out += words[prev:i]
        spaces += [False] * (i - prev)
        run = "".join(words[i:j])
        if out and run[0] == " ":  # the space after a word is that word's trailing space
            spaces[-1], run = True, run[1:]
        if run:
            out.append(run)
            spaces.append(False)
        prev = j
    out += words[prev:]
    spaces += [False] * (len(words) - prev)
    return out, spaces


def _runs(indices: list[int]):
    """(start, end) of each run of consecutive indices."""
    start = last = indices[0]
    for i in indices[1:]:
        if i != last + 1:
            yield start, last + 1
            start = i
        last = i
    yield start, last + 1


def pos(text: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) pairs; slower than `words`, so only stages that need POS call it.
    jieba's tagger reads its dictionary from the cached table (`pipeline.context.lexicon`)."""
    from pipeline.context.lexicon import pos as tagged

    return tagged(text)
