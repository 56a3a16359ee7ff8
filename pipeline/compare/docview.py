"""One document of the report: its text with every mention highlighted and its work items.

The text is the original, HTML-escaped, each mention wrapped in a `<mark>` of its kind (hover:
value, unit, dates, name, rule id, score); a marker shows where each region passage and each work
item starts. Below the text, the work items as a table (act, object, responsible bodies, the
counts and times inside it, categories), each row linked to the item's place in the text and
back. Without the text (an output folder of an older xunshi has no texts.jsonl), the mentions and
items are listed as tables instead.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from pipeline.compare.cells import cell_text
from pipeline.compare.outputs import Outputs

KIND_LABELS = {"quantity": "数量", "time": "时间", "body": "主体"}
MARKERS = ("region", "item")
"""Zero-width markers: placed before a mention that starts at the same character."""
FIELDS = {"quantity": ("value", "value_max", "approx", "unit", "counted", "ordinal", "measure",
                       "scope", "status"),
          "time": ("time_kind", "start_date", "end_date", "offset", "anchor"),
          "body": ("name", "role", "level")}


@dataclass
class Mark:
    """One highlight: a span of the text, its anchor id and its tooltip."""

    start: int
    end: int
    kind: str
    anchor: str
    title: str
    order: int = 0


@dataclass
class ItemRow:
    """A work item as the document page lists it."""

    id: str
    anchor: str
    action: str
    task: str
    responsible: str
    counts: str
    times: str
    categories: str
    text: str
    placed: bool


@dataclass
class DocView:
    """What the page shows of one document."""

    key: str
    doc_id: str
    title: str
    path: str
    regions: list[str]
    region_keys: list[str]
    chars: int
    note: str = ""
    html: Markup | None = None
    mentions: list[dict] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)

    def item_columns(self) -> tuple[str, ...]:
        """The items table's columns after the id: the clause itself only when the text is
        not shown above (where each id leads to it)."""
        return ITEM_CELLS if self.html is None else ITEM_CELLS[:-1]

    def items_html(self) -> Markup:
        """The rows of the items table, escaped here in one pass: a document of a thousand
        items would otherwise cost the template engine ten thousand escapes."""
        cols = self.item_columns()
        return Markup("".join(_item_tr(it, cols) for it in self.items))


ITEM_CELLS = ("action", "task", "responsible", "counts", "times", "categories", "text")


def _item_tr(it: ItemRow, columns: tuple[str, ...]) -> str:
    """One row of the items table: its id linked to the item's place in the text (or, without
    a place, the anchor the text would have had), then its cells."""
    a, i = html.escape(it.anchor), html.escape(it.id)
    first = (f'<a href="#{a}" title="its place in the text">{i}</a>' if it.placed
             else f'<span id="{a}">{i}</span>')
    cells = "".join(f"<td>{html.escape(getattr(it, c))}</td>" for c in columns)
    return f'<tr id="t-{a}"><td>{first}</td>{cells}</tr>\n'


def tooltip(m: dict) -> str:
    """The hover text of a mention: its normalised fields, rule and score."""
    kind = m.get("kind")
    parts = [f"{KIND_LABELS.get(kind, kind)} {kind}"]
    for f in (*FIELDS.get(kind, ()), "region", "item_id", "rule_id", "source", "score", "mention_id"):
        text = cell_text(m.get(f))
        if text and not (f == "ordinal" and text == "False"):
            parts.append(f"{f}: {text}")
    return "\n".join(parts)


def item_detail(item: dict) -> str:
    """The hover text of a work item."""
    return "\n".join([f"action: {cell_text(item.get('action'))}",
                      f"task: {cell_text(item.get('task'))}",
                      f"category: {cell_text(item.get('category'))}",
                      f"responsible: {cell_text(item.get('responsible'))}",
                      f"item_id: {item['item_id']}"])


def highlight(text: str, marks: list[Mark]) -> Markup:
    """The text escaped, each mark wrapped in `<mark>`; nested spans nest, a span crossing
    another is cut at the outer one's end, so every mention gives exactly one element."""
    out: list[str] = []
    pos, stack = 0, []

    def flush(to: int) -> None:
        nonlocal pos
        out.append(str(escape(text[pos:to])))
        pos = to

    for m in sorted(marks, key=lambda m: (m.start, m.kind not in MARKERS, -m.end, m.order)):
        while stack and stack[-1][0] <= m.start:
            end, close = stack.pop()
            flush(end)
            out.append(close)
        end = min(m.end, stack[-1][0]) if stack else m.end
        flush(m.start)
        opening, close = _tags(m)
        out.append(opening)
        if end <= m.start:
            out.append(close)
        else:
            stack.append((end, close))
    while stack:
        end, close = stack.pop()
        flush(end)
        out.append(close)
    flush(len(text))
    return Markup("".join(out))


def _tags(m: Mark) -> tuple[str, str]:
    """Opening and closing tag: `<mark>` for a mention, an empty marker for a region or item
    start (an item's marker links to its row in the items table)."""
    if m.kind == "item":
        return (f'<a class="item" id="{escape(m.anchor)}" href="#t-{escape(m.anchor)}" '
                f'title="{escape(m.title)}">', "</a>")
    if m.kind == "region":
        return (f'<span class="seg" data-region="{escape(m.title)}" '
                f'title="region segment: {escape(m.title)} ({escape(m.anchor)})">', "</span>")
    return (f'<mark class="k-{escape(m.kind)}" id="{escape(m.anchor)}" '
            f'data-mid="{escape(m.anchor)}" title="{escape(m.title)}">', "</mark>")


def doc_keys(out: Outputs) -> dict[str, str]:
    """`d1`, `d2`, … by document order: page names and anchor prefixes."""
    return {d: f"d{i}" for i, d in enumerate(out.documents["doc_id"], 1)}


def records_by_doc(out: Outputs) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Mentions (in text order) and items of each document."""
    ms: dict[str, list[dict]] = {}
    for m in sorted(out.rows["mentions"], key=lambda m: m["start"]):
        ms.setdefault(m["doc_id"], []).append(m)
    its: dict[str, list[dict]] = {}
    for it in out.rows["items"]:
        its.setdefault(it["doc_id"], []).append(it)
    return ms, its


def doc_view(out: Outputs, doc: dict, key: str, region_keys: dict[str, str],
             mentions: list[dict], items: list[dict]) -> DocView:
    """The view of one document: highlighted text when texts.jsonl has it, and its items."""
    text, note = out.source(doc["doc_id"])
    regions = list(dict.fromkeys(s["region"] for s in _segments(doc)))
    view = DocView(key, doc["doc_id"], cell_text(doc.get("title")) or doc["doc_id"], doc["path"],
                   regions, [region_keys[r] for r in regions if r in region_keys],
                   int(doc.get("chars") or 0), note, None, mentions)
    placed = [m for m in mentions if text is not None and text[m["start"]:m["end"]] == m["text"]]
    view.unplaced = [m for m in mentions if text[m["start"]:m["end"]] != m["text"]] \
        if text is not None else []
    by_item: dict[str, list[dict]] = {}
    for m in mentions:
        by_item.setdefault(m.get("item_id"), []).append(m)
    view.items = [_item_row(key, it, by_item.get(it["item_id"], []), text) for it in items]
    if text is not None:
        view.html = highlight(text, _marks(key, doc, placed, items, text))
    return view


def _marks(key: str, doc: dict, placed: list[dict], items: list[dict], text: str) -> list[Mark]:
    marks = [Mark(m["start"], m["end"], m["kind"], f"{key}-{m['mention_id']}", tooltip(m), i)
             for i, m in enumerate(placed)]
    marks += [Mark(s["start"], s["start"], "region", cell_text(s.get("rule_id")), s["region"], -1)
              for s in _segments(doc)]
    marks += [Mark(it["start"], it["start"], "item", f"{key}-{it['item_id']}",
                   f"work item {it['item_id']}: {cell_text(it.get('action'))}", -1)
              for it in items if 0 <= it["start"] <= len(text)]
    return marks


def _item_row(key: str, it: dict, inside: list[dict], text: str | None) -> ItemRow:
    """An item's row; `inside` are the mentions it holds."""
    def joined(kind: str) -> str:
        return "、".join(m["text"] for m in inside if m["kind"] == kind)

    cues = [f"{c['category']}({c['cue']})" for c in it.get("cues") or []]
    carried = {i["name"] for i in it.get("inherited") or []}
    bodies = [f"{n} (inherited)" if n in carried else n for n in it.get("responsible") or []]
    return ItemRow(it["item_id"], f"{key}-{it['item_id']}", cell_text(it.get("action")),
                   cell_text(it.get("task")), "、".join(bodies),
                   joined("quantity"),
                   joined("time"), "、".join(cues) or cell_text(it.get("category")),
                   cell_text(it.get("text")),
                   text is not None and 0 <= it["start"] <= len(text))


def _segments(doc: dict) -> list:
    segs = doc.get("regions")
    return [] if segs is None else list(segs)
