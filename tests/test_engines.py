"""Pool workers: what a worker learns from its documents is kept for the next run."""
from __future__ import annotations

import pytest

from pipeline.context import lexicon as lx
from pipeline.run import engines
from pipeline.run.job import Options


@pytest.mark.parametrize("word", ["驻村帮扶", "巡察整改"])
def test_a_stopped_worker_keeps_the_tags_its_documents_taught_it(word, tmp_path, monkeypatch):
    """A worker tags a word while working (here the job itself asks for it); told to stop, it
    saves the kept tables, so the next process reads the tags instead of tagging again."""
    if not engines.can_fork():
        pytest.skip("the stand-ins below reach the worker only through fork")
    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path))
    monkeypatch.setattr(engines, "warm_up", lambda options: None)
    monkeypatch.setattr(engines.J, "work", lambda job: lx.word_pos(job))
    lx.TAGS.forget()
    try:
        worker = engines._Worker(Options(use_model=False))
        worker.ready()
        worker.conn.send(word)
        tags = worker.conn.recv()
        worker.stop()
        assert worker.proc.exitcode == 0
        lx.TAGS.forget()  # what this (the parent) process knows comes from the disk only
        assert lx.TAGS.known.get(word) == tags == tuple(lx.pos(word))
    finally:
        lx.TAGS.forget()
