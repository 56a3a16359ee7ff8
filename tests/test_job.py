"""The serialise step of one document (`pipeline.run.job`)."""
from __future__ import annotations

import pytest

from pipeline.records import Body, Quantity, WorkItem
from pipeline.run.job import json_lines

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
