"""Throughput, scaling, start-up and memory of the whole pipeline, measured in one run
(`xunshi bench`).

Every figure comes from the same invocation on the same text, so they can be compared even on a
busy machine: bare `jieba.lcut` over the decoded text is the yardstick, then the pipeline with
its model and with rules alone (one process), with N workers, and on the corpus copied ten
times. Each pipeline run is a fresh child process, so its peak RSS is its own and loading
(dictionaries, rules, models) is counted once, apart from the extraction rate; whole processes
(start-up included) are compared with a whole process of bare jieba too. Start-up is measured
as what a user feels on a small call: `xunshi extract` of one sentence as a whole process
(wall and peak RSS) against a process that only loads jieba, and the warm cost of
`pipeline.extract` per 1,000 characters once everything is loaded.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMES = 10  # the "10×" corpus
SENTENCE = "bench_sentence.txt"  # rules/: the one-sentence report of the start-up rows
KIB = 1024 if sys.platform != "darwin" else 1  # ru_maxrss is in KiB on Linux, bytes on macOS
JIEBA_LOAD = "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize()"
JIEBA_WHOLE = (JIEBA_LOAD + "; import json, sys; "
               "[jieba.lcut(d) for d in json.load(open(sys.argv[1], encoding='utf-8'))]")


def default_corpus() -> Path:
    """`../shared/corpora` beside a developer checkout, else the bundled `corpora/`."""
    shared = ROOT.parent / "shared" / "corpora"
    return shared if shared.is_dir() else ROOT / "corpora"


def texts(paths: list[Path]) -> list[str]:
    """The decoded text of every readable report (what the pipeline sees)."""
    from pipeline.errors import InputError
    from pipeline.reading.files import find_files, read_file

    out = []
    for path, shown in find_files(paths):
        try:
            out.append(read_file(path, shown).text)
        except InputError:
            continue
    return out


def bare_jieba(docs: list[str]) -> tuple[float, float]:
    """Bare `jieba.lcut` over the text as read: chars per second and per CPU second."""
    import logging

    import jieba

    chars = sum(map(len, docs))
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    t, c = time.perf_counter(), time.process_time()
    for d in docs:
        jieba.lcut(d)
    return chars / (time.perf_counter() - t), chars / (time.process_time() - c)


def segmenters(docs: list[str]) -> dict:
    """jieba and rjieba over the simplified view and their agreement (bare jieba over the text
    as read, the yardstick, is measured in `measure`'s rounds)."""
    from pipeline.context import segment
    from pipeline.context.view import normalize

    chars = sum(map(len, docs))
    views = [normalize(d).view for d in docs]
    ref = _timed_cut(views, lambda v: list(segment.tokenizer().cut(v, HMM=True)))
    fast = _timed_cut(views, lambda v: segment.fast_tokenizer().cut(v, True))
    same = sum(len(_spans(a) & _spans(b)) for a, b in zip(ref[0], fast[0]))
    return {"chars": chars, "jieba_view_cps": round(chars / ref[1]),
            "rjieba_view_cps": round(chars / fast[1]), "backend": segment.backend(),
            "rjieba_token_agreement": round(same / sum(len(w) for w in ref[0]), 5)}


def _lcut_all(docs: list[str]) -> int:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return sum(len(jieba.lcut(d)) for d in docs)


def jieba_scaling(docs: list[str], workers: int) -> float:
    """Bare jieba's own speed-up with a `workers`-process pool: the ceiling on this machine now.

    A busy machine (other jobs on the cores) lowers every speed-up; this one is measured in the
    same minute as the pipeline's, so the two can be compared.
    """
    import multiprocessing as mp

    chunks = [docs[i::workers * 4] for i in range(workers * 4)]
    t = time.perf_counter()
    _lcut_all(docs)
    one = time.perf_counter() - t
    with mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn").Pool(workers) as pool:
        pool.map(_lcut_all, [["warm up"]] * workers)  # each worker loads the dictionary first
        t = time.perf_counter()
        pool.map(_lcut_all, chunks, chunksize=1)
        many = time.perf_counter() - t
    return round(one / many, 2)


def _timed_cut(views, cut):
    t = time.perf_counter()
    words = [cut(v) for v in views]
    return words, time.perf_counter() - t


def _spans(words) -> set:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def child(paths: list[str], workers: int, use_model: bool, out: str) -> dict:
    """One pipeline run in this (fresh) process: load once, then extract everything."""
    from pipeline.run.batch import Options, run, warm_up

    t0 = time.perf_counter()
    warm_up(Options(use_model=use_model))
    t1, c1 = time.perf_counter(), time.process_time()
    summary = run([Path(p) for p in paths], Path(out), quiet=True, workers=workers, force=True,
                  use_model=use_model)
    t2, c2 = time.perf_counter(), time.process_time()
    kib = KIB
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = c2 - c1 + kids.ru_utime + kids.ru_stime  # forked workers inherit the loading
    from pipeline import native

    return {"workers": summary["workers"], "use_model": use_model, "documents": summary["documents"],
            "compiled": len(native.compiled()),
            "chars": summary["chars"], "load_s": round(t1 - t0, 2), "extract_s": round(t2 - t1, 2),
            "cps": round(summary["chars"] / (t2 - t1)), "cpu_cps": round(summary["chars"] / cpu),
            "cpu_s": round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 1),
            "cpu_parent_s": round(me.ru_utime + me.ru_stime, 1),
            "loadavg": round(os.getloadavg()[0], 2),
            "rss_parent_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib / 2**20, 1),
            "rss_worker_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib / 2**20, 1)}


# Started from a small launcher, not from this process: Linux counts in a child's peak RSS the
# pages it held before exec, a copy of its parent's (a bench that has loaded jieba: 250 MB).
LAUNCHER = """import json, os, sys, time
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, u = os.wait4(pid, 0)
print(json.dumps({"wall_s": time.perf_counter() - t, "code": os.waitstatus_to_exitcode(status),
                  "cpu_s": u.ru_utime + u.ru_stime, "maxrss": u.ru_maxrss}))
"""


def launch(argv: list[str], env: dict | None = None) -> dict:
    """Run a whole process; its stdout, wall and CPU seconds and peak RSS (MB), start-up
    included, from its own resource usage (`wait4` in the launcher)."""
    with tempfile.NamedTemporaryFile(prefix="xunshi-bench-", suffix=".out") as out:
        res = subprocess.run([sys.executable, "-c", LAUNCHER, out.name, *argv], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=False)
        stdout = Path(out.name).read_text(encoding="utf-8", errors="replace")
    usage = json.loads(res.stdout.strip().splitlines()[-1]) if res.returncode == 0 else {"code": -1}
    if usage["code"] != 0:
        raise RuntimeError(f"{' '.join(argv[:4])} … failed:\n{res.stderr[-2000:]}")
    return {"stdout": stdout, "wall_s": round(usage["wall_s"], 3), "cpu_s": round(usage["cpu_s"], 3),
            "rss_mb": round(usage["maxrss"] * KIB / 2**20, 1)}


def whole_process(argv: list[str], env: dict | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MB) of one whole process, start-up included."""
    return {k: v for k, v in launch(argv, env).items() if k != "stdout"}


def startup(tmp: Path, repeat: int) -> dict:
    """`xunshi extract` of a one-sentence report (rules/bench_sentence.txt) as a whole process,
    against a process that only imports jieba and loads its dictionary, in alternating rounds;
    each the median round, after one run of each that builds the caches (jieba's, xunshi's:
    what any second call finds). The cold run of xunshi, with an empty cache folder, is shown
    apart: it is paid once per installation."""
    from pipeline.rules import rule_path

    doc = tmp / "one-sentence.txt"
    doc.write_bytes(rule_path(SENTENCE).read_bytes())
    one = [sys.executable, "-m", "pipeline", "extract", str(doc), "-o", str(tmp / "one"), "-q",
           "--force"]
    load = [sys.executable, "-c", JIEBA_LOAD]
    cold = whole_process(one, {**os.environ, "XUNSHI_CACHE": str(tmp / "cold-cache")})
    whole_process(load), whole_process(one)
    rounds: dict[str, list] = {"jieba_load": [], "one_document": []}
    for _ in range(repeat):
        rounds["jieba_load"].append(whole_process(load))
        rounds["one_document"].append(whole_process(one))
    out = {name: median_by(runs, "wall_s") for name, runs in rounds.items()}
    return {**out, "one_document_cold": cold, "chars": len(doc.read_text(encoding="utf-8").strip())}


def median_by(runs: list[dict], key: str) -> dict:
    """The run of median `key`, with every run's `key`."""
    mid = sorted(runs, key=lambda r: r[key])[len(runs) // 2]
    return {**mid, f"{key}_samples": [r[key] for r in runs]}


def child_api(paths: list[str], use_model: bool) -> dict:
    """`pipeline.extract` over every text in this (fresh) process once everything is loaded:
    CPU milliseconds per 1,000 characters, the first pass (the per-word caches cold) and a
    second one."""
    import pipeline
    from pipeline.run.job import Options, warm_up

    warm_up(Options(use_model=use_model))
    docs = texts([Path(p) for p in paths])
    chars = sum(map(len, docs))
    passes = []
    for _ in range(2):
        c = time.process_time()
        for d in docs:
            pipeline.extract(d)
        passes.append(round((time.process_time() - c) * 1e6 / chars, 2))
    return {"chars": chars, "documents": len(docs), "ms_per_1k_first": passes[0],
            "ms_per_1k_again": passes[1]}


def jieba_whole(docs_file: Path) -> dict:
    """A whole process of bare jieba: import, load, `lcut` every text (read from a JSON file)."""
    return whole_process([sys.executable, "-c", JIEBA_WHOLE, str(docs_file)])


# rules only, 1 process, with no POS tags kept from earlier runs (`new_words_cache`)
NEW_WORDS = "rules_1_new_words"


def run_child(paths: list[Path], workers: int, use_model: bool, tmp: Path, name: str,
              env: dict | None = None) -> dict:
    """One run in a fresh process, into an output folder of its own that is removed after it.

    Every round writes into a new folder, as the first round does: a run that renames its
    17 MB of cache entries and outputs over those of an earlier round frees the old files' pages
    in the kernel as it goes (30-40 ms of system time over gov-reports-2026), which a first run
    into a folder does not pay; the folder is removed here, outside the child's timing."""
    import shutil

    out = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp))
    cmd = [sys.executable, "-m", "pipeline.bench", "--child", "--workers", str(workers),
           "--out", str(out), *(["--no-model"] if not use_model else []), *map(str, paths)]
    try:
        return json.loads(launch(cmd, env)["stdout"].strip().splitlines()[-1])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def new_words_cache(dest: Path) -> dict | None:
    """The environment of a run whose cache folder is a copy of this one without the kept POS
    tags (`lexicon.TAGS`): a run over a corpus none of whose words an earlier run tagged. The
    other rounds meet the words the first round tagged; this run shows what that table adds to
    them. None when there is no cache folder (every run is then a new-words run)."""
    import shutil

    from pipeline.context.lexicon import TAGS
    from pipeline.paths import cache_dir

    folder, tags = cache_dir(), TAGS.path()
    if folder is None or tags is None:
        return None
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(folder, dest, ignore=lambda _d, names: [n for n in names if n == tags.name])
    return {**os.environ, "XUNSHI_CACHE": str(dest)}


def replicate(paths: list[Path], times: int, dest: Path) -> Path:
    """The corpus `times` over, as hard links (copies across devices) in distinct folders
    (distinct documents; symbolic links out of the input folder would not be read)."""
    import shutil

    from pipeline.reading.files import find_files

    for i in range(times):
        for n, (path, _) in enumerate(find_files(paths)):
            link = dest / f"copy{i:02d}" / f"{n:04d}{path.suffix}"
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path.resolve(), link)
            except OSError:
                shutil.copyfile(path, link)
    return dest


def measure(paths: list[Path], workers: int, use_model: bool, times: int = TIMES,
            repeat: int = 3) -> dict:
    """Every figure of the report, in one run.

    The 1× runs and bare jieba (in this process and as a whole process) are repeated `repeat`
    times in rounds (jieba, with model, rules alone, workers, rules alone with no POS tags kept
    from earlier runs; then again), so that a passing load touches every figure alike, and each
    figure is the round with the median speed; every round's speed is kept in `*_samples`. Then
    the start-up rows and the warm cost of `pipeline.extract`.
    """
    docs = texts(paths)
    report = {"corpus": [str(p) for p in paths], "cores": os.cpu_count(), "repeat": repeat,
              **segmenters(docs), f"jieba_speedup_{workers}_processes": jieba_scaling(docs, workers)}
    kinds = {"model_1": (1, True), "rules_1": (1, False), f"workers_{workers}": (workers, use_model)}
    samples: dict[str, list] = {"jieba": [], "jieba_whole": [], **{k: [] for k in kinds}}
    with tempfile.TemporaryDirectory(prefix="xunshi-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
        for _ in range(repeat):
            samples["jieba"].append(bare_jieba(docs))
            samples["jieba_whole"].append(jieba_whole(tmp / "docs.json"))
            for name, (n, model) in kinds.items():
                samples[name].append(run_child(paths, n, model, tmp, name))
            env = new_words_cache(tmp / "new-words-cache")
            if env is not None:
                samples.setdefault(NEW_WORDS, []).append(run_child(paths, 1, False, tmp, NEW_WORDS, env))
        runs = {name: median_run(samples[name]) for name in [*kinds, NEW_WORDS] if samples.get(name)}
        many = replicate(paths, times, tmp / "many")
        runs[f"x{times}_workers_{workers}"] = run_child([many], workers, use_model, tmp, "many")
        report["startup"] = startup(tmp, max(repeat, 5))
        report["api"] = api_child(paths, use_model)
    bare = sorted(samples["jieba"])[len(samples["jieba"]) // 2]
    report.update(jieba_lcut_cps=round(bare[0]), jieba_lcut_cpu_cps=round(bare[1]),
                  jieba_lcut_samples=[round(b[0]) for b in samples["jieba"]], runs=runs,
                  jieba_whole=median_by(samples["jieba_whole"], "cpu_s"))
    report.update(ratios(report, workers, use_model, times))
    return report


def api_child(paths: list[Path], use_model: bool) -> dict:
    cmd = [sys.executable, "-m", "pipeline.bench", "--child-api",
           *(["--no-model"] if not use_model else []), *map(str, paths)]
    return json.loads(launch(cmd)["stdout"].strip().splitlines()[-1])


def median_run(runs: list[dict]) -> dict:
    """The run of median speed, with the speed of every run."""
    mid = sorted(runs, key=lambda r: r["cps"])[len(runs) // 2]
    return {**mid, "cps_samples": [r["cps"] for r in runs]}


def ratios(r: dict, workers: int, use_model: bool, times: int) -> dict:
    runs, bare = r["runs"], r["jieba_lcut_cps"]
    one = runs["model_1" if use_model else "rules_1"]
    par, big = runs[f"workers_{workers}"], runs[f"x{times}_workers_{workers}"]
    bare_cpu = r["jieba_lcut_cpu_cps"]
    return {**_startup_ratios(r), **_whole_ratios(r),
            "model_vs_jieba": round(runs["model_1"]["cps"] / bare, 3),
            "rules_vs_jieba": round(runs["rules_1"]["cps"] / bare, 3),
            "model_vs_jieba_cpu": round(runs["model_1"]["cpu_cps"] / bare_cpu, 3),
            "rules_vs_jieba_cpu": round(runs["rules_1"]["cpu_cps"] / bare_cpu, 3),
            **({"rules_new_words_vs_jieba_cpu": round(runs[NEW_WORDS]["cpu_cps"] / bare_cpu, 3)}
               if NEW_WORDS in runs else {}),
            f"speedup_{workers}_workers": round(par["cps"] / one["cps"], 2),
            f"rss_worker_x{times}_vs_x1": round(big["rss_worker_mb"] / max(par["rss_worker_mb"], 1), 2),
            f"rss_parent_x{times}_vs_x1": round(big["rss_parent_mb"] / max(par["rss_parent_mb"], 1), 2)}


def _startup_ratios(r: dict) -> dict:
    s = r.get("startup")
    if not s:
        return {}
    ratio = s["one_document"]["wall_s"] / s["jieba_load"]["wall_s"]
    return {"one_document_vs_jieba_load_wall": round(ratio, 2), "one_document_rss_mb": s["one_document"]["rss_mb"]}


def _whole_ratios(r: dict) -> dict:
    """Whole processes (start-up included), CPU seconds: bare jieba's over the pipeline's."""
    whole = r.get("jieba_whole")
    if not whole:
        return {}
    return {f"whole_process_{name}_vs_jieba_cpu": round(whole["cpu_s"] / r["runs"][name]["cpu_s"], 3)
            for name in ("model_1", "rules_1")}


def format_report(r: dict) -> str:
    lines = [f"corpus: {', '.join(r['corpus'])}: {r['chars']:,} chars, {r['cores']} cores",
             f"bare jieba.lcut {r['jieba_lcut_cps']:,} chars/s (simplified view {r['jieba_view_cps']:,}); "
             f"rjieba {r['rjieba_view_cps']:,} chars/s, agrees on {r['rjieba_token_agreement']:.3%} "
             f"of jieba's tokens; segmenter in use: {r['backend']}",
             f"bare jieba.lcut per CPU second: {r['jieba_lcut_cpu_cps']:,} chars; median of "
             f"{_samples(r.get('jieba_lcut_samples', []))}",
             f"{'run':<18}{'docs':>6}{'chars/s':>11}{'chars/CPU s':>13}{'load s':>8}{'extract s':>11}"
             f"{'CPU s':>8}{'RSS parent':>12}{'RSS worker':>12}{'load avg':>10}  chars/s of each round"]
    for name, x in r["runs"].items():
        lines.append(f"{name:<18}{x['documents']:>6}{x['cps']:>11,}{x['cpu_cps']:>13,}{x['load_s']:>8}"
                     f"{x['extract_s']:>11}{x['cpu_s']:>8}{x['rss_parent_mb']:>9} MB"
                     f"{x['rss_worker_mb']:>9} MB{x['loadavg']:>10}  {_samples(x.get('cps_samples', []))}")
    lines += _format_start(r)
    compiled = r["runs"].get("rules_1", {}).get("compiled")
    if compiled is not None:
        lines.append(f"compiled modules in use: {compiled} (build_native.py; 0: every module ran "
                     f"from its source)")
    lines += [f"{k}: {v}" for k, v in r.items()
              if k.startswith(("model_vs", "rules_vs", "rules_new_words_vs", "speedup", "jieba_speedup",
                               "rss_", "whole_process", "one_document"))]
    return "\n".join(lines)


def _format_start(r: dict) -> list[str]:
    """The whole-process, start-up and warm-call rows, when they were measured."""
    lines = []
    if "jieba_whole" in r:
        w = r["jieba_whole"]
        lines.append(f"whole processes, CPU s (start-up included): bare jieba {w['cpu_s']} "
                     f"({_samples(w.get('cpu_s_samples', []), '{:.2f}')}), pipeline with model "
                     f"{r['runs']['model_1']['cpu_s']}, rules only {r['runs']['rules_1']['cpu_s']}")
    if "startup" in r:
        s = r["startup"]
        for name, label in (("jieba_load", "load jieba (import + dictionary)"),
                            ("one_document", f"xunshi extract, one sentence ({s['chars']} chars)")):
            x = s[name]
            lines.append(f"start-up: {label}: {x['wall_s']:.2f} s wall, {x['cpu_s']:.2f} s CPU, "
                         f"{x['rss_mb']} MB peak; rounds {_samples(x['wall_s_samples'], '{:.2f}')}")
        c = s["one_document_cold"]
        lines.append(f"start-up, first run with an empty cache folder (once per installation): "
                     f"{c['wall_s']:.2f} s wall, {c['rss_mb']} MB peak")
    if "api" in r:
        a = r["api"]
        lines.append(f"pipeline.extract once loaded: {a['ms_per_1k_first']} ms CPU per 1,000 chars "
                     f"(first pass), {a['ms_per_1k_again']} (again), over {a['chars']:,} chars")
    return lines


def _samples(values: list, fmt: str = "{:,}") -> str:
    return " / ".join(fmt.format(v) for v in values)


def main(paths: list[str], workers: int = 2, use_model: bool = True, as_json: str | None = None,
         repeat: int = 3) -> dict:
    """`xunshi bench`: print the report (and write it as JSON when asked)."""
    roots = [Path(p) for p in paths] or [default_corpus()]
    report = measure(roots, workers, use_model, repeat=repeat)
    print(format_report(report))
    if as_json:
        Path(as_json).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


STAGES = (  # (stage, module, function): where the time of one document goes
    ("read and decode", "reading/files", "to_source"), ("normalise", "context/view", "normalize"),
    ("segment", "context/segment", "tokens"), ("sections", "context/headings", "headings"),
    ("sections", "context/regions", "regions"), ("quantities", "extractors/quantities", "extract"),
    ("times", "extractors/times", "explain"), ("times", "extractors/dating", "reference_date"),
    ("bodies", "extractors/bodies", "explain"), ("  of which the model", "model/predict", "predict"),
    ("items", "items/build", "extract"), ("  of which POS look-ups", "context/segment", "pos"),
    ("serialise", "run/job", "document_lines"))


PURE_NOTE = ("(profiled with every module run from its source, XUNSHI_PURE=1: the busiest "
             "modules run compiled otherwise, the item stage about 15% faster)")


def stage_costs(stats) -> list[tuple[str, float]]:
    """Seconds per stage (cumulative time of its entry points) from cProfile's statistics."""
    out: dict[str, float] = {}
    for (path, _line, func), (_cc, _nc, _tt, cum, _callers) in stats.stats.items():
        for stage, module, name in STAGES:
            if func == name and path.replace("\\", "/").endswith(f"pipeline/{module}.py"):
                out[stage] = out.get(stage, 0.0) + cum
    order = list(dict.fromkeys(stage for stage, _, _ in STAGES))
    return [(stage, out[stage]) for stage in order if stage in out]


def profile(paths: list[str], use_model: bool = True, top: int = 5) -> str:
    """Where a single-process extraction spends its time: seconds and share per stage, then the
    `top` functions by own time (cProfile; its overhead inflates every figure alike).

    cProfile sees no function inside a compiled module (`pipeline.native`): where this process
    runs them, a fresh process running every module from its source is profiled instead."""
    import cProfile
    import io
    import pstats

    from pipeline import native

    if native.active():
        cmd = [sys.executable, "-m", "pipeline.bench", "--profile", "--top", str(top),
               *(["--no-model"] if not use_model else []), *map(str, paths)]
        res = subprocess.run(cmd, cwd=ROOT, env={**os.environ, native.PURE: "1"},
                             capture_output=True, text=True, check=True)
        return res.stdout.rstrip("\n") + "\n" + PURE_NOTE
    from pipeline.run.batch import Options, run, warm_up

    roots = [Path(p) for p in paths] or [default_corpus()]
    warm_up(Options(use_model=use_model))
    with tempfile.TemporaryDirectory(prefix="xunshi-prof-") as tmp:
        prof = cProfile.Profile()
        prof.enable()
        run(roots, Path(tmp), quiet=True, workers=1, force=True, use_model=use_model)
        prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    total = stats.total_tt
    buf.write(f"{'stage':<26}{'seconds':>9}{'share':>8}\n")
    for stage, sec in stage_costs(stats):
        buf.write(f"{stage:<26}{sec:>9.3f}{sec / total:>8.1%}\n")
    buf.write(f"{'all (profiled)':<26}{total:>9.2f}\n\n")
    stats.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


def _args(argv=None):
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--json", help="also write the report to this file")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the 1× runs (the median is shown)")
    ap.add_argument("--profile", action="store_true", help="profile one process instead")
    ap.add_argument("--top", type=int, default=5, help=argparse.SUPPRESS)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--child-api", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


if __name__ == "__main__":
    a = _args()
    if a.child:
        print(json.dumps(child(a.paths, a.workers, not a.no_model, a.out)))
    elif a.child_api:
        print(json.dumps(child_api(a.paths, not a.no_model)))
    elif a.profile:
        print(profile(a.paths, not a.no_model, a.top))
    else:
        main(a.paths, a.workers, not a.no_model, a.json, a.repeat)
