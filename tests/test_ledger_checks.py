"""Each check of pipeline/ledger/checks.py, table-driven on figures built by hand: when it fires,
when it must not, and what it reports."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.ledger import checks
from pipeline.records import DateFact, Deadline, Evidence, Figure

D = dt.date.fromisoformat


def fig(field: str, value, approx=None, conflict_values=None) -> Figure:
    ev = Evidence(mention_id=f"m-{field}", text="x", start=0, end=1, value=value or 0, rule_id="r")
    if conflict_values:
        return Figure(measure=field, value=None, combine="single", conflict=True,
                      values=conflict_values, evidence=[ev], rule_id="ledger.figure.conflict")
    return Figure(measure=field, value=value, approx=approx, combine="single", evidence=[ev],
                  rule_id="ledger.figure.single")


def fields(**values) -> dict:
    return {k: (v if isinstance(v, Figure) else fig(k, v)) for k, v in values.items() if v is not None}


@pytest.mark.parametrize("values, expected", [
    (dict(problems=24, done=21, ongoing=3), None),
    (dict(problems=45, done=38, ongoing=5), {"problems": 45, "done": 38, "ongoing": 5}),
    (dict(problems=20, done=22), {"problems": 20, "done": 22, "ongoing": None}),
    (dict(problems=20, done=18), None),                      # ongoing unstated: nothing to add
    (dict(problems=fig("problems", 40, "more"), done=38, ongoing=5), None),  # 40余个 is no sum
    (dict(measures=93, measures_done=81, measures_ongoing=12), None),
    (dict(measures=93, measures_done=81, measures_ongoing=10), {"basis": "measures", "measures": 93}),
])
def test_sum_mismatch(values, expected):
    got = checks.sum_mismatch(fields(**values))
    if expected is None:
        assert got is None
    else:
        assert got is not None and got.check == "sum_mismatch"
        assert {k: got.details[k] for k in expected} == expected


@pytest.mark.parametrize("values, expected", [
    (dict(problems=40, done=36, rate=90), None),
    (dict(problems=40, done=36, rate=92), {"stated": 92, "computed": 90.0, "basis": "problems"}),
    (dict(problems=16, done=13, rate=81.3), None),           # 81.25 is within half a point
    (dict(problems=16, done=13, rate=80.7), {"computed": 81.3}),
    (dict(problems=16, rate=50), None),                      # done unstated
    (dict(measures=93, measures_done=81, rate=87.1), None),  # a share of measures
    (dict(problems=18, measures=93, measures_done=81, rate=87.1), None),
])
def test_rate_mismatch(values, expected):
    got = checks.rate_mismatch(fields(**values))
    if expected is None:
        assert got is None
    else:
        assert got is not None and {k: got.details[k] for k in expected} == expected


def deadline(end: str | None) -> Deadline:
    return Deadline(end_date=D(end) if end else None, mention_id="m-dl", text="x", start=0, end=1)


@pytest.mark.parametrize("values, end, reference, expected", [
    (dict(problems=35, done=30, ongoing=5), "2023-07-22", ("2023-10-31", "as_of"),
     {"open": 5, "open_basis": "stated", "days_over": 101, "reference": "as_of"}),
    (dict(problems=16, done=13), "2024-03-08", ("2024-05-06", "document_date"),
     {"open": 3, "open_basis": "implied", "days_over": 59}),
    (dict(problems=18, done=18), "2024-02-06", ("2024-02-29", "as_of"), None),   # nothing open
    (dict(problems=35, done=30, ongoing=5), "2023-12-31", ("2023-10-31", "as_of"), None),  # in time
    (dict(problems=35, done=30, ongoing=5), None, ("2023-10-31", "as_of"), None),  # no end
    (dict(problems=35, done=30, ongoing=5), "2023-07-22", (None, None), None),     # no reference
    (dict(measures=52, measures_done=47, measures_ongoing=5), "2021-01-31", ("2021-03-15", "as_of"),
     {"open": 5, "open_basis": "stated"}),
])
def test_overdue(values, end, reference, expected):
    ref = (D(reference[0]) if reference[0] else None, reference[1], None)
    got = checks.overdue(fields(**values), ref, deadline(end))
    if expected is None:
        assert got is None
    else:
        assert got is not None and {k: got.details[k] for k in expected} == expected


def test_conflict_names_the_value_the_notice_adds_up_to():
    f = fields(problems=fig("problems", None, conflict_values=[32, 34]), done=30, ongoing=4)
    got = checks.conflict("problems", f["problems"], f)
    assert got.details == {"field": "problems", "values": [32, 34], "agrees": [34]}


def test_a_conflicting_figure_makes_no_arithmetic_check():
    f = fields(problems=fig("problems", None, conflict_values=[32, 34]), done=30, ongoing=5, rate=88)
    assert checks.sum_mismatch(f) is None and checks.rate_mismatch(f) is None
    assert [c.check for c in checks.run(f, (None, None, None), None, None, None)] == ["conflict"]


def date(end: str) -> DateFact:
    return DateFact(start_date=D(end), end_date=D(end), mention_id="m-d")


@pytest.mark.parametrize("feedback, period_end, reference, expected", [
    ("2023-07-26", None, "2023-07-01", "document_date"),      # feedback after the document's date
    ("2023-07-26", None, "2023-09-01", None),
    ("2022-09-15", "2022-10-01", None, "inspection_end"),   # the inspection ends after its feedback
    ("2022-09-15", "2022-07-12", None, None),
])
def test_date_order(feedback, period_end, reference, expected):
    period = DateFact(start_date=D("2022-03-17"), end_date=D(period_end)) if period_end else None
    got = checks.date_order((D(reference) if reference else None, "document_date", None), date(feedback), period)
    assert (got.details["reference"] if got else None) == expected


@pytest.mark.parametrize("done, problems, expected", [(13, 16, 81.3), (21, 24, 87.5), (2, 3, 66.7), (1, 8, 12.5)])
def test_rates_round_half_up(done, problems, expected):
    assert checks.rate_of(done, problems) == expected
