"""Batch runs: outputs valid against the schema, bad files reported, nothing half-written."""
from __future__ import annotations

import datetime as dt
import gc
import json
import os
import signal
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import Exit
from pipeline.run import batch, job
from pipeline.run.cache import entry_blocks

GOOD = "（浙江省委）\n省委巡视组反馈后2个月内报送整改情况，增加编制30个。\n"


def _corpus(tmp_path):
    src = tmp_path / "报告 目录"
    src.mkdir()
    (src / "好.txt").write_text(GOOD, encoding="utf-8")
    (src / "gbk.txt").write_bytes(GOOD.encode("gbk"))
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    return src


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_extract_reports_bad_files_and_goes_on(tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(_corpus(tmp_path)), "-o", str(out)])
    assert res.exit_code == 0, res.output
    errors = _jsonl(out / "errors.jsonl")
    assert sorted(e["code"] for e in errors) == ["binary", "empty"]
    assert all(e["path"].endswith((".txt")) for e in errors)
    assert len(_jsonl(out / "documents.jsonl")) == 2
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (run["documents"], run["failed"]) == (2, 2)


def test_exit_code_nonzero_only_when_nothing_read(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    res = CliRunner().invoke(main, ["extract", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "o")])
    assert res.exit_code == Exit.INPUT
    assert "empty.txt: empty file" in res.output
    assert "no document could be read" in res.output


def test_outputs_validate_against_schema(tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["extract", str(_corpus(tmp_path)), "-o", str(out)])
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)["records"]
    for name, kind in (("documents", "document"), ("items", "work_item"), ("errors", "error"),
                       ("rectifications", "rectification")):
        for row in _jsonl(out / f"{name}.jsonl"):
            jsonschema.validate(row, schema[kind])
    for row in _jsonl(out / "mentions.jsonl"):
        jsonschema.validate(row, schema[row["kind"]])


def _outputs(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_interrupted_run_keeps_previous_outputs(tmp_path, monkeypatch):
    src, out = _corpus(tmp_path), tmp_path / "out"
    batch.run([src], out, workers=1)
    before = _outputs(out)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "write_cached", boom)
    with pytest.raises(KeyboardInterrupt):
        batch.run([src], out, workers=1, force=True)
    assert _outputs(out) == before


def test_reference_date_option_is_recorded(tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(main, ["extract", str(_corpus(tmp_path)), "-o", str(out),
                              "--reference-date", "2019-07-15"])
    docs = _jsonl(out / "documents.jsonl")
    assert {(d["reference_date"], d["reference_date_source"]) for d in docs} == {("2019-07-15", "cli")}


def test_bad_reference_date_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["extract", str(tmp_path), "--reference-date", "15/07/2019"])
    assert res.exit_code == 2
    assert "not an ISO date" in res.output


# -- bad inputs, each reported in one line and one row, none stopping the run --------------

BAD = {  # file name → expected error code
    "empty.txt": "empty", "binary.txt": "binary", "huge.txt": "too_large", "truncated.docx": "corrupt",
    "scan.pdf": "no_text", "locked.txt": "unreadable", "loop.txt": "unreadable", "old.doc": "unsupported",
    "pipe.txt": "unreadable",
}


def _bad_corpus(tmp_path, monkeypatch):
    from pathlib import Path

    from .test_formats import make_docx, make_pdf

    src = tmp_path / "巡视 报告" / "第 一 批"
    src.mkdir(parents=True)
    (src / "好 的.txt").write_text(GOOD, encoding="utf-8")
    (src / "gbk.txt").write_bytes(GOOD.encode("gbk"))
    (src / "big5.txt").write_bytes("（臺灣省委）\n省委巡視組反饋後2個月內報送整改情況。\n".encode("big5"))
    (src / "utf16.txt").write_bytes(GOOD.encode("utf-16"))
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    with open(src / "huge.txt", "wb") as fh:
        fh.write(GOOD.encode() * (50 * 2**20 // len(GOOD.encode()) + 1))
    (src / "truncated.docx").write_bytes(make_docx()[:1500])
    (src / "scan.pdf").write_bytes(make_pdf(["", ""]))
    (src / "locked.txt").write_text(GOOD, encoding="utf-8")
    (src / "loop.txt").symlink_to(src / "loop.txt")
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    os.mkfifo(src / "pipe.txt")
    real = Path.read_bytes

    def read_bytes(self):  # root reads anything: refuse this one file as a locked one would be
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return src


@pytest.mark.parametrize("workers", [1, 2])
def test_every_bad_input_is_one_line_and_one_row(tmp_path, monkeypatch, capsys, workers):
    src, out = _bad_corpus(tmp_path, monkeypatch), tmp_path / "out"
    summary = batch.run([src], out, workers=workers)
    errors = {Path(e["path"]).name: e["code"] for e in _jsonl(out / "errors.jsonl")}
    assert errors == BAD
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(BAD)
    for name, code in BAD.items():
        assert sum(name in line and f"[{code}]" in line for line in lines) == 1
    docs = [d["path"] for d in _jsonl(out / "documents.jsonl")]
    assert sorted(Path(p).name for p in docs) == ["big5.txt", "gbk.txt", "utf16.txt", "好 的.txt"]
    assert (summary["documents"], summary["failed"]) == (4, len(BAD))


# -- determinism, cache, time budget ----------------------------------------------------

def _many(tmp_path, n=6):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(n):
        (src / f"{i:02d}.txt").write_text(f"（浙江省委）\n第{i + 1}轮巡视反馈后{i + 1}个月内整改问题{i * 7 + 3}个。\n",
                                          encoding="utf-8")
    return src


def test_outputs_do_not_depend_on_workers(tmp_path):
    src = _many(tmp_path)
    batch.run([src], tmp_path / "w1", workers=1, quiet=True)
    batch.run([src], tmp_path / "w3", workers=3, quiet=True)
    assert _outputs(tmp_path / "w1").keys() == _outputs(tmp_path / "w3").keys()
    for name in ("documents.jsonl", "mentions.jsonl", "items.jsonl", "errors.jsonl"):
        assert (tmp_path / "w1" / name).read_bytes() == (tmp_path / "w3" / name).read_bytes()


def _exdev(*args):
    raise OSError(18, "Invalid cross-device link")


def _read_and_written(w, entry, ledger):
    """Each block of a cache entry read into memory and written out: what a copy must equal."""
    for name, block in entry_blocks(entry):
        if not ledger.add_block(name, block):
            w.write_block(name, block)


_copy_file_range = getattr(os, "copy_file_range", None)


@pytest.mark.parametrize("copy", [
    None,  # whatever this system does
    lambda src, dst, count, offset: _copy_file_range(src, dst, min(count, 7), offset),  # short copies
    _exdev,  # the cache on another file system: read and written
    "absent",  # no such call on this system
])
def test_outputs_do_not_depend_on_how_cached_blocks_are_copied(tmp_path, monkeypatch, copy):
    src, out = _many(tmp_path, 3), tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr(batch, "write_cached", _read_and_written)
        batch.run([src], out, workers=1, quiet=True)
    reference = {n: b for n, b in _outputs(out).items() if n.endswith(".jsonl")}
    assert reference["mentions.jsonl"] and reference["texts.jsonl"]
    if copy == "absent":
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    elif copy is not None:
        if _copy_file_range is None:
            pytest.skip("no os.copy_file_range here")
        monkeypatch.setattr(os, "copy_file_range", copy)
    assert batch.run([src], out, workers=1, quiet=True)["cached"] == 3
    assert {n: b for n, b in _outputs(out).items() if n.endswith(".jsonl")} == reference


def test_unchanged_documents_are_not_extracted_again(tmp_path, monkeypatch):
    src, out = _many(tmp_path), tmp_path / "out"
    first = batch.run([src], out, workers=1)
    before = _outputs(out)
    calls = []
    real = job.work
    monkeypatch.setattr(job, "work", lambda j: calls.append(j.task.shown) or real(j))
    again = batch.run([src], out, workers=1)
    assert (first["cached"], again["cached"], calls) == (0, 6, [])
    after = _outputs(out)
    assert {k: v for k, v in after.items() if k != "run.json"} == \
        {k: v for k, v in before.items() if k != "run.json"}
    (src / "03.txt").write_text("（浙江省委）\n巡视反馈后3个月内整改问题99个。\n", encoding="utf-8")
    assert batch.run([src], out, workers=1)["cached"] == 5
    assert batch.run([src], out, workers=1, reference_date=dt.date(2020, 1, 1))["cached"] == 0
    assert batch.run([src], out, workers=1, force=True)["cached"] == 0


def test_stale_temporaries_of_killed_runs_are_removed(tmp_path):
    src, out = _many(tmp_path, 2), tmp_path / "out"
    (out / ".cache").mkdir(parents=True)
    dead = out / ".documents.jsonl.999999999.tmp"
    dead.write_text("half", encoding="utf-8")
    (out / ".cache" / ".x.jsonl.999999999.tmp").write_text("half", encoding="utf-8")
    batch.run([src], out, workers=1)
    assert not list(out.glob(".*.tmp*")) and not list((out / ".cache").glob(".*.tmp*"))


def _slow_process(stall):
    """`process` that never ends on `slow.txt`: sleeping (soft timeout) or deaf to SIGALRM."""
    from pipeline.run import process as proc

    real = proc.process

    def slow(source, **kwargs):
        if source.path.endswith("slow.txt"):
            if stall:
                signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            time.sleep(60)
        return real(source, **kwargs)
    return slow


@pytest.mark.parametrize("workers, stall, docs", [(1, False, 3), (2, False, 3), (2, True, 3), (2, True, 9)])
def test_a_document_past_its_time_budget_is_reported_and_the_run_goes_on(
        tmp_path, monkeypatch, workers, stall, docs):
    """With 9 other documents, the stalled worker holds one read ahead when it is killed: that
    one is extracted by another worker, not lost."""
    from pipeline.run import process as proc

    if workers > 1 and not batch.can_fork():
        pytest.skip("workers are spawned here, so they would not see the slow process")
    from pipeline.run import engines

    src = _many(tmp_path, docs)
    (src / "slow.txt").write_text(GOOD * 2, encoding="utf-8")  # the largest: extracted first
    monkeypatch.setattr(proc, "process", _slow_process(stall))
    put_back = []
    monkeypatch.setattr(engines.Feed, "put_back", lambda feed, jobs: (
        put_back.extend(Path(j.task.path).name for j in jobs), feed.back.extend(jobs)))
    t0 = time.monotonic()
    summary = batch.run([src], tmp_path / "out", workers=workers, doc_timeout=1.0)
    assert time.monotonic() - t0 < 30
    assert [(Path(e["path"]).name, e["code"]) for e in _jsonl(tmp_path / "out" / "errors.jsonl")] == \
        [("slow.txt", "timeout")]
    assert summary["documents"] == docs
    assert len(put_back) == (stall and docs > 3)  # the job the killed worker held ahead


def test_time_budget_stops_pure_python_work_in_a_thread():
    import threading

    got = []

    def busy():
        try:
            with batch.time_budget(0.2):
                while True:
                    sum(range(1000))
        except batch.DocTimeout:
            got.append("timeout")

    t = threading.Thread(target=busy)
    t.start()
    t.join(10)
    assert got == ["timeout"]


@pytest.mark.parametrize("in_thread", [False, True])
def test_memory_budget_stops_a_growing_block_in_the_main_thread_or_another(in_thread):
    """The main thread is asked on its CPU time (a signal), another by a watcher thread."""
    import threading

    from pipeline.run import budget

    got = []

    def greedy():
        hoard = []
        try:
            with budget.memory_budget(budget.rss() / 2**20 + 100):
                for _ in range(1000):  # at most 1 GB: a budget that never fires fails, not hangs
                    hoard.append(b"x" * 2**20)
                    sum(range(10**4))  # CPU time, on which the main thread is asked
        except budget.OverMemory:
            got.append(len(hoard))

    if in_thread:
        t = threading.Thread(target=greedy)
        t.start()
        t.join(30)
    else:
        greedy()
    assert len(got) == 1 and got[0] >= 100


def test_memory_budget_in_the_main_thread_leaves_no_timer_or_handler_behind():
    from pipeline.run import budget

    before = signal.getsignal(signal.SIGPROF)
    with budget.memory_budget(10**6):
        sum(range(10**5))
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) is before


def test_rss_is_what_psutil_reads_and_0_for_a_process_gone():
    import subprocess

    import psutil

    from pipeline.run import budget

    me = psutil.Process()
    gc.collect()  # the garbage of earlier tests, freed between the two looks, is freed before them
    assert abs(budget.rss() - me.memory_info().rss) < 16 * 2**20
    child = subprocess.Popen([sys.executable, "-c", "import time; print(flush=True); time.sleep(30)"],
                             stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # started: its memory no longer grows while both look at it
        assert budget.rss(child.pid) == pytest.approx(psutil.Process(child.pid).memory_info().rss,
                                                      rel=0.5)
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
    assert budget.rss(child.pid) == 0


def test_time_budget_is_withdrawn_when_the_block_ends_in_time():
    with batch.time_budget(0.5):
        pass
    time.sleep(0.7)  # no late DocTimeout


def test_outputs_do_not_depend_on_the_hash_seed(tmp_path):
    """Spawned and remote workers get their own PYTHONHASHSEED: set order must not leak out."""
    import subprocess
    import sys

    from .conftest import CORPORA, ROOT

    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "pipeline", "extract", str(CORPORA), "-o", str(tmp_path / seed),
                        "-q", "-w", "1"], cwd=ROOT, env=env, check=True, capture_output=True)
    for name in ("documents.jsonl", "mentions.jsonl", "items.jsonl", "errors.jsonl"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_start_up_loads_no_heavy_library():
    """`xunshi --help` stays fast: segmenters, spaCy, Dask and format readers load on first use."""
    import subprocess
    import sys

    heavy = ("jieba", "rjieba", "spacy", "opencc", "dask", "distributed", "trafilatura", "pypdf", "docx",
             "rich")
    code = ("import sys, pipeline.cli, pipeline.run.batch, pipeline.reading.files; "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in %r))" % (heavy,))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []


def test_a_short_text_loads_neither_spacy_nor_jieba(tmp_path):
    """One sentence with no window for the body model and no clause for jieba's POS tagger loads
    the rules and the segmenter only (issue 18): what a one-document run or a notebook call feels."""
    import subprocess
    import sys

    from .conftest import ROOT

    (tmp_path / "one.txt").write_text("市委巡察组对12个单位开展了巡察。", encoding="utf-8")
    code = ("import sys; from pathlib import Path; from pipeline.run.batch import run; "
            "run([Path(sys.argv[1])], Path(sys.argv[2]), quiet=True, workers=1); "
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'jieba', 'thinc'})))")
    env = {**os.environ, "XUNSHI_CACHE": str(tmp_path / "cache")}
    for _ in range(2):  # the first run builds the cache of compiled rules and dictionary
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "one.txt"), str(tmp_path / "out")],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == []


@pytest.mark.parametrize("cwd, expected", [
    ("", "corpora"),  # a clone's root: the path as a user would type it
    ("corpora", "."),
    ("..", None),  # elsewhere: the absolute path
])
def test_default_corpus_is_written_relative_to_the_working_directory(monkeypatch, tmp_path, cwd, expected):
    from pipeline.cli import DEFAULT_CORPUS, default_corpus

    root = DEFAULT_CORPUS.parent
    monkeypatch.chdir(tmp_path if cwd == ".." else root / cwd)
    assert str(default_corpus()) == (expected or str(DEFAULT_CORPUS))


def test_a_thread_time_budget_leaves_the_interpreter_as_it_found_it():
    """After a budget ran out in a thread, the process runs at full speed, profiled or not
    (a withdrawn asynchronous exception once left CPython's eval breaker set for good)."""
    import subprocess
    import sys

    from .conftest import ROOT

    script = (
        "import threading, cProfile, pathlib\n"
        "from pipeline.run import batch\n"
        "def busy():\n"
        "    try:\n"
        "        with batch.time_budget(0.1):\n"
        "            while True: sum(range(100))\n"
        "    except batch.DocTimeout: pass\n"
        "def quick():\n"
        "    with batch.time_budget(0.05):\n"
        "        pass\n"
        "for f in (busy, quick):\n"
        "    t = threading.Thread(target=f); t.start(); t.join()\n"
        "p = cProfile.Profile(); p.enable(); pathlib.Path('x'); sum(range(10**6)); p.disable()\n"
        "print('done')\n")
    res = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.stdout.strip() == "done", res.stderr


# -- ids, inputs, outputs, faults (issues 12 and 13) ---------------------------------------

def _ids(out):
    return [d["doc_id"] for d in _jsonl(out / "documents.jsonl")]


def test_doc_ids_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    src = _many(tmp_path, 2)
    (src / "sub").mkdir()
    (src / "sub" / "x.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    batch.run([Path("many")], tmp_path / "a", workers=1, quiet=True)
    monkeypatch.chdir(src / "sub")
    batch.run([Path("..")], tmp_path / "b", workers=1, quiet=True)
    assert _ids(tmp_path / "a") == _ids(tmp_path / "b") == ["00.txt", "01.txt", "sub/x.txt"]
    batch.run([Path("x.txt")], tmp_path / "c", workers=1, quiet=True)  # a file given directly
    import hashlib
    assert _ids(tmp_path / "c") == [hashlib.sha256(GOOD.encode()).hexdigest()[:16]]


@pytest.mark.parametrize("setup, says", [
    (lambda p: None, "no such file or folder"),
    (lambda p: p.mkdir(), "no reports found (looked for *.txt, *.docx"),
])
def test_no_input_is_one_line_and_no_output(tmp_path, setup, says):
    src, out = tmp_path / "reports", tmp_path / "out"
    setup(src)
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out)])
    assert res.exit_code == Exit.INPUT
    assert res.stderr.splitlines() == [f"xunshi: {src}: {says}"] or says in res.stderr
    assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.output
    assert not out.exists()


def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    src, out = _many(tmp_path, 1), tmp_path / "out"
    out.mkdir()
    with batch.locked(out):
        res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "-w", "1"])
    assert res.exit_code == Exit.OUTPUT
    assert f"process {os.getpid()}" in res.stderr and len(res.stderr.splitlines()) == 1
    assert not (out / "documents.jsonl").exists()


@pytest.mark.parametrize("damage", [
    lambda b: b[: len(b) // 2],                      # torn
    lambda b: b[: b.index(b"\n", b.index(b"\n") + 1) + 1],  # only its document line
    lambda b: b.replace(b"\n{", b"\n{{", 1),
    lambda b: b.replace(b'"doc_id"', b'"doc_Id"', 1),  # edited, its length the same
    lambda b: b"",
])
def test_a_damaged_cache_entry_is_redone(tmp_path, damage):
    src, out = _many(tmp_path, 3), tmp_path / "out"
    batch.run([src], out, workers=1, quiet=True)
    before = _outputs(out)
    entry = sorted((out / ".cache").glob("*.jsonl"))[0]
    entry.write_bytes(damage(entry.read_bytes()))
    again = batch.run([src], out, workers=1, quiet=True)
    assert again["cached"] == 2
    after = _outputs(out)
    assert {k: v for k, v in after.items() if k != "run.json"} == \
        {k: v for k, v in before.items() if k != "run.json"}


def test_output_on_a_file_is_one_line(tmp_path):
    src, out = _many(tmp_path, 1), tmp_path / "out.txt"
    out.write_text("x", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out)])
    assert res.exit_code == Exit.OUTPUT
    assert res.stderr.splitlines() == [f"xunshi: {out}: cannot write: exists and is not a folder"] \
        or "cannot write" in res.stderr and len(res.stderr.splitlines()) == 1


@pytest.mark.parametrize("err, says", [(28, "no space left"), (30, "read-only file system")])
@pytest.mark.parametrize("where", ["cache", "outputs"])
def test_disk_full_or_read_only_is_one_line_without_leftovers(tmp_path, monkeypatch, err, says, where):
    src, out = _many(tmp_path, 2), tmp_path / "out"
    batch.run([src], out, workers=1, quiet=True)
    before = _outputs(out)

    def broken(*args, **kwargs):
        raise OSError(err, os.strerror(err))

    if where == "cache":  # where the document was extracted, then by the run
        monkeypatch.setattr(job, "write_entry", broken)
        monkeypatch.setattr(batch, "write_entry", broken)
    else:
        monkeypatch.setattr(batch, "write_cached", broken)
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "-w", "1", "--force"])
    assert res.exit_code == Exit.OUTPUT
    assert says in res.stderr and "Traceback" not in res.output
    assert [line for line in res.stderr.splitlines() if line.startswith("xunshi:")] == res.stderr.splitlines()
    assert _outputs(out) == before
    assert not list(out.rglob(".*.tmp*"))


def test_json_documents_on_stdout(tmp_path):
    src = _many(tmp_path, 2)
    res = CliRunner().invoke(main, ["extract", str(src), "-o", "-", "-w", "1"])
    assert res.exit_code == 0, res.output
    docs = [json.loads(line) for line in res.stdout.splitlines()]
    assert [d["doc_id"] for d in docs] == ["00.txt", "01.txt"]
    assert all(d["mentions"] and d["items"] for d in docs)
    assert docs[0]["mentions"][0]["doc_id"] == "00.txt"
    assert "2 documents" in res.stderr
    assert not Path("-").exists()


def test_summary_counts_mentions_items_cached_and_the_reference_date_override(tmp_path):
    src = _many(tmp_path, 2)
    (src / "manifest.csv").write_text("file,publish_date\n00.txt,2020-05-06\n", encoding="utf-8")
    args = ["extract", str(src), "-o", str(tmp_path / "out"), "-w", "1"]
    CliRunner().invoke(main, args)
    res = CliRunner().invoke(main, [*args, "--reference-date", "2021-01-01"])
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["mentions"] > 0 and run["items"] > 0 and run["reference_date_overrode"] == 1
    assert f"{run['mentions']:,} mentions, {run['items']:,} items" in res.stderr
    assert "--reference-date replaced the manifest's publish_date of 1 documents" in res.stderr
    again = CliRunner().invoke(main, [*args, "--reference-date", "2021-01-01"])
    assert "2 documents (2 cached)" in again.stderr


def test_manifest_problems_are_lines_and_rows(tmp_path):
    src = _many(tmp_path, 1)
    (src / "manifest.csv").write_bytes("file,province,publish_date\n00.txt,河北,2020-13-01\n缺.txt,河北,\n"
                                       .encode("gbk"))
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), "-w", "1"])
    assert res.exit_code == 0
    rows = [e for e in _jsonl(out / "errors.jsonl") if e["code"] == "manifest"]
    assert [("row 2" in e["message"], "row 3" in e["message"]) for e in rows] == [(True, False), (False, True)]
    assert sum("manifest.csv" in line for line in res.stderr.splitlines()) == 2
    assert [d.get("regions")[0]["region"] for d in _jsonl(out / "documents.jsonl")] == ["河北省"]


def test_a_broken_installation_stops_the_run(tmp_path, monkeypatch):
    import sys

    src = _many(tmp_path, 1)
    (src / "page.html").write_text("<html><body><p>省委巡视组反馈后2个月内报送整改情况。</p></body></html>",
                                   encoding="utf-8")
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(tmp_path / "out"), "-w", "1"])
    assert res.exit_code == Exit.INSTALL
    assert len(res.stderr.splitlines()) == 1 and "trafilatura" in res.stderr and "reinstall" in res.stderr


def test_a_timeout_inside_a_format_reader_is_a_timeout(tmp_path, monkeypatch):
    from pipeline.reading import formats

    src = _many(tmp_path, 1)
    (src / "slow.pdf").write_bytes(b"%PDF-1.4")

    def stuck(data, path):
        try:
            time.sleep(30)
        except Exception:  # what a library does: it must not swallow the budget
            pass
        return formats.Extracted("省委", "pdf")

    monkeypatch.setitem(formats.READERS, ".pdf", stuck)
    batch.run([src], tmp_path / "out", workers=1, doc_timeout=0.5, quiet=True)
    assert [(e["path"].endswith("slow.pdf"), e["code"]) for e in _jsonl(tmp_path / "out" / "errors.jsonl")] == \
        [(True, "timeout")]


def test_a_document_over_its_memory_budget_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    from pipeline.run import budget
    from pipeline.run import process as proc

    real = proc.process

    def greedy(source, **kwargs):
        if source.path.endswith("01.txt"):
            hoard = []
            while True:
                hoard.append(b"x" * 2**20)
        return real(source, **kwargs)

    monkeypatch.setattr(proc, "process", greedy)
    limit = budget.rss() / 2**20 + 200
    summary = batch.run([_many(tmp_path, 3)], tmp_path / "out", workers=1, max_memory=limit, quiet=True)
    assert [(Path(e["path"]).name, e["code"]) for e in _jsonl(tmp_path / "out" / "errors.jsonl")] == \
        [("01.txt", "memory")]
    assert summary["documents"] == 2


def test_progress_lines_when_stderr_is_a_log(capsys):
    from pipeline.run.progress import Progress

    with Progress(3, 3000, quiet=False, every=0) as p:
        for _ in range(3):
            p.advance(1000, 1000)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("xunshi: 1 of 3 documents, 1,000 chars") and "left" in lines[0]


def test_eta_counts_sizes_not_documents(monkeypatch):
    from pipeline.run import progress

    clock = iter([0.0, 10.0, 10.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    p = progress.Progress(10, 1000, quiet=True)
    p.advance(500, 500)  # one document of ten, but half of the bytes, in 10 s
    assert round(p.left()) == 10


def test_a_file_name_that_is_not_utf8_does_not_stop_the_run(tmp_path):
    src = _many(tmp_path, 1)
    with open(os.path.join(os.fsencode(src), "巡察.txt".encode("gbk")), "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    summary = batch.run([src], tmp_path / "out", workers=1, quiet=True)
    assert summary["documents"] == 2
    assert _ids(tmp_path / "out") == ["00.txt", "巡察.txt"]
