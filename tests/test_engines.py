"""Pool workers: what a worker learns from its documents is kept for the next run."""
from __future__ import annotations

import multiprocessing

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
        self.name, self.log, self.conn = name, log, self

    def send(self, job) -> None:
        self.log.append((self.name, "job", job))

    def release(self) -> None:
        self.log.append((self.name, "release"))

    def stop(self, kill: bool = False) -> None:
        self.log.append((self.name, "kill" if kill else "stop"))


@pytest.mark.parametrize("jobs, expected", [
    (["a", "b", "c"], [("w2", "job", "a"), ("w1", "job", "b")]),
    (["a"], [("w2", "job", "a"), ("w1", "release")]),
    ([], [("w1", "release"), ("w2", "release")]),
])
def test_idle_workers_get_jobs_and_are_released_when_none_are_left(jobs, expected):
    """A worker with nothing left to do is released at once: it saves and ends while the
    others finish their documents."""
    log = []
    pool = engines.PoolEngine(2, Options(use_model=False))
    idle, busy = [StubWorker("w1", log), StubWorker("w2", log)], {}
    pool._fill(iter(jobs), idle, busy)
    assert log == expected and not idle
    assert sorted(w.name for w in busy) == sorted(n for n, what, *_ in log if what == "job")


@pytest.mark.parametrize("exc, expected", [
    (None, [("w1", "release"), ("w2", "release"), ("w1", "stop"), ("w2", "stop")]),
    (KeyboardInterrupt, [("w1", "kill"), ("w2", "kill")]),
])
def test_every_worker_is_told_to_stop_before_any_is_waited_for(exc, expected):
    """Ending a worker takes the kernel tens of milliseconds: the workers end together."""
    log = []
    pool = engines.PoolEngine(2, Options(use_model=False))
    pool.pool = [StubWorker("w1", log), StubWorker("w2", log)]
    pool.__exit__(exc, exc() if exc else None, None)
    assert log == expected
