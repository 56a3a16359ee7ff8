"""The metrics table: the measured quantities of each region combined as spec §5a says.

Which quantity counts towards which measure, and whether it is a part of another figure or a
plan, was decided when its document was extracted (the mention's `measure`, `scope`, `status`).
This module only combines, from the outputs alone, with `rules/metrics.yaml` saying how each
measure is labelled, in which unit it is shown and how it combines:

- a statement counts once: a figure repeated in a document (its title and its text, a summary)
  is one statement, so is the same sentence in two documents, and a document whose file has the
  hash of an earlier one is left out;
- a part (`其中…`) is never added to its total: it has a row of its own in `metrics_long`;
- a rate is never summed: the latest statement, with its date; a work report's indicator is the
  first statement of the latest report;
- done and planned figures are separate rows and columns.

Every row keeps the mentions behind it (`mention_refs`), and its figure is written as the text
says it (`4.5–5`, `≥50`, `约68`), its unit in the column header of the wide table.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import pandas as pd
from pydantic import Field

from pipeline.compare.cells import figure_text
from pipeline.compare.outputs import Outputs, ref
from pipeline.errors import RuleError
from pipeline.records import Status
from pipeline.rules import RuleModel, display, load_model

METRICS_FILE = "metrics.yaml"
Combine = Literal["sum", "latest", "headline"]
STATUSES: tuple[str, ...] = ("done", "planned")
TITLE_CHARS = 60
"""A first line this short is a title (as extraction takes a title from the text)."""
DIGITS = 6
"""Values are rounded to this many decimals after a unit factor (57.3万人: 573000 × 0.0001)."""


class Metric(RuleModel):
    """One measure as the tables show it (an entry of rules/metrics.yaml)."""

    measure: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")
    label: str
    label_en: str
    planned_label: str | None = None
    unit: str
    units: dict[str, float] = Field(min_length=1)
    combine: Combine
    statuses: list[Status] = Field(default_factory=lambda: ["done", "planned"])
    chart: bool = False
    signed: bool = Field(False, description="a rate of change: a figure stated as a fall "
                                            "(direction down) is shown negative")

    def title(self, status: str) -> str:
        """The label of the measure's figures of one status."""
        return self.label if status == "done" else self.planned_label or f"计划{self.label}"

    def column(self, status: str) -> str:
        """The wide table's column: the label with the unit (`发现问题 (个)`)."""
        return f"{self.title(status)} ({self.unit})"


class MetricsFile(RuleModel):
    metrics: list[Metric]


@lru_cache(maxsize=1)
def load_metrics() -> dict[str, Metric]:
    """`rules/metrics.yaml` by measure id, in the file's order; a measure named twice is an error."""
    found: dict[str, Metric] = {}
    for metric in load_model(METRICS_FILE, MetricsFile).metrics:
        if metric.measure in found:
            raise RuleError(display(METRICS_FILE), metric.measure, "measure named twice")
        found[metric.measure] = metric
    return found


def metric_of(measure: str) -> Metric:
    """The metric of a measure id; one the file does not name is shown by its id, summed, in
    the units of its mentions (rows of metrics_long only)."""
    known = load_metrics().get(measure)
    return known or Metric(measure=measure, label=measure, label_en=measure, unit="",
                           units={"": 1}, combine="sum")


# ---------------------------------------------------------------- statements

@dataclass
class Fact:
    """A measured mention, its value in the unit of its row, and the repeats that restate it."""

    m: dict
    doc: int
    date: dt.date | None
    value: float
    value_max: float | None
    unit: str
    sentence: str
    approx: str | None = None
    headline: bool = False
    repeats: list[dict] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        m = self.m
        return (m["region"], m["measure"], m["status"] or "done", m["scope"] or "total", self.unit)

    @property
    def mentions(self) -> list[dict]:
        return [self.m, *self.repeats]


def in_unit(m: dict, metric: Metric) -> tuple[float, float | None, str]:
    """A mention's value, upper bound and unit in its metric's unit, or as written when its
    unit is not one the metric combines."""
    unit = m["unit"] or ""
    if unit not in metric.units:
        return m["value"], m["value_max"], unit
    factor = metric.units[unit]
    top = m["value_max"]
    return (round(m["value"] * factor, DIGITS),
            None if top is None or pd.isna(top) else round(top * factor, DIGITS), metric.unit)


FLIPPED = {"more": "less", "less": "more"}
"""A fall's bound read as a signed change: 下降超过1% is at most −1."""


def signed(m: dict, metric: Metric, value: float, top: float | None
           ) -> tuple[float, float | None, str | None]:
    """A mention's value, upper bound and approximation as the signed change a rate of change
    states: a fall (下降0.1%, its direction down) is −0.1; a range's bounds swap and a bound's
    approximation turns (下降超过1% is ≤−1). Other metrics keep the figure as written."""
    approx = m["approx"] if isinstance(m["approx"], str) else None
    if not metric.signed or m.get("direction") != "down":
        return value, top, approx
    if top is None or pd.isna(top):
        return -value, None, FLIPPED.get(approx, approx)
    return -top, -value, FLIPPED.get(approx, approx)


def repeated_documents(out: Outputs) -> set[str]:
    """Documents whose file has the same content hash as an earlier one: the same report twice."""
    seen: set[str] = set()
    again = set()
    for d in out.rows["documents"]:
        if d["sha256"] in seen:
            again.add(d["doc_id"])
        seen.add(d["sha256"])
    return again


def headline_spans(out: Outputs, doc: dict) -> list[tuple[int, int]]:
    """Where a document's headlines are: its heading lines and its first line when it is
    short enough to be a title."""
    spans = [(h["start"], h["end"]) for h in doc.get("headings") or []]
    text, _ = out.source(doc["doc_id"])
    if text:
        lead = len(text) - len(text.lstrip())
        end = text.find("\n", lead)
        end = end if end >= 0 else len(text)
        if end - lead <= TITLE_CHARS:
            spans.append((lead, end))
    return spans


def measured(out: Outputs, sentence_of) -> list[Fact]:
    """Every measured quantity of a region, in text order (documents in order), as a fact."""
    docs = {d["doc_id"]: (i, d) for i, d in enumerate(out.rows["documents"])}
    skip = repeated_documents(out)
    heads: dict[str, list[tuple[int, int]]] = {}
    facts = []
    for m in out.rows["mentions"]:
        if m["kind"] != "quantity" or not m.get("measure") or not m["region"] or m["doc_id"] in skip:
            continue
        metric = metric_of(m["measure"])
        value, top, unit = in_unit(m, metric)
        value, top, approx = signed(m, metric, value, top)
        rank, doc = docs.get(m["doc_id"], (len(docs), {}))
        if doc and m["doc_id"] not in heads:
            heads[m["doc_id"]] = headline_spans(out, doc)
        date = doc.get("reference_date")
        facts.append(Fact(m, rank, date if isinstance(date, dt.date) else None, value, top, unit,
                          sentence_of(m), approx, any(a <= m["start"] < b for a, b in
                                                      heads.get(m["doc_id"], ()))))
    facts.sort(key=lambda f: (f.doc, f.m["start"]))
    return facts


def restates(earlier: Fact, f: Fact) -> bool:
    """Whether `f` restates a figure of its own document: a headline and its text (either in a
    title or heading line), or a summary naming the same thing counted."""
    return earlier.headline or f.headline or earlier.m["counted"] == f.m["counted"]


def statements(facts: list[Fact]) -> list[Fact]:
    """The facts that state something new. A figure (same measure, status, scope, value and
    unit) that restates one of its document (`restates`), or stands in the same sentence in
    another document, joins the first statement as a repeat: `3轮常规巡察` and `三轮专项巡察`
    of one report are two statements, a title's `发现问题199个` and its text's are one."""
    in_doc: dict[tuple, list[Fact]] = {}
    in_sentence: dict[tuple, Fact] = {}
    out = []
    for f in facts:
        figure = (*f.key, f.value, f.value_max)
        said = (f.sentence, *figure) if f.sentence != f.m["text"] else None  # no text: no sentence
        earlier = in_sentence.get(said)
        if earlier is None or earlier.doc == f.doc:
            earlier = next((e for e in in_doc.get((f.doc, *figure), ()) if restates(e, f)), None)
        if earlier is not None:
            earlier.repeats.append(f.m)
            continue
        in_doc.setdefault((f.doc, *figure), []).append(f)
        if said:
            in_sentence.setdefault(said, f)
        out.append(f)
    return out


# ---------------------------------------------------------------- combining

def summed_approx(facts: list[Fact]) -> str | None:
    """The approximation of a sum: that of its parts when they agree (exact ones aside), else
    `about`."""
    kinds = {f.approx for f in facts if f.approx}
    if len(kinds) > 1:
        return "about"
    return kinds.pop() if kinds else None


def summed(facts: list[Fact]) -> tuple[float, float | None, str | None]:
    value = round(sum(f.value for f in facts), DIGITS)
    ranged = any(f.value_max is not None for f in facts)
    top = round(sum(f.value_max if f.value_max is not None else f.value for f in facts),
                DIGITS) if ranged else None
    return value, top, summed_approx(facts)


def chosen(facts: list[Fact], combine: str) -> Fact:
    """The statement a rate or an indicator takes: of the most recent document, the last one
    (`latest`) or the first one (`headline`)."""
    newest = max(f.date or dt.date.min for f in facts)
    recent = [f for f in facts if (f.date or dt.date.min) == newest]
    last_doc = max(f.doc for f in recent)
    in_doc = [f for f in recent if f.doc == last_doc]
    return in_doc[-1] if combine == "latest" else in_doc[0]


COLUMNS = ["region", "measure", "metric", "metric_en", "status", "scope", "figure", "value",
           "value_max", "approx", "unit", "combine", "statements", "mentions", "mention_refs",
           "documents", "date", "counted", "doc_id", "evidence"]


def row(facts: list[Fact], combine: str, lead: Fact) -> dict:
    """One row of metrics_long: the facts combined, `lead` giving the date and evidence."""
    metric = metric_of(lead.m["measure"])
    if combine == "sum":
        value, top, approx = summed(facts)
        date = max((f.date for f in facts if f.date), default=None)
    else:
        value, top, approx, date = lead.value, lead.value_max, lead.approx, lead.date
    mentions = [m for f in facts for m in f.mentions]
    region, measure, status, scope, unit = lead.key
    return {"region": region, "measure": measure, "metric": metric.title(status),
            "metric_en": metric.label_en, "status": status, "scope": scope,
            "figure": figure_text(value, top, approx), "value": value, "value_max": top,
            "approx": approx, "unit": unit, "combine": combine, "statements": len(facts),
            "mentions": len(mentions), "mention_refs": refs_in_order(facts),
            "documents": len({m["doc_id"] for m in mentions}), "date": date,
            "counted": lead.m["counted"], "doc_id": lead.m["doc_id"], "evidence": lead.sentence}


def refs_in_order(facts: list[Fact]) -> list[str]:
    """The refs of every mention behind a row, documents in order, then offsets."""
    ms = sorted(((f.doc, m["start"], m) for f in facts for m in f.mentions), key=lambda x: x[:2])
    return [ref(m["doc_id"], m["mention_id"]) for _, _, m in ms]


def rows_of(key: tuple, facts: list[Fact]) -> list[dict]:
    """The rows of one region, measure, status, scope and unit: one combined row for totals,
    one row per part (a breakdown, never added)."""
    if key[3] == "part":
        return [row([f], "part", f) for f in facts]
    combine = metric_of(key[1]).combine
    lead = facts[0] if combine == "sum" else chosen(facts, combine)
    return [row(facts, combine, lead)]


def metrics_long(out: Outputs, regions: list[str], sentence_of) -> pd.DataFrame:
    """One row per region, measure, status and unit found (and one per part), in the order of
    regions, then of rules/metrics.yaml."""
    groups: dict[tuple, list[Fact]] = {}
    for f in statements(measured(out, sentence_of)):
        groups.setdefault(f.key, []).append(f)
    rows = [r for key, facts in groups.items() for r in rows_of(key, facts)]
    region_rank = {r: i for i, r in enumerate(regions)}
    measure_rank = {m: i for i, m in enumerate(load_metrics())}
    rows.sort(key=lambda r: order_key(r, region_rank, measure_rank))
    return pd.DataFrame(rows, columns=COLUMNS)


def order_key(r: dict, region_rank: dict[str, int], measure_rank: dict[str, int]) -> tuple:
    """Regions in order, then measures in the order of rules/metrics.yaml, each metric's
    statuses in its order, totals before parts, the metric's unit before others."""
    metric = metric_of(r["measure"])
    status = [*metric.statuses, *STATUSES]
    return (region_rank.get(r["region"], len(region_rank)),
            measure_rank.get(r["measure"], len(measure_rank)), r["measure"],
            status.index(r["status"]), r["scope"] != "total", r["unit"] != metric.unit)


# ---------------------------------------------------------------- the wide table

def wide_columns(long: pd.DataFrame) -> list[tuple[str, str]]:
    """(measure, status) of every column with a figure, in the order of rules/metrics.yaml,
    each metric's statuses in its order (a measure the file does not name has no unit to
    show: it is in metrics_long only)."""
    found = {(r.measure, r.status) for r in long.itertuples() if column_of(r._asdict())}
    cols = []
    for measure, metric in load_metrics().items():
        cols += [(measure, s) for s in [*metric.statuses, *STATUSES] if (measure, s) in found]
    return list(dict.fromkeys(cols))


def metrics_wide(long: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Region × (measure, status): the figure of the region's total, in the column's unit."""
    cols = wide_columns(long)
    names = {c: metric_of(c[0]).column(c[1]) for c in cols}
    cells = {(r.region, r.measure, r.status): r.figure for r in long.itertuples()
             if r.scope == "total" and r.unit == metric_of(r.measure).unit} if len(long) else {}
    data = [{"region": region, **{names[c]: cells.get((region, *c)) for c in cols}}
            for region in regions]
    return pd.DataFrame(data, columns=["region", *names.values()])


def column_of(r) -> str | None:
    """The wide column a metrics_long row is the cell of, or None (a part, another unit)."""
    metric = metric_of(r["measure"])
    if r["scope"] != "total" or r["unit"] != metric.unit:
        return None
    return metric.column(r["status"])
