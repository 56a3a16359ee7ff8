"""Pool workers: what a worker learns from its documents is kept for the next run."""
from __future__ import annotations

import multiprocessing
from collections import deque

import pytest

from pipeline.context import lexicon as lx
from pipeline.run import engines
from pipeline.run.job import Options


@pytest.mark.parametrize("word", ["驻村帮扶", "巡察整改"])
def test_a_stopped_worker_keeps_the_tags_its_documents_taught_it(word, tmp_path, monkeypatch):
    """A worker tags a word while working (here the job itself asks for it); told to stop, it
    saves the kept tables, so the next process reads the tags instead of tagging again. The
    worker's loop runs in this process, its warm-up and signal set-up stood in for."""
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    monkeypatch.setattr(engines.signal, "signal", lambda *args: None)
    monkeypatch.setattr(engines, "die_with_parent", lambda parent: None)
    monkeypatch.setattr(engines, "warm_up", lambda options: None)
    monkeypatch.setattr(engines.J, "work", lambda job: lx.word_pos(job))
    lx.TAGS.forget()
    ours, theirs = multiprocessing.Pipe()
    try:
        ours.send(word)
        ours.send(None)  # stop
        engines.worker_main(theirs, Options(use_model=False), parent=0)
        assert ours.recv() == "ready"
        tags = ours.recv()
        lx.TAGS.forget()  # what this process knows now comes from the disk only
        assert lx.TAGS.known.get(word) == tags == tuple(lx.pos(word))
    finally:
        lx.TAGS.forget()
        ours.close()
        theirs.close()


class StubWorker:
    """A pool worker's parent side that records what it is told, in one log for all."""

    def __init__(self, name: str, log: list):
        self.name, self.log, self.conn, self.released = name, log, self, False

    def send(self, job) -> None:
        self.log.append((self.name, "job", job))

    def ready(self) -> None:
        pass

    def release(self) -> None:
        self.released = True
        self.log.append((self.name, "release"))

    def stop(self, kill: bool = False) -> None:
        self.log.append((self.name, "kill" if kill else "stop"))


@pytest.mark.parametrize("jobs, expected", [
    (list("abcde"), [("w1", "job", "a"), ("w2", "job", "b"), ("w1", "job", "c")]),
    (list("abcd"), [("w1", "job", "a"), ("w2", "job", "b")]),
    (["a"], [("w1", "job", "a"), ("w2", "release")]),
    ([], [("w1", "release"), ("w2", "release")]),
])
def test_each_worker_gets_a_job_then_one_ahead_while_more_are_left_than_workers(jobs, expected):
    """A job read ahead saves its worker a round trip to the parent; the last jobs wait for
    whichever worker is free first, so none waits behind another's document while a worker
    idles. A worker with nothing left to do is released at once: it saves and ends while the
    others finish their documents."""
    log = []
    pool = engines.PoolEngine(2, Options(use_model=False), expected=len(jobs))
    pool.held = {StubWorker("w1", log): deque(), StubWorker("w2", log): deque()}
    pool._fill(engines.Feed(iter(jobs), len(jobs)))
    assert log == expected
    sent = {n: [e[2] for e in log if e[:2] == (n, "job")] for n in ("w1", "w2")}
    assert {w.name: list(held) for w, held in pool.held.items()} == sent


def test_a_killed_worker_reports_its_document_and_the_job_it_held_ahead_goes_to_another(monkeypatch):
    log = []
    monkeypatch.setattr(engines, "_Worker", lambda options: StubWorker("w3", log))
    pool = engines.PoolEngine(2, Options(use_model=False), expected=4)
    w1, w2 = StubWorker("w1", log), StubWorker("w2", log)
    pool.pool, pool.held = [w1, w2], {w1: deque(["a", "c"]), w2: deque(["b"])}
    feed = engines.Feed(iter(["d"]), 1)
    assert pool._drop(w1, feed) == "a"  # the one it was extracting: reported by the caller
    pool._fill(feed)
    assert log == [("w1", "kill"), ("w3", "job", "c")]
    assert [w.name for w in pool.pool] == ["w3", "w2"] and pool.held[pool.pool[0]] == deque(["c"])


@pytest.mark.parametrize("exc, at_exit, at_finish", [
    (None, [("w1", "release"), ("w2", "release")], [("w1", "stop"), ("w2", "stop")]),
    (KeyboardInterrupt, [("w1", "kill"), ("w2", "kill")], []),
])
def test_every_worker_is_told_to_stop_before_any_is_waited_for(exc, at_exit, at_finish):
    """Ending a worker takes the kernel about ten milliseconds: the workers end together, and
    after a run that went well they end while the run writes its outputs (`finish` then waits
    for them); after an error they are killed at once."""
    log = []
    pool = engines.PoolEngine(2, Options(use_model=False))
    pool.pool = [StubWorker("w1", log), StubWorker("w2", log)]
    pool.__exit__(exc, exc() if exc else None, None)
    assert log == at_exit
    pool.finish()
    assert log == at_exit + at_finish and pool.pool == []


def test_a_run_waits_for_its_workers_after_writing_its_outputs(tmp_path, monkeypatch):
    """The outputs are assembled between the workers' release and the wait for their end."""
    from pipeline.run import batch

    order, finish = [], engines.PoolEngine.finish
    monkeypatch.setattr(engines.PoolEngine, "finish",
                        lambda self, kill=False: order.append("finish") or finish(self, kill))
    assemble = batch.Run.assemble
    monkeypatch.setattr(batch.Run, "assemble",
                        lambda self, tasks: order.append("assemble") or assemble(self, tasks))
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("省委巡视组反馈后2个月内报送整改情况。", encoding="utf-8")
    batch.run([tmp_path], tmp_path / "out", quiet=True, workers=2, force=True, use_model=False)
    assert order == ["assemble", "finish"] and (tmp_path / "out" / "items.jsonl").exists()


def test_the_first_worker_has_its_first_job_before_the_others_are_forked(tmp_path, monkeypatch):
    """Forking the loaded process costs the parent milliseconds a worker, which the first
    worker spends extracting; no worker holds a job read ahead before every worker has one."""
    from pipeline.run import batch

    order, init, give = [], engines._Worker.__init__, engines.PoolEngine._give

    def forked(self, options, *args):
        order.append("fork")
        init(self, options, *args)

    def given(self, w, job):
        if job is not None:
            order.append(("job", self.pool.index(w)))
        return give(self, w, job)

    monkeypatch.setattr(engines._Worker, "__init__", forked)
    monkeypatch.setattr(engines.PoolEngine, "_give", given)
    for name in ("a.txt", "b.txt", "c.txt", "d.txt", "e.txt"):
        (tmp_path / name).write_text("省委巡视组反馈后2个月内报送整改情况。", encoding="utf-8")
    batch.run([tmp_path], tmp_path / "out", quiet=True, workers=2, force=True, use_model=False)
    assert order[:4] == ["fork", ("job", 0), "fork", ("job", 1)]
    assert order.count("fork") == 2 and len(order) == 2 + 5  # every document given once
