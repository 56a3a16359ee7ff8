"""Golden end-to-end outputs over the bundled corpus: what changed, shown before it is accepted.

    python -m tests.golden_files            # list what differs from tests/golden/
    python -m tests.golden_files --update   # list it, then write the new golden files

Each golden file is a compact, line-per-record rendering of one document's mentions and items,
so a diff reads as "this mention appeared, that value changed".
"""
from __future__ import annotations

import difflib
import sys
from pathlib import Path

from pipeline.records import MENTION_TYPES, kind_of, own_fields

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CORPORA = ROOT / "corpora"

FIELDS = {kind_of(t): own_fields(t) for t in MENTION_TYPES}  # each kind's own typed fields


def render(doc) -> str:
    """One line per region, mention and item: offsets, text, the typed fields, the rule."""
    lines = [f"doc\t{doc.script}\t{doc.reference_date}\t{doc.reference_date_source}"]
    lines += [f"region\t{r.start}-{r.end}\t{r.region}\t{r.rule_id}" for r in doc.regions]
    for m in doc.mentions:
        vals = "\t".join(f"{k}={getattr(m, k)}" for k in FIELDS[m.kind])
        lines.append(f"{m.kind}\t{m.start}-{m.end}\t{m.text}\t{vals}\tregion={m.region}\t{m.rule_id}")
    for it in doc.items:
        lines.append(f"item\t{it.start}-{it.end}\t{it.action}\t{it.task}\t{','.join(it.category)}\t"
                     f"{len(it.mention_ids)} mentions")
    lines += [ledger_line(r) for r in doc.rectifications]
    return "\n".join(lines) + "\n"


def ledger_line(r) -> str:
    """A ledger record: its body, form, dates, figures (value and evidence spans) and checks."""
    from pipeline.records import LEDGER_FIGURES

    body = f"{r.body.name}@{r.body.start}" if r.body else f"null({r.reason})"
    dates = [f"{k}={getattr(r, k).end_date}" for k in ("inspection_period", "feedback_date", "as_of")
             if getattr(r, k)]
    if r.deadline:
        dates.append(f"deadline={r.deadline.end_date}")
    figs = [f"{k}={getattr(r, k).value}[{','.join(str(e.start) for e in getattr(r, k).evidence)}]"
            for k in LEDGER_FIGURES if getattr(r, k)]
    return "\t".join(["rectification", body, r.notice, " ".join(dates), " ".join(figs),
                      ",".join(c.check for c in r.checks)])


def current() -> dict[str, str]:
    from pipeline.run.batch import iter_documents

    return {Path(d.path).stem + ".tsv": render(d)
            for d in iter_documents([CORPORA]) if not isinstance(d, Exception)}


def diff(name: str, new: str) -> list[str]:
    old_path = GOLDEN / name
    old = old_path.read_text(encoding="utf-8") if old_path.exists() else ""
    return list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"golden/{name}",
                                     f"now/{name}", lineterm="", n=0))


def main(argv: list[str]) -> int:
    now = current()
    changed = 0
    for name, text in sorted(now.items()):
        d = diff(name, text)
        if d:
            changed += 1
            print("\n".join(d))
    print(f"{changed} of {len(now)} golden files differ", file=sys.stderr)
    if "--update" in argv:
        GOLDEN.mkdir(exist_ok=True)
        for name, text in now.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
