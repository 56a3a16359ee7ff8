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
