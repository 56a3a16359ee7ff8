"""Links across documents (docs/ledger.md §7): the records of one body (one region and link key)
in date order, so that a body's progress over time is one chain. A record without a body is
never linked; a document met twice (equal content) gives its records once, from its first path."""
from __future__ import annotations

import datetime as dt

from pipeline.records import Links, Rectification


def link(records: list[Rectification], sha256: dict[str, str] | None = None) -> list[Rectification]:
    """The records with `links` set, in the order given, duplicates of a document left out."""
    records = unique(records, sha256 or {})
    chains: dict[str, list[Rectification]] = {}
    for r in records:
        if r.body is not None:
            chains.setdefault(chain_key(r), []).append(r)
    links: dict[str, Links] = {}
    for k, chain in chains.items():
        chain.sort(key=when)
        for i, r in enumerate(chain):
            links[r.record_id] = Links(key=k, previous=chain[i - 1].record_id if i else None,
                                       next=chain[i + 1].record_id if i + 1 < len(chain) else None,
                                       position=i + 1, count=len(chain))
    return [r.model_copy(update={"links": links.get(r.record_id)}) for r in records]


def chain_key(r: Rectification) -> str:
    return f"{r.region or ''}|{r.body.key}"


def when(r: Rectification) -> tuple:
    """Timeline order: the as-of date, else the document's date (undated last), then the id."""
    day = r.as_of.end_date if r.as_of and r.as_of.end_date else r.document_date
    return (day is None, day or dt.date.min, r.doc_id, r.record_id)


def unique(records: list[Rectification], sha256: dict[str, str]) -> list[Rectification]:
    """Records of the first document of each content (sha256 by doc_id); others dropped."""
    first: dict[str, str] = {}
    for r in records:
        first.setdefault(sha256.get(r.doc_id, r.doc_id), r.doc_id)
    return [r for r in records if first[sha256.get(r.doc_id, r.doc_id)] == r.doc_id]
