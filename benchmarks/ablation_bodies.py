"""Ablation of the body extractor: rules alone, model alone, merged.

    .venv/bin/python benchmarks/ablation_bodies.py [--gold ../shared/gold] [--corpora ../shared/corpora]
        [--model DIR]

Three test sets, none of them training text: the development gold (regions come from the
pipeline's own `sections`, as in a real run), the project's own composed reports `corpora/`
with `corpora/gold` (written for the project, never read by the rules' authors while writing
rules, never trained on), and the `test` split of the composed annotated sentences
(`training/bodies/composed.jsonl`). Prints one table per set; the figures are the spec's:
relaxed (overlap) and strict (exact-span) F1, and `name`/`role` accuracy over matched pairs
(composed sentences carry spans only). Also prints each mode's speed in chars/s over the
government reports (reading and normalising are done beforehand and not counted).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import evaluate  # noqa: E402
from pipeline.context import regions  # noqa: E402
from pipeline.context.document import Context  # noqa: E402
from pipeline.context.view import normalize  # noqa: E402
from pipeline.extractors.bodies import Bodies  # noqa: E402
from pipeline.extractors.roles import Roles  # noqa: E402
from pipeline.model import data  # noqa: E402
from pipeline.reading.files import read_file  # noqa: E402

MODES = ("rules", "model", "merged")
EXTRACTORS: dict[str, Bodies] = {}  # by mode, built in main with the chosen model
ROLES = Roles()  # roles are read from the clause after the bodies are found


def dev_gold(gold_dir: Path, corpora: Path, mode: str) -> dict:
    """Bodies scored on a gold folder as the reference scorer does."""
    loose, strict = evaluate.Tally(), evaluate.Tally()
    files = {p.name: p for p in corpora.rglob("*.txt")}
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        src = read_file(files[gold["doc"]])
        nt = normalize(src.text)
        ctx = Context.of(nt, regions=tuple(regions.stage().regions(nt, None)))
        pred = [b.model_dump() for b in ROLES.refine(ctx, EXTRACTORS[mode].extract(ctx))]
        tally_bodies(loose, strict, gold, src.text, pred)
    p, r, _ = prf(loose)
    return {"precision": p, "recall": r, "relaxed_f1": _f1(loose), "strict_f1": _f1(strict),
            "name_acc": _acc(loose, "name"), "role_acc": _acc(loose, "role"),
            "tp_fp_fn": f"{loose.tp}/{loose.fp}/{loose.fn}"}


def composed_test(mode: str) -> dict:
    loose, strict = evaluate.Tally(), evaluate.Tally()
    for ex in (e for e in data.composed() if e.split == "test"):
        pred = [{"start": b.start, "end": b.end} for b in EXTRACTORS[mode].extract(Context.of(ex.text))]
        gold = [{"start": s, "end": e} for s, e in ex.spans]
        count(loose, gold, pred, evaluate.match(gold, pred, lambda a, b: True))
        count(strict, gold, pred, evaluate.match(
            gold, pred, lambda a, b: evaluate.span(a) == evaluate.span(b)))
    p, r, _ = prf(loose)
    return {"precision": p, "recall": r, "relaxed_f1": _f1(loose), "strict_f1": _f1(strict)}


def tally_bodies(loose, strict, gold: dict, text: str, pred: list[dict]) -> None:
    """One document's bodies added to the relaxed tally (with name and role hits over its
    pairs) and the strict one, as the reference scorer counts them (optional gold left out)."""
    g = [dict(b) for b in gold.get("bodies", [])]
    evaluate.locate(text, g, gold["doc"])
    g, p = evaluate.drop_optional(g, pred)
    pairs = evaluate.match(g, p, lambda a, b: True)
    count(loose, g, p, pairs)
    for a, b in pairs:
        loose.hit("name", evaluate.simp(a["name"]) == evaluate.simp(b["name"]))
        loose.hit("role", a["role"] == b["role"])
    count(strict, g, p, evaluate.match(g, p, lambda a, b: evaluate.span(a) == evaluate.span(b)))


def speed(mode: str, docs) -> float:
    n = sum(len(ctx.view) for ctx in docs)
    t0 = time.perf_counter()
    for ctx in docs:
        EXTRACTORS[mode].extract(ctx)
    return round(n / (time.perf_counter() - t0))


def count(t, gold, pred, pairs) -> None:
    t.tp += len(pairs)
    t.fp += len(pred) - len(pairs)
    t.fn += len(gold) - len(pairs)


def prf(t, digits: int | None = 3):
    """Precision, recall and F1 of a tally, rounded to `digits` (None: unrounded)."""
    p = t.tp / (t.tp + t.fp) if t.tp + t.fp else 0.0
    r = t.tp / (t.tp + t.fn) if t.tp + t.fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return (p, r, f) if digits is None else (round(p, digits), round(r, digits), round(f, digits))


def _f1(t) -> float:
    return prf(t)[2]


def _acc(t, key) -> float | None:
    ok, n = t.acc.get(key, (0, 0))
    return round(ok / n, 3) if n else None


GOLD_COLUMNS = ("precision", "recall", "relaxed_f1", "strict_f1", "name_acc", "role_acc", "tp_fp_fn")


def table(title: str, rows: dict[str, dict], columns) -> None:
    print(f"\n{title}\n")
    print("| mode | " + " | ".join(columns) + " |")
    print("|" + "---|" * (len(columns) + 1))
    for mode, row in rows.items():
        print(f"| {mode} | " + " | ".join(str(row[c]) for c in columns) + " |")


def speed_texts(corpora: Path, n: int) -> tuple[str, list]:
    """The texts to time: the shared government reports, else the bundled corpus."""
    gov = sorted((corpora / "gov-reports-2026").glob("*.txt"))[:n]
    if gov:
        return "government reports", [Context.of(read_file(p).text) for p in gov]
    return "the bundled corpus", [Context.of(read_file(p).text)
                                  for p in sorted((ROOT / "corpora").glob("*.txt"))]


def missing_shared(gold: Path, corpora: Path) -> str | None:
    """Why the development-gold table is skipped, or None when its folders are there."""
    absent = [str(p) for p in (gold, corpora) if not p.is_dir()]
    if not absent:
        return None
    return (f"{' and '.join(absent)} not found (../shared is only beside CI and developer "
            "checkouts): the development-gold table is skipped and the speed is measured over "
            "the bundled corpus")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold")
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--model", type=str, default=None, help="a trained model other than models/bodies")
    ap.add_argument("--speed-docs", type=int, default=8)
    a = ap.parse_args()
    EXTRACTORS.update({m: Bodies(mode=m, model_path=a.model) for m in MODES})
    why = missing_shared(a.gold, a.corpora)
    if why:
        print(f"ablation_bodies: {why}", file=sys.stderr)
    what, docs = speed_texts(a.corpora, a.speed_docs)
    EXTRACTORS["merged"].extract(docs[0])  # load the model before timing
    if not why:
        table("Development gold (../shared/gold)",
              {m: dev_gold(a.gold, a.corpora, m) for m in MODES}, GOLD_COLUMNS)
    table("Composed reports (corpora/gold)",
          {m: dev_gold(ROOT / "corpora" / "gold", ROOT / "corpora", m) for m in MODES}, GOLD_COLUMNS)
    table("Composed sentences, test split (training/bodies/composed.jsonl)",
          {m: composed_test(m) for m in MODES}, ("precision", "recall", "relaxed_f1", "strict_f1"))
    table(f"Speed over {what}", {m: {"chars/s": speed(m, docs)} for m in MODES}, ("chars/s",))


if __name__ == "__main__":
    main()
