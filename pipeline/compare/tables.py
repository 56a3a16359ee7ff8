"""Comparison tables across regions, built from an extraction output folder alone.

The reason people extract is to compare regions, so this stage turns `documents.jsonl`,
`mentions.jsonl`, `items.jsonl` and `rectifications.jsonl` into the tables a researcher puts in a
paper: metrics, practices, bodies, deadlines, coverage and the rectification ledger. It reads the JSON Lines contract only and never calls
an extractor, so tables can be rebuilt from old outputs and tested with hand-written ones.

Every cell keeps the ids of the records behind it (`mention_refs`, `item_refs`, written
`<doc_id>#<id>`), so each number can be checked against the sentence it came from. A region
table has one row per region the documents speak for; text outside any region (an editor's note,
a national passage) is counted in the coverage of the report, not in a region's row.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from pipeline.compare import ledger
from pipeline.compare.outputs import Outputs, as_list, mention_kinds, ref
from pipeline.errors import RuleError
from pipeline.rules import RuleModel, compile_rule, display, load_model, rule_path

# ---------------------------------------------------------------- regions

def regions_in_order(out: Outputs) -> list[str]:
    """Every region the outputs speak for, in the official order when the gazetteer gives one,
    else in order of first appearance (documents, then segments)."""
    if ("regions",) not in out._texts:
        out._texts[("regions",)] = _regions_in_order(out)
    return list(out._texts[("regions",)])


def _regions_in_order(out: Outputs) -> list[str]:
    seen: dict[str, None] = {}
    for segs in out.documents["regions"]:
        for seg in as_list(segs):
            seen.setdefault(seg["region"], None)
    for frame in (out.mentions, out.items):
        for region in frame["region"].dropna():
            seen.setdefault(region, None)
    rank, first = _official_rank(), {r: i for i, r in enumerate(seen)}
    return sorted(seen, key=lambda r: (rank.get(r, len(rank)), first[r]))


@lru_cache(maxsize=1)
def _official_rank() -> dict[str, int]:
    """Province-level names ranked by division code (`rules/divisions.tsv`), if it is there."""
    if not rule_path("divisions.tsv").is_file():
        return {}
    from pipeline.context.places import gazetteer  # the gazetteer every stage shares

    return {p.name: i for i, p in enumerate(gazetteer().provinces)}


# ---------------------------------------------------------------- metrics (rules/metrics.yaml)

METRICS_FILE = "metrics.yaml"
PATTERN_FIELDS = ("counted", "before", "after", "sentence", "not_counted", "not_before",
                  "not_sentence", "not_after")
Combine = Literal["sum", "max", "min", "first", "latest"]


class MetricExample(RuleModel):
    text: str
    quantity: str
    unit: str | None = None
    counted: str | None = None
    metric: str | None


class MetricRule(RuleModel):
    id: str = Field(pattern=r"^metric(\.[a-z0-9_]+)+$")
    label: str
    label_en: str
    unit: str | None = None
    units: list[str] = Field(default_factory=list)
    counted: str | None = None
    before: str | None = None
    after: str | None = None
    sentence: str | None = None
    not_counted: str | None = None
    not_before: str | None = None
    not_sentence: str | None = None
    not_after: str | None = None
    max_value: float | None = None
    combine: Combine
    chart: bool = False
    examples: list[MetricExample] = Field(min_length=1)

    @model_validator(mode="after")
    def _has_cue(self):
        if not (self.counted or self.before or self.after):
            raise ValueError("a metric needs at least one of counted, before, after")
        return self


class MetricsFile(RuleModel):
    fragments: dict[str, str] = Field(default_factory=dict)
    metrics: list[MetricRule]


@dataclass(frozen=True)
class Metric:
    """A metric rule with its regexes compiled."""

    rule: MetricRule
    patterns: dict[str, re.Pattern]

    @property
    def id(self) -> str:
        return self.rule.id


@lru_cache(maxsize=1)
def load_metrics() -> tuple[Metric, ...]:
    """`rules/metrics.yaml`, validated and compiled once; duplicate ids are an error."""
    data = load_model(METRICS_FILE, MetricsFile)
    seen: set[str] = set()
    metrics = []
    for rule in data.metrics:
        if rule.id in seen:
            raise RuleError(display(METRICS_FILE), rule.id, "duplicate id")
        seen.add(rule.id)
        pats = {f: compile_rule(METRICS_FILE, rule.id, getattr(rule, f), data.fragments)
                for f in PATTERN_FIELDS if getattr(rule, f)}
        metrics.append(Metric(rule, pats))
    return tuple(metrics)


CLAUSE_BREAK = re.compile(r"[,;:。!?，；：！？\n]")
SENTENCE_BREAK = re.compile(r"[。!?！？]")
"""A line break ends a clause but not a sentence: a heading line (`主要预期目标`) often opens
the sentence on the next line, and its cue words belong to it."""


@dataclass(frozen=True)
class Context:
    """The text around a number that a metric's cues look at (simplified view): the last two
    clauses before it (a pattern anchored with `$` that excludes `,` sees only the last one),
    the sentence before it, and the rest of its clause after it."""

    clause_before: str = ""
    sentence_before: str = ""
    after: str = ""


def context_at(view: str, start: int, end: int) -> Context:
    """The clause and the sentence before a span and the rest of its clause after it."""
    before = view[max(0, start - 240):start]
    parts = SENTENCE_BREAK.split(before)
    sentence = parts[-1] if parts else ""
    clause = "".join(_last_clauses(sentence, 2))
    after = CLAUSE_BREAK.split(view[end:end + 60], maxsplit=1)[0]
    return Context(clause[-60:], sentence, after)


def _last_clauses(text: str, n: int) -> list[str]:
    """The last `n` clauses of `text` with the breaks between them (`X亿元,增长`)."""
    parts = CLAUSE_BREAK.split(text)
    breaks = CLAUSE_BREAK.findall(text)
    keep = parts[-n:]
    seps = breaks[len(breaks) - len(keep) + 1:] if len(keep) > 1 else []
    return [x for pair in zip(keep, [*seps, ""]) for x in pair]


def metric_of(q: dict, ctx: Context, metrics: tuple[Metric, ...] | None = None) -> Metric | None:
    """The first metric a quantity mention matches, or None."""
    for metric in metrics if metrics is not None else load_metrics():
        if _matches(metric, q, ctx):
            return metric
    return None


def _matches(metric: Metric, q: dict, ctx: Context) -> bool:
    if q.get("ordinal") is True:
        return False
    if metric.rule.units and q.get("unit") not in metric.rule.units:
        return False
    if metric.rule.max_value is not None and (q.get("value") or 0) > metric.rule.max_value:
        return False
    p = metric.patterns
    counted = q.get("counted") if isinstance(q.get("counted"), str) else ""
    windows = {"counted": counted, "before": ctx.clause_before, "sentence": ctx.sentence_before}
    hit = any(p[f].search(windows[f]) for f in ("counted", "before") if f in p)
    hit = hit or ("after" in p and p["after"].match(ctx.after) is not None)
    if not hit or ("sentence" in p and not p["sentence"].search(ctx.sentence_before)):
        return False
    if "not_after" in p and p["not_after"].match(ctx.after):
        return False
    return not any(p[f"not_{f}"].search(windows[f]) for f in ("counted", "before", "sentence")
                   if f"not_{f}" in p)


def mention_context(out: Outputs, m: dict, items: dict) -> Context:
    """Context from the document's text, else from the item the mention sits in, else none."""
    view = out.view(m["doc_id"])
    if view is not None and view[m["start"]:m["end"]]:
        return context_at(view, m["start"], m["end"])
    item = items.get((m["doc_id"], m.get("item_id")))
    if item is None or not isinstance(item.get("text"), str):
        return Context()
    from pipeline.context.view import normalize

    shift = item["start"]
    return context_at(normalize(item["text"]).view, m["start"] - shift, m["end"] - shift)


def evidence_sentence(out: Outputs, doc_id: str, start: int, end: int, fallback: str) -> str:
    """The original sentence holding a span, for evidence columns; the span itself if no text."""
    text, _ = out.source(doc_id)
    if text is None or not text[start:end]:
        return fallback
    left = max((text.rfind(c, 0, start) for c in "。!?！？\n"), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in "。!?！？\n") if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    left, right = max(left, start - 200), min(right, end + 200)
    return text[left:right].strip()


def _doc_order(out: Outputs) -> dict[str, int]:
    return {d: i for i, d in enumerate(out.documents["doc_id"])}


def _ref_dates(out: Outputs) -> dict[str, dt.date]:
    dates = zip(out.documents["doc_id"], out.documents["reference_date"])
    return {d: (r if isinstance(r, dt.date) else dt.date.min) for d, r in dates}


def metric_mentions(out: Outputs) -> pd.DataFrame:
    """Each regional quantity mention that a metric claims, with the metric id."""
    qs = [m for m in out.rows["mentions"] if m["kind"] == "quantity" and m["region"]]
    items = {(i["doc_id"], i["item_id"]): i for i in out.rows["items"]}
    metrics = load_metrics()
    rows = []
    for m in qs:
        metric = metric_of(m, mention_context(out, m, items), metrics)
        if metric is not None:
            rows.append({**m, "metric_id": metric.id})
    return pd.DataFrame(rows, columns=[*out.mentions.columns, "metric_id"])


COMBINE: dict[str, Callable[[pd.DataFrame], float]] = {
    "sum": lambda g: float(g["value"].sum()),
    "max": lambda g: float(g["value"].max()),
    "min": lambda g: float(g["value"].min()),
    "first": lambda g: float(g["value"].iloc[0]),
    "latest": lambda g: float(g.sort_values(["_date", "_doc", "start"])["value"].iloc[-1]),
}
"""How a cell combines its mentions; `g` is in text order (document order, then offset)."""


def metrics_long(out: Outputs) -> pd.DataFrame:
    """One row per region and metric found: value, how it was combined, and its mentions."""
    found = metric_mentions(out)
    rules = {m.id: m.rule for m in load_metrics()}
    cols = ["region", "metric_id", "metric", "metric_en", "value", "unit", "combine", "mentions",
            "mention_refs", "doc_id", "evidence"]
    if found.empty:
        return pd.DataFrame(columns=cols)
    order, dates = _doc_order(out), _ref_dates(out)
    found = found.assign(_doc=found.doc_id.map(order), _date=found.doc_id.map(dates))
    found = found.sort_values(["_doc", "start"])
    rows = []
    for (region, metric_id), g in found.groupby(["region", "metric_id"], sort=False):
        rule, first = rules[metric_id], g.iloc[0]
        rows.append({
            "region": region, "metric_id": metric_id, "metric": rule.label,
            "metric_en": rule.label_en, "value": COMBINE[rule.combine](g),
            "unit": rule.unit, "combine": rule.combine, "mentions": len(g),
            "mention_refs": [ref(d, m) for d, m in zip(g.doc_id, g.mention_id)],
            "doc_id": first.doc_id,
            "evidence": evidence_sentence(out, first.doc_id, first.start, first.end, first.text)})
    return _in_region_order(pd.DataFrame(rows, columns=cols), out, "metric_id",
                            [m.id for m in load_metrics()])


def metrics_wide(long: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Region × metric values, one column per metric in `rules/metrics.yaml` order."""
    labels = [m.rule.label for m in load_metrics()]
    wide = long.pivot(index="region", columns="metric", values="value") if len(long) else None
    wide = (wide if wide is not None else pd.DataFrame()).reindex(index=regions, columns=labels)
    return _with_region_column(wide)


def _with_region_column(wide: pd.DataFrame) -> pd.DataFrame:
    wide = wide.rename_axis(index="region", columns=None).reset_index()
    return wide


def _in_region_order(df: pd.DataFrame, out: Outputs, key: str | None = None,
                     key_order: list | None = None) -> pd.DataFrame:
    """Rows sorted by region (official order), then by `key` in `key_order`, else kept as is."""
    rank = {r: i for i, r in enumerate(regions_in_order(out))}
    by = df["region"].map(rank).fillna(len(rank)).astype(float)
    if key is not None:
        krank = {k: i for i, k in enumerate(key_order or [])}
        by = by * (len(krank) + 1) + df[key].map(krank).fillna(len(krank))
    return df.iloc[by.argsort(kind="stable")].reset_index(drop=True)


# ---------------------------------------------------------------- practices

def practices_long(out: Outputs) -> pd.DataFrame:
    """One row per region and practice category: its items and the first evidence for it."""
    cols = ["region", "category", "items", "item_refs", "doc_id", "item_id", "cue", "evidence"]
    rows = []
    order = _doc_order(out)
    its = [i for i in out.rows["items"] if i["region"] and i["category"]]
    its.sort(key=lambda i: (order.get(i["doc_id"], len(order)), i["start"]))
    exploded = _explode_categories(its, out.items.columns)
    for (region, category), g in exploded.groupby(["region", "category"], sort=False):
        first = g.iloc[0]
        rows.append({"region": region, "category": category, "items": len(g),
                     "item_refs": [ref(d, i) for d, i in zip(g.doc_id, g.item_id)],
                     "doc_id": first.doc_id, "item_id": first.item_id,
                     "cue": _cue_of(first, category),
                     "evidence": evidence_sentence(out, first.doc_id, first.start, first.end,
                                                   first.text)})
    df = pd.DataFrame(rows, columns=cols)
    return _in_region_order(df, out, "category", practice_order(df))


def _explode_categories(items: list[dict], columns) -> pd.DataFrame:
    """One row per item and category; an item without categories has no row."""
    rows = [{**it, "category": c} for it in items for c in it["category"]]
    return pd.DataFrame(rows, columns=[*columns])


def _cue_of(item, category: str) -> str | None:
    cues = [c["cue"] for c in as_list(item["cues"]) if c.get("category") == category]
    return cues[0] if cues else None


def practice_order(long: pd.DataFrame) -> list[str]:
    """Categories by the number of items across regions, most first, then by name."""
    totals = long.groupby("category")["items"].sum() if len(long) else pd.Series(dtype=int)
    return sorted(totals.index, key=lambda c: (-totals[c], c))


def practices_wide(long: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Region × practice: number of items (0: none found; see coverage for what was read)."""
    cats = practice_order(long)
    wide = long.pivot(index="region", columns="category", values="items") if len(long) else None
    wide = (wide if wide is not None else pd.DataFrame()).reindex(index=regions, columns=cats)
    return _with_region_column(wide.fillna(0).astype(int))


# ---------------------------------------------------------------- bodies

def generic_body(name: str, region: str) -> str:
    """A body's name with its region written `省`, to compare regions: `河北省纪委监委`,
    `北京市纪委监委` → `省纪委监委`; `广西壮族自治区党委巡视办`, `河北省委巡视办` → `省委巡视办`.
    `省` then stands for any province-level region (province, autonomous region, municipality)."""
    if not isinstance(name, str) or not isinstance(region, str) or not name.startswith(region):
        return name
    rest = name[len(region):]
    return "省委" + rest[2:] if rest.startswith("党委") else "省" + rest


def bodies_long(out: Outputs) -> pd.DataFrame:
    """One row per region and body name: the items it leads and how often it is named."""
    cols = ["region", "body", "generic", "level", "items_led", "mentions", "responsible",
            "target", "participant", "item_refs", "mention_refs"]
    led = _items_led(out)
    named: dict[tuple[str, str], list[dict]] = {}
    for m in out.rows["mentions"]:
        if m["kind"] == "body" and m["region"] and m["name"]:
            named.setdefault((m["region"], m["name"]), []).append(m)
    rows = [_body_row(key, ms, led.pop(key, set())) for key, ms in named.items()]
    rows += [_body_row(key, [], refs) for key, refs in led.items()]
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["items_led", "mentions", "body"], ascending=[False, False, True])
    return _in_region_order(df.reset_index(drop=True), out)


def _body_row(key: tuple[str, str], ms: list[dict], led: set[str]) -> dict:
    """A body's row from its mentions in the region (possibly none) and the items it leads."""
    region, name = key
    roles = Counter(m["role"] for m in ms)
    levels = Counter(m["level"] for m in ms if m["level"])
    return {"region": region, "body": name, "generic": generic_body(name, region),
            "level": levels.most_common(1)[0][0] if levels else None, "items_led": len(led),
            "mentions": len(ms),
            **{r: roles.get(r, 0) for r in ("responsible", "target", "participant")},
            "item_refs": sorted(led), "mention_refs": [ref(m["doc_id"], m["mention_id"]) for m in ms]}


def _items_led(out: Outputs) -> dict[tuple[str, str], set[str]]:
    """(region, body name) → the items it leads: named in the item's `responsible`, or a
    responsible body mention inside the item."""
    led: dict[tuple[str, str], set[str]] = {}
    for it in out.rows["items"]:
        for name in it["responsible"] if it["region"] else ():
            led.setdefault((it["region"], name), set()).add(ref(it["doc_id"], it["item_id"]))
    for m in out.rows["mentions"]:
        if m["kind"] == "body" and m["role"] == "responsible" and m["item_id"] and m["region"]:
            led.setdefault((m["region"], m["name"]), set()).add(ref(m["doc_id"], m["item_id"]))
    return led


BODY_COLUMNS = 30
"""The wide bodies table keeps the bodies leading most items overall; the long form has all."""


def bodies_wide(long: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Region × body without its region name (`省纪委监委`): items led."""
    if long.empty:
        return _with_region_column(pd.DataFrame(index=regions))
    totals = long.groupby("generic")[["items_led", "mentions"]].sum()
    top = sorted(totals.index, key=lambda b: (-totals.at[b, "items_led"],
                                               -totals.at[b, "mentions"], b))[:BODY_COLUMNS]
    summed = long.groupby(["region", "generic"])["items_led"].sum().unstack()
    wide = summed.reindex(index=regions, columns=top).fillna(0).astype(int)
    return _with_region_column(wide)


# ---------------------------------------------------------------- deadlines and coverage

def deadlines(out: Outputs) -> pd.DataFrame:
    """Every deadline with its item and region, by date (undated ones last, by anchor)."""
    cols = ["region", "start_date", "end_date", "offset", "anchor", "text", "action", "task",
            "item_text", "doc_id", "mention_id", "item_id", "rule_id", "score"]
    ms = out.mentions[(out.mentions.kind == "time") & (out.mentions.time_kind == "deadline")]
    its = out.items[["doc_id", "item_id", "action", "task", "text"]].rename(
        columns={"text": "item_text"})
    df = ms.merge(its, on=["doc_id", "item_id"], how="left")
    order = _doc_order(out)
    df = df.assign(_sort=df.end_date.where(df.end_date.notna(), df.start_date),
                   _doc=df.doc_id.map(order))
    df["_undated"] = df._sort.isna()
    df["_sort"] = df._sort.map(lambda d: d if isinstance(d, dt.date) else dt.date.max)
    df = df.sort_values(["_undated", "_sort", "_doc", "start"], kind="stable")
    return df[cols].reset_index(drop=True)


KINDS = mention_kinds()


def coverage(out: Outputs, metrics: pd.DataFrame, practices: pd.DataFrame) -> pd.DataFrame:
    """Per region: what was read and what was found, so a blank cell reads as "not said" or
    "not found" for the right reason."""
    regions = regions_in_order(out)
    docs: dict[str, set] = {r: set() for r in regions}
    chars = dict.fromkeys(regions, 0)
    for doc_id, segs in zip(out.documents.doc_id, out.documents.regions):
        for seg in as_list(segs):
            docs[seg["region"]].add(doc_id)
            chars[seg["region"]] += seg["end"] - seg["start"]
    ms, its = out.mentions, out.items
    known = set(out.documents.doc_id)
    rows = [{"region": r, "documents": len((docs[r] | set(ms.doc_id[ms.region == r])
                                         | set(its.doc_id[its.region == r])) & known),
             "chars": chars[r], "items": int((its.region == r).sum()),
             **{f"{k}_mentions": int(((ms.region == r) & (ms.kind == k)).sum()) for k in KINDS},
             "metrics": int((metrics.region == r).sum()),
             "practices": int((practices.region == r).sum())} for r in regions]
    cols = ["region", "documents", "chars", "items", *[f"{k}_mentions" for k in KINDS],
            "metrics", "practices"]
    return pd.DataFrame(rows, columns=cols)


def unattributed(out: Outputs) -> dict[str, int]:
    """What the region tables leave out: records in text that speaks for no region."""
    ms, its = out.mentions, out.items
    no_region = [d for d, segs in zip(out.documents.doc_id, out.documents.regions) if not as_list(segs)]
    return {"documents": len(no_region), "items": int(its.region.isna().sum()),
            **{f"{k}_mentions": int(((ms.kind == k) & ms.region.isna()).sum()) for k in KINDS}}


# ---------------------------------------------------------------- all tables and their files

def tables(out: Outputs) -> dict[str, pd.DataFrame]:
    """Every comparison table: the wide forms for reading, the `_long` forms for other tools."""
    regions = regions_in_order(out)
    m_long, p_long, b_long = metrics_long(out), practices_long(out), bodies_long(out)
    return {
        "metrics": metrics_wide(m_long, regions), "metrics_long": m_long,
        "practices": practices_wide(p_long, regions), "practices_long": p_long,
        "bodies": bodies_wide(b_long, regions), "bodies_long": b_long,
        "deadlines": deadlines(out), "coverage": coverage(out, m_long, p_long),
        "rectifications": ledger.by_group(out, "region", regions),
        "rectifications_by_level": ledger.by_group(out, "level"),
        "rectification_records": ledger.flat_records(out),
    }
