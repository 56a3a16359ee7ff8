"""The serialise step of one document (`pipeline.run.job`)."""
from __future__ import annotations

import dataclasses

import pytest

from pipeline.records import Body, Quantity, WorkItem
from pipeline.run import job
from pipeline.run.cache import entry_blocks, entry_path, read_entry
from pipeline.run.job import Done, Job, Options, Task, cached, json_lines

ITEM = WorkItem(start=0, end=2, text="整改", action="整改", category=["a"], mention_ids=["m0001"])
COUNT = Quantity(start=0, end=2, text="3个", rule_id="quantity.count", value=3, unit="个")
BODY = Body(start=3, end=5, text="省委", rule_id="body.x", name="省委")


@pytest.mark.parametrize("records", [
    [],
    [ITEM],
    [ITEM, ITEM.model_copy(update={"item_id": "i0002"})],  # one type: its serialiser by map
    [COUNT, BODY, COUNT],  # mentions of several types: each through its own
])
def test_json_lines_are_model_dump_json_a_line(records):
    assert json_lines(records) == "".join(r.model_dump_json() + "\n" for r in records).encode()


BLOCKS = {"documents": b'{"doc_id":"a"}\n', "mentions": b"", "items": b'{"i":1}\n{"i":2}\n',
          "texts": b'{"text":"x"}\n', "rectifications": b""}
DONE = Done(0, BLOCKS, 1, "ab" * 32, 0, 2)
TASK = Task(0, "a.txt", "a.txt", {"title": "t"}, "a")


def test_a_worker_on_the_runs_machine_caches_its_result_and_sends_the_entry(tmp_path):
    got = cached(DONE, Job(TASK, b"", Options(), (str(tmp_path), "key")))
    assert got.lines == {} and got.entry == read_entry(entry_path(tmp_path, DONE.sha256, "key",
                                                                  ["a.txt", "a", {"title": "t"}]))
    assert dict(entry_blocks(got.entry)) == BLOCKS
    assert dataclasses.replace(got, lines=BLOCKS, entry=None) == DONE


def test_without_the_runs_cache_or_where_it_cannot_be_written_the_blocks_are_sent(tmp_path,
                                                                                   monkeypatch):
    assert cached(DONE, Job(TASK, b"", Options())) is DONE

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(job, "write_entry", full)
    assert cached(DONE, Job(TASK, b"", Options(), (str(tmp_path), "key"))) is DONE
