"""How `compare` and `report` scale: build time, peak memory and page sizes for a large corpus.

    .venv/bin/python benchmarks/bench_report.py [--docs 2200] [--source OUT] [--work DIR]

A large output folder is made by replicating a real one: by default the outputs of
`../shared/corpora` (extracted first; the bundled `corpora/` when ../shared is absent), each
document copied under a new name with its records and its text, the copies' regions rotated over the
province-level regions so that the tables have every row. Then `xunshi compare` and
`xunshi report` run on it as separate processes, and the script prints their wall time and
peak RSS, and the size of the report's index page, of its largest page and of all its pages.
Nothing is asserted: speed and size are measured here, never in a timed test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
PROVINCES = ("北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
             "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
             "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
             "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区")


def xunshi(*args: str) -> tuple[float, float]:
    """Run `xunshi ARGS`; wall seconds and peak RSS in MB of the process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"xunshi {' '.join(args)} failed")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


def source_outputs(work: Path) -> Path:
    """The outputs to replicate: the shared corpora's, or the bundled corpus's."""
    corpus = SHARED if SHARED.is_dir() else ROOT / "corpora"
    out = work / "source"
    print(f"extracting {corpus} …", file=sys.stderr)
    xunshi("extract", str(corpus), "-o", str(out), "-q")
    return out


RECORDS = ("mentions", "items", "texts")
"""The files of one record per mention, item or document text, copied with their document."""


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def replicate(source: Path, n_docs: int, big: Path) -> Path:
    """An output folder `big/out` with `n_docs` documents copied from `source`."""
    docs = _lines(source / "documents.jsonl")
    by_doc = {name: {} for name in RECORDS}
    for name in by_doc:
        for r in _lines(source / f"{name}.jsonl"):
            by_doc[name].setdefault(r["doc_id"], []).append(r)
    big.mkdir(parents=True)
    files = {n: open(big / f"{n}.jsonl", "w", encoding="utf-8") for n in ("documents", *RECORDS)}
    try:
        for k in range(n_docs):
            _copy(k, docs[k % len(docs)], by_doc, files)
    finally:
        for fh in files.values():
            fh.close()
    out = big / "out"
    out.mkdir()
    for name in ("documents", *RECORDS):
        (big / f"{name}.jsonl").rename(out / f"{name}.jsonl")
    (out / "errors.jsonl").write_text("", encoding="utf-8")
    return out


def _copy(k: int, doc: dict, by_doc: dict, files: dict) -> None:
    """Document `k`: a copy of `doc` and its records under a new name, its regions rotated."""
    name = f"src/{k:05d}_{Path(doc['path']).name}"
    shift = {r["region"]: PROVINCES[(PROVINCES.index(r["region"]) + k) % len(PROVINCES)]
             if r["region"] in PROVINCES else r["region"] for r in doc["regions"]}

    def moved(rec: dict) -> dict:
        if "region" not in rec:
            return {**rec, "doc_id": name}
        return {**rec, "doc_id": name, "region": shift.get(rec["region"], rec["region"])}

    new = {**doc, "doc_id": name, "path": name,
           "regions": [{**r, "region": shift[r["region"]]} for r in doc["regions"]]}
    files["documents"].write(json.dumps(new, ensure_ascii=False) + "\n")
    for kind in RECORDS:
        for rec in by_doc[kind].get(doc["doc_id"], []):
            files[kind].write(json.dumps(moved(rec), ensure_ascii=False) + "\n")


def sizes(html: Path) -> dict:
    """Bytes of the index page, of the largest page and of all pages of a report."""
    pages = [html, *sorted((html.parent / f"{html.stem}_files").glob("*.html"))]
    pages = [p for p in pages if p.is_file()]
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {"pages": len(pages), "index_mb": round(html.stat().st_size / 2**20, 2),
            "largest_mb": round(largest.stat().st_size / 2**20, 2), "largest": largest.name,
            "total_mb": round(sum(p.stat().st_size for p in pages) / 2**20, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2200)
    ap.add_argument("--source", type=Path, help="an output folder to replicate (default: extract)")
    ap.add_argument("--work", type=Path, help="where to build (default: a temporary folder)")
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="xunshi-bench-report-"))
    source = a.source or source_outputs(work)
    out = replicate(source, a.docs, work / "big")
    chars = sum(d["chars"] for d in _lines(out / "documents.jsonl"))
    print(f"{a.docs} documents, {chars:,} characters in {out}")
    t, rss = xunshi("compare", str(out), "-o", str(out / "tables"))
    print(f"compare: {t:.1f} s, peak RSS {rss:.0f} MB")
    html = out / "report.html"
    t, rss = xunshi("report", str(out), "-o", str(html))
    print(f"report:  {t:.1f} s, peak RSS {rss:.0f} MB, {json.dumps(sizes(html))}")
    if a.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
