"""Every rule file's examples, one typed `Example` model for all, run by one test.

Each stage that owns a rule file yields `(rule id, example)` pairs and explains a text as rows
(candidate, record or None, id of what dropped it); the check below reads the rows alone, so a
new rule file needs no test of its own for its examples.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline.extractors.base import Explained
from pipeline.extractors.bodies import Bodies
from pipeline.extractors.quantities import Quantities
from pipeline.extractors.times import Times
from pipeline.rules import Example


@lru_cache(maxsize=1)
def owners() -> tuple:
    """Every stage that owns a rule file, built as the run builds it (rules only, no model)."""
    return (Quantities(), Times(), Bodies(use_model=False))


def cases():
    for owner in owners():
        seen: dict[str, int] = {}
        for rule_id, ex in owner.examples():
            seen[rule_id] = seen.get(rule_id, 0) + 1
            yield pytest.param(owner, rule_id, ex, id=f"{rule_id}#{seen[rule_id]}")


def same(got, want, contained: bool = False) -> bool:
    if contained and want is not None:
        return bool(got) and (want in got or got in want)
    if isinstance(want, float) or isinstance(got, float) and isinstance(want, int):
        return got == pytest.approx(want, rel=1e-6)
    return got == want


def text_of(row: Explained, text: str) -> str:
    return text[row.candidate.start:row.candidate.end]


def by_rule(row: Explained, rule_id: str) -> bool:
    c = row.candidate
    return c.rule_id == rule_id or rule_id in c.applied


def failure(rows: list[Explained], rule_id: str, ex: Example, contained=()) -> str | None:
    """Why the rows do not show the example, or None; `contained` fields need only contain
    one another, as the spec scores them."""
    spanned = [r for r in rows if not ex.span or text_of(r, ex.text) == ex.span]
    if ex.expect == "dropped":
        ok = any(r.dropped_by == rule_id for r in spanned)
        return None if ok else f"no candidate {ex.span!r} dropped by {rule_id}"
    kept = [r for r in spanned if r.dropped_by is None and by_rule(r, rule_id)]
    if ex.expect == "absent":
        return None if not kept else f"{rule_id} made {[text_of(r, ex.text) for r in kept]}"
    for r in kept:
        if ex.fields and r.mention is None:
            continue
        wrong = {k: getattr(r.mention, k) for k, v in ex.fields.items()
                 if not same(getattr(r.mention, k), v, k in contained)}
        if not wrong:
            return None
    return f"no record {ex.span!r} by {rule_id} with {ex.fields}; rows: " + "; ".join(
        f"{text_of(r, ex.text)!r} {r.candidate.rule_id} {r.status}"
        + (f" {r.mention.model_dump(include=set(ex.fields))}" if r.mention else "") for r in rows)


@pytest.mark.parametrize("owner, rule_id, ex", list(cases()))
def test_rule_example(owner, rule_id, ex):
    rows = owner.explain(owner.example_context(ex.text))
    assert failure(rows, rule_id, ex, getattr(owner, "contained_fields", ())) is None


def test_every_owner_shows_every_rule():
    for owner in owners():
        shown = {rule_id for rule_id, _ in owner.examples()}
        assert shown == set(owner.rule_ids()), (owner.rules_file, set(owner.rule_ids()) ^ shown)
