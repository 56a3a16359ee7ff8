"""Training the body model: a small spaCy span categoriser built from the project's own text.

`train(out_dir, seed)` builds it from composed sentences, the real gold and corrected silver
(`data`) in one deterministic CPU run and saves it; `xunshi train bodies` calls it. Inference is
`pipeline.model.predict`, which never imports this module.
"""
from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

from pipeline.model.data import Example
from pipeline.model.predict import MODEL_DIR, char_doc, spans_of


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
    """A blank Chinese pipeline with an untrained span categoriser whose suggester ends spans at
    the organ heads of `rules/bodies.yaml` (`model.heads`)."""
    import spacy
    from spacy.util import fix_random_seed

    from pipeline.extractors.bodies import RULES, BodyRules
    from pipeline.model import net
    from pipeline.rules import load_model

    fix_random_seed(seed)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    heads = load_model(RULES, BodyRules).model.heads
    nlp.add_pipe("spancat", config=net.config(heads, **cfg)["spancat"])
    return nlp


def train(out_dir: Path | None = None, seed: int = 0, epochs: int = 20, limit: int | None = None,
          width: int = 64, depth: int = 3, upweight: int = 4,
          real_exclude: frozenset[str] = frozenset(), log=print) -> dict:
    """Train the body model on composed, real-gold and corrected silver text and save it to
    `out_dir` (None: `models/bodies`, the committed artefact).

    Held out from the training text: a seeded 15% of the composed `train` sentences and 10% of
    the real gold's and of the silver's form the dev split, on which the epoch is chosen (the
    weights after the epoch with the best mean of the three exact-span F1s are kept); the
    composed `test` split is only measured. Deterministic for a given seed on one machine: fixed
    file order, seeded shuffles and `spacy.util.fix_random_seed`. Returns the metrics (also
    written to `out_dir/metrics.json`).

    Args:
        epochs: the most epochs to run.
        limit: train on at most this many sentences (the determinism test uses a handful).
        real_exclude: real documents whose gold stays out of training (a cross-validation
            fold, `benchmarks/cv_bodies.py`).
    """
    import random

    from pipeline.model import data

    t0 = time.time()
    composed = data.composed()
    composed_train, composed_dev = data.split([e for e in composed if e.split == "train"], 0.15, seed)
    real_train, real_dev = data.split(data.real_gold(real_exclude), 0.1, seed)
    silver_train, silver_dev = data.split(data.silver(seed=seed), 0.1, seed)
    # the composed and real sentences are the inspection genre the model serves: they count
    # `upweight` times
    train_set = silver_train + (composed_train + real_train) * upweight
    random.Random(seed).shuffle(train_set)
    train_set = train_set[:limit] if limit else train_set
    nlp = build(seed, width=width, depth=depth)
    dev = {"composed_dev": composed_dev, "real_dev": real_dev, "silver_dev": silver_dev}
    best, curve = _fit(nlp, train_set, dev, seed, epochs, log)
    nlp.from_bytes(best["weights"])
    metrics = {
        "seed": seed, "epochs_run": epochs, "epoch_chosen": best["epoch"], "width": width, "depth": depth,
        "upweight": upweight, "train_sentences": len(train_set), "dev_curve": curve,
        "real_documents_left_out": sorted(real_exclude),
        **{k: evaluate(nlp, v) for k, v in dev.items()},
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
