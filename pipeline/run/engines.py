"""Where `work` runs: this process, a pool of worker processes, or a Dask cluster.

Each engine maps jobs to results (`Done`, `Failed`, `Fatal`) in any order; the batch writes
outputs in the plan's order, so results are identical whatever the engine.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

from pipeline.run import job as J
from pipeline.run.budget import die_with_parent
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
    return PoolEngine(min(workers, jobs), options)


class InlineEngine:
    """This process: no start-up cost; the budgets are the in-process ones only. For a single
    document it loads the rules and the segmenter first, and the model and the POS tagger only
    if the document needs them; for more, everything first (`warm_up`)."""

    workers = 1

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


def worker_main(conn, options: Options, parent: int) -> None:
    """A pool worker: warm up once, then one job at a time until told to stop or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)
    fatal = warm_up(options)
    conn.send(fatal or "ready")
    if fatal:
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:  # the run is over: keep what documents taught this worker (POS tags)
            from pipeline import kept

            kept.save_all()
            return
        conn.send(J.work(job))


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
        self._ps, self.released = None, False

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
        import psutil

        try:
            self._ps = self._ps or psutil.Process(self.proc.pid)
            return self._ps.memory_info().rss
        except psutil.Error:
            return 0

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


class PoolEngine:
    """Worker processes, each with its dictionaries and models loaded once.

    One job per worker at a time, so a worker past its time budget (plus a grace period for the
    in-process timeout to fire) or past its memory budget can be killed and replaced without
    losing any other document.

    Starting and ending a worker costs tens of milliseconds each (forking the loaded process,
    then the kernel freeing its memory): a worker with nothing left to do is released at once
    (it saves and ends while the others finish their last documents), and all are told to stop
    before any is waited for, so that they end together, not one after the other.
    """

    name = "local"

    def __init__(self, workers: int, options: Options):
        self.workers, self.options, self.pool = workers, options, []
        budget = options.doc_timeout
        self.hard = budget + max(5.0, budget / 4) if budget and budget > 0 else None
        self.memory = options.max_memory * 2**20 if options.max_memory else None

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
            self._fill(jobs, idle, busy)
            if not busy:
                return
            ready = wait([w.conn for w in busy], timeout=self._until(busy))
            for w in [w for w in busy if w.conn in ready]:
                job = busy.pop(w)[0]
                res = self._receive(w, job, idle)
                self._fill(jobs, idle, busy)  # the next job goes out before this result is written
                yield res
            yield from self._expire(busy, idle)
            yield from self._over_memory(busy, idle)

    def _fill(self, jobs, idle, busy) -> None:
        """Give each idle worker a job; once there are none left, release the idle ones."""
        while idle:
            job = next(jobs, None)
            if job is None:
                for w in idle:
                    w.release()
                idle.clear()
                break
            w = idle.pop()
            w.conn.send(job)
            busy[w] = (job, time.monotonic() + self.hard if self.hard else None)

    def _until(self, busy) -> float | None:
        deadlines = [d for _, d in busy.values() if d is not None]
        wait = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        if self.memory:
            wait = MEMORY_POLL if wait is None else min(wait, MEMORY_POLL)
        return wait

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

    def _over_memory(self, busy, idle) -> Iterator:
        """A worker past its memory budget (growing inside C code, where the in-process budget
        cannot interrupt it) is killed before it takes the machine's memory."""
        if not self.memory:
            return
        for w in [w for w in busy if w.rss() > self.memory]:
            job = busy.pop(w)[0]
            idle.append(self._replace(w, kill=True))
            yield failed(job.task, "memory",
                         f"needed more than {self.options.max_memory:g} MB (--max-memory): worker stopped")

    def _replace(self, w: _Worker, kill: bool) -> _Worker:
        w.stop(kill=kill)
        new = _Worker(self.options)
        new.ready()
        self.pool[self.pool.index(w)] = new
        return new

    def __exit__(self, *exc):
        kill = exc[0] is not None if exc else False
        if not kill:
            for w in self.pool:  # all end at once, not one after the other
                w.release()
        for w in self.pool:
            w.stop(kill=kill)
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
        fut = self.client.submit(J.work, job, pure=False)
        tasks[fut.key] = job.task
        pending.add(fut)

    def __exit__(self, *exc):
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False
