#!/usr/bin/env python3
"""Quality gate: extract the development gold's documents (../shared/gold), the real-report gold's
(../shared/gold-real), the bundled corpus and the second composed set (benchmarks/dev2), score
them, and fail when any figure falls below its floor in `.ci/floors.json`. (The blind set is never
gated: it is measured, not tuned to.) Measures (spec §5a) are gated where a set labels them.

Floors are today's figures less half a point, rounded down to the hundredth, and are only ever
raised. Run from the repository root:
    python .ci/quality_gate.py [--raise-floors]   # --raise-floors lifts each floor to today's
                                                  # figure less half a point (never lowers one)
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FLOORS = ROOT / ".ci" / "floors.json"
FIGURES = {("quantities", "f1"), ("quantities", "counted_acc"), ("quantities", "approx_acc"),
           ("times", "f1"), ("times", "dates_acc"), ("bodies", "f1"), ("bodies_strict", "f1"),
           ("bodies", "name_acc"), ("bodies", "role_acc"), ("region_acc", None),
           ("item_action_acc", None), ("measures", "f1"), ("measures", "scope_acc"),
           ("measures", "status_acc")}


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def evaluate(gold: Path, docs: Path, out: Path) -> dict:
    run(sys.executable, "-m", "pipeline", "extract", str(docs), "-o", str(out), "-q")
    return json.loads(run(sys.executable, "-m", "pipeline", "eval", "--gold", str(gold),
                          "--docs", str(docs), "--pred", str(out), "--json"))


def figures(result: dict) -> dict:
    out = {}
    for key, sub in sorted(FIGURES, key=str):
        if key == "measures" and not _labels_measures(result):
            continue
        v = result.get(key)
        v = v.get(sub) if sub and isinstance(v, dict) else v
        out[f"{key}.{sub}" if sub else key] = v or 0.0
    return out


def _labels_measures(result: dict) -> bool:
    m = result.get("measures") or {}
    return bool(m.get("tp") or m.get("fp") or m.get("fn"))


def measure(tmp: Path) -> dict:
    sets = {"corpora": (ROOT / "corpora" / "gold", ROOT / "corpora"),
            "dev2": (ROOT / "benchmarks" / "dev2" / "gold", ROOT / "benchmarks" / "dev2")}
    for name, folder in (("dev", "gold"), ("real", "gold-real")):
        if (SHARED / folder).is_dir():
            docs = tmp / f"{name}-docs"
            run(sys.executable, str(SHARED / "tools" / "gold_docs.py"), str(SHARED / folder),
                str(SHARED / "corpora"), str(docs))
            sets[name] = (SHARED / folder, docs)
    return {name: figures(evaluate(gold, docs, tmp / f"out-{name}")) for name, (gold, docs) in sets.items()}


def raised(floors: dict, today: dict) -> dict:
    """Each floor at today's figure less half a point, rounded down to the hundredth, unless the
    floor already stands higher: floors only rise."""
    out = {name: dict(figs) for name, figs in floors.items()}
    for name, figs in today.items():
        for k, v in figs.items():
            new = math.floor(round((v - 0.005) * 100, 6)) / 100
            mine = out.setdefault(name, {})
            mine[k] = max(mine.get(k, 0.0), new)
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        today = measure(Path(tmp))
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    if "--raise-floors" in sys.argv:
        floors = raised(floors, today)
        FLOORS.write_text(json.dumps(floors, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                          encoding="utf-8")
    failed = []
    for name, figs in today.items():
        for k, v in figs.items():
            floor = floors.get(name, {}).get(k, 0.0)
            mark = "FAIL" if v + 1e-9 < floor else "ok"
            print(f"{mark:4s} {name:8s} {k:28s} {v:.3f}  (floor {floor:.3f})")
            if mark == "FAIL":
                failed.append(f"{name} {k}")
    if failed:
        print("quality gate failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
