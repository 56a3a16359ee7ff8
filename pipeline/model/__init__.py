"""The statistical body component: a small spaCy span categoriser the project trains itself.

`train(out_dir, seed)` builds it from the project's own text (see `data`) in one deterministic CPU
run and saves it; `predict(view, config)` proposes body spans with their probabilities, which
`pipeline.bodies` merges with the rules. The model only reads sentences that hold an organ
character outside the rules' mentions (`config.trigger`), so most of a report costs it nothing.

Its tokens are characters, not jieba's words: jieba glues a preposition or verb to the next
character (`向省`, `对于`), so a body's edge often falls inside a word, and a model over words
can then neither learn nor propose the exact span.
"""
from __future__ import annotations

import bisect
import json
import re
import time
import warnings
from functools import lru_cache
from pathlib import Path

from pipeline.model.data import Example
from pipeline.paths import data_dir, data_path

MODEL_DIR = data_dir("models") / "bodies"
SENTENCE = re.compile(r"[^。!?;\n]+")


def char_doc(nlp, text: str):
    """A Doc with one token per character."""
    from spacy.tokens import Doc

    return Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))


def _docs(nlp, examples: list[Example]):
    return [char_doc(nlp, ex.text) for ex in examples]


def _examples(nlp, examples: list[Example]):
    from spacy.training import Example as SpacyExample

    from pipeline.model.net import LABEL, SPANS_KEY

    out = []
    for doc, ex in zip(_docs(nlp, examples), examples):
        spans = [doc.char_span(s, e, label=LABEL) for s, e in ex.spans]
        ref = doc.copy()
        ref.spans[SPANS_KEY] = [ref.char_span(s.start_char, s.end_char, label=LABEL)
                                for s in spans if s is not None]
        out.append(SpacyExample(doc, ref))
    return out


def build(seed: int = 0, **cfg):
    """A blank Chinese pipeline with an untrained span categoriser."""
    import spacy
    from spacy.util import fix_random_seed

    from pipeline.model import net

    fix_random_seed(seed)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    nlp.add_pipe("spancat", config=net.config(**cfg)["spancat"])
    return nlp


def train(out_dir: Path | None = None, seed: int = 0, epochs: int = 20, limit: int | None = None,
          width: int = 64, depth: int = 3, upweight: int = 4, log=print) -> dict:
    """Train the body model on composed + corrected silver text and save it to `out_dir`
    (None: `models/bodies`, the committed artefact).

    Held out from the training text: a seeded 15% of the composed `train` sentences and 10% of
    the silver form the dev split, on which the epoch is chosen (the weights after the epoch
    with the best mean of the two exact-span F1s are kept); the composed `test` split is only
    measured. Deterministic for a given seed on one machine: fixed file order, seeded shuffles
    and `spacy.util.fix_random_seed`. Returns the metrics (also written to
    `out_dir/metrics.json`).

    Args:
        epochs: the most epochs to run.
        limit: train on at most this many sentences (the determinism test uses a handful).
    """
    import random

    from pipeline.model import data

    t0 = time.time()
    composed = data.composed()
    composed_train, composed_dev = data.split([e for e in composed if e.split == "train"], 0.15, seed)
    silver_train, silver_dev = data.split(data.silver(seed=seed), 0.1, seed)
    # the composed sentences are the inspection genre the model serves: they count `upweight` times
    train_set = silver_train + composed_train * upweight
    random.Random(seed).shuffle(train_set)
    train_set = train_set[:limit] if limit else train_set
    nlp = build(seed, width=width, depth=depth)
    best, curve = _fit(nlp, train_set, {"composed_dev": composed_dev, "silver_dev": silver_dev},
                       seed, epochs, log)
    nlp.from_bytes(best["weights"])
    metrics = {
        "seed": seed, "epochs_run": epochs, "epoch_chosen": best["epoch"], "width": width, "depth": depth,
        "upweight": upweight, "train_sentences": len(train_set), "dev_curve": curve,
        "composed_dev": evaluate(nlp, composed_dev), "silver_dev": evaluate(nlp, silver_dev),
        "composed_test": evaluate(nlp, [e for e in composed if e.split == "test"]),
        "seconds": round(time.time() - t0, 1),
    }
    save(nlp, Path(out_dir or MODEL_DIR), metrics)
    return metrics


def _fit(nlp, train_set: list[Example], dev: dict[str, list[Example]], seed: int, epochs: int,
         log) -> tuple[dict, list]:
    """Run the epochs; return the best epoch (by the mean dev F1) with its weights, and the
    curve of dev F1s."""
    import random

    from spacy.util import fix_random_seed, minibatch

    examples = _examples(nlp, train_set)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    best: dict = {"score": -1.0}
    curve = []
    for epoch in range(1, epochs + 1):
        fix_random_seed(seed + epoch)
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, drop=0.1, sgd=optimizer, losses=losses)
        f1 = {k: evaluate(nlp, v)["f1"] for k, v in dev.items() if v}
        score = sum(f1.values()) / max(1, len(f1))
        curve.append({"epoch": epoch, "loss": round(losses.get("spancat", 0.0), 3), **f1})
        log(f"epoch {epoch}/{epochs} loss {losses.get('spancat', 0.0):.3f} dev {f1}")
        if score > best["score"]:
            best = {"score": score, "epoch": epoch, "weights": nlp.to_bytes()}
    return best, curve


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
    cands = sorted(((float(scores[i][0]) if scores is not None else 1.0, s.start_char, s.end_char)
                    for i, s in enumerate(group)), reverse=True)
    taken: list[tuple[int, int, float]] = []
    for p, s, e in cands:
        if all(e <= a or b <= s for a, b, _ in taken):
            taken.append((s, e, p))
    return sorted(taken)


BEFORE, AFTER = 20, 12


def _windows(view: str, trigger: re.Pattern, covered: bytearray | None, edges: list[int]):
    """Merged (start, end) windows around uncovered triggers and doubtful edges, each inside
    its sentence: a body's name ends at its head and is rarely longer than 16 characters."""
    for m in SENTENCE.finditer(view):
        k = bisect.bisect_left(edges, m.start())
        points = [t.start() for t in trigger.finditer(view, m.start(), m.end())
                  if covered is None or not covered[t.start()]]
        while k < len(edges) and edges[k] < m.end():
            points.append(edges[k])
            k += 1
        lo = hi = None
        for p in sorted(points):
            if hi is None or p - BEFORE > hi:
                if hi is not None:
                    yield lo, hi
                lo = max(m.start(), p - BEFORE)
            hi = min(m.end(), p + AFTER)
        if hi is not None:
            yield lo, hi


@lru_cache(maxsize=4)
def _trigger(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def predict(view: str, config, covered: bytearray | None = None,
            edges: list[int] = ()) -> list[tuple[int, int, float]]:
    """Body spans of a whole text from the model, as (start, end, probability).

    Only windows around a `config.trigger` match that stands outside the `covered` characters
    (the rules' mentions), or around one of the `edges` (offsets where a rule mention's extent
    is in doubt), are read: from `BEFORE` characters before to `AFTER` after, inside the
    sentence. The model reads characters, not the segmenter's words.
    """
    nlp = load(str(data_path(config.path)))
    if nlp is None:
        return []
    nlp.get_pipe("spancat").cfg["threshold"] = config.threshold
    offsets, batch = [], []
    for s, e in _windows(view, _trigger(config.trigger), covered, sorted(edges)):
        offsets.append(s)
        batch.append(char_doc(nlp, view[s:e]))
    out = []
    for off, d in zip(offsets, nlp.pipe(batch, batch_size=128)):
        out.extend((off + s, off + e, p) for s, e, p in _best(d))
    return out
