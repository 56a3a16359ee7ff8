"""The rectification ledger (issue 19, docs/ledger.md): per inspected body and document, what it
was told (problems, deadline), has fixed (done, rate), still owes (ongoing) and by when, joined
from the mentions the extractors found; linked across documents into a timeline per body.

    records = ledger.records(documents)     # per document, then linked
    rows = ledger.table(records, by="region")

`document_records` runs in `process` for each document; `link` joins the documents of a run.
The anchored deadlines it reads are dated at extraction (`pipeline.extractors.anchors`). Its
modules are imported when first used: the anchors stage reads the ledger's keys, and the
ledger that stage's statements.
"""
from __future__ import annotations

__all__ = ["document_records", "link", "records", "table"]


def document_records(view: str, doc) -> list:
    """The document's records, unlinked (`build.document_records`)."""
    from pipeline.ledger.build import document_records as build

    return build(view, doc)


def link(records: list, sha256: dict[str, str] | None = None) -> list:
    """The records with their links across documents (`links.link`)."""
    from pipeline.ledger.links import link as linked

    return linked(records, sha256)


def table(records, by: str = "region") -> list[dict]:
    """The comparison table by region or level (`tables.table`)."""
    from pipeline.ledger.tables import table as rows

    return rows(records, by)


def records(documents) -> list:
    """The linked records of documents (each `Document` carries its own, unlinked)."""
    docs = list(documents)
    return link([r for d in docs for r in d.rectifications], {d.doc_id: d.sha256 for d in docs})
