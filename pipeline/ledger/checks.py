"""Checks on a record, reported and never fixed (docs/ledger.md §5): figures that do not add up,
a stated rate that disagrees with done/problems, problems open after the deadline, conflicting
statements, figures no single body owns, and dates in an impossible order.

Done, ongoing and the rate are read against problems, or, when the notice counts rectification
measures instead (已完成整改措施81条), against measures (`BASES`).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pipeline.ledger.rules import ledger_rules
from pipeline.records import Check, Figure

BASES = {"problems": ("problems", "done", "ongoing"),
         "measures": ("measures", "measures_done", "measures_ongoing")}

def rate_of(done: float, problems: float) -> float:
    """100·done/problems to one decimal, half up (81.25 → 81.3), as an analyst rounds it."""
    exact = Decimal(100) * Decimal(str(done)) / Decimal(str(problems))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def value(fig: Figure | None) -> float | None:
    return fig.value if fig is not None else None


def ids(*figs: Figure | None) -> list[str]:
    return [e.mention_id for f in figs if f is not None for e in f.evidence]


def exact(*figs: Figure | None) -> bool:
    return all(f is not None and f.value is not None and f.approx is None for f in figs)


Reference = tuple  # (date, 'as_of' | 'document_date', mention id or None): what overdue is judged on


def run(fields: dict, reference: Reference, deadline, feedback, period) -> list[Check]:
    """Every check of one record from its fields (figures by name, and its dates)."""
    out = [conflict(name, fig, fields) for name, fig in fields.items() if fig is not None and fig.conflict]
    out += [c for c in (sum_mismatch(fields), rate_mismatch(fields),
                        overdue(fields, reference, deadline), date_order(reference, feedback, period)) if c]
    return out


def sum_mismatch(f: dict) -> Check | None:
    """done + ongoing ≠ total, or done > total, on the first basis that does not add up."""
    for basis, (total, done, ongoing) in BASES.items():
        p, d, o = f.get(total), f.get(done), f.get(ongoing)
        if not exact(p, d):
            continue
        if exact(o) and d.value + o.value != p.value:
            msg = f"{done} {d.value:g} + {ongoing} {o.value:g} = {d.value + o.value:g}, but {p.value:g} {total}"
        elif d.value > p.value:
            msg = f"{done} {d.value:g} exceeds the {p.value:g} {total}"
        else:
            continue
        return Check(check="sum_mismatch", message=msg, mention_ids=ids(p, d, o),
                     details={"basis": basis, "problems" if basis == "problems" else "measures": p.value,
                              "done": d.value, "ongoing": value(o)})
    return None


def rate_basis(f: dict) -> tuple[str, Figure | None, Figure | None]:
    """What a stated rate is a share of: problems when done problems are stated, else measures."""
    for basis, (total, done, _) in BASES.items():
        if value(f.get(done)) is not None:
            return basis, f.get(total), f.get(done)
    return "problems", None, None


def rate_mismatch(f: dict) -> Check | None:
    r = f.get("rate")
    basis, p, d = rate_basis(f)
    if value(r) is None or not exact(p, d) or not p.value:
        return None
    computed = rate_of(d.value, p.value)
    if abs(r.value - 100 * d.value / p.value) <= ledger_rules().spec.checks.rate_tolerance_points:
        return None
    return Check(check="rate_mismatch", message=f"stated rate {r.value:g}% but {BASES[basis][1]}/{basis} "
                 f"is {computed:g}%", mention_ids=ids(r, d, p),
                 details={"basis": basis, "stated": r.value, "computed": computed})


def open_count(f: dict) -> tuple[float | None, str | None, Figure | None]:
    """Problems (else measures) still open: ongoing as stated, else total − done, else unknown."""
    for total, done, ongoing in BASES.values():
        o, p, d = f.get(ongoing), f.get(total), f.get(done)
        if value(o) is not None:
            return o.value, "stated", o
        if value(p) is not None and value(d) is not None:
            return p.value - d.value, "implied", None
    return None, None, None


def overdue(f: dict, reference: Reference, deadline) -> Check | None:
    open_, basis, stated = open_count(f)
    ref, kind, ref_id = reference
    if deadline is None or deadline.end_date is None or not open_ or ref is None or ref <= deadline.end_date:
        return None
    days = (ref - deadline.end_date).days
    return Check(check="overdue", message=f"{open_:g} problems still open on {ref} ({kind}), {days} days "
                 f"after the deadline {deadline.end_date}",
                 mention_ids=[deadline.mention_id, *([ref_id] if ref_id else []),
                              *ids(stated)],
                 details={"open": open_, "open_basis": basis, "deadline": deadline.end_date.isoformat(),
                          "reference": kind, "reference_date": ref.isoformat(), "days_over": days})


def conflict(name: str, fig: Figure, f: dict) -> Check:
    """Different values stated for one figure; `agrees`: those done + ongoing equals."""
    d, o = value(f.get("done")), value(f.get("ongoing"))
    agrees = [v for v in fig.values if d is not None and o is not None and d + o == v]
    shown = " vs ".join(f"{v:g}" for v in fig.values)
    return Check(check="conflict", message=f"{name}: {shown} stated in different sentences",
                 mention_ids=ids(fig), details={"field": name, "values": fig.values, "agrees": agrees})


def ambiguous(name: str, mention_id: str, bodies: list[str]) -> Check:
    return Check(check="ambiguous", message=f"{name} figure in a passage about {', '.join(bodies)}: "
                 "given to none", mention_ids=[mention_id],
                 details={"field": name, "mention_id": mention_id, "bodies": bodies})


def date_order(reference: Reference, feedback, period) -> Check | None:
    """Feedback after the reference date, or an inspection that ends after its feedback."""
    fb = feedback.end_date if feedback is not None else None
    ref, kind, _ = reference
    if fb and ref and fb > ref:
        msg = f"feedback on {fb} is after the {kind} {ref}"
    elif fb and period is not None and period.end_date and period.end_date > fb:
        ref, kind = period.end_date, "inspection_end"
        msg = f"the inspection ends on {ref}, after its feedback on {fb}"
    else:
        return None
    ids_ = [x.mention_id for x in (feedback, period) if x is not None and x.mention_id]
    return Check(check="date_order", message=msg, mention_ids=ids_,
                 details={"feedback_date": fb.isoformat(), "reference": kind, "reference_date": ref.isoformat()})
