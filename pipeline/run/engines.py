"""Where `work` runs: this process, a pool of worker processes, or a Dask cluster.

Each engine maps jobs to results (`Done`, `Failed`, `Fatal`) in any order; the batch writes
outputs in the plan's order, so results are identical whatever the engine.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator

from pipeline.run import job as J
from pipeline.run.budget import die_with_parent, rss
from pipeline.run.job import Job, Options, failed, stop_on, warm_up

MEMORY_POLL = 0.25  # seconds between two looks at the pool workers' memory


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
    return PoolEngine(min(workers, jobs), options, jobs)


class InlineEngine:
    """This process: no start-up cost; the budgets are the in-process ones only. For a single
    document it loads the rules and the segmenter first, and the model and the POS tagger only
    if the document needs them; for more, everything first (`warm_up`)."""

    workers = 1
    on_this_machine = True  # work runs here: it writes each result's cache entry itself

    def __init__(self, options: Options, jobs: int, name: str = "local"):
        self.options, self.jobs, self.name = options, jobs, name

    def __enter__(self):
        if self.jobs:
            stop_on(warm_up(self.options, full=self.jobs > 1))
        return self

    def map(self, jobs: Iterator[Job]) -> Iterator:
        return (J.work(job) for job in jobs)

    def __exit__(self, *exc):
        from pipeline import kept

        kept.save_all()  # rules first compiled by a document, for the next run
        return False

    def finish(self) -> None:
        """Nothing left running once the engine is exited."""


def worker_main(conn, options: Options, parent: int) -> None:
    """A pool worker: warm up once, then its jobs in the order they come until told to stop or
    orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    fatal = warm_up(options)
    conn.send(fatal or "ready")
    if fatal:
        return
    for job in read_ahead(conn):
        if job is None:  # the run is over: keep what documents taught this worker (POS tags)
            from pipeline import kept

            kept.save_all()
            return
        conn.send(J.work(job))


GONE = object()  # the parent's end of the pipe closed


def read_ahead(conn) -> Iterator:
    """The messages of `conn` as they come, taken off the pipe by a thread while the worker
    extracts: the parent can send the next job to a busy worker without waiting for it to read
    (a job of a few hundred KB fills the pipe), and the worker starts it without waiting for
    the parent. Ends when the pipe closes."""
    import queue

    got = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                msg = conn.recv()
                got.put(msg)
                if msg is None:
                    return
        except (EOFError, OSError):
            got.put(GONE)

    threading.Thread(target=read, name="xunshi-read-ahead", daemon=True).start()
    while (msg := got.get()) is not GONE:
        yield msg


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
        self.released = False

    def ready(self) -> None:
        """Wait for the warm-up; a rule error or a dead worker stops the run here."""
        if not self.conn.poll(self.ready_timeout):
            raise RuntimeError("a worker process did not start in time")
        try:
            msg = self.conn.recv()
        except EOFError:
            raise RuntimeError(f"a worker process died starting (exit code {self.proc.exitcode})") from None
        if isinstance(msg, J.Fatal):
            msg.stop()

    def rss(self) -> int:
        """The worker's resident memory in bytes (0 once it is gone)."""
        return rss(self.proc.pid)

    def release(self) -> None:
        """Tell the worker there is no more work: it saves what it learnt and ends on its own,
        while the run goes on (`stop` then waits for it)."""
        if not self.released:
            self.released = True
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass

    def stop(self, kill: bool = False) -> None:
        if not kill:
            self.release()
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(2)
        self.conn.close()


class Feed:
    """The run's jobs for the pool: first those a stopped worker held but had not finished, then
    the rest in order, with an estimate of how many are left (`expected` less those taken;
    documents found in the cache are skipped unseen, so it may be high)."""

    def __init__(self, jobs: Iterator[Job], expected: int):
        self.jobs, self.left, self.back, self.over = iter(jobs), expected, deque(), False

    def take(self) -> Job | None:
        if self.back:
            return self.back.popleft()
        job = None if self.over else next(self.jobs, None)
        self.over = job is None
        self.left = 0 if job is None else max(0, self.left - 1)
        return job

    def put_back(self, jobs) -> None:
        self.back.extend(jobs)


class PoolEngine:
    """Worker processes, each with its dictionaries and models loaded once.

    A worker holds at most `DEPTH` jobs: the one it extracts and, while enough are left that no
    other worker would go idle for it, the next, read ahead (`read_ahead`), so that it starts
    the next document the moment it has sent a result, not after the parent has received it and
    answered (about 2 ms a document). A job's time budget runs from when it becomes the first
    a worker holds; a worker past that budget (plus a grace period for the in-process timeout
    to fire) or past its memory budget is killed and replaced, its document reported, and the
    job it held ahead given to another worker: no other document is lost.

    Starting and ending a worker costs tens of milliseconds each (forking the loaded process,
    then the kernel freeing its memory): a worker with nothing left to do is released at once
    (it saves and ends while the others finish their last documents), and all are told to stop
    before any is waited for, so that they end together, not one after the other.
    """

    name = "local"
    DEPTH = 2
    on_this_machine = True  # the workers write each result's cache entry themselves

    def __init__(self, workers: int, options: Options, expected: int = 0):
        self.workers, self.options, self.expected, self.pool = workers, options, expected, []
        budget = options.doc_timeout
        self.hard = budget + max(5.0, budget / 4) if budget and budget > 0 else None
        self.memory = options.max_memory * 2**20 if options.max_memory else None
        self.held: dict[_Worker, deque] = {}  # the jobs each worker was sent and has not answered
        self.due: dict[_Worker, float | None] = {}  # when the first of them is past its budget

    def __enter__(self):
        """Load once here (forked workers share it, and the next run reuses it) and start the
        first worker; `map` starts the others once the first has a job."""
        if can_fork():
            stop_on(warm_up(self.options))
        self._start(1)
        return self

    def _start(self, n: int) -> None:
        """`n` more workers, each ready (a rule error or a dead worker stops the run here)."""
        try:
            new = [_Worker(self.options) for _ in range(n)]
            self.pool += new
            for w in new:
                w.ready()
                self.held[w] = deque()
        except BaseException:
            self.__exit__()
            self.finish()
            raise

    def map(self, jobs: Iterator[Job]) -> Iterator:
        """Results as workers send them. The first worker is given its first job before the
        others are forked: forking the loaded process takes the parent 5-10 ms a worker, which
        the first spends extracting."""
        from multiprocessing.connection import wait

        feed = Feed(jobs, self.expected)
        self._fill(feed, ahead=False)
        self._start(self.workers - len(self.pool))
        while True:
            self._fill(feed)
            busy = [w for w, held in self.held.items() if held]
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._until(busy))
            for w in [w for w in busy if w.conn in ready]:
                res = self._receive(w, feed)
                self._fill(feed)  # the next job goes out before this result is written
                yield res
            yield from self._expire(feed)
            yield from self._over_memory(feed)

    def _fill(self, feed: Feed, ahead: bool = True) -> None:
        """Give each worker holding nothing a job, then (with `ahead`), while more are left than
        there are workers, each holding fewer than `DEPTH` its next; once there are none left,
        release the workers holding nothing."""
        for w in [w for w, held in self.held.items() if not held and not w.released]:
            if not self._give(w, feed.take()):
                break
        for w in [w for w, held in self.held.items() if ahead and 0 < len(held) < self.DEPTH]:
            if feed.left <= len(self.held) or not self._give(w, feed.take()):
                break
        if feed.over and not feed.back:
            for w, held in self.held.items():
                if not held:
                    w.release()

    def _give(self, w: _Worker, job: Job | None) -> bool:
        if job is None:
            return False
        w.conn.send(job)
        if not self.held[w]:
            self.due[w] = self._deadline()
        self.held[w].append(job)
        return True

    def _deadline(self) -> float | None:
        """When a job a worker starts now is past its budget and grace (None: no budget)."""
        return time.monotonic() + self.hard if self.hard else None

    def _until(self, busy: list[_Worker]) -> float | None:
        deadlines = [d for w in busy if (d := self.due.get(w)) is not None]
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        if self.memory:
            wait = MEMORY_POLL if wait is None else min(wait, MEMORY_POLL)
        return wait

    def _receive(self, w: _Worker, feed: Feed):
        try:
            res = w.conn.recv()
        except (EOFError, OSError):
            code = w.proc.exitcode
            job = self._drop(w, feed)
            return failed(job.task, "failed", f"the worker process died (exit code {code}) on this file")
        held = self.held[w]
        held.popleft()
        self.due[w] = self._deadline() if held else None
        return res

    def _expire(self, feed: Feed) -> Iterator:
        now = time.monotonic()
        for w in [w for w in self.held if self.held[w] and (d := self.due.get(w)) is not None
                  and d <= now]:
            job = self._drop(w, feed)
            yield failed(job.task, "timeout",
                         f"took more than {self.options.doc_timeout:g} s (--doc-timeout): worker stopped")

    def _over_memory(self, feed: Feed) -> Iterator:
        """A worker past its memory budget (growing inside C code, where the in-process budget
        cannot interrupt it) is killed before it takes the machine's memory."""
        if not self.memory:
            return
        for w in [w for w in self.held if self.held[w] and w.rss() > self.memory]:
            job = self._drop(w, feed)
            yield failed(job.task, "memory",
                         f"needed more than {self.options.max_memory:g} MB (--max-memory): worker stopped")

    def _drop(self, w: _Worker, feed: Feed) -> Job:
        """Kill and replace a worker; its first job (the one it was extracting) is returned, the
        others go back to the feed."""
        held = self.held.pop(w)
        self.due.pop(w, None)
        job = held.popleft()
        feed.put_back(held)
        w.stop(kill=True)
        new = _Worker(self.options)
        new.ready()
        self.pool[self.pool.index(w)] = new
        self.held[new] = deque()
        return job

    def __exit__(self, *exc):
        """Every worker told to end, all at once (not one after the other); after an error they
        are killed and waited for here, otherwise they save what they learnt and end while the
        run writes its outputs, and `finish` waits for them."""
        kill = exc[0] is not None if exc else False
        if not kill:
            for w in self.pool:
                w.release()
            return False
        self.finish(kill=True)
        return False

    def finish(self, kill: bool = False) -> None:
        """Wait for every worker to end (a worker that does not within its grace is killed).
        Ending a worker takes about ten milliseconds (the kernel frees its memory), which the
        run spends writing its outputs instead of waiting."""
        for w in self.pool:
            w.stop(kill=kill)
        self.pool = []


class DaskEngine:
    """The same `work` on a Dask cluster: the one at `scheduler`, or a `LocalCluster`.

    Workers need xunshi installed (same version and rules: the cache key is computed here and
    results are checked by nothing else). Bytes travel with each job, so workers need no access
    to the input folders; results come back to this process, which writes every output.
    """

    name = "dask"
    on_this_machine = False  # workers may have no access to the output folder

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
        fut = self.client.submit(J.work, job, pure=False)
        tasks[fut.key] = job.task
        pending.add(fut)

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False

    def finish(self) -> None:
        """Nothing left running once the engine is exited."""
