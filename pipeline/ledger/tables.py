"""The `rectifications` comparison table (docs/ledger.md §8), by region or by level.

Each body counts once, by the latest record of its chain; it is overdue when that record's open
count is positive after the latest deadline its chain states. The rate is Σdone/Σproblems over
the bodies that state both, never an average of stated rates. A record without a body is counted
in `records` and `unattributed`, and its figures are never added.
"""
from __future__ import annotations

from collections.abc import Iterable

from pipeline.ledger.checks import rate_of
from pipeline.records import LEDGER_FIGURES

COLUMNS = ("records", "bodies", "problems", "problems_n", "done", "done_n", "rate", "rate_n",
           "overdue", "overdue_evaluable", "overdue_share", "conflicts", "unattributed")


def as_dicts(records: Iterable) -> list[dict]:
    return [r.model_dump(mode="json") if hasattr(r, "model_dump") else r for r in records]


def chains(records: list[dict]) -> dict[str, list[dict]]:
    """Linked records by chain, in timeline order."""
    out: dict[str, list[dict]] = {}
    for r in records:
        if r.get("body") and r.get("links"):
            out.setdefault(r["links"]["key"], []).append(r)
    for chain in out.values():
        chain.sort(key=lambda r: r["links"]["position"])
    return out


def value(rec: dict, name: str):
    return (rec.get(name) or {}).get("value")


def status(chain: list[dict]) -> dict:
    """A body's standing: its latest record's figures, judged against its chain's latest deadline."""
    last = chain[-1]
    p, d, o = value(last, "problems"), value(last, "done"), value(last, "ongoing")
    open_ = o if o is not None else (p - d if p is not None and d is not None else None)
    deadline = next((r["deadline"]["end_date"] for r in reversed(chain)
                     if r.get("deadline") and r["deadline"].get("end_date")), None)
    ref = (last.get("as_of") or {}).get("end_date") or last.get("document_date")
    return {"record_id": last["record_id"], "problems": p, "done": d, "open": open_,
            "conflict": any((last.get(f) or {}).get("conflict") for f in LEDGER_FIGURES),
            "evaluable": deadline is not None and open_ is not None,
            "overdue": bool(deadline and open_ and ref and ref > deadline)}


def table(records: Iterable, by: str = "region") -> list[dict]:
    """One row per region (or level): the columns of COLUMNS, groups sorted, null last."""
    records = as_dicts(records)
    rows: dict = {}

    def row(group):
        return rows.setdefault(group, {by: group, **{c: 0 for c in COLUMNS}, "problems": None,
                                       "done": None, "rate": None, "overdue_share": None, "_p": 0, "_d": 0})

    for r in records:
        g = row(group_of(r, by))
        g["records"] += 1
        g["unattributed"] += r.get("body") is None
    for chain in chains(records).values():
        add_body(row(chain_group(chain, by)), status(chain))
    return [finish(rows[g]) for g in sorted(rows, key=lambda x: (x is None, x or ""))]


def group_of(r: dict, by: str):
    return r.get("region") if by == "region" else (r.get("body") or {}).get("level")


def chain_group(chain: list[dict], by: str):
    """A body's group: its latest record's region, or the latest level its chain knows."""
    return next((g for r in reversed(chain) if (g := group_of(r, by)) is not None), None)


def add_body(g: dict, st: dict) -> None:
    g["bodies"] += 1
    for f in ("problems", "done"):
        if st[f] is not None:
            g[f] = (g[f] or 0) + st[f]
            g[f + "_n"] += 1
    if st["problems"] is not None and st["done"] is not None:
        g["_p"] += st["problems"]
        g["_d"] += st["done"]
        g["rate_n"] += 1
    g["conflicts"] += st["conflict"]
    g["overdue_evaluable"] += st["evaluable"]
    g["overdue"] += st["overdue"]


def finish(g: dict) -> dict:
    p, d = g.pop("_p"), g.pop("_d")
    g["rate"] = rate_of(d, p) if p else None
    g["overdue_share"] = round(g["overdue"] / g["overdue_evaluable"], 3) if g["overdue_evaluable"] else None
    return g
