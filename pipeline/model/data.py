"""Training text for the body model, from four sources the project owns or may use.

1. `training/bodies/composed.jsonl`: sentences written for the project and annotated by hand.
   One JSON object a line: `{"id": "c001", "split": "train"|"test", "text": "…",
   "bodies": ["省委第三巡视组", "省交通运输厅党组"]}`; `bodies` lists the body mentions in text
   order, the k-th one found at or after the start of the one before (as in the gold format).
   The `test` split is never trained on: the ablation measures on it. `train()` holds out a
   seeded 15% of the `train` split as a dev split to choose the epoch on.
2. Silver: the rules' mentions over the government work reports under `../shared/corpora/`
   (never the development gold's documents, so the dev-gold figures stay honest; never the
   project's own composed reports `corpora/`, whose gold the ablation measures on).
3. `training/bodies/silver_corrections.jsonl`: hand corrections of the silver, one a line:
   `{"doc": "national-gov-reports/1978.txt" | "*", "text": "…", "action": "add"|"remove",
   "reason": "…"}`: every occurrence of `text` in that document becomes (or stops being) a body.
4. The real gold: `../shared/gold-real` annotates the real reports of `corpora/real2` (spec 1.1):
   their sentences with every gold body, read where they lie (nothing is copied into the
   project). Cross-validation leaves some documents out (`real_gold(exclude=…)`), and a model
   is never measured on a document it was trained on.
"""
from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.context.boundaries import boundaries
from pipeline.model import ROOT

TRAINING = ROOT / "training" / "bodies"
CORPORA = Path(os.environ.get("XUNSHI_CORPORA") or ROOT.parent / "shared" / "corpora")
GOLD = CORPORA.parent / "gold"
GOLD_REAL = CORPORA.parent / "gold-real"
SILVER_DIRS = ("gov-reports-2026", "national-gov-reports")


@lru_cache(maxsize=1)
def statement_re() -> re.Pattern:
    """A statement of the one boundary definition with the mark that ends it on its line."""
    ends = boundaries().chars["statement"]
    return re.compile(f"[^{re.escape(ends)}]+[{re.escape(ends.replace(chr(10), ''))}]?")


@dataclass
class Example:
    """A sentence of the simplified view with its body spans (character offsets)."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    source: str = "silver"
    split: str = "train"


def locate(text: str, mentions: list[str]) -> list[tuple[int, int]]:
    """Offsets of mentions listed in text order (the gold format's convention)."""
    out, pos = [], 0
    for m in mentions:
        i = text.find(m, pos)
        if i < 0:
            raise ValueError(f"{m!r} not found in {text!r}")
        out.append((i, i + len(m)))
        pos = i + 1
    return out


def composed(path: Path = TRAINING / "composed.jsonl") -> list[Example]:
    from pipeline.context.view import normalize

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            view = normalize(row["text"]).view
            out.append(Example(view, locate(row["text"], row["bodies"]), "composed", row["split"]))
    return out


def dev_gold_docs() -> set[str]:
    """Names of the development gold's documents, which training must never see."""
    names = {"seed_inspection_2019.txt"}
    for g in GOLD.glob("*.json") if GOLD.is_dir() else []:
        names.add(json.loads(g.read_text(encoding="utf-8"))["doc"])
    return names


def silver_files(corpora: Path = CORPORA) -> list[Path]:
    excluded = dev_gold_docs()
    files = [p for d in SILVER_DIRS for p in sorted((corpora / d).glob("*.txt"))]
    return [p for p in files if p.name not in excluded]


def corrections(path: Path = TRAINING / "silver_corrections.jsonl") -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def silver(corpora: Path = CORPORA, negatives: float = 0.5, seed: int = 0) -> list[Example]:
    """Sentences of the silver documents with the rules' spans, corrected by hand; sentences with
    an organ head but no body are kept at `negatives` times the number of positive ones."""
    from pipeline.context.document import Context
    from pipeline.extractors.bodies import Bodies
    from pipeline.reading.files import read_file

    rng = random.Random(seed)
    fixes = corrections()
    pos, neg = [], []
    rules = Bodies(use_model=False)
    for path in silver_files(corpora):
        rel = f"{path.parent.name}/{path.name}"
        ctx = Context.of(read_file(path).text)
        nt = ctx.text
        spans = [(b.start, b.end) for b in rules.extract(ctx)]
        spans = apply_corrections(nt.view, spans, [f for f in fixes if f["doc"] in (rel, "*")])
        for ex in sentences(nt.view, spans):
            (pos if ex.spans else neg).append(ex)
    trigger = re.compile(rules.r.spec.model.trigger)
    neg = [e for e in neg if trigger.search(e.text)]
    rng.shuffle(neg)
    return pos + neg[:int(len(pos) * negatives)]


def apply_corrections(view: str, spans: list[tuple[int, int]], fixes: list[dict]):
    """Remove the spans a correction names, add every occurrence of the ones it adds (one
    inside a longer span already there, `工会` in `市总工会`, stays part of that one)."""
    out = set(spans)
    for f in fixes:
        text = f["text"]
        hits = [(m.start(), m.end()) for m in re.finditer(re.escape(text), view)]
        if f["action"] == "remove":
            out -= set(hits)
            continue
        hits = [h for h in hits if not any(a <= h[0] and h[1] <= b and (a, b) != h for a, b in out)]
        out = {s for s in out if not any(s[0] < e and b < s[1] for b, e in hits)} | set(hits)
    return sorted(out)


def sentences(view: str, spans: list[tuple[int, int]]) -> list[Example]:
    """Cut a document into sentences, each with the spans wholly inside it."""
    out = []
    spans = sorted(spans)
    for m in statement_re().finditer(view):
        s, e = m.span()
        text = view[s:e].strip()
        if len(text) < 4:
            continue
        off = s + view[s:e].index(text)
        inside = [(a - off, b - off) for a, b in spans if off <= a and b <= off + len(text)]
        out.append(Example(text, inside))
    return out


def real_gold_docs(gold: Path = GOLD_REAL) -> list[str]:
    """The names of the real documents the real gold annotates, in file order."""
    return [json.loads(g.read_text(encoding="utf-8"))["doc"] for g in sorted(gold.glob("*.json"))]


def real_gold(exclude: frozenset[str] = frozenset(), gold: Path = GOLD_REAL,
              corpora: Path = CORPORA) -> list[Example]:
    """Sentences of the real documents with every body their gold annotates (optional ones too:
    they are bodies, only their role or name is left open), but for the documents `exclude`d."""
    from pipeline.context.view import normalize
    from pipeline.evaluate import locate
    from pipeline.reading.files import read_file

    files = {p.name: p for p in corpora.rglob("*.txt")}
    out = []
    for g in sorted(gold.glob("*.json")) if gold.is_dir() else []:
        row = json.loads(g.read_text(encoding="utf-8"))
        if row["doc"] in exclude or row["doc"] not in files:
            continue
        text = read_file(files[row["doc"]]).text
        bodies = [dict(b) for b in row.get("bodies", [])]
        locate(text, bodies, row["doc"])
        for ex in sentences(normalize(text).view, [(b["_s"], b["_e"]) for b in bodies]):
            out.append(Example(ex.text, ex.spans, "real"))
    return out


def split(examples: list[Example], dev_share: float, seed: int) -> tuple[list, list]:
    """A seeded train/dev split of the silver (documents mix; the dev part checks fitting only)."""
    rng = random.Random(seed)
    ex = list(examples)
    rng.shuffle(ex)
    n = int(len(ex) * dev_share)
    return ex[n:], ex[:n]
