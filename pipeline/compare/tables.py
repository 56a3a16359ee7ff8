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
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from pipeline.compare import ledger
from pipeline.compare.metrics import metrics_long, metrics_wide
from pipeline.compare.outputs import Outputs, as_list, mention_kinds, ref
from pipeline.rules import rule_path

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


# ---------------------------------------------------------------- metrics (spec §5a)

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


def metric_tables(out: Outputs, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """`metrics` (region × measure and status) and `metrics_long` (`pipeline.compare.metrics`)."""
    regions = regions_in_order(out)
    long = metrics_long(out, regions, lambda m: evidence_sentence(
        out, m["doc_id"], m["start"], m["end"], m["text"]))
    return {"metrics": metrics_wide(long, regions), "metrics_long": long}


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
    cols = ["region", "body", "generic", "level", "items_led", "items_inherited", "mentions",
            "responsible", "target", "participant", "item_refs", "inherited_refs", "mention_refs"]
    led, carried = _items_led(out)
    named: dict[tuple[str, str], list[dict]] = {}
    for m in out.rows["mentions"]:
        if m["kind"] == "body" and m["region"] and m["name"]:
            named.setdefault((m["region"], m["name"]), []).append(m)
    for key in [*led, *carried]:
        named.setdefault(key, [])
    rows = [_body_row(key, ms, led.get(key, set()), carried.get(key, set()))
            for key, ms in named.items()]
    df = pd.DataFrame(rows, columns=cols)
    df = df.sort_values(["items_led", "mentions", "body"], ascending=[False, False, True])
    return _in_region_order(df.reset_index(drop=True), out)


def _body_row(key: tuple[str, str], ms: list[dict], led: set[str], carried: set[str]) -> dict:
    """A body's row from its mentions in the region (possibly none), the items that name it
    responsible and those it is responsible for only as their sentence's carried subject."""
    region, name = key
    roles = Counter(m["role"] for m in ms)
    levels = Counter(m["level"] for m in ms if m["level"])
    inherited = carried - led
    return {"region": region, "body": name, "generic": generic_body(name, region),
            "level": levels.most_common(1)[0][0] if levels else None, "items_led": len(led),
            "items_inherited": len(inherited), "mentions": len(ms),
            **{r: roles.get(r, 0) for r in ("responsible", "target", "participant")},
            "item_refs": sorted(led), "inherited_refs": sorted(inherited),
            "mention_refs": [ref(m["doc_id"], m["mention_id"]) for m in ms]}


Led = dict[tuple[str, str], set[str]]


def _items_led(out: Outputs) -> tuple[Led, Led]:
    """(region, body name) → the items that state it responsible (in the item's `responsible`
    and not inherited, or a responsible body mention inside the item), and → the items that
    inherit it from an earlier item of their sentence."""
    led: Led = {}
    carried: Led = {}
    for it in out.rows["items"]:
        if not it["region"]:
            continue
        inherited = {i["name"] for i in it.get("inherited") or []}
        for name in it["responsible"]:
            into = carried if name in inherited else led
            into.setdefault((it["region"], name), set()).add(ref(it["doc_id"], it["item_id"]))
    for m in out.rows["mentions"]:
        if m["kind"] == "body" and m["role"] == "responsible" and m["item_id"] and m["region"]:
            led.setdefault((m["region"], m["name"]), set()).add(ref(m["doc_id"], m["item_id"]))
    return led, carried


BODY_COLUMNS = 30
"""The wide bodies table keeps the bodies leading most items overall; the long form has all."""


def bodies_wide(long: pd.DataFrame, regions: list[str]) -> pd.DataFrame:
    """Region × body without its region name (`省纪委监委`): items that name it responsible
    (inherited ones are in bodies_long)."""
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
             "metrics": int(((metrics.region == r) & (metrics.scope == "total")).sum()),
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


# ---------------------------------------------------------------- every table

def practice_tables(out: Outputs, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    long = practices_long(out)
    return {"practices": practices_wide(long, regions_in_order(out)), "practices_long": long}


def body_tables(out: Outputs, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    long = bodies_long(out)
    return {"bodies": bodies_wide(long, regions_in_order(out)), "bodies_long": long}


def deadline_table(out: Outputs, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {"deadlines": deadlines(out)}


def coverage_table(out: Outputs, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {"coverage": coverage(out, built["metrics_long"], built["practices_long"])}


def rectification_tables(out: Outputs, built: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The ledger's tables (`pipeline.compare.ledger`): by region, by level, one row a record."""
    return {"rectifications": ledger.by_group(out, "region", regions_in_order(out)),
            "rectifications_by_level": ledger.by_group(out, "level"),
            "rectification_records": ledger.flat_records(out)}


TableBuilder = Callable[[Outputs, dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]
BUILDERS: list[TableBuilder] = [metric_tables, practice_tables, body_tables, deadline_table,
                                coverage_table, rectification_tables]
"""The table registry: each builder gives its tables (a wide form first, then its `_long`
form) from the outputs and the tables built before it; a new table is a builder here and its
columns in `columns.TABLES`, and every writer (files, workbook, store, report) takes it."""


def tables(out: Outputs) -> dict[str, pd.DataFrame]:
    """Every comparison table: the wide forms for reading, the `_long` forms for other tools."""
    built: dict[str, pd.DataFrame] = {}
    for build in BUILDERS:
        built.update(build(out, built))
    return built
