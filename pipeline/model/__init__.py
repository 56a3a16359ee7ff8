"""The statistical body component: a small spaCy span categoriser the project trains itself.

`train(out_dir, seed)` builds it from the project's own text (see `data`) in one deterministic CPU
run and saves it; `predict(view, doc, config)` proposes body spans with their probabilities, which
`pipeline.bodies` merges with the rules. The model only reads sentences that hold an organ
character (`config.trigger_chars`), so most of a government report costs it nothing.
"""
from __future__ import annotations

import bisect
import json
import re
import time
import warnings
from functools import lru_cache
from pathlib import Path

from .data import ROOT, Example

MODEL_DIR = ROOT / "models" / "bodies"
SENTENCE = re.compile(r"[^。!?;\n]+")


def _docs(nlp, examples: list[Example]):
    from .. import segment
    from spacy.tokens import Doc

    out = []
    for ex in examples:
        words = [w for w in segment.words(ex.text) if w]
        out.append(Doc(nlp.vocab, words=words, spaces=[False] * len(words)))
    return out


def _examples(nlp, examples: list[Example]):
    from spacy.training import Example as SpacyExample

    from .net import LABEL, SPANS_KEY

    out = []
    for doc, ex in zip(_docs(nlp, examples), examples):
        spans = [doc.char_span(s, e, label=LABEL, alignment_mode="expand") for s, e in ex.spans]
        ref = doc.copy()
        ref.spans[SPANS_KEY] = [ref.char_span(s.start_char, s.end_char, label=LABEL)
                                for s in spans if s is not None]
        out.append(SpacyExample(doc, ref))
    return out


def build(seed: int = 0, **cfg):
    """A blank Chinese pipeline with an untrained span categoriser."""
    import spacy
    from spacy.util import fix_random_seed

    from . import net

    fix_random_seed(seed)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.add_pipe("spancat", config=net.config(**cfg)["spancat"])
    return nlp


def train(out_dir: Path = MODEL_DIR, seed: int = 0, epochs: int = 12, limit: int | None = None,
          width: int = 32, upweight: int = 4, log=print) -> dict:
    """Train the body model on composed + corrected silver text and save it to `out_dir`.

    Deterministic for a given seed on one machine: fixed file order, seeded shuffles and
    `spacy.util.fix_random_seed`. Returns the metrics (also written to `out_dir/metrics.json`).

    Args:
        limit: train on at most this many sentences (the determinism test uses a handful).
    """
    import random

    from spacy.util import fix_random_seed, minibatch

    from . import data

    t0 = time.time()
    composed = data.composed()
    silver_train, silver_dev = data.split(data.silver(seed=seed), 0.1, seed)
    # the composed sentences are the inspection genre the model serves: they count `upweight` times
    train_set = silver_train + [e for e in composed if e.split == "train"] * upweight
    random.Random(seed).shuffle(train_set)
    train_set = train_set[:limit] if limit else train_set
    nlp = build(seed, width=width)
    examples = _examples(nlp, train_set)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(epochs):
        fix_random_seed(seed + epoch)
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
        log(f"epoch {epoch + 1}/{epochs} loss {losses.get('spancat', 0.0):.3f}")
    metrics = {
        "seed": seed, "epochs": epochs, "width": width, "upweight": upweight,
        "train_sentences": len(train_set),
        "silver_dev": evaluate(nlp, silver_dev),
        "composed_test": evaluate(nlp, [e for e in composed if e.split == "test"]),
        "seconds": round(time.time() - t0, 1),
    }
    save(nlp, Path(out_dir), metrics)
    return metrics


def save(nlp, out_dir: Path, metrics: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")


def evaluate(nlp, examples: list[Example], threshold: float = 0.5) -> dict:
    """Exact-span precision, recall and F1 of the model alone on annotated sentences."""
    tp = fp = fn = 0
    for ex in examples:
        pred = {(s, e) for s, e, p in spans_of(nlp, ex.text) if p >= threshold}
        gold = set(ex.spans)
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "n": len(examples)}


@lru_cache(maxsize=4)
def load(path: str = str(MODEL_DIR)):
    """The trained pipeline, or None when none has been trained (the rules then work alone)."""
    import spacy

    from . import net  # noqa: F401  (registers the suggester before the config is read)

    from ..segment import blank_nlp

    if not (Path(path) / "config.cfg").exists():
        return None
    # the pipeline's vocabulary: the words of its Docs are then known, not looked up again
    return spacy.load(path, vocab=blank_nlp().vocab)


def spans_of(nlp, text: str, words: list[str] | None = None) -> list[tuple[int, int, float]]:
    """(start, end, probability) of the non-overlapping best spans of one sentence."""
    from spacy.tokens import Doc

    from .. import segment

    words = words or [w for w in segment.words(text) if w]
    doc = nlp(Doc(nlp.vocab, words=words, spaces=[False] * len(words)))
    return _best(doc)


def _best(doc) -> list[tuple[int, int, float]]:
    from .net import SPANS_KEY

    group = doc.spans.get(SPANS_KEY)
    if group is None or not len(group):
        return []
    scores = group.attrs.get("scores")
    cands = sorted(((float(scores[i][0]) if scores is not None else 1.0, s.start_char, s.end_char)
                    for i, s in enumerate(group)), reverse=True)
    taken: list[tuple[int, int, float]] = []
    for p, s, e in cands:
        if all(e <= a or b <= s for a, b, _ in taken):
            taken.append((s, e, p))
    return sorted(taken)


def _tokens(doc) -> tuple[list[int], list[str]]:
    """Start offsets and texts of a Doc's tokens, read as arrays (no `Token` objects)."""
    from spacy.attrs import IDX, ORTH

    arr = doc.to_array([IDX, ORTH]).tolist()
    strings = doc.vocab.strings
    return [a[0] for a in arr], [strings[a[1]] for a in arr]


@lru_cache(maxsize=4)
def _trigger(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def predict(view: str, doc, config, covered: bytearray | None = None) -> list[tuple[int, int, float]]:
    """Body spans of a whole text from the model, as (start, end, probability).

    Only sentences where a `config.trigger` match stands outside the `covered` characters (the
    rules' mentions) are read; the tokens are the pipeline's own (`doc`), so the model sees the
    same words the rules' context does.
    """
    from spacy.tokens import Doc

    nlp = load(str(ROOT / config.path))
    if nlp is None:
        return []
    nlp.get_pipe("spancat").cfg["threshold"] = config.threshold
    trigger = _trigger(config.trigger)
    if doc is None:
        from ..segment import make_doc

        doc = make_doc(view)
    starts, words = _tokens(doc)
    sents, batch = [], []
    for m in SENTENCE.finditer(view):
        if any(covered is None or not covered[t.start()]
               for t in trigger.finditer(view, m.start(), m.end())):
            i = max(0, bisect.bisect_right(starts, m.start()) - 1)
            j = bisect.bisect_left(starts, m.end())
            sents.append(starts[i])
            batch.append(Doc(nlp.vocab, words=words[i:j], spaces=[False] * (j - i)))
    out = []
    for off, d in zip(sents, nlp.pipe(batch, batch_size=128)):
        out.extend((off + s, off + e, p) for s, e, p in _best(d))
    return out
