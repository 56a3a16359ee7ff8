"""One document's ledger records: its form, its inspected bodies, and for each body the figures,
dates and checks that are its own (docs/ledger.md §3). Links across documents come later
(`links.link`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.ledger import checks, dates, figures
from pipeline.ledger.bodies import Cluster, find
from pipeline.ledger.keys import key
from pipeline.ledger.rules import ledger_rules
from pipeline.ledger.scope import Scope
from pipeline.ledger.text import Text
from pipeline.records import (LEDGER_FIGURES, Body, BodyRef, DateFact, Deadline, Document,
                              Rectification, Time)

RECORDING = ("progress", "report", "recheck", "feedback")  # forms that make a record without a body
CORE = {"problems", "done", "ongoing", "rate", "new_problems", "measures_done", "measures_ongoing"}


def notice_form(text: Text) -> str:
    """The first form whose cue is in the headline, else in the lead (first paragraph)."""
    s, e = text.form_span
    for rule, cue in ledger_rules().forms:
        if cue.search(text.view, s, e):
            return rule.form
    return "other"


@dataclass
class Facts:
    """What one body (or the document, when it names none) owns."""

    quantities: dict[str, list] = field(default_factory=dict)
    periods: list = field(default_factory=list)
    feedbacks: list = field(default_factory=list)
    deadlines: list = field(default_factory=list)
    as_ofs: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)  # (field, quantity, clusters) no single body owns

    def making(self, core: bool = False) -> bool:
        """A figure, a dated feedback or a deadline makes a record; a period or an as-of alone not.
        `core`: for a record without a body, only a figure of the chain (problems, done …) does."""
        figures = set(self.quantities) & CORE if core else self.quantities
        return bool(figures or self.feedbacks or self.deadlines)


def document_records(view: str, doc: Document) -> list[Rectification]:
    """The document's records, one per inspected body that owns a figure, a feedback date or a
    deadline; one with `body: null` when a notice names no body but has such facts."""
    text = Text(view, tuple(h.start for h in doc.headings if h.level >= 1))
    notice = notice_form(text)
    # the bodies by their type, which each mention holds in itself, not by their `kind`, which
    # lies in each one's own dict elsewhere in memory: a fifth of this function's time on a
    # report that makes no record (most of them)
    bodies = [m for m in doc.mentions if type(m) is Body]
    found = find(text, bodies)
    clusters = found.clusters
    if not clusters and notice not in RECORDING:  # no body, and a form that needs one: no facts read
        return []
    scope = Scope(text, found, doc.items, whole=notice != "other")
    owned = [Facts() for _ in clusters] if clusters else [Facts()]
    distribute(text, doc, notice, scope, owned)
    if not clusters and not owned[0].making(core=True):
        return []
    out, shared = [], Shared(text, doc, found)
    for i, facts in enumerate(owned):
        if clusters and not facts.making():
            continue
        cluster = clusters[i] if clusters else None
        out.append(record(text, doc, notice, cluster, facts, found, len(out) + 1, shared))
    return out


def distribute(text: Text, doc: Document, notice: str, scope: Scope, owned: list[Facts]) -> None:
    """Give every fact of the document to the bodies it belongs to."""
    times = [m for m in doc.mentions if m.kind == "time"]
    quantities = [m for m in doc.mentions if m.kind == "quantity"]

    def owners(m, item_id=None):
        return scope.owners(m.start, item_id) if scope.found.clusters else None

    for name, q in figures.candidates(text, quantities, notice):
        got = owners(q, q.item_id)
        target = got.figure if got else 0
        if target is None:
            among = [scope.found.clusters[i] for i in got.clusters] if got.ambiguous else []
            for i in got.clusters if got.ambiguous else ():
                owned[i].ambiguous.append((name, q, among))
            continue
        owned[target].quantities.setdefault(name, []).append(q)
    shared = [("periods", f, f.time) for f in dates.periods(text, times)]
    shared += [("feedbacks", f, f.time) for f in dates.feedbacks(text, doc.mentions)]
    shared += [("deadlines", t, t) for t in dates.deadlines(text, times)]
    shared += [("as_ofs", t, t) for t in dates.as_ofs(times)]
    for kind, fact, m in shared:
        got = owners(m)
        for i in got.clusters if got else (0,):
            getattr(owned[i], kind).append(fact)


@dataclass
class Dates:
    """A record's dates, and the statements the inspector is read from."""

    period: DateFact | None
    feedback: DateFact | None
    deadline: Deadline | None
    as_of: Time | None
    statement: dates.Fact | None  # the feedback statement, else the period's


class Shared:
    """What every record of a document reads: its as-of times, its bodies, the mentions of its
    inspected bodies, the order of its mentions."""

    def __init__(self, text: Text, doc: Document, found):
        self.as_ofs = figures.as_of_index(text, [m for m in doc.mentions if m.kind == "time"])
        self.bodies = dates.Bodies([m for m in doc.mentions if m.kind == "body"])
        self.inspected = {b.mention_id for c in found.clusters for b in c.mentions}
        self.order = {m.mention_id: i for i, m in enumerate(doc.mentions)}


def record(text: Text, doc: Document, notice: str, cluster: Cluster | None, facts: Facts, found,
           n: int, shared: Shared) -> Rectification:
    """One body's record from the facts it owns."""
    fields = {name: figures.combine(qs[0].measure, qs, text, shared.as_ofs)
              for name, qs in facts.quantities.items()}
    fields = {name: fields.get(name) for name in LEDGER_FIGURES}
    d = record_dates(text, doc, facts, fields)
    found_checks = checks.run(fields, reference(doc, d.as_of), d.deadline, d.feedback, d.period)
    found_checks += [checks.ambiguous(name, q.mention_id, [c.name(text.title) for c in among])
                     for name, q, among in facts.ambiguous]
    rec = Rectification(
        record_id=f"{doc.doc_id}#{n}", doc_id=doc.doc_id, notice=notice, document_date=doc.reference_date,
        body=body_ref(cluster, text) if cluster else None,
        reason=None if cluster else reason(found), region=region(doc, cluster),
        inspector=dates.inspector(text, shared.bodies, d.statement, cluster.anchor if cluster else None,
                                  shared.inspected),
        inspection_period=d.period, feedback_date=d.feedback, deadline=d.deadline,
        as_of=dates.as_of_fact(d.as_of) if d.as_of else None, **fields,
        rate_computed=rate_computed(fields), checks=found_checks, mention_ids=[])
    return rec.model_copy(update={"mention_ids": mention_ids(rec, shared.order)})


def record_dates(text: Text, doc: Document, facts: Facts, fields: dict) -> Dates:
    """The statements of the record: the latest before the body's first figure (§3.5)."""
    first = min((e.start for f in fields.values() if f for e in f.evidence), default=None)
    period, period_before = dates.choose(facts.periods, first)
    feedback, feedback_before = dates.choose(facts.feedbacks, first)
    if feedback:
        fb = dates.date_fact(feedback, feedback_before)
    else:
        fb = dates.manifest_feedback(doc.feedback_date) if doc.feedback_date else None
    main = [e.start for name in ("done", "ongoing", "rate", "problems") if fields.get(name)
            for e in fields[name].evidence]
    return Dates(period=dates.date_fact(period, period_before) if period else None, feedback=fb,
                 deadline=dates.deadline(facts.deadlines[0], facts.deadlines[1:]) if facts.deadlines else None,
                 as_of=pick_as_of(text, facts.as_ofs, main), statement=feedback or period)


def pick_as_of(text: Text, owned: list, main: list[int]):
    """The as-of date of the sentence of the body's first done/ongoing/rate/problems figure, else
    the latest the body owns."""
    if main:
        sent = text.sentence(min(main))
        here = [t for t in owned if sent[0] <= t.start < sent[1]]
        if here:
            return here[0]
    return max(owned, key=lambda t: (t.as_of, t.start)) if owned else None


def reference(doc: Document, as_of) -> tuple:
    """What lateness is judged on: the as-of date, else a document date that is evidence."""
    if as_of is not None:
        return as_of.as_of, "as_of", as_of.mention_id
    if doc.reference_date_source in ledger_rules().spec.checks.reliable_dates:
        return doc.reference_date, "document_date", None
    return None, None, None


def rate_computed(fields: dict) -> float | None:
    p, d = checks.value(fields.get("problems")), checks.value(fields.get("done"))
    return checks.rate_of(d, p) if p and d is not None else None


def body_ref(cluster: Cluster, text: Text) -> BodyRef:
    a = cluster.anchor
    name = cluster.name(text.title)
    return BodyRef(name=name, key=key(name), level=cluster.level(), mention_id=a.mention_id,
                   text=a.text, start=a.start, end=a.end, rule_id=cluster.rule_id,
                   mention_ids=[b.mention_id for b in cluster.mentions])


def reason(found) -> str:
    if found.self_named or found.selves:
        return "self_reference_only"
    return "generic_only" if found.generic else "no_candidate"


def region(doc: Document, cluster: Cluster | None) -> str | None:
    if cluster is not None and cluster.anchor.region:
        return cluster.anchor.region
    regions = [r.region for r in doc.regions]
    return regions[0] if regions else None


def mention_ids(rec: Rectification, order: dict[str, int]) -> list[str]:
    """Every mention behind the record, in document order."""
    got = set(rec.body.mention_ids) | {rec.body.mention_id} if rec.body else set()
    for f in LEDGER_FIGURES:
        fig = getattr(rec, f)
        if fig is not None:
            got |= {e.mention_id for e in [*fig.evidence, *fig.breakdown]}
    for d in (rec.inspection_period, rec.feedback_date, rec.as_of, rec.inspector):
        if d is not None and d.mention_id:
            got.add(d.mention_id)
            got |= {e.mention_id for e in getattr(d, "earlier", []) if e.mention_id}
    if rec.deadline is not None:
        got |= {x for x in (rec.deadline.mention_id, rec.deadline.anchor_mention_id) if x}
        got |= {e.mention_id for e in rec.deadline.later if e.mention_id}
    return sorted(got, key=lambda x: order.get(x, len(order)))
