"""Hostile inputs that once made a stage quadratic: seconds per 10,000 characters, by stage.

    .venv/bin/python benchmarks/pathological.py [--chars N] [--no-model]

Generates each input (issue 13, finding 5) at N characters (default 10,000, with a second size
of 4 N to show the growth), runs every stage of `process` on it alone, and prints CPU seconds per
10 k characters per input and stage (after one small round of every input, so that what a
worker has loaded before is not counted). The target is under 1 s per 10 k characters for every
input; a stage whose cost per 10 k grows with N is not linear.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NUMERALS = "一二三四五六七八九十"
ORGANS = ("省纪委监委", "市委组织部", "县委宣传部", "区委政法委", "市人民政府办公室", "省财政厅")


def blank_lines(n: int) -> str:
    return "\n" * n


def random_digits(n: int) -> str:
    rng = random.Random(0)
    return "".join(rng.choice("0123456789") for _ in range(n))


def numeral_runs(n: int) -> str:
    return (NUMERALS * (n // len(NUMERALS) + 1))[:n]


def percent_repeated(n: int) -> str:
    return ("97.7%" * (n // 5 + 1))[:n]


def organ_names(n: int) -> str:
    """Organ names without punctuation: one sentence as long as the text (the body model)."""
    rng = random.Random(0)
    out, size = [], 0
    while size < n:
        out.append(rng.choice(ORGANS))
        size += len(out[-1])
    return "".join(out)[:n]


def blank_spaces(n: int) -> str:
    return ("　 \t" * (n // 3 + 1))[:n]


LEDGER_UNITS = ("民政局", "水利局", "林业局", "统计局", "审计局", "财政局", "商务局", "司法局",
                "教育局", "交通运输局", "农业农村局", "自然资源局", "应急管理局", "人力资源和社会保障局")


def ledger_notices(n: int) -> str:
    """One notice naming a new inspected body every sentence, each with its period, feedback,
    deadline, as-of date and figures (the ledger's bodies, scopes and statements grow with it)."""
    rng = random.Random(0)
    out, size, k = [], 0, 0
    while size < n:
        k += 1
        unit = f"县{rng.choice(LEDGER_UNITS)}党组"
        out.append(f"2024年3月{k % 28 + 1}日至4月{k % 28 + 1}日,县委第二巡察组对{unit}开展了巡察。"
                   f"2024年5月{k % 28 + 1}日,县委第二巡察组向{unit}反馈了巡察意见,要求反馈后2个月内完成整改。"
                   f"截至2024年8月31日,巡察反馈问题{k % 40 + 5}个,已完成整改{k % 5}个,正在整改5个。\n")
        size += len(out[-1])
    return "".join(out)[:n]


INPUTS = {"blank lines": blank_lines, "random digits": random_digits, "一二三…十 runs": numeral_runs,
          "97.7% repeated": percent_repeated, "organ names, no punctuation": organ_names,
          "spaces": blank_spaces, "ledger: a body a sentence": ledger_notices}


def stages(text: str, use_model: bool) -> dict[str, float]:
    """Seconds of each stage of `process` on `text`, in the order `process` runs them."""
    from pipeline.context import segment
    from pipeline.context.boundaries import boundaries
    from pipeline.context.document import Context
    from pipeline.context.view import normalize
    from pipeline import ledger
    from pipeline.extractors.base import absorb
    from pipeline.records import Document
    from pipeline.run.process import number
    from pipeline.run.process import stages as run_stages

    run = run_stages(use_model)
    out: dict[str, float] = {}

    def timed(name, fn, *args, **kw):
        t0 = time.process_time()
        res = fn(*args, **kw)
        out[name] = out.get(name, 0.0) + time.process_time() - t0
        return res

    nt = timed("normalise", normalize, text)
    ref = timed("reference date", run.dating.reference_date, nt.view)
    ref = ref[0] if ref else None
    toks = timed("segment", segment.tokens, nt.view)
    heads = timed("sections", run.sections.headings.headings, nt)
    regs = timed("sections", run.sections.regions, nt, None)
    ctx = Context(text=nt, tokens=toks, units=boundaries().units(nt.view), doc_id="x",
                  headings=tuple(heads), regions=tuple(regs), reference_date=ref)
    found = [m for e in run.extractors for m in timed(e.record.gold_key, e.extract, ctx)]
    mentions = timed("overlaps", lambda: number(absorb(found, run.yields_to), ctx))
    for stage in run.refiners:
        mentions = timed(type(stage).__name__.lower(), stage.refine, ctx, mentions)
    work, mentions = timed("items", run.items.extract, ctx, mentions)
    doc = Document(doc_id="x", path="x", sha256="", chars=len(text), reference_date=ref,
                   headings=list(heads), mentions=mentions, items=work)
    timed("ledger", ledger.document_records, nt.view, doc)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=10_000)
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--only", help="one input by name")
    args = ap.parse_args(argv)
    from pipeline.run.process import process
    from pipeline.reading.files import Source

    from pipeline.context import segment

    process(Source("warm.txt", "省委巡视组反馈后2个月内报送整改情况。", "0", "utf-8"))  # load everything once
    segment.pos("巡视")  # jieba.posseg loads its tables on first use
    for make in INPUTS.values():  # each input once, small: what a worker has met before is loaded
        stages(make(1000), not args.no_model)
    worst = 0.0
    print(f"{'input':<30}{'chars':>8}  {'s/10k total':>11}  slowest stages (s/10k)")
    for name, make in INPUTS.items():
        if args.only and args.only != name:
            continue
        for n in (args.chars, 4 * args.chars):
            costs = stages(make(n), not args.no_model)
            per = 10_000 / n
            total = sum(costs.values()) * per
            worst = max(worst, total)
            top = sorted(costs.items(), key=lambda kv: -kv[1])[:3]
            print(f"{name:<30}{n:>8}  {total:>11.3f}  " + ", ".join(f"{k} {v * per:.3f}" for k, v in top))
    print(f"worst: {worst:.3f} s per 10k chars (target < 1)")
    return 0 if worst < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
