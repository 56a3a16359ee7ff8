"""One document through every stage: read text → view → segments → mentions → items.

This is the only place that knows the order of the stages; the batch engine maps `process`
over files and knows nothing of Chinese.
"""
from __future__ import annotations

import datetime as dt

from pipeline.context import sections, segment
from pipeline.context.clauses import SpanCover, sentences
from pipeline.context.view import NormalText, normalize
from pipeline.extractors import bodies, measures, quantities, times
from pipeline.items import build as items
from pipeline import ledger
from pipeline.ledger import anchors
from pipeline.reading.files import Source
from pipeline.records import Document


def process(source: Source, reference_date: dt.date | None = None, region: str | None = None,
            doc_id: str | None = None, use_model: bool = True) -> Document:
    """Extract every record of one source.

    Args:
        source: the decoded report with its manifest metadata.
        reference_date: overrides every other way of dating the document.
        region: the province the whole document speaks for, when the caller knows it.
        doc_id: the id records carry; the path as shown by default.
        use_model: False runs the rules alone (`--no-model`), skipping statistical components.
    """
    doc_id = doc_id or source.path
    nt = normalize(source.text)
    ref, ref_source = choose_reference_date(nt, reference_date, source.meta.get("publish_date"),
                                            source.meta.get("year"))
    toks = segment.tokens(nt.view)
    heads = sections.headings(nt)
    regs = sections.regions(nt, region or source.meta.get("region"))
    found = [*quantities.extract(nt), *times.extract(nt, ref),
             *bodies.extract(nt, regs, use_model=use_model)]
    mentions = number(resolve_overlaps(found), doc_id, regs)
    mentions = measures.assign(nt.view, sentences(nt.view), mentions)
    mentions = anchors.resolve(nt.view, mentions, source.meta)
    work, mentions = items.extract(nt, toks, heads, regs, mentions, doc_id=doc_id)
    doc = Document(
        doc_id=doc_id, path=source.path, sha256=source.sha256,
        title=source.meta.get("title") or first_line(nt), script=nt.script, encoding=source.encoding,
        chars=len(nt.original), reference_date=ref, reference_date_source=ref_source,
        regions=regs, headings=heads, mentions=mentions, items=work,
        feedback_date=source.meta.get("feedback_date"))
    return doc.model_copy(update={"rectifications": ledger.document_records(nt.view, doc)})


def choose_reference_date(nt: NormalText, given: dt.date | None, published: str | None,
                          year: str | None = None):
    """First found of: the caller's date, the manifest's publish_date, the text's own date, the
    first day of the manifest's `year` (`manifest_year`: enough for 今年, 去年, 过去一年 in a
    report given in the first months of that year, as work reports are)."""
    if given:
        return given, "cli"
    if published:
        try:
            return dt.date.fromisoformat(published[:10]), "manifest"
        except ValueError:
            pass
    found = times.find_reference_date(nt)
    if found:
        return found
    if year and year.isdigit() and 1 <= int(year) <= 9999:
        return dt.date(int(year), 1, 1), "manifest_year"
    return None, None


def resolve_overlaps(found: list) -> list:
    """A quantity inside a time (`2个月` in `反馈后2个月内`) is part of the time, not a count."""
    dated = SpanCover((m.start, m.end) for m in found if m.kind == "time")
    keep = [m for m in found if m.kind != "quantity" or not dated.covers(m.start, m.end)]
    return sorted(keep, key=lambda m: (m.start, -m.end, m.kind))


def number(mentions: list, doc_id: str, regs) -> list:
    """Give each mention its document, a stable id in text order, and its region."""
    return [m.model_copy(update={"doc_id": doc_id, "mention_id": f"m{i:04d}",
                                 "region": m.region or sections.region_at(regs, m.start)})
            for i, m in enumerate(mentions, 1)]


def first_line(nt: NormalText) -> str | None:
    """A title for documents without one in the manifest: the first non-empty line, if short."""
    for line in nt.original.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 60 else None
    return None
