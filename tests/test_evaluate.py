"""`xunshi eval` must print the same figures as the reference scorer."""
from __future__ import annotations

import json
import random
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
                             approx=m.get("approx"), ordinal=m.get("ordinal", False),
                             **_perturbed_measure(m, rnd))
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


MEASURES = ("problems.found", "rectification.done", "rules.issued")


def _perturbed_measure(m: dict, rnd: random.Random) -> dict:
    """The gold measure, sometimes dropped, replaced or given a wrong scope or status; a
    measure now and then on a quantity the gold leaves without one."""
    measure = m.get("measure")
    roll = rnd.random()
    if roll < 0.1:
        measure = None
    elif roll < 0.2:
        measure = rnd.choice(MEASURES)
    scope = m.get("scope") if rnd.random() < 0.85 else "part"
    status = m.get("status") if rnd.random() < 0.85 else "planned"
    return {"measure": measure, "scope": scope if measure else None, "status": status if measure else None}


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
    assert 0 < ours["measures"]["f1"] < 1 and ours["measures"]["scope_acc"] < 1


def test_eval_prints_what_the_reference_scorer_prints(tmp_path):
    gold = shared_path("gold")
    docs = tmp_path / "docs"
    subprocess.run([sys.executable, str(shared_path("tools", "gold_docs.py")), str(gold),
                    str(shared_path("corpora")), str(docs)], check=True, capture_output=True)
    _perturbed_predictions(gold, docs, tmp_path / "pred", 3)
    args = ["--gold", str(gold), "--docs", str(docs), "--pred", str(tmp_path / "pred")]
    ours = subprocess.run([sys.executable, "-m", "pipeline", "eval", *args],
                          capture_output=True, text=True, check=True).stdout
    theirs = subprocess.run([sys.executable, str(shared_path("tools", "score.py")), *args],
                            capture_output=True, text=True, check=True).stdout
    assert "measures" in theirs
    assert ours == theirs


def _tiny_case(tmp_path: Path) -> tuple[Path, Path, Path]:
    """One composed document, its gold, and predictions with one error of each sort."""
    text = "省委巡视组对甲市开展巡视,发现问题12个,要求2个月内整改。"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(text, encoding="utf-8")
    gold = {"doc": "a.txt", "reference_date": "2024-01-01", "regions": [],
            "quantities": [{"text": "12个", "value": 12, "unit": "个", "counted": "问题", "action": "发现"}],
            "times": [{"text": "2个月内", "kind": "deadline", "start": None, "end": None, "action": "整改"}],
            "bodies": [{"text": "省委巡视组", "name": "省委巡视组", "role": "responsible"},
                       {"text": "甲市", "name": "甲市", "role": "target"}]}
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "a.txt.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    at = text.index
    preds = [
        {"kind": "quantity", "start": at("12个"), "end": at("12个") + 3, "value": 12, "unit": "个",
         "counted": "问题", "item_id": "i1"},
        {"kind": "body", "start": 0, "end": 5, "name": "省委巡视组", "role": "target", "item_id": "i0"},
        {"kind": "body", "start": at("问题"), "end": at("问题") + 2, "name": "问题", "role": "target"},
    ]
    rows = {"documents": [{"doc_id": "a", "path": "docs/a.txt"}],
            "mentions": [{"doc_id": "a", "mention_id": f"m{k}", **p} for k, p in enumerate(preds)],
            "items": [{"doc_id": "a", "item_id": "i0", "action": "开展"},
                      {"doc_id": "a", "item_id": "i1", "action": "开展"}]}
    (tmp_path / "pred").mkdir()
    for name, lines in rows.items():
        (tmp_path / "pred" / f"{name}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    return tmp_path / "gold", tmp_path / "docs", tmp_path / "pred"


def test_errors_list_every_disagreement(tmp_path):
    errors: list = []
    out = score(*_tiny_case(tmp_path), errors)
    got = {(e["kind"], e["error"], e["gold"] or e["pred"]) for e in errors}
    assert got == {("time", "missed", "2个月内"), ("time", "action", "2个月内"),
                   ("quantity", "action", "12个"), ("body", "role", "省委巡视组"),
                   ("body", "missed", "甲市"), ("body", "spurious", "问题")}
    role = next(e for e in errors if e["error"] == "role")
    assert (role["expected"], role["got"]) == ("responsible", "target")
    assert out["bodies"]["fn"] == sum(e["kind"] == "body" and e["error"] == "missed" for e in errors)


def test_eval_command_writes_errors_as_json_lines(tmp_path):
    gold, docs, pred = _tiny_case(tmp_path)
    res = subprocess.run([sys.executable, "-m", "pipeline", "eval", "--gold", str(gold), "--docs", str(docs),
                          "--pred", str(pred), "--errors", str(tmp_path / "err.jsonl")],
                         capture_output=True, text=True, check=True)
    assert "item_action_acc=0.0" in res.stdout
    rows = [json.loads(line) for line in (tmp_path / "err.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6 and all(r["doc"] == "a.txt" for r in rows)
