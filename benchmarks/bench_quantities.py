"""Quantity extraction speed next to a plain jieba segmentation pass over the same text.

    .venv/bin/python benchmarks/bench_quantities.py [CORPUS_DIR]

CORPUS_DIR defaults to ../shared/corpora/national-gov-reports beside the checkout. Prints
chars/second for `jieba.lcut` (the project's tokenizer with its domain dictionary) and for
`quantities.extract` on already normalised text (best of three passes in process CPU time,
the extractor's caches of cut windows emptied before each), and the ratio of their times: the target is
that quantity extraction adds no more than 25% to segmentation time (ratio ≤ 0.25).
Normalisation is timed too, for reference; the pipeline pays it once for every extractor.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpora" / "national-gov-reports"


def load(corpus: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]


def timed(fn, items, repeat: int = 3, reset=None) -> float:
    """The best of `repeat` passes in CPU time of this process, so that other processes on a
    shared machine weigh less on the figure; `reset` empties caches before each pass."""
    best = float("inf")
    for _ in range(repeat):
        if reset:
            reset()
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else DEFAULT
    if not corpus.is_dir():
        print(f"no corpus at {corpus}; pass a directory of .txt files", file=sys.stderr)
        return 1
    from pipeline.context import segment
    from pipeline.context.view import normalize
    from pipeline.extractors import quantities

    texts = load(corpus)
    chars = sum(map(len, texts))
    tok = segment.tokenizer()
    quantities.extract(normalize("全市共有15个乡镇,增长6.2%。"))  # load rules, tags, dictionary
    t_norm = timed(normalize, texts)
    views = [normalize(t) for t in texts]
    t_jieba = timed(tok.lcut, texts)
    t_quant = timed(quantities.extract, views, reset=quantities.clear_caches)
    n = sum(len(quantities.extract(v)) for v in views)
    print(f"corpus: {corpus} ({len(texts)} files, {chars:,} chars, {n:,} quantities)")
    print(f"jieba.lcut           {chars / t_jieba:>12,.0f} chars/s  ({t_jieba:.2f} s)")
    print(f"normalize            {chars / t_norm:>12,.0f} chars/s  ({t_norm:.2f} s)")
    print(f"quantities.extract   {chars / t_quant:>12,.0f} chars/s  ({t_quant:.2f} s)")
    print(f"ratio extract/jieba  {t_quant / t_jieba:.3f}  (target ≤ 0.25)")
    if segment.backend() != "jieba":  # the pipeline's own, faster segmenter, for reference
        t_fast = timed(segment.words, texts)
        print(f"segment.words ({segment.backend()}) {chars / t_fast:>8,.0f} chars/s  ({t_fast:.2f} s);"
              f" ratio extract/{segment.backend()} {t_quant / t_fast:.2f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv))
