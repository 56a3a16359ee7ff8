"""The rectification ledger in the comparison (docs/ledger.md §8), from `rectifications.jsonl`
alone: the table by region and by level, every record flattened to one row, and, for the store,
one row per evidence mention and per check; for the report, each body's timeline.

A body counts once in the tables, by the latest record of its chain; the rate is Σdone/Σproblems
over the bodies that state both, never an average of stated rates (`pipeline.ledger.tables`).
"""
from __future__ import annotations

import json

import pandas as pd

from pipeline.compare.outputs import Outputs, ref
from pipeline.ledger.tables import COLUMNS, table
from pipeline.records import LEDGER_FIGURES

GROUP_COLUMNS = (*COLUMNS, "record_refs")
RECORD_COLUMNS = (
    "record_id", "doc_id", "region", "body", "body_key", "level", "notice", "document_date",
    "reason", "inspector", "inspection_start", "inspection_end", "feedback_date",
    "feedback_source", "deadline", "deadline_text", "deadline_reason", "as_of",
    *LEDGER_FIGURES, "rate_computed", "conflicts", "checks", "chain", "position", "count",
    "previous", "next", "mention_refs")
EVIDENCE_COLUMNS = ("record_id", "doc_id", "field", "role", "value", "unit", "text", "start", "end",
                    "mention_id", "rule_id")
CHECK_COLUMNS = ("record_id", "doc_id", "check", "message", "details", "mention_refs")


def records_of(out: Outputs) -> list[dict]:
    return out.rows.get("rectifications", [])


def by_group(out: Outputs, by: str, order: list[str] | None = None) -> pd.DataFrame:
    """The table by `region` or `level`, each row with the ids of the records behind it."""
    recs = records_of(out)
    rows = table(recs, by)
    for row in rows:
        row["record_refs"] = [r["record_id"] for r in recs if _group(r, by) == row[by]]
    df = pd.DataFrame(rows, columns=[by, *GROUP_COLUMNS])
    if order is not None and len(df):
        rank = {g: i for i, g in enumerate(order)}
        df = df.iloc[sorted(range(len(df)), key=lambda i: (df[by].iloc[i] is None,
                                                            rank.get(df[by].iloc[i], len(rank))))]
    return df.reset_index(drop=True)


def _group(rec: dict, by: str):
    return rec.get("region") if by == "region" else (rec.get("body") or {}).get("level")


def flat_records(out: Outputs) -> pd.DataFrame:
    """One row per record: its body, dates, figures' values, checks and place in its chain."""
    return pd.DataFrame([flat(r) for r in records_of(out)], columns=list(RECORD_COLUMNS))


def flat(r: dict) -> dict:
    body, links = r.get("body") or {}, r.get("links") or {}
    period, fb = r.get("inspection_period") or {}, r.get("feedback_date") or {}
    deadline, as_of = r.get("deadline") or {}, r.get("as_of") or {}
    return {
        "record_id": r["record_id"], "doc_id": r["doc_id"], "region": r.get("region"),
        "body": body.get("name"), "body_key": body.get("key"), "level": body.get("level"),
        "notice": r["notice"], "document_date": _day(r.get("document_date")), "reason": r.get("reason"),
        "inspector": (r.get("inspector") or {}).get("name"),
        "inspection_start": _day(period.get("start_date")), "inspection_end": _day(period.get("end_date")),
        "feedback_date": _day(fb.get("end_date")), "feedback_source": fb.get("source"),
        "deadline": _day(deadline.get("end_date")), "deadline_text": deadline.get("text"),
        "deadline_reason": deadline.get("reason"), "as_of": _day(as_of.get("end_date")),
        **{f: (r.get(f) or {}).get("value") for f in LEDGER_FIGURES},
        "rate_computed": r.get("rate_computed"),
        "conflicts": [f for f in LEDGER_FIGURES if (r.get(f) or {}).get("conflict")],
        "checks": [c["check"] for c in r.get("checks", [])], "chain": links.get("key"),
        "position": links.get("position"), "count": links.get("count"),
        "previous": links.get("previous"), "next": links.get("next"),
        "mention_refs": [ref(r["doc_id"], m) for m in r.get("mention_ids", [])]}


def _day(value):
    return pd.Timestamp(value).date() if value else None


def evidence(out: Outputs) -> pd.DataFrame:
    """One row per mention behind a figure, with the figure's field and the mention's role."""
    rows = [{"record_id": r["record_id"], "doc_id": r["doc_id"], "field": f, **{
                k: e.get(k) for k in ("role", "value", "unit", "text", "start", "end", "mention_id", "rule_id")}}
            for r in records_of(out) for f in LEDGER_FIGURES if r.get(f)
            for e in [*r[f]["evidence"], *r[f]["breakdown"]]]
    return pd.DataFrame(rows, columns=list(EVIDENCE_COLUMNS))


def checks(out: Outputs) -> pd.DataFrame:
    """One row per check, its details as JSON text."""
    rows = [{"record_id": r["record_id"], "doc_id": r["doc_id"], "check": c["check"],
             "message": c["message"], "details": json.dumps(c.get("details", {}), ensure_ascii=False),
             "mention_refs": [ref(r["doc_id"], m) for m in c.get("mention_ids", [])]}
            for r in records_of(out) for c in r.get("checks", [])]
    return pd.DataFrame(rows, columns=list(CHECK_COLUMNS))


def timelines(out: Outputs) -> list[dict]:
    """Each body's records in timeline order (chains by region, then name); records without a
    body last, one chain each."""
    chains: dict[str, list[dict]] = {}
    for r in records_of(out):
        key = (r.get("links") or {}).get("key") or f"none|{r['record_id']}"
        chains.setdefault(key, []).append(r)
    out_chains = []
    for key, recs in chains.items():
        recs.sort(key=lambda r: (r.get("links") or {}).get("position", 0))
        last = recs[-1]
        out_chains.append({"key": key, "region": last.get("region"), "body": last.get("body"),
                           "records": recs})
    return sorted(out_chains, key=lambda c: (c["body"] is None, c["region"] or "",
                                              (c["body"] or {}).get("name") or ""))
