"""Records: `evolve` is `model_copy(update=…)`, made cheaper, with the same result; `made` is
validation without validating again."""
from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest

from pipeline.records import (ITEM_IDS, MENTION_IDS, Body, Cue, Heading, Ids, Quantity, SharedFields,
                              Time, all_fields, evolve, fields_with, made)


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


CUE = {"category": "监督", "cue": "督办", "start": 3, "end": 5}


@pytest.mark.parametrize("fields", [None, set(CUE), frozenset(CUE), all_fields(Cue)])
def test_made_is_validation(fields):
    ours, theirs = made(Cue, dict(CUE), fields), Cue(**CUE)
    assert ours == theirs and list(ours.__dict__.items()) == list(theirs.__dict__.items())
    assert ours.model_fields_set == theirs.model_fields_set
    assert ours.model_dump_json(exclude_unset=True) == theirs.model_dump_json(exclude_unset=True)
    copied = ours.model_copy(update={"cue": "整改"})
    assert copied.model_fields_set == theirs.model_copy(update={"cue": "整改"}).model_fields_set
    assert ours.model_fields_set == set(CUE)  # the copy's fields set is its own


def test_made_shares_its_fields_set_and_evolve_keeps_it_where_it_can():
    fields = all_fields(Cue)
    a, b = made(Cue, dict(CUE), fields), made(Cue, {**CUE, "cue": "整改"}, fields)
    assert a.model_fields_set is b.model_fields_set is fields
    assert evolve(a, {"cue": "督查"}).model_fields_set is fields
    with pytest.raises(TypeError):
        a.model_fields_set.add("x")
    with pytest.raises(TypeError):
        a.model_fields_set |= {"x"}
    assert fields == set(CUE) and copy.deepcopy(a) == a and pickle.loads(pickle.dumps(a)) == a
    q = made(Quantity, Quantity(start=0, end=2, text="3项", value=3, rule_id="q").__dict__.copy(),
             SharedFields({"start", "end", "text", "value", "rule_id"}))
    linked = evolve(q, {"item_id": "i0001"})
    assert linked.model_fields_set == {"start", "end", "text", "value", "rule_id", "item_id"}
    assert "item_id" not in q.model_fields_set


@pytest.mark.parametrize("names, same", [
    ((), True),
    (("start", "end"), True),
    (("item_id",), False),
    (("item_id", "start"), False),
])
def test_a_shared_fields_set_with_more_names_is_itself_or_one_shared_union(names, same):
    fields = SharedFields(("start", "end", "text"))
    got = fields.with_(names)
    assert got == fields | set(names) and type(got) is SharedFields
    assert (got is fields) == same
    assert fields.with_(dict.fromkeys(names)) is got  # a dict's keys: the same set, made once
    assert fields == {"start", "end", "text"}


def test_fields_with_shares_a_shared_set_and_copies_a_plain_one():
    shared, plain = SharedFields(("start", "end")), {"start", "end"}
    assert fields_with(shared, ("item_id",)) is shared.with_(("item_id",))
    got = fields_with(plain, {"item_id": "i0001"})
    assert got == {"start", "end", "item_id"} and type(got) is set
    assert plain == {"start", "end"} and shared == {"start", "end"}  # neither is changed


def test_evolve_gives_records_that_share_a_set_one_shared_set_for_the_same_update():
    fields = SharedFields(("start", "end", "text", "value", "rule_id"))
    qs = [made(Quantity, Quantity(start=i, end=i + 1, text="5", value=5, rule_id="q").__dict__.copy(),
               fields) for i in range(2)]
    a, b = (evolve(q, {"item_id": "i0001"}) for q in qs)
    assert a.model_fields_set is b.model_fields_set == fields | {"item_id"}


def test_number_gives_a_shared_fields_set_a_shared_one_without_changing_it():
    from pipeline.context.document import Context
    from pipeline.run.process import NUMBERED, number

    fields = SharedFields(("start", "end", "text", "value", "rule_id"))
    made_ = [made(Quantity, Quantity(start=i, end=i + 1, text="5", value=5, rule_id="q").__dict__.copy(),
                  fields) for i in range(3)]
    plain = Quantity(start=4, end=5, text="6", value=6, rule_id="q")
    numbered = number([*made_, plain], Context.of("一二三四五六"))
    assert fields == {"start", "end", "text", "value", "rule_id"}  # the stage's set is as it was
    assert len({id(m.model_fields_set) for m in numbered[:3]}) == 1
    assert all(m.model_fields_set == fields | set(NUMBERED) for m in numbered[:3])
    assert numbered[3].model_fields_set == {"start", "end", "text", "value", "rule_id", *NUMBERED}
    assert [m.mention_id for m in numbered] == ["m0001", "m0002", "m0003", "m0004"]


@pytest.mark.parametrize("spans", [
    [],
    [(0, 6, "河北省")],  # one segment, the whole text: read without region_at
    [(2, 4, "河北省")],  # one segment, part of the text: mentions outside it have none
    [(0, 3, "河北省"), (3, 6, "吉林省")],
    [(1, 2, "河北省"), (4, 6, "吉林省")],  # gaps
])
def test_number_gives_each_mention_the_region_of_its_segment(spans):
    from pipeline.context.document import Context
    from pipeline.records import RegionSpan
    from pipeline.run.process import number

    regions = tuple(RegionSpan(region=r, start=a, end=b) for a, b, r in spans)
    ctx = Context.of("一二三四五六", regions=regions)
    mentions = [Quantity(start=i, end=i + 1, text="5", value=5, rule_id="q") for i in range(6)]
    mentions.append(Quantity(start=0, end=1, text="5", value=5, rule_id="q", region="上海市"))
    numbered = number(mentions, ctx)
    assert [m.region for m in numbered] == [ctx.region_at(i) for i in range(6)] + ["上海市"]


@pytest.mark.parametrize("prefix", ["m", "i"])
def test_ids_are_made_once_and_a_list_handed_out_never_changes(prefix):
    ids = Ids(prefix)
    first = ids.first(3)
    kept = list(first)
    longer = ids.first(10_002)
    assert longer[:3] == [f"{prefix}0001", f"{prefix}0002", f"{prefix}0003"]
    assert longer[9998:10_002] == [f"{prefix}9999", f"{prefix}10000", f"{prefix}10001",
                                   f"{prefix}10002"]
    assert first == kept  # replaced by the longer list, not grown in place
    assert ids.first(5) is ids.first(10_002)


def test_mentions_and_items_share_their_kinds_ids():
    assert MENTION_IDS.first(2)[:2] == ["m0001", "m0002"]
    assert ITEM_IDS.first(2)[:2] == ["i0001", "i0002"]
