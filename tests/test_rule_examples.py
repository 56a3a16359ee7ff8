"""Every rule file's examples, one typed `Example` model for all, run by one test.

Each stage that owns a rule file yields `(rule id, example)` pairs and explains a text as rows
(candidate, record or None, id of what dropped it); the check below reads the rows alone, so a
new rule file needs no test of its own for its examples. Stages that read the resolved mentions
(items, measures) are given the run's own, rules only.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from pipeline.candidates import Explained
from pipeline.context.boundaries import boundaries
from pipeline.context.document import Context
from pipeline.context.sections import SectionPatterns
from pipeline.extractors.base import absorb
from pipeline.items.practices import Practices
from pipeline.ledger.explain import LedgerRules
from pipeline.rules import Example
from pipeline.run.process import number, stages


@lru_cache(maxsize=1)
def owners() -> tuple:
    """Every stage that owns a rule file, built as the run builds it (rules only, no model)."""
    run = stages(use_model=False)
    return (*run.extractors, *run.refiners, run.items, boundaries(), SectionPatterns(), Practices(),
            LedgerRules())


def rows_of(owner, text: str) -> list[Explained]:
    """What `owner` makes of an example's text, given the run's mentions when it reads them."""
    ctx = getattr(owner, "example_context", Context.of)(text)
    if not getattr(owner, "needs_mentions", False):
        return owner.explain(ctx)
    run = stages(use_model=False)
    return owner.explain(ctx, number(absorb([m for e in run.extractors for m in e.extract(ctx)],
                                            run.yields_to), ctx))


def test_every_rule_file_has_an_owner():
    from pipeline.rules import RULES_DIR

    owned = {o.rules_file for o in owners()}
    data = {"divisions.tsv", "metrics.yaml", "scoring.yaml", "warm_up.txt", "dict.txt"}
    files = {p.name for p in RULES_DIR.glob("*.yaml")} - data
    assert files <= owned, files - owned


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
        touched = kept + [r for r in spanned if r.dropped_by == rule_id]
        if touched:
            return f"{rule_id} made or dropped {[text_of(r, ex.text) for r in touched]}"
        return _holds(spanned, ex, contained)
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


def _holds(spanned: list[Explained], ex: Example, contained=()) -> str | None:
    """Where an example gives fields but no rule to credit, the span's record holds them."""
    if not ex.fields:
        return None
    records = [r.mention for r in spanned if r.mention is not None]
    if any(all(same(getattr(m, k), v, k in contained) for k, v in ex.fields.items()) for m in records):
        return None
    return f"no record {ex.span!r} with {ex.fields}: {[m.model_dump(include=set(ex.fields)) for m in records]}"


@pytest.mark.parametrize("owner, rule_id, ex", list(cases()))
def test_rule_example(owner, rule_id, ex):
    rows = rows_of(owner, ex.text)
    assert failure(rows, rule_id, ex, getattr(owner, "contained_fields", ())) is None


def test_every_owner_shows_every_rule():
    for owner in owners():
        shown = {rule_id for rule_id, _ in owner.examples()}
        assert shown == set(owner.rule_ids()), (owner.rules_file, set(owner.rule_ids()) ^ shown)
