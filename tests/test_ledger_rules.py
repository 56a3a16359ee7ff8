"""The examples of `rules/ledger.yaml`, each run through the function that uses its rule: every
rule fires on its positive examples and not on its negative ones."""
from __future__ import annotations

import pytest

import pipeline
from pipeline.context.view import normalize
from pipeline.ledger import bodies, build, dates, figures, keys
from pipeline.ledger.rules import LedgerFile, ledger_rules
from pipeline.ledger.text import Text
from pipeline.rules import load_model

SPEC: LedgerFile = load_model("ledger.yaml", LedgerFile)
REFERENCE = "2024-12-31"


def examples(*rules) -> list:
    return [pytest.param(rule, ex, sign, id=f"{rule.id}-{sign}{i}")
            for rule in rules for sign in ("positive", "negative")
            for i, ex in enumerate(getattr(rule, sign))]


def extracted(text: str):
    doc = pipeline.extract(text, reference_date=REFERENCE)
    heads = tuple(h.start for h in doc.headings if h.level >= 1)
    return doc, Text(normalize(text).view, heads)


def overlaps(text: str, needle: str, m) -> bool:
    at = text.index(needle)
    return m.start < at + len(needle) and at < m.end


@pytest.mark.parametrize("rule, ex, sign", examples(*SPEC.forms))
def test_forms(rule, ex, sign):
    got = build.notice_form(Text(normalize(ex.text).view))
    assert got == (rule.form if sign == "positive" else ex.form), ex.text


@pytest.mark.parametrize("rule, ex, sign", examples(SPEC.bodies.subject, SPEC.bodies.target))
def test_candidates(rule, ex, sign):
    doc, text = extracted(ex.text)
    found = bodies.find(text, [m for m in doc.mentions if m.kind == "body"])
    attr = "subjects" if rule is SPEC.bodies.subject else "targets"
    picked = [b for c in found.clusters for b in getattr(c, attr)]
    if sign == "positive":
        assert any(overlaps(ex.text, ex.body, b) for b in picked), (ex.text, [b.text for b in picked])
    else:
        assert not picked, (ex.text, [b.text for b in picked])


@pytest.mark.parametrize("rule, ex, sign", examples(SPEC.bodies.self_reference))
def test_self_reference(rule, ex, sign):
    doc, text = extracted(ex.text)
    mention = next(m for m in doc.mentions if m.kind == "body" and m.text == ex.mention)
    is_self = bodies.self_start(ledger_rules(), text.view, mention) is not None
    assert is_self == (sign == "positive"), ex.text


@pytest.mark.parametrize("ex", SPEC.keys.positive + SPEC.keys.negative, ids=lambda ex: ex.name)
def test_keys(ex):
    assert keys.key(ex.name) == ex.key


@pytest.mark.parametrize("rule, ex, sign", examples(SPEC.figures.problems, SPEC.figures.new_problems))
def test_problem_figures(rule, ex, sign):
    doc, text = extracted(ex.text)
    quantities = [m for m in doc.mentions if m.kind == "quantity"]
    fields = [f for f, _ in figures.candidates(text, quantities, ex.notice or "progress")]
    own = rule.id.rsplit(".", 1)[1]  # the field the rule decides (problems, new_problems)
    if sign == "positive":
        assert ex.field == own and own in fields, (ex.text, fields)
    else:
        assert own not in fields and (ex.field is None or ex.field in fields), (ex.text, fields)


def time_of(doc, text: str):
    return next(m for m in doc.mentions if m.kind == "time" and m.text == text)


@pytest.mark.parametrize("rule, ex, sign", examples(SPEC.times.as_of))
def test_as_of(rule, ex, sign):
    doc, _ = extracted(ex.text)
    t = time_of(doc, ex.time)
    assert (t.as_of is not None, t.as_of_rule) == ((True, rule.id) if sign == "positive" else (False, None))


@pytest.mark.parametrize("rule, ex, sign", examples(*SPEC.times.events, SPEC.times.generic_anchor,
                                                     SPEC.times.working_days))
def test_anchors(rule, ex, sign):
    doc, _ = extracted(ex.text)
    t = time_of(doc, ex.deadline)
    got = t.due_date.isoformat() if t.due_date else None
    assert got == ex.end_date, (ex.text, got, t.anchor_rule)
    if sign == "positive":
        assert t.anchor_rule == rule.id, (ex.text, t.anchor_rule)
    else:
        assert t.anchor_rule != rule.id, (ex.text, t.anchor_rule)


@pytest.mark.parametrize("rule, ex, sign", examples(SPEC.times.completion))
def test_completion_deadlines(rule, ex, sign):
    doc, text = extracted(ex.text)
    got = [t.text for t in dates.deadlines(text, [m for m in doc.mentions if m.kind == "time"])]
    assert (ex.deadline in got) == (sign == "positive"), (ex.text, got)


@pytest.mark.parametrize("rule, ex, sign", examples(SPEC.times.inspection))
def test_inspection_periods(rule, ex, sign):
    doc, text = extracted(ex.text)
    got = [f.time.text for f in dates.periods(text, [m for m in doc.mentions if m.kind == "time"])]
    assert (ex.period in got) == (sign == "positive"), (ex.text, got)
