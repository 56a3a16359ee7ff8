"""Folders of reports → output files: fast, resumable, going on through bad files.

A run has three steps, and each guarantees something:

1. Plan (parent, I/O only): list the files, hash each one's bytes and look for its result in
   the cache `OUT/.cache/<sha256>-<key>.jsonl`, where `key` hashes the rules, the code and the
   options. Unchanged documents are not processed again; `--force` ignores the cache.
2. Extract (workers): every document not cached goes to an engine (this process, a pool of
   worker processes, or a Dask cluster); each result is written to the cache atomically the
   moment it arrives. A run killed here (even `kill -9`) loses at most the documents in flight.
3. Assemble (parent): the JSONL outputs are written from the cache in the order of the plan
   (arguments in order, folders sorted), under temporary names renamed into place at the end.
   Whatever the engine, the number of workers or the interruptions, the outputs are identical,
   and an interrupted run never leaves a half-written file in place of a good one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.version import __version__
from pipeline.atomic import remove_stale_temporaries, temporary, write_json_atomic, write_text_atomic
from pipeline.context import segment
from pipeline.errors import InputError, RuleError
from pipeline.reading.files import find_files, load_manifest, read_bytes, read_file, to_source
from pipeline.records import SCHEMA_VERSION, Document, ErrorRecord
from pipeline.rules import rule_path

OUTPUTS = ("documents", "mentions", "items", "errors")
WARM_UP = "warm_up.txt"  # a short composed report (rules/) that loads every table before the first real one
ONE_AT_A_TIME = threading.Lock()
CACHE_DIR = ".cache"
DOC_OUTPUTS = ("documents", "mentions", "items")


@dataclass(frozen=True)
class Options:
    """Everything besides the bytes that changes a document's records (part of the cache key)."""

    reference_date: dt.date | None = None
    region: str | None = None
    use_model: bool = True
    doc_timeout: float | None = 60.0


@dataclass(frozen=True)
class Task:
    """One file of the plan, in output order."""

    index: int
    path: str
    shown: str
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Job:
    """What a worker needs: the bytes travel with it, so remote workers need no shared disk."""

    task: Task
    data: bytes
    options: Options


@dataclass(frozen=True)
class Done:
    """A document's output lines per file (`documents`, `mentions`, `items`)."""

    index: int
    lines: dict
    chars: int
    sha256: str


@dataclass(frozen=True)
class Failed:
    index: int
    error: ErrorRecord


@dataclass(frozen=True)
class Fatal:
    """Not the document's fault (a rule file that does not validate): the run must stop."""

    index: int
    path: str
    rule_id: str
    message: str

    @classmethod
    def of(cls, index: int, exc: RuleError) -> Fatal:
        return cls(index, exc.path, getattr(exc, "rule_id", ""), exc.message)

    def stop(self):
        """The rule error again, in the process that runs the batch (it does not pickle)."""
        err = RuleError(self.path, "", self.message)
        err.rule_id = self.rule_id
        raise err


# -- in-process iteration (the library API) -------------------------------------------------

def iter_sources(paths: list[Path]) -> Iterator:
    """Each report under `paths` as a `Source`, or the `InputError` that stopped it."""
    for task in plan(paths):
        try:
            yield read_file(Path(task.path), task.shown, task.meta)
        except InputError as exc:
            yield exc


def iter_documents(paths: list[Path], reference_date: dt.date | None = None,
                   region: str | None = None, use_model: bool = True) -> Iterator:
    """Each report as a `Document`, or the error that stopped it (the run goes on)."""
    from pipeline.run.process import process

    for src in iter_sources(paths):
        if isinstance(src, Exception):
            yield src
            continue
        try:
            yield process(src, reference_date=reference_date, region=region, use_model=use_model)
        except (RecursionError, ValueError) as exc:  # a pathological text must not stop the run
            yield InputError(src.path, f"extraction failed: {type(exc).__name__}: {exc}", "failed")


def plan(paths: list[Path]) -> list[Task]:
    """Every report under `paths` with its manifest row, in the order outputs are written."""
    manifests: dict[Path, dict] = {}
    tasks = []
    for path, shown in find_files([Path(p) for p in paths]):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = load_manifest(folder) if folder.is_dir() else {}
        tasks.append(Task(len(tasks), str(path), shown, manifests[folder].get(path.name, {})))
    return tasks


# -- one document, wherever it runs ----------------------------------------------------------

def work(job: Job) -> Done | Failed | Fatal:
    """Decode, extract and serialise one document; every failure becomes a result, never a raise.

    Runs in a worker process, a Dask worker or this process alike, within the time budget.
    Documents in threads of one process take turns (`ONE_AT_A_TIME`): the segmenter and the
    spaCy vocabulary are shared per process and not made for concurrent writers, so
    parallelism comes from processes. The lock is taken before the budget starts, so a timeout
    can never leave it held.
    """
    from pipeline.run.process import process

    t, opts = job.task, job.options
    try:
        with ONE_AT_A_TIME, time_budget(opts.doc_timeout):
            src = to_source(job.data, t.shown, t.meta, Path(t.path).suffix)
            doc = process(src, reference_date=opts.reference_date, region=opts.region,
                          use_model=opts.use_model)
            return Done(t.index, document_lines(doc), doc.chars, src.sha256)
    except InputError as exc:
        return failed(t, exc.code, exc.message)
    except DocTimeout:
        return failed(t, "timeout", f"took more than {opts.doc_timeout:g} s (--doc-timeout): skipped")
    except RuleError as exc:
        return Fatal.of(t.index, exc)
    except (Exception, RecursionError) as exc:  # one document's bug must not stop the run
        return failed(t, "failed", f"extraction failed: {type(exc).__name__}: {exc}")


def failed(task: Task, code: str, message: str) -> Failed:
    return Failed(task.index, ErrorRecord(path=task.shown, code=code, message=message))


def document_lines(doc: Document) -> dict:
    """The JSONL lines of one document, serialised where it was extracted (by pydantic's own
    serialiser: a fifth of the cost of `model_dump` then `json.dumps`)."""
    return {"documents": [doc.model_dump_json(exclude={"mentions", "items"})],
            "mentions": [m.model_dump_json() for m in doc.mentions],
            "items": [it.model_dump_json() for it in doc.items]}


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def warm_up(options: Options) -> Fatal | None:
    """Load dictionaries, rules and models once, before the first real document.

    Returns the rule error that would fail every document, for the caller to stop the run.
    """
    text = rule_path(WARM_UP).read_bytes()
    # no time budget: interrupting a library while it loads could leave it half-initialised
    unbounded = dataclasses.replace(options, doc_timeout=None)
    res = work(Job(Task(-1, "warm-up.txt", "warm-up.txt"), text, unbounded))
    segment.pos(text.decode()[:8])  # jieba.posseg loads its tables on first use, which stages call lazily
    settle_memory()
    return res if isinstance(res, Fatal) else None


def settle_memory() -> None:
    """Set the loaded dictionaries, rules and models aside from the garbage collector.

    They live as long as the process, yet every full collection walked them, and in forked
    workers each walk copied their pages (copy-on-write). Frozen, they are never walked; with a
    larger first generation, the many short-lived records of a document are collected in
    fewer passes. Together they cut the collector's share of a run from about 7% to under 3%
    (measured over ../shared/corpora).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 50)


def stop_on(fatal: Fatal | None) -> None:
    if fatal is not None:
        fatal.stop()


# -- the time budget ---------------------------------------------------------------------

class DocTimeout(Exception):
    """A document ran past its time budget (`--doc-timeout`)."""


@contextmanager
def time_budget(seconds: float | None):
    """Raise `DocTimeout` in this thread once `seconds` have passed inside the block.

    The main thread uses SIGALRM; other threads (Dask runs tasks in threads) get the exception
    set asynchronously. Both stop pure-Python work such as `jieba.posseg` on a pathological
    text; a stall inside C code is ended by the pool, which kills the worker process.
    """
    if not seconds or seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _thread_alarm(seconds):
            yield


@contextmanager
def _alarm(seconds: float):
    def ring(signum, frame):
        raise DocTimeout(seconds)

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def _thread_alarm(seconds: float):
    import ctypes

    tid, lock, state = threading.get_ident(), threading.Lock(), {"armed": True, "fired": False}
    set_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc

    def ring():
        with lock:
            if state["armed"]:
                state["fired"] = True
                set_exc(ctypes.c_ulong(tid), ctypes.py_object(DocTimeout))

    timer = threading.Timer(seconds, ring)
    timer.daemon = True
    timer.start()
    raised = False
    try:
        yield
    except DocTimeout:
        raised = True
        raise
    finally:
        with lock:
            state["armed"] = False
            timer.cancel()
            pending = state["fired"] and not raised
        if pending:  # set as the block ended: it must not surface in the caller's code
            _absorb_timeout()


def _absorb_timeout() -> None:
    """Let a `DocTimeout` that was set but not yet raised arrive here, and drop it.

    Withdrawing it with `PyThreadState_SetAsyncExc(id, NULL)` instead leaves CPython's eval
    breaker signalled for good (nothing consumes the signal), which slows every later bytecode
    of the process and made a profiled run hang.
    """
    try:
        for _ in range(1000):  # the exception is delivered at the first backward jump
            pass
    except DocTimeout:
        pass


# -- the cache ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the package's own files: a changed extractor must not reuse old results."""
    h = hashlib.sha256(__version__.encode())
    root = Path(__file__).resolve().parents[1]  # the whole package, not only run/
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def run_key(options: Options) -> str:
    """Rules, code and the options that change records; the time budget does not."""
    from pipeline.rules import rules_hash

    parts = [rules_hash(), code_hash(), SCHEMA_VERSION, segment.backend(),
             str(options.reference_date), str(options.region), str(options.use_model)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def cache_path(cache: Path, task: Task, sha: str, key: str) -> Path:
    """The cache entry of one file's bytes, at one path, with its manifest row, under `key`."""
    where = json.dumps([task.shown, task.meta], ensure_ascii=False, sort_keys=True)
    return cache / f"{sha}-{hashlib.sha256((key + where).encode()).hexdigest()[:16]}.jsonl"


def write_cache(path: Path, done: Done) -> None:
    """Written under a temporary name and renamed: an entry is complete or absent."""
    write_text_atomic(path, "".join(f"{name}\t{line}\n" for name in DOC_OUTPUTS
                                    for line in done.lines[name]))


def cached_chars(path: Path) -> int | None:
    """The `chars` of a cache entry, or None when there is none (or it is unreadable)."""
    try:
        with open(path, encoding="utf-8") as fh:
            name, line = fh.readline().split("\t", 1)
        return int(json.loads(line)["chars"]) if name == "documents" else None
    except (OSError, ValueError, KeyError):
        return None


# -- output files -------------------------------------------------------------------------

class AtomicJsonl:
    """JSON Lines files written under temporary names and renamed only when complete."""

    def __init__(self, out: Path, names=OUTPUTS):
        self.out = out
        self.paths = {n: out / f"{n}.jsonl" for n in names}
        self.tmp = {n: temporary(p) for n, p in self.paths.items()}
        self._stack = ExitStack()
        self.fh = {}

    def __enter__(self):
        self.out.mkdir(parents=True, exist_ok=True)
        self.fh = {n: self._stack.enter_context(open(p, "w", encoding="utf-8"))
                   for n, p in self.tmp.items()}
        return self

    def write(self, name: str, record: dict) -> None:
        self.fh[name].write(_dumps(record) + "\n")

    def write_line(self, name: str, line: str) -> None:
        self.fh[name].write(line)

    def __exit__(self, exc_type, exc, tb):
        self._stack.close()
        for name, tmp in self.tmp.items():
            if exc_type is None:
                os.replace(tmp, self.paths[name])
            else:
                tmp.unlink(missing_ok=True)
        return False


def write_document(w: AtomicJsonl, doc: Document) -> None:
    """A `Document` extracted in this process, as its JSONL lines."""
    for name, lines in document_lines(doc).items():
        for line in lines:
            w.write_line(name, line + "\n")


def write_cached(w: AtomicJsonl, path: Path) -> None:
    """A cache entry copied line by line into the outputs: memory stays flat."""
    with open(path, encoding="utf-8") as fh:
        for row in fh:
            name, line = row.split("\t", 1)
            w.write_line(name, line)


# -- the run ------------------------------------------------------------------------------

class Run:
    """The state of one run: where each task's result is, and the counts for the summary."""

    def __init__(self, out: Path, options: Options, force: bool, quiet: bool):
        self.out, self.options, self.force, self.quiet = out, options, force, quiet
        self.cache = out / CACHE_DIR
        self.key = run_key(options)
        self.results: dict[int, Path | ErrorRecord] = {}
        self.chars: dict[int, int] = {}
        self.cached = 0
        self.progress = None

    def prepare(self, task: Task, data: bytes | None = None) -> Job | None:
        """Read and hash one file; a job if it needs extracting, None if it is settled."""
        try:
            data = read_bytes(Path(task.path), task.shown) if data is None else data
        except InputError as exc:
            self.record(failed(task, exc.code, exc.message))
            return None
        entry = cache_path(self.cache, task, hashlib.sha256(data).hexdigest(), self.key)
        chars = None if self.force else cached_chars(entry)
        if chars is None:
            return Job(task, data, self.options)
        self.results[task.index], self.chars[task.index] = entry, chars
        self.cached += 1
        return None

    def jobs(self, todo: list[Task]) -> Iterator[Job]:
        """The jobs of the plan's unsettled tasks, read again one at a time (memory stays flat)."""
        for task in todo:
            job = self.prepare(task)
            if job is not None:
                yield job
            elif self.progress:
                self.progress.advance(self.chars.get(task.index, 0))

    def record(self, res: Done | Failed | Fatal, task: Task | None = None) -> None:
        """A result as it arrives: cached at once if good, reported at once if not."""
        if isinstance(res, Fatal):
            res.stop()
        if isinstance(res, Done):
            entry = cache_path(self.cache, task, res.sha256, self.key)
            write_cache(entry, res)
            self.results[res.index], self.chars[res.index] = entry, res.chars
        else:
            self.results[res.index] = res.error
            self.say(f"xunshi: {res.error.path}: {res.error.message} [{res.error.code}]")
        if self.progress and task is not None:
            self.progress.advance(self.chars.get(res.index, 0))

    def say(self, line: str) -> None:
        if self.progress:
            self.progress.print(line)
        else:
            print(line, file=sys.stderr)

    def assemble(self, tasks: list[Task]) -> tuple[int, int]:
        """The outputs, written from the cache in plan order; returns (documents, failed)."""
        read = bad = 0
        with AtomicJsonl(self.out) as w:
            for task in tasks:
                res = self.results[task.index]
                if isinstance(res, ErrorRecord):
                    bad += 1
                    w.write("errors", res.model_dump())
                else:
                    read += 1
                    write_cached(w, res)
        return read, bad


def run(paths: list[Path], out: Path, reference_date: dt.date | None = None,
        region: str | None = None, quiet: bool = False, workers: int | None = None,
        doc_timeout: float | None = 60.0, engine: str = "local", scheduler: str | None = None,
        force: bool = False, use_model: bool = True) -> dict:
    """Extract every report under `paths` into `out`; returns the run summary (`run.json`).

    Args:
        workers: processes (or Dask workers) to use; the number of cores by default.
        doc_timeout: seconds one document may take before it is reported and skipped.
        engine: `local` (this machine) or `dask` (a `LocalCluster`, or the cluster at `scheduler`).
        force: extract again even documents whose cached result is still valid.
        use_model: False runs the rules alone.
    """
    t0 = time.perf_counter()
    out = Path(out)
    options = Options(reference_date, region, use_model, doc_timeout)
    state = Run(out, options, force, quiet)
    state.cache.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out, state.cache)
    tasks = plan(paths)
    todo = largest_first(tasks, state)
    by_index = {t.index: t for t in tasks}
    eng = make_engine(engine, workers or os.cpu_count() or 1, len(todo), options, scheduler)
    with eng, Progress(len(todo), quiet) as progress:
        state.progress = progress
        for res in eng.map(state.jobs(todo)):
            state.record(res, by_index[res.index])
    state.progress = None
    documents, bad = state.assemble(tasks)
    summary = {"version": __version__, "schema_version": SCHEMA_VERSION, "rules_hash": _rules_hash(),
               "inputs": [str(p) for p in paths], "documents": documents, "failed": bad,
               "cached": state.cached, "chars": sum(state.chars.values()),
               "engine": eng.name, "workers": eng.workers,
               "seconds": round(time.perf_counter() - t0, 3)}
    write_json_atomic(out / "run.json", summary)
    return summary


def largest_first(tasks: list[Task], state: Run) -> list[Task]:
    """The tasks still to extract (each file read once here, for its hash), big files first:
    with several workers, the run then ends on small documents instead of one worker finishing
    a long report while the others wait (outputs keep the plan's order)."""
    size: dict[int, int] = {}
    for t in tasks:
        data = _peek(t)
        if state.prepare(t, data) is not None:
            size[t.index] = len(data)
    return sorted((t for t in tasks if t.index in size), key=lambda t: (-size[t.index], t.index))


def _peek(task: Task) -> bytes | None:
    """The bytes for the planning hash, or None to let `prepare` report the read error."""
    try:
        return read_bytes(Path(task.path), task.shown)
    except InputError:
        return None


def _rules_hash() -> str:
    from pipeline.rules import rules_hash

    return rules_hash()


# -- progress -----------------------------------------------------------------------------

class Progress:
    """A bar with documents, characters and rate on a terminal; silent for scripts and logs."""

    def __init__(self, total: int, quiet: bool):
        self.total, self.quiet, self.bar, self.task = total, quiet, None, None
        self.docs = self.chars = 0
        self.t0 = time.perf_counter()

    def __enter__(self):
        if self.quiet or not self.total or not sys.stderr.isatty():
            return self
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self.bar = Bar(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("docs · {task.fields[chars]} chars · {task.fields[rate]} chars/s"),
                       TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("extract", total=self.total, chars="0", rate="–")
        return self

    def advance(self, chars: int) -> None:
        self.docs += 1
        self.chars += chars
        if self.bar is not None:
            rate = self.chars / max(time.perf_counter() - self.t0, 1e-6)
            self.bar.update(self.task, advance=1, chars=f"{self.chars:,}", rate=f"{rate:,.0f}")

    def print(self, line: str) -> None:
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


# -- engines: where `work` runs -----------------------------------------------------------

def make_engine(name: str, workers: int, jobs: int, options: Options, scheduler: str | None):
    """Dask when asked; a process pool for two or more documents and workers; else inline."""
    if name not in ("local", "dask"):
        raise ValueError(f"unknown engine {name!r}: local or dask")
    if jobs == 0:  # everything cached or unreadable: no cluster, no workers to start
        return InlineEngine(options, jobs, name)
    if name == "dask":
        return DaskEngine(workers, options, scheduler)
    if workers <= 1 or jobs <= 1:
        return InlineEngine(options, jobs)
    return PoolEngine(min(workers, jobs), options)


class InlineEngine:
    """This process: no start-up cost; the time budget is the SIGALRM one only."""

    workers = 1

    def __init__(self, options: Options, jobs: int, name: str = "local"):
        self.options, self.jobs, self.name = options, jobs, name

    def __enter__(self):
        if self.jobs:
            stop_on(warm_up(self.options))
        return self

    def map(self, jobs: Iterator[Job]) -> Iterator:
        return (work(job) for job in jobs)

    def __exit__(self, *exc):
        return False


def worker_main(conn, options: Options, parent: int) -> None:
    """A pool worker: warm up once, then one job at a time until told to stop or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    fatal = warm_up(options)
    conn.send(fatal or "ready")
    if fatal:
        return
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:  # the parent was killed: do not linger
                return
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        conn.send(work(job))


def can_fork() -> bool:
    """Forking is instant and shares the loaded models, but is only safe without other threads."""
    import multiprocessing as mp

    return threading.active_count() == 1 and "fork" in mp.get_all_start_methods()


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, options: Options, ready_timeout: float = 300.0):
        import multiprocessing as mp

        ctx = mp.get_context("fork" if can_fork() else "spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, options, os.getpid()), daemon=True)
        self.proc.start()
        child.close()
        self.ready_timeout = ready_timeout

    def ready(self) -> None:
        """Wait for the warm-up; a rule error or a dead worker stops the run here."""
        if not self.conn.poll(self.ready_timeout):
            raise RuntimeError("a worker process did not start in time")
        try:
            msg = self.conn.recv()
        except EOFError:
            raise RuntimeError(f"a worker process died starting (exit code {self.proc.exitcode})") from None
        if isinstance(msg, Fatal):
            msg.stop()

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


class PoolEngine:
    """Worker processes, each with its dictionaries and models loaded once.

    One job per worker at a time, so a worker past its time budget (plus a grace period for the
    soft timeout to fire) can be killed and replaced without losing any other document.
    """

    name = "local"

    def __init__(self, workers: int, options: Options):
        self.workers, self.options, self.pool = workers, options, []
        budget = options.doc_timeout
        self.hard = budget + max(5.0, budget / 4) if budget and budget > 0 else None

    def __enter__(self):
        if can_fork():  # load once here; forked workers share it (and the next run reuses it)
            stop_on(warm_up(self.options))
        try:
            self.pool = [_Worker(self.options) for _ in range(self.workers)]
            for w in self.pool:
                w.ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def map(self, jobs: Iterator[Job]) -> Iterator:
        from multiprocessing.connection import wait

        jobs, idle, busy = iter(jobs), list(self.pool), {}
        while True:
            for w in self._fill(jobs, idle, busy):
                busy[w] = (busy[w][0], time.monotonic() + self.hard if self.hard else None)
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._until(busy))
            for w in [w for w in busy if w.conn in ready]:
                job = busy.pop(w)[0]
                yield self._receive(w, job, idle)
            yield from self._expire(busy, idle)

    def _fill(self, jobs, idle, busy) -> list:
        started = []
        while idle:
            job = next(jobs, None)
            if job is None:
                break
            w = idle.pop()
            w.conn.send(job)
            busy[w] = (job, None)
            started.append(w)
        return started

    def _until(self, busy) -> float | None:
        deadlines = [d for _, d in busy.values() if d is not None]
        return max(0.0, min(deadlines) - time.monotonic()) if deadlines else None

    def _receive(self, w: _Worker, job: Job, idle: list):
        try:
            res = w.conn.recv()
        except (EOFError, OSError):
            code = w.proc.exitcode
            idle.append(self._replace(w, kill=True))
            return failed(job.task, "failed", f"the worker process died (exit code {code}) on this file")
        idle.append(w)
        return res

    def _expire(self, busy, idle) -> Iterator:
        now = time.monotonic()
        for w in [w for w, (_, d) in busy.items() if d is not None and d <= now]:
            job = busy.pop(w)[0]
            idle.append(self._replace(w, kill=True))
            yield failed(job.task, "timeout",
                         f"took more than {self.options.doc_timeout:g} s (--doc-timeout): worker stopped")

    def _replace(self, w: _Worker, kill: bool) -> _Worker:
        w.stop(kill=kill)
        new = _Worker(self.options)
        new.ready()
        self.pool[self.pool.index(w)] = new
        return new

    def __exit__(self, *exc):
        for w in self.pool:
            w.stop()
        return False


class DaskEngine:
    """The same `work` on a Dask cluster: the one at `scheduler`, or a `LocalCluster`.

    Workers need xunshi installed (same version and rules: the cache key is computed here and
    results are checked by nothing else). Bytes travel with each job, so workers need no access
    to the input folders; results come back to this process, which writes every output.
    """

    name = "dask"

    def __init__(self, workers: int, options: Options, scheduler: str | None):
        self.workers, self.options, self.scheduler = workers, options, scheduler
        self.client = self.cluster = None

    def __enter__(self):
        import logging

        from distributed import Client, LocalCluster

        if self.scheduler:
            self.client = Client(self.scheduler)
        else:
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        self.workers = len(self.client.scheduler_info().get("workers", {})) or self.workers
        for fatal in self.client.run(warm_up, self.options).values():
            stop_on(fatal)
        return self

    def map(self, jobs: Iterator[Job]) -> Iterator:
        from distributed import as_completed

        jobs, tasks = iter(jobs), {}
        pending = as_completed()
        for _ in range(2 * self.workers):
            self._submit(next(jobs, None), pending, tasks)
        for fut in pending:
            task = tasks.pop(fut.key)
            try:
                res = fut.result()
            except Exception as exc:  # a worker lost with the task: the run goes on
                res = failed(task, "failed", f"Dask task failed: {type(exc).__name__}: {exc}")
            fut.release()
            yield res
            self._submit(next(jobs, None), pending, tasks)

    def _submit(self, job: Job | None, pending, tasks: dict) -> None:
        if job is None:
            return
        fut = self.client.submit(work, job, pure=False)
        tasks[fut.key] = job.task
        pending.add(fut)

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False
