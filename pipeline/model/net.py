"""The span categoriser: a small CNN over characters that scores spans ending at an organ head.

Why a span categoriser and not NER: it gives every span a probability, which the merged output
records as the mention's `score`, and its candidates come from a suggester we control. The
suggester proposes only spans that end at a character that can close an organ's name
(`model.heads`), so the network scores a few spans per sentence instead of every n-gram.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.util import registry
from thinc.api import Ops, Ragged

LABEL = "BODY"
SPANS_KEY = "bodies"
STOP = set(",;。:!?、“”《》\"' \t\n\u3000")
_RUN = re.compile(f"[^{re.escape(''.join(sorted(STOP)))}\\s]+\\Z")  # no stop mark or blank, to the end
TEXT = "xunshi.text"  # a Doc's text kept in its `user_data` by `predict.char_doc`


@registry.misc("xunshi.head_suggester.v1")
def head_suggester(max_size: int = 16, heads: str = ""):
    """Suggest spans of up to `max_size` tokens that end at an organ-head token (`heads`, from
    `model.heads` in rules/bodies.yaml, saved in the model's config) and do not cross
    punctuation."""
    head_set = set(heads)

    def suggest(docs, *, ops: Ops | None = None) -> Ragged:
        from thinc.api import get_current_ops

        ops = ops or get_current_ops()
        spans, lengths = [], []
        for doc in docs:
            found = _doc_spans(doc, max_size, head_set)
            spans.extend(found)
            lengths.append(len(found))
        data = ops.asarray2i(spans) if spans else ops.xp.zeros((0, 2), dtype="i")
        return Ragged(data, ops.asarray1i(lengths))

    return suggest


def _doc_spans(doc, max_size: int, head_set: set) -> list[list[int]]:
    """Token offsets are read as arrays: making a `Token` object per token costs more than the
    network itself."""
    from spacy.attrs import IDX, LENGTH

    text = doc.user_data.get(TEXT) or doc.text
    bounds = doc.to_array([IDX, LENGTH]).tolist()
    firsts = [text[i] if n else " " for i, n in bounds]
    lasts = [text[i + n - 1] if n else "" for i, n in bounds]
    return _spans(firsts, lasts, max_size, head_set)


def _spans(firsts, lasts, max_size: int, head_set: set) -> list[list[int]]:
    """Every span of at most `max_size` tokens that ends on a token whose last character is a
    head and holds no token that begins with a stop mark or a blank, as [first, end) indexes;
    `firsts` and `lasts` are the tokens' first and last characters ("" for none)."""
    out = []
    for i, last in enumerate(lasts):
        if last not in head_set:
            continue
        for j in range(i, max(-1, i - max_size), -1):
            if firsts[j] in STOP or firsts[j].isspace():
                break
            out.append([j, i + 1])
    return out


def char_ends(text: str, max_size: int, head_set: frozenset) -> list[tuple[int, int]]:
    """The spans `_spans` suggests on a character Doc of `text`, read on the text itself and told
    by where they end: (end, n) for each head, whose spans are [end - k, end) for k = 1 .. n, in
    that order. A regex finds each head, another the stretch of no stop mark or blank before it,
    instead of a Python step (and a list) per span."""
    head, run = _head_re(frozenset(head_set)), _RUN.search
    out = []
    for m in head.finditer(text):
        end = m.end()
        r = run(text, max(0, end - max_size), end)
        if r:
            out.append((end, end - r.start()))
    return out


def span_lengths(counts):
    """The length of each span of heads with `counts` spans each (`char_ends`), in order."""
    import numpy as np

    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts) + 1


@lru_cache(maxsize=4)
def _head_re(heads: frozenset) -> re.Pattern:
    """Any one of the heads."""
    return re.compile(f"[{re.escape(''.join(sorted(heads)))}]")


def config(heads: str, width: int = 64, rows: int = 6000, depth: int = 2, max_size: int = 16) -> dict:
    """The components' settings: a hash-embedding CNN over characters (no pretrained vectors;
    a token's NORM is its character) and a spancat."""
    tok2vec = {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width,
                  "attrs": ["NORM"], "rows": [rows], "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width,
                   "depth": depth, "window_size": 1, "maxout_pieces": 2},
    }
    spancat = {
        "spans_key": SPANS_KEY, "threshold": 0.5, "max_positive": 1,
        "suggester": {"@misc": "xunshi.head_suggester.v1", "max_size": max_size, "heads": heads},
        "model": {"@architectures": "spacy.SpanCategorizer.v1",
                  "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": width},
                  "scorer": {"@layers": "spacy.LinearLogistic.v1"},
                  "tok2vec": tok2vec},
    }
    return {"spancat": spancat}


class Network:
    """The span categoriser's network run on character windows as arrays, with the layers the
    trained pipeline holds, to the same bits as `spancat.model.predict` over character Docs.

    What it leaves out costs more than the network's arithmetic: a Doc and its features per
    window, the tok2vec's lists, padding and unpadding, the span extractor's Python loop. A
    character's embedding (hash embedding, maxout, layer norm) depends on the character alone,
    so it is computed once per process and kept in `table`; each layer's rows are computed row
    by row (the same BLIS kernel whatever the batch), so a row's result does not depend on what
    else is in the batch.
    """

    KEEP = 1 << 16  # characters whose embedding is kept before the table starts afresh

    def __init__(self, nlp):
        model = nlp.get_pipe("spancat").model
        tok2vec, self.ops = model.get_ref("tok2vec"), model.ops
        encode = tok2vec.get_ref("encode")
        self.embed, self.encode, self.pad = tok2vec.get_ref("embed"), encode.layers[0], encode.attrs["pad"]
        # the reducer's concatenated poolings (last, first, mean, max) are made by `_pooled`
        self.hidden, self.scorer = model.get_ref("reducer").layers[1], model.get_ref("scorer")
        self.vocab, self.width = nlp.vocab, tok2vec.get_dim("nO")
        self._fresh()
        self._learn([_trained_chars(nlp.vocab)[:self.KEEP]])

    def _fresh(self) -> None:
        """An empty table: row 0 is the zero vector the encoder's padding reads."""
        self.rows: dict[str, int] = {}
        self.table = self.ops.xp.zeros((1, self.width), dtype="f")

    def scores(self, texts: list[str], ends: list[list[tuple[int, int]]]):
        """The probability of each span of each text, in order: a text's spans are those its
        `char_ends` tell."""
        self._learn(texts)
        pad, rows = self.pad, self.rows
        ids, heads, counts = [0] * pad, [], []
        for text, found in zip(texts, ends):
            before = len(ids) - 1
            ids += map(rows.__getitem__, text)
            ids += [0] * pad
            heads += [before + e for e, _ in found]
            counts += [n for _, n in found]
        xp = self.ops.xp
        heads, counts = xp.asarray(heads), xp.asarray(counts)
        encoded = self._encoded(self.table[ids], heads - counts + 1, heads + 1)
        lengths = self.ops.asarray1i(span_lengths(counts))
        last = xp.repeat(heads, counts)
        pooled = self._pooled(encoded, last - lengths + 1, lengths)
        return self.scorer.predict(_maxout_normed(self.hidden, pooled))

    def _encoded(self, X, starts, ends):
        """The encoder's output on the rows [starts, ends) (where the spans lie), layer by layer
        as its residual blocks compute it over the padded windows (`with_array(..., pad)`), but
        each layer only on the rows the next one reads: most characters of a window are context,
        not span, and a row's context shrinks by the window of each layer above it. `X` is
        updated in place: a row no layer reads again keeps what an earlier one left."""
        xp = self.ops.xp
        edges = xp.zeros(len(X) + 1, dtype="i")
        xp.add.at(edges, starts, 1)
        xp.add.at(edges, ends, -1)
        read = [xp.cumsum(edges[:-1]) > 0]
        blocks = self.encode.layers
        for block in reversed(blocks[1:]):
            read.append(_widened(read[-1], _window(block)))
        for block, rows in zip(blocks, map(xp.flatnonzero, reversed(read))):
            width = _window(block)
            around = rows[:, None] + xp.arange(-width, width + 1)  # its `expand_window`, gathered
            X[rows] += _maxout_normed(block.layers[0].layers[1], X[around].reshape(len(rows), -1))
        return X

    def _pooled(self, encoded, first, n):
        """What the reducer's pooling layers concatenate for each span (its rows `first` to
        `first + n`), its last row, its first, their mean and their maximum, written straight
        into one array. The mean is thinc's own (`reduce_mean`, its order of sums); the maximum
        is `_maxima`'s: thinc's `reduce_max` walks each span's rows one by one and notes which
        row each maximum came from."""
        xp, w = self.ops.xp, self.width
        offsets = xp.cumsum(n) - n
        rows = encoded[xp.repeat(first - offsets, n) + xp.arange(int(n.sum()))]
        out = xp.empty((len(n), 4 * w), dtype="f")
        out[:, :w] = encoded[first + n - 1]
        out[:, w:2 * w] = encoded[first]
        out[:, 2 * w:3 * w] = self.ops.reduce_mean(rows, n)
        out[:, 3 * w:] = _maxima(xp, encoded, first, n)
        return out

    def _learn(self, texts: list[str]) -> None:
        """Embed the characters of `texts` not in the table yet (a set difference: a Python step
        a character cost more than the embedding)."""
        new = sorted(set().union(*texts).difference(self.rows))
        if not new:
            return
        if len(self.rows) + len(new) > self.KEEP:
            self._fresh()
            new = sorted(set().union(*texts))
        vectors = self._embedded(new)
        self.rows.update((c, len(self.table) + i) for i, c in enumerate(new))
        self.table = self.ops.xp.concatenate([self.table, vectors])

    def _embedded(self, chars: list[str]):
        """The embed layer's output on a Doc of `chars`, from the features its extractor reads
        there (each character's NORM, as its lexeme gets it) but with no Doc: making a lexeme
        runs a score of attribute functions, which cost more than the embedding itself."""
        from spacy.attrs import NORM

        norm, strings = self.vocab.lex_attr_getters[NORM], self.vocab.strings
        X = [self.ops.xp.asarray([[strings.add(norm(c))] for c in chars], dtype="uint64")]
        for layer in self.embed.layers[1:]:  # the layers after `extract_features`
            X = layer.predict(X)
        return X[0]


def _trained_chars(vocab) -> str:
    """The characters of the model's vocabulary (those its training texts held), which the table
    holds from the start: embedding them in one call when the model is loaded costs less than
    a call a document for the few each one adds (a call costs about a millisecond, most of it
    not arithmetic), and most documents then add none."""
    return "".join(sorted(s for s in vocab.strings if len(s) == 1))


def _window(block) -> int:
    """The characters on each side a residual encoder block reads (its `expand_window`)."""
    return block.layers[0].layers[0].attrs["window_size"]


def _maxout_normed(block, X):
    """A `Maxout(normalize=True)` block's output at prediction (its maxout, layer norm and
    dropout, which then passes its input on), with thinc's maxout and `_layer_norm`."""
    maxout, norm = block.layers[0].layers
    return _layer_norm(norm, maxout.predict(X))


def _layer_norm(norm, X):
    """thinc's `LayerNorm` on `X`, to the same bits (numpy's `mean` and `var` are sums along
    each row divided by its width), but with the mean taken and the rows centred once: thinc
    takes the mean, numpy's `var` takes it again and centres the rows, and thinc centres them
    again."""
    mu = X.mean(axis=1, keepdims=True)
    centred = X - mu
    var = (centred * centred).sum(axis=1, keepdims=True)
    var /= X.shape[1]
    var += 1e-08
    centred *= var ** (-1.0 / 2.0)
    centred *= norm.get_param("G")
    centred += norm.get_param("b")
    return centred


def _maxima(xp, X, first, n):
    """The maximum of each span's rows `X[first:first + n]`: the larger of the maxima of the
    span's first and last 2**k rows (2**k <= n < 2**(k+1)), taken from a table of the maxima of
    every stretch of 2**k rows that numpy fills a level at a time. The values are those of a
    row-by-row walk; of two zeros it may keep the other sign, which no sum of products (the
    reducer's next layer) can tell apart."""
    levels = int(n.max()).bit_length()
    table = xp.empty((levels, *X.shape), dtype=X.dtype)
    table[0] = X
    for k in range(1, levels):
        h = 1 << (k - 1)
        xp.maximum(table[k - 1, :-h], table[k - 1, h:], out=table[k, :-h])
        table[k, -h:] = table[k - 1, -h:]
    k = xp.frexp(n)[1] - 1  # floor(log2(n))
    return xp.maximum(table[k, first], table[k, first + n - (1 << k)])


def _widened(mask, width: int):
    """`mask` with each true row's `width` neighbours on each side true as well."""
    out = mask.copy()
    for d in range(1, width + 1):
        out[d:] |= mask[:-d]
        out[:-d] |= mask[d:]
    return out
