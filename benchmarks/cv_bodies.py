"""Cross-validation of the body model on the real gold, by document: rules alone vs merged.

    .venv/bin/python benchmarks/cv_bodies.py [--folds 5] [--seed 0] [--work DIR] [--epochs 20]

`../shared/gold-real` annotates 30 real reports (`corpora/real2`). The documents are dealt into
`--folds` folds by their order (document k goes to fold k mod folds); for each fold a model is
trained (`pipeline.model.train.train`) on everything the committed model is trained on except
that fold's gold, and the fold's documents are read as a run reads them (manifest, home,
regions) by the body extractor with the rules alone and with that model merged, then given their
roles by the roles stage. No model is ever measured on a document whose gold it was trained on. Prints each fold's figures (relaxed
and strict F1, name and role accuracy over matched pairs, as the reference scorer counts them)
and their mean ± standard deviation over the folds, and writes them to `DIR/cv.json`.
Training takes minutes per fold.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ablation_bodies import prf, tally_bodies  # noqa: E402  (the ablation's scorer, one way to count)
from pipeline import evaluate  # noqa: E402
from pipeline.extractors.bodies import Bodies  # noqa: E402
from pipeline.extractors.roles import Roles  # noqa: E402
from pipeline.model import data  # noqa: E402
from pipeline.model.train import train  # noqa: E402
from pipeline.reading.files import read_file  # noqa: E402
from pipeline.reading.manifest import load_manifest  # noqa: E402
from pipeline.run.process import context, stages  # noqa: E402

FIGURES = ("relaxed_f1", "strict_f1", "name_acc", "role_acc")


def folds(docs: list[str], k: int) -> list[list[str]]:
    return [docs[i::k] for i in range(k)]


def score(extractor: Bodies, docs: list[str]) -> dict:
    """The bodies of `docs` against their real gold, as the reference scorer counts them."""
    loose, strict = evaluate.Tally(), evaluate.Tally()
    files = {p.name: p for p in data.CORPORA.rglob("*.txt")}
    run, roles = stages(use_model=False), Roles()
    for gf in sorted(data.GOLD_REAL.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        if gold["doc"] not in docs:
            continue
        path = files[gold["doc"]]
        src = read_file(path, meta=load_manifest(path.parent).rows.get(path.name))
        ctx = context(src, None, None, path.name, run)
        pred = [b.model_dump() for b in roles.refine(ctx, extractor.extract(ctx))]
        tally_bodies(loose, strict, gold, src.text, pred)
    ok = lambda key: loose.acc[key][0] / loose.acc[key][1]  # noqa: E731
    return {"relaxed_f1": f1(loose), "strict_f1": f1(strict), "name_acc": ok("name"),
            "role_acc": ok("role"), "tp_fp_fn": [loose.tp, loose.fp, loose.fn]}


def f1(t) -> float:
    return prf(t, digits=None)[2]


def summary(rows: list[dict]) -> dict:
    """Mean and (sample) standard deviation of each figure over the folds."""
    return {k: (statistics.mean(r[k] for r in rows), statistics.stdev(r[k] for r in rows))
            for k in FIGURES}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--work", type=Path, default=Path("/tmp/xunshi-cv"))
    a = ap.parse_args()
    docs = data.real_gold_docs()
    rules = Bodies(mode="rules")
    results = []
    for i, held in enumerate(folds(docs, a.folds)):
        model = a.work / f"fold{i}"
        train(model, seed=a.seed, epochs=a.epochs, real_exclude=frozenset(held), log=lambda *_: None)
        row = {"fold": i, "documents": held, "rules": score(rules, held),
               "merged": score(Bodies(mode="merged", model_path=str(model)), held)}
        results.append(row)
        print(f"fold {i}: " + "  ".join(
            f"{mode} " + " ".join(f"{k}={row[mode][k]:.3f}" for k in FIGURES)
            for mode in ("rules", "merged")), flush=True)
    out = {mode: summary([r[mode] for r in results]) for mode in ("rules", "merged")}
    print("\n| mode | " + " | ".join(FIGURES) + " |\n|" + "---|" * (len(FIGURES) + 1))
    for mode, figs in out.items():
        print(f"| {mode} | " + " | ".join(f"{m:.3f} ± {s:.3f}" for m, s in figs.values()) + " |")
    a.work.mkdir(parents=True, exist_ok=True)
    (a.work / "cv.json").write_text(json.dumps({"folds": results, "summary": out}, indent=2,
                                               ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
