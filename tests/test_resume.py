"""Kill -9 in the middle of a run, run again: the outputs are those of an uninterrupted run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from pipeline.run import batch

from .conftest import ROOT

SENTENCES = [
    "（浙江省委）\n一、关于巡视反馈问题的整改情况\n",
    "省委第{n}巡视组于2019年{m}月向市委反馈了巡视意见，市委召开常委会会议{k}次专题研究整改工作。",
    "对反馈的{k}个方面{n}个问题，逐项制定整改措施{m}条，明确责任单位和完成时限。",
    "截至{m}月底，已完成整改{k}项，立行立改问题{n}个，追回资金{k}.{n}万元。",
    "组织处理{n}人，给予党纪政务处分{m}人，新建制度{k}项。\n",
]
OUTPUTS = ("documents.jsonl", "mentions.jsonl", "items.jsonl", "rectifications.jsonl", "errors.jsonl")


def _corpus(root, docs=20, paras=40):
    """Reports composed from the sentences above, each with its own numbers."""
    root.mkdir()
    for d in range(docs):
        body = "".join(SENTENCES[0] if i == 0 else
                       SENTENCES[1 + i % 4].format(n=d + i % 9 + 1, m=i % 12 + 1, k=(d * i) % 50 + 2)
                       for i in range(paras))
        (root / f"报告 {d:03d}.txt").write_text(body, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    return root


def _extract(src, out, *extra):
    log = open(out.parent / f"{out.name}.log", "ab")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(src), "-o", str(out), "-q",
                             *extra], cwd=ROOT, stderr=log)


def _log(out):
    return (out.parent / f"{out.name}.log").read_text(encoding="utf-8", errors="replace")


def _entries(out):
    cache = out / batch.CACHE_DIR
    return [p for p in cache.glob("*.jsonl")] if cache.is_dir() else []


def _kill_after(proc, out, entries, limit=300):
    """SIGKILL the run (the parent only, as the OOM killer would) once `entries` are cached."""
    t0 = time.monotonic()
    while len(_entries(out)) < entries:
        assert proc.poll() is None, f"the run ended before it could be killed: {_log(out)}"
        assert time.monotonic() - t0 < limit
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return workers


@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_9_then_resume_gives_the_uninterrupted_outputs(tmp_path, workers):
    src = _corpus(tmp_path / "报告 集", paras=100)  # long enough that the run outlasts the kill
    ref, out = tmp_path / "ref", tmp_path / "out"
    batch.run([src], ref, workers=1, quiet=True)
    proc = _extract(src, out, "--workers", workers)
    orphans = _kill_after(proc, out, entries=3)
    assert not any((out / name).exists() for name in OUTPUTS), "killed before the end: no outputs yet"
    done_before = len(_entries(out))
    assert done_before < 20
    _, alive = psutil.wait_procs(orphans, timeout=10)
    assert alive == [], "workers of a killed run must not linger"
    assert _extract(src, out, "--workers", workers).wait(timeout=600) == 0, _log(out)
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (run["cached"], run["documents"], run["failed"]) == (done_before, 20, 1)
    assert not list(out.glob(".*.tmp*")) and not list((out / batch.CACHE_DIR).glob(".*.tmp*"))


def test_killed_run_keeps_previous_outputs_whole(tmp_path):
    """An earlier complete run's files stay complete while a second run is killed mid-way."""
    src = _corpus(tmp_path / "src")
    out = tmp_path / "out"
    batch.run([src], out, workers=1, quiet=True)
    before = {n: (out / n).read_bytes() for n in OUTPUTS}
    proc = _extract(src, out, "--workers", "1", "--force")
    time.sleep(0.5)
    _kill_after(proc, out, entries=0)
    assert {n: (out / n).read_bytes() for n in OUTPUTS} == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_ctrl_c_or_sigterm_says_how_far_and_that_a_rerun_resumes(tmp_path, sig):
    src, out = _corpus(tmp_path / "src", docs=12, paras=400), tmp_path / "out"  # long enough to be caught mid-way
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(src), "-o", str(out), "-w", "1"],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while len(_entries(out)) < 2:
        assert proc.poll() is None and time.monotonic() - t0 < 300
        time.sleep(0.05)
    proc.send_signal(sig)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 130, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("xunshi: interrupted after ") and "run the same command again to resume" in last
    assert "Traceback" not in err and "Aborted" not in err
    assert not any((out / name).exists() for name in OUTPUTS)


def test_busy_workers_die_with_their_killed_parent(tmp_path):
    """SIGKILL of the parent while every worker is inside a long document: none lingers."""
    src = _corpus(tmp_path / "src", docs=4)
    script = (
        "import sys, time\n"
        "from pipeline.run import batch, process\n"
        "real = process.process\n"
        "process.process = lambda s, **k: real(s, **k) if s.path == 'warm-up.txt' else time.sleep(120)\n"
        f"batch.run([{str(src)!r}], {str(tmp_path / 'out')!r}, workers=2, doc_timeout=300, quiet=True)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    t0 = time.monotonic()
    while len(psutil.Process(proc.pid).children()) < 2:
        assert proc.poll() is None and time.monotonic() - t0 < 120
        time.sleep(0.1)
    time.sleep(3)  # the workers are warm and inside their documents
    workers = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(workers, timeout=5)
    assert alive == []
