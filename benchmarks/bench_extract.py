"""Throughput benchmark of the whole pipeline (the same as `xunshi bench`).

    .venv/bin/python benchmarks/bench_extract.py [PATHS…] [--workers 2] [--no-model] [--json out.json] [--repeat 3]
    .venv/bin/python benchmarks/bench_extract.py --profile      # the top costs of one process

Defaults to ../shared/corpora beside the checkout (else corpora/). See `pipeline/bench.py`.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.bench import _args, main, profile  # noqa: E402

if __name__ == "__main__":
    a = _args()
    if a.profile:
        print(profile(a.paths, not a.no_model))
    else:
        main(a.paths, a.workers, not a.no_model, a.json, a.repeat)
