"""The helper API the issue-17 tables and properties are written against, wired to the run.

`extract_times` and `extract_quantities` give the mentions of one short text as the run makes
them before its refiners (every extractor of the run, rules only, then the overlap of kinds
resolved by `absorb`), as dicts with the field names of `pipeline/records.py`. Nothing is
filtered or fixed here: a table row fails when the pipeline is wrong.
"""
from __future__ import annotations

import datetime as dt

from pipeline.context.document import Context
from pipeline.extractors.base import absorb
from pipeline.records import Mention
from pipeline.run.process import stages


def _mentions(text: str, reference_date: dt.date | None) -> list[Mention]:
    run = stages(use_model=False)
    ctx = Context.of(text, reference_date=reference_date)
    return absorb([m for e in run.extractors for m in e.extract(ctx)], run.yields_to)


def _as_dicts(mentions: list[Mention], kind: str) -> list[dict]:
    return [m.model_dump() for m in mentions if m.kind == kind]


def extract_times(text: str, reference_date: dt.date) -> list[dict]:
    """The time mentions of `text` read as of `reference_date`."""
    return _as_dicts(_mentions(text, reference_date), "time")


def extract_quantities(text: str) -> list[dict]:
    """The quantity mentions of `text` (no quantity depends on a reference date)."""
    return _as_dicts(_mentions(text, None), "quantity")
