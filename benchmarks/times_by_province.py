#!/usr/bin/env python3
"""Times of each kind per province, from an extraction output folder, with a sanity check.

    python benchmarks/times_by_province.py OUT_DIR [--min-year 1949] [--max-year 2050]

OUT_DIR is what `xunshi extract` wrote (documents.jsonl, mentions.jsonl). A document's province
is its `region` from the manifest when the header has one, else its file name (the 2026 provincial
reports are named `上海市.txt` …). Every resolved `start_date`/`end_date` must lie within the
year bounds and `start_date <= end_date`; violations are listed and make the exit status 1.
Standard library only, so it runs beside any checkout.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

KINDS = ("date", "period", "deadline", "frequency", "duration")


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def province_of(doc: dict) -> str:
    return doc.get("region") or Path(doc["path"]).stem


def violations(t: dict, lo: int, hi: int) -> list[str]:
    """What is wrong with a time's dates, if anything."""
    s, e = t.get("start_date"), t.get("end_date")
    bad = [f"{d} outside {lo}–{hi}" for d in (s, e) if d and not lo <= int(d[:4]) <= hi]
    if s and e and s > e:
        bad.append(f"start {s} after end {e}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--min-year", type=int, default=1949)
    ap.add_argument("--max-year", type=int, default=2050)
    a = ap.parse_args()
    docs = {d["doc_id"]: d for d in read_jsonl(a.out / "documents.jsonl")}
    counts: dict[str, Counter] = defaultdict(Counter)
    bad = []
    for m in read_jsonl(a.out / "mentions.jsonl"):
        if m.get("kind") != "time" or m.get("doc_id") not in docs:
            continue
        prov = province_of(docs[m["doc_id"]])
        counts[prov][m["time_kind"]] += 1
        counts[prov]["dated"] += bool(m.get("start_date") or m.get("end_date"))
        bad += [f"{prov}: {m['text']!r} {v}" for v in violations(m, a.min_year, a.max_year)]
    cols = (*KINDS, "total", "dated")
    print(f"{'province':<12}" + "".join(f"{c:>10}" for c in cols))
    total = Counter()
    for prov in sorted(counts):
        c = counts[prov]
        c["total"] = sum(c[k] for k in KINDS)
        total.update(c)
        print(f"{prov:<12}" + "".join(f"{c[k]:>10}" for k in cols))
    print(f"{'all':<12}" + "".join(f"{total[k]:>10}" for k in cols))
    print(f"\n{len(bad)} times with dates outside {a.min_year}–{a.max_year} or reversed")
    for line in bad[:50]:
        print("  " + line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
