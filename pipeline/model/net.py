"""The span categoriser: a small CNN over characters that scores spans ending at an organ head.

Why a span categoriser and not NER: it gives every span a probability, which the merged output
records as the mention's `score`, and its candidates come from a suggester we control. The
suggester proposes only spans that end at a character that can close an organ's name
(`model.heads`), so the network scores a few spans per sentence instead of every n-gram.
"""
from __future__ import annotations

from spacy.util import registry
from thinc.api import Ops, Ragged

LABEL = "BODY"
SPANS_KEY = "bodies"
STOP = set(",;。:!?、“”《》\"' \t\n\u3000")
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


def char_spans(text: str, max_size: int, head_set: set) -> list[list[int]]:
    """`_doc_spans` of a character Doc of `text`, read on the text itself (no Doc needed)."""
    return _spans(text, text, max_size, head_set)


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


def reach(text: str, max_size: int, head_set: set) -> tuple[int, int] | None:
    """The characters the suggester's spans of a character Doc of `text` cover, (first, end), or
    None when it suggests none (`char_spans`: the last span ends furthest, at the last head)."""
    spans = char_spans(text, max_size, head_set)
    return (min(s for s, _ in spans), spans[-1][1]) if spans else None


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
