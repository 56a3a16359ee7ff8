"""One document through every stage: text → context → mentions → resolved and refined
mentions → items → the document's ledger records.

This is the only place that knows the order of the stages; the batch engine maps `process`
over files and knows nothing of Chinese. The extractors are not listed here: every extractor
module under `pipeline/extractors/` is a stage (`extractor_classes`), built once per process.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from pipeline import ledger
from pipeline.context import regions, segment
from pipeline.context.boundaries import boundaries
from pipeline.context.document import Context
from pipeline.context.regions import Regions
from pipeline.context.view import NormalText, normalize
from pipeline.extractors import extractor_classes, refiner_classes
from pipeline.extractors.base import Extractor, Refiner, absorb
from pipeline.extractors.dating import Dating
from pipeline.items.build import Items
from pipeline.reading.files import Source
from pipeline.records import MENTION_IDS, SET_FIELDS_SET, Document, Mention, evolve, fields_with


@dataclass(frozen=True)
class Stages:
    """The stages of a run, each built once per process with its compiled rules."""

    dating: Dating
    sections: Regions  # headings and region segments
    extractors: tuple[Extractor, ...]
    refiners: tuple[Refiner, ...]
    items: Items

    @property
    def yields_to(self) -> dict[str, tuple[str, ...]]:
        return {e.kind: e.yields_to for e in self.extractors}


@lru_cache(maxsize=2)
def stages(use_model: bool = True) -> Stages:
    """The run's stages; `use_model` False builds the rules alone (`--no-model`). Their compiled
    regexes and the scans' first characters are kept for the next process (`pipeline.kept`)."""
    from pipeline import kept

    built = Stages(Dating(), regions.stage(),
                   tuple(cls.build(use_model=use_model) for cls in extractor_classes()),
                   tuple(cls.build(use_model=use_model) for cls in refiner_classes()), Items())
    kept.save_all()
    return built


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
    run = stages(use_model)
    ctx = context(source, reference_date, region, doc_id or source.path, run)
    found = [m for e in run.extractors for m in e.extract(ctx)]
    mentions = number(absorb(found, run.yields_to), ctx)
    for stage in run.refiners:
        mentions = stage.refine(ctx, mentions)
    work, mentions = run.items.extract(ctx, mentions)
    doc = evolve(document(source, ctx), {"mentions": mentions, "items": work})
    return evolve(doc, {"rectifications": ledger.document_records(ctx.view, doc)})


def document(source: Source, ctx: Context) -> Document:
    """The document record without its mentions and items: those are records the stages made,
    and validating them again (an isinstance of each against the union of mention types) is
    all a `Document` built with them would add."""
    nt = ctx.text
    return Document(
        doc_id=ctx.doc_id, path=source.path, sha256=source.sha256,
        title=source.meta.get("title") or first_line(nt), script=nt.script, encoding=source.encoding,
        chars=len(nt.original), reference_date=ctx.reference_date,
        reference_date_source=ctx.reference_date_source, regions=list(ctx.regions), home=ctx.home,
        headings=list(ctx.headings), feedback_date=ctx.feedback_date, text=nt.original)


def context(source: Source, reference_date: dt.date | None, region: str | None, doc_id: str,
            run: Stages) -> Context:
    """The frozen context of one document, built once: view, words, units, headings, home (the
    places and organisation it speaks from), regions, reference date."""
    nt = normalize(source.text)
    ref, ref_source = choose_reference_date(nt, reference_date, source.meta.get("publish_date"),
                                            source.meta.get("year"), run.dating)
    meta = {**source.meta, **({"region": region} if region else {})}
    home = run.sections.home(nt, meta)
    return Context(
        text=nt, tokens=segment.tokens(nt.view), units=boundaries().units(nt.view), doc_id=doc_id,
        headings=tuple(run.sections.headings.headings(nt)), home=home,
        regions=tuple(run.sections.regions(nt, meta.get("region"), home)),
        reference_date=ref, reference_date_source=ref_source,
        feedback_date=_date(source.meta.get("feedback_date")))


def _date(value: str | None) -> dt.date | None:
    """A manifest date (validated when the manifest was read), or None."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def choose_reference_date(nt: NormalText, given: dt.date | None, published: str | None,
                          year: str | None = None, dating: Dating | None = None):
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
    found = (dating or stages().dating).reference_date(nt.view)
    if found:
        return found
    if year and year.isdigit() and 1 <= int(year) <= 9999:
        return dt.date(int(year), 1, 1), "manifest_year"
    return None, None


NUMBERED = ("doc_id", "mention_id", "region")


def number(mentions: list[Mention], ctx: Context) -> list[Mention]:
    """Give each mention its document, a stable id in text order, and its region.

    The fields are set in place: the mentions are the records the stages have just made for
    this document, seen by nothing else yet (a copy of each, as `evolve` makes, cost three
    times the rest of the stage). Their fields sets are replaced, not changed: one may be
    shared between records (`records.fields_with`); the mentions share a few, so each gets its
    new set once. Every document's n-th mention shares one id string (`records.Ids`), which is
    neither made nor freed a document. A document with one region segment (most: the manifest's
    province, or the home's, covers it all) gives its mentions their region without a call to
    `region_at` each, a fifth of this function's cost."""
    doc_id, region_at = ctx.doc_id, ctx.region_at
    lo, hi, sole = _sole_region(ctx.regions)
    numbered: dict[int, tuple[set, set]] = {}  # id of a fields set → (it, it with NUMBERED)
    for m, mention_id in zip(mentions, MENTION_IDS.first(len(mentions))):
        values = m.__dict__
        values["doc_id"] = doc_id
        values["mention_id"] = mention_id
        if not values["region"]:
            start = values["start"]
            values["region"] = sole if lo <= start < hi else region_at(start)
        fields = m.__pydantic_fields_set__
        got = numbered.get(id(fields))
        if got is None:  # the set itself is kept with its id, which stays its own meanwhile
            got = numbered[id(fields)] = (fields, fields_with(fields, NUMBERED))
        SET_FIELDS_SET(m, got[1])
    return mentions


def _sole_region(regions) -> tuple[int, int, str | None]:
    """(start, end, region) of the one region segment of a document, or an empty span when it
    has none or several (`Context.region_at` then answers)."""
    if len(regions) != 1:
        return 0, 0, None
    return regions[0].start, regions[0].end, regions[0].region


def first_line(nt: NormalText) -> str | None:
    """A title for documents without one in the manifest: the first non-empty line, if short
    (found where it is, not by cutting the whole text into lines)."""
    line = segment.LINE.search(nt.original)
    return line.group() if line and line.end() - line.start() <= 60 else None
