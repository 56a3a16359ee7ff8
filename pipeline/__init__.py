"""xunshi: structured, source-grounded data from Chinese inspection reports.

    >>> import pipeline
    >>> doc = pipeline.extract("省委巡视组反馈后2个月内报送整改情况。", reference_date="2019-07-15")
    >>> [m.text for m in doc.mentions]
    >>> frames = pipeline.load("outputs")      # after `xunshi extract`: pandas DataFrames
    >>> frames["mentions"], frames["metrics"]

Heavy libraries (jieba, spaCy, OpenCC) load on first use, not at import. The busiest
modules run compiled where the install built them (`pipeline.native`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

from pipeline import native
from pipeline.version import __version__

native.install()  # the compiled modules of the build, where their sources are unchanged

__all__ = ["extract", "extract_folder", "load", "__version__"]


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def extract(text: str, reference_date=None, region: str | None = None, doc_id: str = "text",
            feedback_date=None):
    """Extract the typed `Document` (mentions and items) of one text.

    Args:
        text: the report as decoded; offsets in the result index this string.
        reference_date: a `date` or ISO string that relative times (今年, 年底前) resolve against.
        region: the province-level region the text speaks for, if known.
        feedback_date: the date the inspection fed back, if known (as a manifest gives it):
            deadlines counted from the feedback resolve against it when the text dates none.
    """
    from pipeline.reading.files import Source
    from pipeline.run.process import process

    meta = {"feedback_date": _date(feedback_date).isoformat()} if feedback_date else {}
    src = Source(doc_id, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), "utf-8", meta)
    return process(src, reference_date=_date(reference_date), region=region, doc_id=doc_id)


def extract_folder(path, reference_date=None) -> Iterator:
    """Yield the `Document` of every report under `path`; unreadable files are skipped (logged)."""
    from pipeline.run.batch import iter_documents

    for result in iter_documents([Path(path)], reference_date=_date(reference_date)):
        if not isinstance(result, Exception):
            yield result


def load(out) -> dict:
    """Every record file and every comparison table of an extraction output folder, as pandas
    DataFrames, for analysis in Python.

    Keys: `documents`, `mentions`, `items`, `errors` (one row per record, the columns of
    `xunshi schema`, dates as `datetime.date`, lists as lists), and the comparison tables as
    `xunshi compare` writes them: `metrics`, `practices`, `bodies` (regions × columns) with
    their `*_long` forms, `deadlines`, `coverage`, and the rectification ledger by region
    (`rectifications`), by level and one row per record (`rectification_records`).

    Raises:
        pipeline.errors.InputError: `out` is not an output folder (no `documents.jsonl`).
    """
    from pipeline.compare.outputs import load as load_outputs
    from pipeline.compare.tables import tables

    out = load_outputs(Path(out))
    return {"documents": out.documents, "mentions": out.mentions, "items": out.items,
            "errors": out.errors, **tables(out)}
