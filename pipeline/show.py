"""`xunshi show FILE`: one document's work items as a table in the terminal.

A reader checks extraction by eye, so each row puts the act, its object, who does it, the
counts and dates linked to it and its practice categories beside the sentence they came from.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.errors import InputError, XunshiError
from pipeline.records import Document, WorkItem

SENTENCE_WIDTH = 60


def show(path: Path, console=None) -> Document:
    """Extract one file (with its folder's manifest, if any) and print its items.

    Returns the document, so callers and tests can look at what was shown.
    """
    from rich.console import Console

    from pipeline.run.batch import iter_documents

    console = console or Console()
    doc = next(iter_documents([Path(path)]), None)
    if doc is None:  # a folder of outputs, or one holding no report
        raise InputError(str(path), "no report to read here: show takes a report file")
    if isinstance(doc, Exception):
        raise doc if isinstance(doc, XunshiError) else XunshiError(str(path), str(doc))
    console.print(render(doc))
    return doc


def render(doc: Document):
    """The rich Table of a document's items, one row each, in text order."""
    from rich.table import Table

    table = Table(title=_title(doc), show_lines=True, expand=False)
    for name, style in (("#", "dim"), ("action", "bold"), ("task", ""), ("bodies", "cyan"),
                        ("counts", "green"), ("times", "magenta"), ("categories", "yellow"),
                        ("sentence", "")):
        table.add_column(name, style=style, overflow="fold",
                         max_width=SENTENCE_WIDTH if name == "sentence" else None)
    for row in rows(doc):
        table.add_row(*row)
    return table


def rows(doc: Document) -> list[tuple[str, ...]]:
    """Each item as strings: number, action, task, bodies, counts, times, categories, sentence."""
    by_item: dict[str, list] = {}
    for m in doc.mentions:
        if m.item_id:
            by_item.setdefault(m.item_id, []).append(m)
    return [_row(k, it, by_item.get(it.item_id, [])) for k, it in enumerate(doc.items, 1)]


def _row(k: int, it: WorkItem, mentions: list) -> tuple[str, ...]:
    counts = [m.text for m in mentions if m.kind == "quantity"]
    times = [m.text for m in mentions if m.kind == "time"]
    carried = {i.name for i in it.inherited}
    bodies = [f"{n} (inherited)" if n in carried else n for n in it.responsible] or \
        [m.name for m in mentions if m.kind == "body"]
    cats = [f"{c.category}({c.cue})" for c in it.cues] or it.category
    return (str(k), it.action, it.task or "", "\n".join(bodies), "\n".join(counts),
            "\n".join(times), "\n".join(cats), it.text)


def _title(doc: Document) -> str:
    where = ", ".join(dict.fromkeys(r.region for r in doc.regions)) or "no region"
    return f"{doc.title or doc.path} · {where} · {len(doc.items)} items"
