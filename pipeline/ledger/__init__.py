"""The rectification ledger (issue 19, docs/ledger.md): per inspected body and document, what it
was told (problems, deadline), has fixed (done, rate), still owes (ongoing) and by when, joined
from the mentions the extractors found; linked across documents into a timeline per body.

    records = ledger.records(documents)     # per document, then linked
    rows = ledger.table(records, by="region")

`anchors` is the extraction stage that dates anchored deadlines; `document_records` runs in
`process` for each document; `link` joins the documents of a run.
"""
from __future__ import annotations

from pipeline.ledger.build import document_records
from pipeline.ledger.links import link
from pipeline.ledger.table import table

__all__ = ["document_records", "link", "records", "table"]


def records(documents) -> list:
    """The linked records of documents (each `Document` carries its own, unlinked)."""
    docs = list(documents)
    return link([r for d in docs for r in d.rectifications], {d.doc_id: d.sha256 for d in docs})
