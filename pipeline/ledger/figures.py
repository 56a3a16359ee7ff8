"""A body's figures from the quantities' measures (spec §5a), combined (docs/ledger.md §3.4).

Only `done` quantities count, and `problems.found` only where its sentence speaks of the
inspection (`巡察反馈问题26个`, not the discipline office's own `发现问题3个`); in a 回头看 the
problems found anew are `new_problems`. Per field and body: the figures of one sentence add up
(`新建制度6项、修订制度9项` → 15; the same count in another unit, `217人次` beside `213名`, is
`alt_unit`); sentences that state the same value repeat it; different values conflict (kept side
by side, value null) unless they stand under different `截至` dates, when the latest is kept.
Parts (`其中…`) are the breakdown, never added.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.ledger.rules import Compiled, ledger_rules
from pipeline.ledger.text import Text
from pipeline.records import Evidence, Figure, Quantity, Time


def candidates(text: Text, quantities: list[Quantity], notice: str) -> Iterator[tuple[str, Quantity]]:
    """(ledger field, quantity) of every quantity the ledger reads."""
    rules = ledger_rules()
    fields = rules.spec.figures.fields
    basis: dict[tuple[int, int], str] = {}  # the last done/ongoing basis of each sentence
    for q in quantities:
        if q.ordinal or q.status != "done" or q.measure not in fields:
            continue
        field = fields[q.measure]
        if field == "problems":
            field = problems_field(rules, text, q, notice)
        elif field in ("done", "ongoing"):
            field = progress_field(rules, text, q, field, basis)
        if field:
            yield field, q


def progress_field(rules: Compiled, text: Text, q: Quantity, field: str, basis: dict) -> str:
    """done/ongoing of problems, or measures_done/measures_ongoing when they count measures."""
    sent = text.sentence(q.start)
    if q.counted:
        basis[sent] = "measures_" if rules.tasks.search(q.counted) else ""
    return basis.get(sent, "") + field


def problems_field(rules: Compiled, text: Text, q: Quantity, notice: str) -> str | None:
    before = text.view[text.sentence(q.start)[0]:q.start]
    if notice == "recheck" and rules.new_problems.search(before):
        return "new_problems"
    return "problems" if rules.problems.search(before) else None


@dataclass
class Statement:
    """The figures of one field in one sentence."""

    members: list[Quantity]
    alt: list[Quantity]
    as_of: object  # the 截至 date of the sentence, or None

    @property
    def value(self) -> float:
        return sum(q.value for q in self.members)


def as_of_index(text: Text, times: list[Time]) -> dict[tuple[int, int], list[Time]]:
    """The as-of times of a document by sentence."""
    out: dict[tuple[int, int], list[Time]] = {}
    for t in times:
        if t.as_of:
            out.setdefault(text.sentence(t.start), []).append(t)
    return out


def combine(measure: str, quantities: list[Quantity], text: Text,
            as_ofs: dict[tuple[int, int], list[Time]]) -> Figure | None:
    """One figure from every quantity of a field and body, in text order (None: parts only);
    `as_ofs` are the document's as-of times by sentence (`as_of_index`)."""
    parts = [q for q in quantities if q.scope == "part"]
    statements = by_sentence([q for q in quantities if q.scope != "part"], text, as_ofs)
    if not statements:
        return None
    values = [st.value for st in statements]
    if len(set(values)) == 1:
        return agreed(measure, statements, parts)
    latest = superseding(statements)
    if latest is not None:
        kept = [st for st in statements if st.as_of == latest]
        if len({st.value for st in kept}) == 1:
            return agreed(measure, kept, parts, superseded=[st for st in statements if st.as_of != latest])
    return conflicting(measure, statements, parts)


def by_sentence(quantities: list[Quantity], text: Text,
                as_ofs: dict[tuple[int, int], list[Time]]) -> list[Statement]:
    rules = ledger_rules()
    groups: dict[tuple[int, int], list[Quantity]] = {}
    for q in quantities:
        groups.setdefault(text.sentence(q.start), []).append(q)
    out = []
    for sent, qs in groups.items():
        alt = rules.spec.figures.alt_units
        lead = next((q for q in qs if q.unit not in alt), qs[0])
        members = [q for q in qs if rules.unit_class(q.unit) == rules.unit_class(lead.unit)]
        as_of = next((t.as_of for t in as_ofs.get(sent, ()) if t.start < members[0].start), None)
        out.append(Statement(members, [q for q in qs if q not in members], as_of))
    return out


def superseding(statements: list[Statement]):
    """The latest as-of date, when every statement has one and they are not all the same."""
    dates = [st.as_of for st in statements]
    if None in dates or len(set(dates)) == 1:
        return None
    return max(dates)


def agreed(measure: str, statements: list[Statement], parts: list[Quantity],
           superseded: list[Statement] = ()) -> Figure:
    first = statements[0]
    kind = "sum" if len(first.members) > 1 else "single"
    evidence = [ev(q, "summand" if kind == "sum" else "stated") for q in first.members]
    evidence += [ev(q, "alt_unit") for st in statements for q in st.alt]
    evidence += [ev(q, "repeat") for st in statements[1:] for q in st.members]
    evidence += [ev(q, "superseded") for st in superseded for q in st.members]
    combined = "repeat" if len(statements) > 1 else kind
    rule = "ledger.figure.superseded" if superseded else f"ledger.figure.{combined}"
    return figure(measure, first, evidence, parts, combined, rule)


def conflicting(measure: str, statements: list[Statement], parts: list[Quantity]) -> Figure:
    evidence = [ev(q, "summand" if len(st.members) > 1 else "stated") for st in statements for q in st.members]
    evidence += [ev(q, "alt_unit") for st in statements for q in st.alt]
    values = list(dict.fromkeys(st.value for st in statements))
    kind = "sum" if any(len(st.members) > 1 for st in statements) else "single"
    fig = figure(measure, statements[0], evidence, parts, kind, "ledger.figure.conflict")
    return fig.model_copy(update={"value": None, "approx": None, "conflict": True, "values": values})


def figure(measure: str, st: Statement, evidence: list[Evidence], parts: list[Quantity],
           combined: str, rule_id: str) -> Figure:
    return Figure(measure=measure, value=st.value, approx=approx_of(st.members),
                  unit=st.members[0].unit, combine=combined, evidence=sorted(evidence, key=lambda e: e.start),
                  breakdown=[ev(q, "part") for q in parts], rule_id=rule_id)


def approx_of(members: list[Quantity]):
    """A single figure's own marker; a sum is `more` if every approximate summand is, else `about`."""
    marks = [q.approx for q in members if q.approx]
    if len(members) == 1 or not marks:
        return marks[0] if marks else None
    return "more" if set(marks) == {"more"} else "about"


def ev(q: Quantity, role: str) -> Evidence:
    return Evidence(mention_id=q.mention_id, text=q.text, start=q.start, end=q.end, value=q.value,
                    value_max=q.value_max, approx=q.approx, unit=q.unit, measure=q.measure,
                    rule_id=q.rule_id, role=role)
