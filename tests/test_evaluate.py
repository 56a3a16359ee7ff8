"""`xunshi eval` must print the same figures as the reference scorer."""
from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import score
from tests.conftest import shared_path


def _perturbed_predictions(gold_dir: Path, docs_dir: Path, out: Path, seed: int) -> None:
    """Predictions made from the gold with random misses, shifts and wrong attributes."""
    import sys as _s

    _s.path.insert(0, str(shared_path("tools")))
    import score as ref

    rnd = random.Random(seed)
    docs, ments, items = [], [], []
    for gf in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        text = ref.read_text(docs_dir / gold["doc"])
        doc_id = f"d{len(docs)}"
        docs.append({"doc_id": doc_id, "path": f"x/{gold['doc']}"})
        for kind, key in (("quantity", "quantities"), ("time", "times"), ("body", "bodies")):
            g = gold.get(key, [])
            ref.locate(text, g, gold["doc"])
            for k, m in enumerate(g):
                if rnd.random() < 0.15:
                    continue
                s, e = m["_s"], m["_e"] + (1 if rnd.random() < 0.1 else 0)
                item_id = f"i{len(items)}"
                items.append({"doc_id": doc_id, "item_id": item_id,
                              "action": m.get("action") if rnd.random() < 0.7 else "做"})
                p = {"doc_id": doc_id, "mention_id": f"m{k}", "kind": kind, "start": s, "end": e,
                     "item_id": item_id, "region": m.get("region") if rnd.random() < 0.9 else None}
                if kind == "quantity":
                    p.update(value=m["value"] + (1 if rnd.random() < 0.1 else 0), value_max=m.get("value_max"),
                             unit=m.get("unit"), counted=m.get("counted") if rnd.random() < 0.8 else "",
                             approx=m.get("approx"), ordinal=m.get("ordinal", False))
                elif kind == "time":
                    p.update(time_kind=m["kind"], start_date=m.get("start"),
                             end_date=m.get("end") if rnd.random() < 0.8 else None)
                else:
                    p.update(name=m.get("name"), role=m.get("role") if rnd.random() < 0.8 else "participant")
                ments.append(p)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("documents", docs), ("mentions", ments), ("items", items)):
        (out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                           encoding="utf-8")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_reference_scorer(tmp_path, seed, reference_scorer):
    gold = shared_path("gold")
    docs = tmp_path / "docs"
    subprocess.run([sys.executable, str(shared_path("tools", "gold_docs.py")), str(gold),
                    str(shared_path("corpora")), str(docs)], check=True, capture_output=True)
    _perturbed_predictions(gold, docs, tmp_path / "pred", seed)
    ours = score(gold, docs, tmp_path / "pred")
    theirs = reference_scorer.score(str(gold), str(docs), str(tmp_path / "pred"))
    assert ours == theirs
    assert 0 < ours["quantities"]["f1"] < 1
