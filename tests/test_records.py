"""Records: `evolve` is `model_copy(update=…)`, made cheaper, with the same result."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.records import Body, Heading, Quantity, Time, evolve


@pytest.mark.parametrize("record, update", [
    (Quantity(start=3, end=6, text="12个", value=12, unit="个", rule_id="q.count"),
     {"doc_id": "a.txt", "mention_id": "m0001", "region": "河北省"}),
    (Time(start=0, end=5, text="2023年", time_kind="date", rule_id="t.year",
          start_date=dt.date(2023, 1, 1)), {"mention_id": "m0002", "region": None}),
    (Body(start=1, end=4, text="省委", name="某省委", rule_id="b.org", doc_id="x"),
     {"role": "responsible", "doc_id": "x"}),
    (Heading(start=0, end=3, text="一、总", level=1), {}),
])
def test_evolve_is_model_copy(record, update):
    ours, theirs = evolve(record, update), record.model_copy(update=update)
    assert type(ours) is type(theirs)
    assert ours == theirs
    assert ours.model_fields_set == theirs.model_fields_set
    assert ours.model_dump_json() == theirs.model_dump_json()
    assert ours.model_dump_json(exclude_unset=True) == theirs.model_dump_json(exclude_unset=True)


def test_evolve_leaves_the_record_as_it_was():
    q = Quantity(start=0, end=2, text="3项", value=3, rule_id="q.count")
    evolve(q, {"mention_id": "m0009"})
    assert q.mention_id == "" and "mention_id" not in q.model_fields_set
