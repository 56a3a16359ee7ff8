"""The body model at run time: proposes body spans with their probabilities.

`predict(view, config)` reads only windows around an organ head that the rules' mentions leave
uncovered (`config.trigger`), or around an edge of a rule mention in doubt, so most of a report
costs it nothing; `pipeline.extractors.bodies` merges what it proposes with the rules. Training
lives apart (`pipeline.model.train`), so a run never imports it.

Its tokens are characters, not jieba's words: jieba glues a preposition or verb to the next
character (`向省`, `对于`), so a body's edge often falls inside a word, and a model over words
can then neither learn nor propose the exact span.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from pipeline.context.boundaries import boundaries
from pipeline.scan import Scan, gate, led, scan_of
from pipeline.paths import data_dir, data_path

MODEL_DIR = data_dir("models") / "bodies"


@lru_cache(maxsize=1)
def statements() -> re.Pattern:
    """The stretches the model reads windows in: statements of the one boundary definition."""
    return re.compile(f"[^{re.escape(boundaries().chars['statement'])}]+")


def char_doc(nlp, text: str):
    """A Doc with one token per character."""
    from spacy.tokens import Doc

    from pipeline.model.net import TEXT

    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    doc.user_data[TEXT] = text  # what `doc.text` joins again token by token (net._doc_spans)
    return doc


@lru_cache(maxsize=4)
def load(path: str = str(MODEL_DIR)):
    """The trained pipeline, or None when none has been trained (the rules then work alone)."""
    import spacy

    from pipeline.model import net  # noqa: F401  (registers the suggester before the config is read)

    if not (Path(path) / "config.cfg").exists():
        return None
    return spacy.load(path)


def spans_of(nlp, text: str) -> list[tuple[int, int, float]]:
    """(start, end, probability) of the non-overlapping best spans of one sentence."""
    return _best(nlp(char_doc(nlp, text)))


def _best(doc) -> list[tuple[int, int, float]]:
    """The best non-overlapping spans, as character offsets into `doc.text`."""
    from pipeline.model.net import SPANS_KEY

    group = doc.spans.get(SPANS_KEY)
    if group is None or not len(group):
        return []
    scores = group.attrs.get("scores")
    return _non_overlapping([(float(scores[i][0]) if scores is not None else 1.0, s.start_char,
                              s.end_char) for i, s in enumerate(group)])


def _non_overlapping(cands: list[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """From (probability, start, end), the best spans that overlap no better one, in text order."""
    taken: list[tuple[int, int, float]] = []
    for p, s, e in sorted(cands, reverse=True):
        if all(e <= a or b <= s for a, b, _ in taken):
            taken.append((s, e, p))
    return sorted(taken)


def _scored(nlp, view: str, chunk: list[tuple[int, int, list[tuple[int, int]]]], threshold: float):
    """The best spans of a batch of windows (start, end, and their spans as `net.char_ends`
    tells them), as `_best` reads them from the Docs the pipeline annotates, but straight from
    the span categoriser's network run on arrays (`_network`): no Doc, Span or SpanGroup is
    made, and only the spans that reach the threshold are read back one by one. The threshold
    is compared as spaCy does (float32 scores against the Python float)."""
    import numpy as np

    from pipeline.model.net import span_lengths

    if not any(found for *_, found in chunk):
        return []
    scores = _network(nlp).scores([view[s:e] for s, e, _ in chunk], [f for *_, f in chunk])[:, 0]
    kept = np.flatnonzero(scores >= threshold)
    counts = np.array([n for *_, found in chunk for _, n in found])
    ends = np.repeat([s + e for s, _, found in chunk for e, _ in found], counts)[kept]
    windows = np.repeat([i for i, (*_, found) in enumerate(chunk) for _ in found], counts)[kept]
    rows = zip(windows.tolist(), scores[kept].tolist(), (ends - span_lengths(counts)[kept]).tolist(),
               ends.tolist())
    return [span for _, group in groupby(rows, itemgetter(0))
            for span in _non_overlapping([(p, s, e) for _, p, s, e in group])]


@lru_cache(maxsize=4)
def _network(nlp):
    """The span categoriser's network on arrays, with its table of character embeddings."""
    from pipeline.model.net import Network

    return Network(nlp)


BEFORE, AFTER = 20, 12
# The model holds about 37 KB per character it reads at once: a merged window stops growing at
# MAX_WINDOW characters and a batch at BATCH_CHARS, so one document's memory stays bounded
# (a sentence of organ names without punctuation once made one window of the whole text).
MAX_WINDOW, BATCH_CHARS, BATCH_DOCS = 400, 8192, 128


def _windows(view: str, trigger: Scan | re.Pattern, covered: bytearray | None, edges: list[int]):
    """Merged (start, end) windows around uncovered triggers and doubtful edges, each inside
    its sentence: a body's name ends at its head and is rarely longer than 16 characters."""
    for start, end, points in _statement_points(view, trigger, covered, edges):
        lo = hi = None
        for p in sorted(points):
            if hi is None or p - BEFORE > hi or p + AFTER - lo > MAX_WINDOW:
                if hi is not None:
                    yield lo, hi
                lo = max(start, p - BEFORE)
            hi = min(end, p + AFTER)
        if hi is not None:
            yield lo, hi


def _statement_points(view: str, trigger: Scan | re.Pattern, covered: bytearray | None,
                      edges: list[int]) -> list[tuple[int, int, list[int]]]:
    """(start, end, points) of each statement, in text order, that holds a point: the start of
    an uncovered trigger match (matched as `trigger.finditer(view, start, end)` matches) or an
    edge. One scan of the text for where a match can begin (`_openings`) finds them, each
    matched in its statement, instead of one scan a statement."""
    scan = trigger if isinstance(trigger, Scan) else scan_of(trigger)
    if not scan.chars:
        return _points_by_statement(view, scan, covered, edges)
    stops = [m.start() for m in boundaries().mark_re["statement"].finditer(view)]
    found: dict[int, list[int]] = {}
    last, match = 0, scan.rx.match
    for p in (m.start() for m in _openings(scan).finditer(view)):
        i = bisect.bisect_right(stops, p)
        start, end = (stops[i - 1] + 1 if i else 0), (stops[i] if i < len(stops) else len(view))
        if start > p or p < last:  # on a statement's end mark, or inside the match before
            continue
        m = match(view, p, end)
        if m is not None and m.end() > p:
            last = m.end()
            if covered is None or not covered[p]:
                found.setdefault(i, []).append(p)
    for p in edges:
        i = bisect.bisect_right(stops, p)
        if not i or stops[i - 1] < p:
            found.setdefault(i, []).append(p)
    return [(stops[i - 1] + 1 if i else 0, stops[i] if i < len(stops) else len(view), found[i])
            for i in sorted(found)]


def _points_by_statement(view: str, scan: Scan, covered: bytearray | None, edges: list[int]):
    """`_statement_points` for a trigger that may begin with any character: statement by
    statement."""
    out = []
    for m in statements().finditer(view):
        points = [t.start() for t in scan.finditer(view, m.start(), m.end())
                  if covered is None or not covered[t.start()]]
        points += edges[bisect.bisect_left(edges, m.start()):bisect.bisect_left(edges, m.end())]
        if points:
            out.append((m.start(), m.end(), points))
    return out


@lru_cache(maxsize=8)
def _openings(scan: Scan) -> re.Pattern:
    """One of the characters a match can begin with, followed by one of those that can follow it
    in a match where the scan's gate knows them (`pipeline.scan.gate`): of the 17,013 such
    characters of gov-reports-2026, only the 3,029 that open a `大学`, `工会`, `党委` … or are
    a `委`, `局` … are matched then. Branches that each open with a character keep `re`
    skipping to the next one at once."""
    chars, after = gate(scan.rx.pattern, scan.rx.flags)
    return re.compile("|".join(led(c, after) for c in chars))


@lru_cache(maxsize=4)
def _trigger(pattern: str) -> Scan:
    return Scan(re.compile(pattern))


def predict(view: str, config, covered: bytearray | None = None,
            edges: list[int] = ()) -> list[tuple[int, int, float]]:
    """Body spans of a whole text from the model, as (start, end, probability).

    Only windows around a `config.trigger` match that stands outside the `covered` characters
    (the rules' mentions), or around one of the `edges` (offsets where a rule mention's extent
    is in doubt), are read: from `BEFORE` characters before to `AFTER` after, inside the
    sentence. The model reads characters, not the segmenter's words. It is loaded (spaCy with
    it, half a second) only when a text has a window to read.
    """
    windows = list(_windows(view, _trigger(config.trigger), covered, sorted(edges)))
    nlp = load(str(data_path(config.path))) if windows else None
    if nlp is None:
        return []
    return [span for chunk in _batches(_trimmed(view, windows, _reading(nlp)))
            for span in _scored(nlp, view, chunk, config.threshold)]


@lru_cache(maxsize=4)
def _reading(nlp) -> tuple[int, frozenset, int]:
    """What of a window the model reads: the suggester's longest span and heads, and how many
    characters on each side its encoder sees (depth times its window)."""
    cfg = nlp.config["components"]["spancat"]
    suggester, encode = cfg["suggester"], cfg["model"]["tok2vec"]["encode"]
    return suggester["max_size"], frozenset(suggester["heads"]), encode["depth"] * encode["window_size"]


def _trimmed(view: str, windows: list[tuple[int, int]], reading
             ) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Each window cut to its suggested spans and the characters their encoding sees, with its
    spans (`char_ends`, on the cut window: a cut never reaches past a stop mark the suggester
    stops at): a span's score is computed from those alone (row by row), so it is the same as
    over the whole window, and a window with no suggested span is not read at all."""
    from pipeline.model.net import char_ends

    max_size, heads, field = reading
    out = []
    for s, e in windows:
        ends = char_ends(view[s:e], max_size, heads)
        if ends:
            lo = max(s, s + min(end - n for end, n in ends) - field)
            out.append((lo, min(e, s + ends[-1][0] + field), [(end + s - lo, n) for end, n in ends]))
    return out


def _batches(windows: Iterable[tuple]) -> Iterator[list[tuple]]:
    """Windows (start, end, …) in batches of at most BATCH_DOCS windows and BATCH_CHARS
    characters."""
    chunk, size = [], 0
    for w in windows:
        if chunk and (len(chunk) == BATCH_DOCS or size + w[1] - w[0] > BATCH_CHARS):
            yield chunk
            chunk, size = [], 0
        chunk.append(w)
        size += w[1] - w[0]
    if chunk:
        yield chunk
