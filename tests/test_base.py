"""The overlap rules of the extractor interface: `absorb` keeps what yields to nothing, in text order;
`Typed` makes the records validation makes."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from pipeline.context.spans import overlaps
from pipeline.candidates import Candidate
from pipeline.extractors.base import Typed, absorb
from pipeline.records import Body, Quantity, SharedFields, Time

YIELDS = {"quantity": ("time",), "time": (), "body": ()}


def _mention(kind: str, start: int, length: int):
    end = start + length
    text = "x" * length
    if kind == "quantity":
        return Quantity(start=start, end=end, text=text, value=1, rule_id="q")
    if kind == "time":
        return Time(start=start, end=end, text=text, time_kind="date", rule_id="t",
                    start_date=dt.date(2020, 1, 1))
    return Body(start=start, end=end, text=text, name=text, rule_id="b")


def _reference(mentions, yields_to):
    """`absorb` as first written: a tuple bisection per test, one sort on (start, -end, kind)."""
    spans = {k: sorted((m.start, m.end) for m in mentions if m.kind == k)
             for k in {k for ks in yields_to.values() for k in ks}}
    keep = [m for m in mentions
            if not any(overlaps(spans[k], m.start, m.end) for k in yields_to.get(m.kind, ()))]
    return sorted(keep, key=lambda m: (m.start, -m.end, m.kind))


@given(st.lists(st.tuples(st.sampled_from(["quantity", "time", "body"]), st.integers(0, 40),
                          st.integers(0, 6)), max_size=40))
def test_absorb_is_its_definition(rows):
    mentions = [_mention(*row) for row in rows]
    ours, ref = absorb(mentions, YIELDS), _reference(mentions, YIELDS)
    assert [id(m) for m in ours] == [id(m) for m in ref]


def test_a_count_inside_a_time_is_absorbed():
    inside, outside = _mention("quantity", 3, 3), _mention("quantity", 20, 2)
    time = _mention("time", 0, 8)
    assert absorb([inside, outside, time], YIELDS) == [time, outside]


def test_typed_records_are_validation_s_and_share_a_fields_set_by_their_fields():
    """`Typed` makes what validation makes (values, order, set fields), the fields overriding
    the span's; records setting the same fields share one fields set, others get their own."""
    typed = Typed(Time)
    rule = SimpleNamespace(id="t.rule")
    dated = {"time_kind": "date", "start_date": dt.date(2020, 1, 1)}
    a = typed.mention(Candidate(0, 5, rule, fields=dict(dated)), "2020年", None)
    b = typed.mention(Candidate(3, 8, rule, score=0.5, fields=dict(dated)), "1月1日", "why")
    period = {"time_kind": "period", "score": 0.25}
    c = typed.mention(Candidate(0, 2, rule, fields=period), "今年", None)
    for record in (a, b, c):
        ref = Time(**{k: getattr(record, k) for k in record.model_fields_set})
        assert list(record.__dict__.items()) == list(ref.__dict__.items())
        assert record.model_fields_set == ref.model_fields_set
    assert a.model_fields_set is b.model_fields_set and type(a.model_fields_set) is SharedFields
    assert c.model_fields_set is not a.model_fields_set and c.score == 0.25
