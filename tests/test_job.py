"""A document's output lines (pipeline/run/job.py): the bytes each record file receives are
what `model_dump_json` gives for each record, a line each, however they are serialised."""
from __future__ import annotations

import pytest

from pipeline.records import Cue, Inherited, WorkItem
from pipeline.run.job import item_lines, json_lines


def dumped(records: list) -> bytes:
    """The reference: one `model_dump_json` a line."""
    return b"".join(r.model_dump_json().encode() + b"\n" for r in records)


def item(text: str, **fields) -> WorkItem:
    return WorkItem(start=0, end=len(text), text=text, action="落实", **fields)


TRICKY = [
    item('他说"},{"start":1,"end":2}'),  # the line break's bytes inside a string
    item("反斜杠\\与引号\"和换行\n\t制表", task='"},{"start":'),
    item("整改", cues=[Cue(category="start", cue='{"start":', start=0, end=2)],
         inherited=[Inherited(name="县委", mention_id="m0001")], responsible=["县委"],
         category=["start"], mention_ids=["m0001", "m0002"], region="河北省", section="一、"),
    item("控制字符\x00\x1f\x7f与\u2028行分隔符"),
]


@pytest.mark.parametrize("items", [[], TRICKY[:1], TRICKY, TRICKY[::-1] * 3])
def test_item_lines_are_model_dump_json_lines(items):
    assert item_lines(items) == json_lines(items) == dumped(items)


def test_bundled_corpus_item_lines_are_model_dump_json_lines():
    from tests.test_items import _corpus_docs

    docs = _corpus_docs()
    assert sum(len(d.items) for d in docs) > 300
    for doc in docs:
        assert item_lines(doc.items) == dumped(doc.items), doc.path
