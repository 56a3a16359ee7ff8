"""The review page: one self-contained HTML file where every number leads to its sentence.

`report.html` has an overview (a heatmap of regions × practices and bars of the main metrics,
drawn as inline SVG, so nothing is fetched when the page is viewed and no script runs), the
comparison tables with every cell linking to its evidence, and one view per document with each
mention highlighted by kind over the original text (hover: value, unit, dates, name, rule id,
score). All text from documents and outputs is HTML-escaped by the template engine or by
`markupsafe.escape` here: a report must be safe to open whatever the input contains.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from pipeline.compare.cells import cell_text
from pipeline.compare.outputs import Outputs, load, ref, require_documents
from pipeline.compare.tables import load_metrics, regions_in_order, tables, unattributed
from pipeline.compare.writing import Staged, output_file

TEMPLATES = Path(__file__).resolve().parent / "templates"
KIND_LABELS = {"quantity": "数量", "time": "时间", "body": "主体"}
SENTENCE_ENDS = "。!?！？\n"
MARKERS = ("region", "item")
"""Zero-width markers: placed before a mention that starts at the same character."""
MAX_EVIDENCE = 40
"""Sentences shown per table cell: enough to check it, and the page stays small."""


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
class DocView:
    """What the page shows of one document."""

    key: str
    doc_id: str
    title: str
    path: str
    regions: list[str]
    chars: int
    note: str = ""
    html: Markup | None = None
    mentions: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------- text with highlights

def tooltip(m: dict) -> str:
    """The hover text of a mention: its normalised fields, rule and score."""
    kind = m.get("kind")
    parts = [f"{KIND_LABELS.get(kind, kind)} {kind}"]
    fields = {"quantity": ("value", "value_max", "approx", "unit", "counted", "ordinal"),
              "time": ("time_kind", "start_date", "end_date", "offset", "anchor"),
              "body": ("name", "role", "level")}.get(kind, ())
    for f in (*fields, "region", "item_id", "rule_id", "source", "score", "mention_id"):
        text = cell_text(m.get(f))
        if text and not (f == "ordinal" and text == "False"):
            parts.append(f"{f}: {text}")
    return "\n".join(parts)


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
    """Opening and closing tag: `<mark>` for a mention, an empty marker for a region start."""
    if m.kind == "item":
        return f'<a class="item" id="{escape(m.anchor)}">', "</a>"
    if m.kind == "region":
        return (f'<span class="seg" data-region="{escape(m.title)}" '
                f'title="region segment: {escape(m.title)} ({escape(m.anchor)})">', "</span>")
    return (f'<mark class="k-{escape(m.kind)}" id="{escape(m.anchor)}" '
            f'data-mid="{escape(m.anchor)}" title="{escape(m.title)}">', "</mark>")


def doc_views(out: Outputs) -> list[DocView]:
    """Every document's view, in document order; keys `d1`, `d2`, … anchor its records."""
    views = []
    keys = doc_keys(out)
    ms: dict[str, list[dict]] = {}
    for m in sorted(out.rows["mentions"], key=lambda m: m["start"]):
        ms.setdefault(m["doc_id"], []).append(m)
    its: dict[str, list[dict]] = {}
    for it in out.rows["items"]:
        its.setdefault(it["doc_id"], []).append(it)
    for doc in out.rows["documents"]:
        views.append(_doc_view(out, doc, keys[doc["doc_id"]], ms.get(doc["doc_id"], []),
                               its.get(doc["doc_id"], [])))
    return views


def doc_keys(out: Outputs) -> dict[str, str]:
    return {d: f"d{i}" for i, d in enumerate(out.documents["doc_id"], 1)}


def _doc_view(out: Outputs, doc: dict, key: str, mentions: list[dict], items: list[dict]) -> DocView:
    text, note = out.source(doc["doc_id"])
    regions = list(dict.fromkeys(s["region"] for s in _segments(doc)))
    view = DocView(key, doc["doc_id"], cell_text(doc.get("title")) or doc["doc_id"],
                   doc["path"], regions, int(doc.get("chars") or 0), note, None,
                   mentions, items)
    if text is None:
        return view
    placed = [m for m in mentions if text[m["start"]:m["end"]] == m["text"]]
    view.unplaced = [m for m in mentions if text[m["start"]:m["end"]] != m["text"]]
    marks = [Mark(m["start"], m["end"], m["kind"], f"{key}-{m['mention_id']}", tooltip(m), i)
             for i, m in enumerate(placed)]
    marks += [Mark(s["start"], s["start"], "region", cell_text(s.get("rule_id")), s["region"], -1)
              for s in _segments(doc)]
    marks += [Mark(it["start"], it["start"], "item", f"{key}-{it['item_id']}", "", -1)
              for it in items if 0 <= it["start"] <= len(text)]
    view.html = highlight(text, marks)
    return view


def _segments(doc: dict) -> list:
    segs = doc.get("regions")
    return [] if segs is None else list(segs)


# ---------------------------------------------------------------- evidence

@dataclass
class Evidence:
    """What a table cell rests on: the sentences of its mentions or items, linked to the text."""

    id: str
    title: str
    entries: list[dict] = field(default_factory=list)
    more: int = 0


def sentence_html(text: str | None, start: int, end: int, fallback: str) -> Markup:
    """The sentence holding a span with the span in bold, escaped; the span alone if no text."""
    if text is None or start >= len(text):
        return Markup("<b>{}</b>").format(fallback)
    left = max((text.rfind(c, 0, start) for c in SENTENCE_ENDS), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_ENDS) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    left, right = max(left, start - 200), min(right, end + 200)
    return Markup("{}<b>{}</b>{}").format(text[left:start], text[start:end], text[end:right])


class EvidenceIndex:
    """Looks up mentions and items by their `doc#id` refs and renders their entries."""

    def __init__(self, out: Outputs):
        self.out = out
        self.keys = doc_keys(out)
        self.titles = dict(zip(out.documents.doc_id, out.documents.title))
        self.mentions = {ref(m["doc_id"], m["mention_id"]): m for m in out.rows["mentions"]}
        self.items = {ref(i["doc_id"], i["item_id"]): i for i in out.rows["items"]}

    def entry(self, key: str) -> dict | None:
        rec = self.mentions.get(key) or self.items.get(key)
        if rec is None:
            return None
        rec_id = rec.get("mention_id") or rec.get("item_id")
        text, _ = self.out.source(rec["doc_id"])
        key = self.keys.get(rec["doc_id"])
        return {"href": key and f"#{key}-{rec_id}", "id": rec_id,
                "doc": cell_text(self.titles.get(rec["doc_id"])) or rec["doc_id"],
                "sentence": sentence_html(text, rec["start"], rec["end"], rec["text"]),
                "detail": tooltip(rec) if rec.get("kind") else _item_detail(rec)}

    def block(self, ev_id: str, title: str, refs) -> Evidence:
        """The first `MAX_EVIDENCE` entries of a cell; the `_long` tables list every ref."""
        refs = list(refs)
        entries = [e for e in (self.entry(k) for k in refs[:MAX_EVIDENCE]) if e is not None]
        return Evidence(ev_id, title, entries, max(0, len(refs) - MAX_EVIDENCE))


def _item_detail(item: dict) -> str:
    parts = [f"action: {cell_text(item.get('action'))}", f"task: {cell_text(item.get('task'))}",
             f"category: {cell_text(item.get('category'))}",
             f"responsible: {cell_text(item.get('responsible'))}", f"item_id: {item['item_id']}"]
    return "\n".join(parts)


# ---------------------------------------------------------------- linked tables

@dataclass
class Cell:
    text: str
    href: str | None = None
    title: str | None = None
    numeric: bool = False


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""


def _region_key(regions: list[str]) -> dict[str, int]:
    return {r: i for i, r in enumerate(regions)}


def linked_wide(tid: str, title: str, wide: pd.DataFrame, cell_ref: dict, note: str = "") -> Table:
    """A wide table whose cells link to the evidence ids in `cell_ref[(region, column)]`."""
    cols = list(wide.columns)
    rows = []
    for rec in wide.to_dict("records"):
        row = [Cell(rec["region"])]
        for col in cols[1:]:
            link = cell_ref.get((rec["region"], col))
            row.append(Cell(cell_text(rec[col]), link and f"#{link[0]}", link and link[1], True))
        rows.append(row)
    return Table(tid, title, cols, rows, note)


def metric_cells(long: pd.DataFrame, index: EvidenceIndex, blocks: list) -> dict:
    cells = {}
    for i, r in enumerate(long.to_dict("records")):
        ev = f"ev-m-{i}"
        title = (f"{r['region']} · {r['metric']} = {cell_text(r['value'])}{cell_text(r['unit'])}"
                 f" ({r['combine']} of {r['mentions']})")
        blocks.append(index.block(ev, title, r["mention_refs"]))
        cells[(r["region"], r["metric"])] = (ev, f"{r['combine']} of {r['mentions']} mention(s)")
    return cells


def practice_cells(long: pd.DataFrame, index: EvidenceIndex, blocks: list) -> dict:
    cells = {}
    for i, r in enumerate(long.to_dict("records")):
        ev = f"ev-p-{i}"
        blocks.append(index.block(ev, f"{r['region']} · {r['category']}: {r['items']} item(s)",
                                  r["item_refs"]))
        cells[(r["region"], r["category"])] = (ev, cell_text(r["evidence"])[:120])
    return cells


def body_cells(long: pd.DataFrame, index: EvidenceIndex, blocks: list) -> dict:
    cells = {}
    for i, ((region, generic), g) in enumerate(long.groupby(["region", "generic"], sort=False)):
        ev = f"ev-b-{i}"
        refs = [k for refs in g["item_refs"] for k in refs] or \
               [k for refs in g["mention_refs"] for k in refs]
        names = "、".join(g["body"])
        blocks.append(index.block(ev, f"{region} · {names}: {int(g['items_led'].sum())} item(s) led",
                                  refs))
        cells[(region, generic)] = (ev, names)
    return cells


def deadline_table(dl: pd.DataFrame, keys: dict[str, str]) -> Table:
    cols = ["region", "start_date", "end_date", "offset", "anchor", "text", "action", "task"]
    rows = []
    for r in dl.to_dict("records"):
        href = f"#{keys[r['doc_id']]}-{r['mention_id']}" if r["doc_id"] in keys else None
        rows.append([Cell(cell_text(r[c]), href if c == "text" else None) for c in cols])
    return Table("deadlines", "Deadlines 期限", cols, rows)


def plain_table(tid: str, title: str, df: pd.DataFrame, note: str = "") -> Table:
    rows = [[Cell(cell_text(v), numeric=isinstance(v, (int, float))) for v in rec]
            for rec in df.itertuples(index=False)]
    return Table(tid, title, list(df.columns), rows, note)


# ---------------------------------------------------------------- charts (inline SVG)

def heat_color(n: int, top: int) -> str:
    """White to deep blue by share of the largest count; zero stays white."""
    if n <= 0 or top <= 0:
        return "#ffffff"
    t = 0.15 + 0.85 * n / top
    r, g, b = (int(255 - t * (255 - c)) for c in (33, 102, 172))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(wide: pd.DataFrame, cells: dict) -> dict | None:
    """Geometry of the regions × practices heatmap (the template draws it)."""
    cats = list(wide.columns[1:])
    if not cats or wide.empty:
        return None
    cw, ch, left = 30, 20, 130
    top = int(24 + 9 * max(len(str(c)) for c in cats))
    vals = wide[cats].to_numpy()
    peak = int(vals.max()) if vals.size else 0
    rects = []
    for y, rec in enumerate(wide.to_dict("records")):
        for x, cat in enumerate(cats):
            n = int(rec[cat])
            link = cells.get((rec["region"], cat))
            rects.append({"x": left + x * cw, "y": top + y * ch, "w": cw - 2, "h": ch - 2,
                          "fill": heat_color(n, peak), "n": n, "href": link and f"#{link[0]}",
                          "title": f"{rec['region']} · {cat}: {n}"})
    return {"width": left + len(cats) * cw + 10, "height": top + len(wide) * ch + 10,
            "rects": rects, "cw": cw, "ch": ch, "left": left, "top": top,
            "rows": [{"y": top + y * ch + ch / 2 + 4, "label": r} for y, r in enumerate(wide.region)],
            "cols": [{"x": left + x * cw + cw / 2, "label": c} for x, c in enumerate(cats)]}


MAX_CHARTS = 6


def bar_charts(long: pd.DataFrame, cells: dict) -> list[dict]:
    """Horizontal bars per charted metric (`chart: true`), regions by value, largest first."""
    charts = []
    for metric in load_metrics():
        g = long[long.metric_id == metric.id] if len(long) else long
        if not metric.rule.chart or len(g) == 0:
            continue
        charts.append(_bars(metric.rule, g.sort_values("value", ascending=False), cells))
    return sorted(charts, key=lambda c: -len(c["bars"]))[:MAX_CHARTS]


def _bars(rule, g: pd.DataFrame, cells: dict) -> dict:
    left, width, bh = 110, 160, 18
    peak = float(g["value"].max()) or 1.0
    bars = []
    for y, r in enumerate(g.to_dict("records")):
        link = cells.get((r["region"], r["metric"]))
        bars.append({"y": 24 + y * bh, "w": max(1.0, width * float(r["value"]) / peak),
                     "label": r["region"], "value": cell_text(r["value"]),
                     "href": link and f"#{link[0]}", "title": f"{r['region']}: {cell_text(r['value'])}"})
    return {"title": f"{rule.label} ({rule.unit or ''}, {rule.combine})", "bars": bars,
            "left": left, "width": left + width + 50, "height": 30 + len(bars) * bh, "bh": bh}


# ---------------------------------------------------------------- the page

def summary(out: Outputs) -> dict:
    ms = out.mentions
    run = out.out_dir / "run.json"
    meta = json.loads(run.read_text(encoding="utf-8")) if run.is_file() else {}
    return {"documents": len(out.documents), "regions": len(regions_in_order(out)),
            "chars": int(out.documents["chars"].fillna(0).sum()), "work_items": len(out.items),
            "mentions": {k: int((ms.kind == k).sum()) for k in KIND_LABELS},
            "unattributed": unattributed(out),
            "run": {k: meta.get(k) for k in ("version", "schema_version", "rules_hash")
                    if meta.get(k)}}


def context(out: Outputs) -> dict:
    """Everything the template shows, computed once."""
    t = tables(out)
    index, blocks = EvidenceIndex(out), []
    m_cells = metric_cells(t["metrics_long"], index, blocks)
    p_cells = practice_cells(t["practices_long"], index, blocks)
    b_cells = body_cells(t["bodies_long"], index, blocks)
    keys = doc_keys(out)
    return {
        "summary": summary(out), "heatmap": heatmap(t["practices"], p_cells),
        "charts": bar_charts(t["metrics_long"], m_cells),
        "tables": [
            linked_wide("metrics", "Metrics 指标", t["metrics"], m_cells,
                        "Each cell: its metric combined over the mentions behind it; click for them."),
            linked_wide("practices", "Practices 做法", t["practices"], p_cells,
                        "Number of work items per practice category; click for the sentences."),
            linked_wide("bodies", "Bodies 主体", t["bodies"], b_cells,
                        "Items led by each body (region name removed to compare regions)."),
            deadline_table(t["deadlines"], keys),
            plain_table("coverage", "Coverage 覆盖", t["coverage"],
                        "What was read and found per region: a blank above means not said "
                        "when little was read, not found when much was."),
        ],
        "evidence": blocks, "docs": doc_views(out), "kinds": KIND_LABELS,
    }


def render(out: Outputs) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cell=cell_text, tooltip=tooltip)
    return env.get_template("report.html.j2").render(**context(out))


def build_report(out_dir: Path, html_path: Path) -> Path:
    """Write the self-contained review page of an output folder.

    Returns:
        the path written (under a temporary name first, then renamed into place).
    """
    out = require_documents(load(Path(out_dir)))
    html_path = output_file(Path(html_path), "report.html")
    page = render(out)
    with Staged() as staged:
        staged.write(html_path, lambda p: p.write_text(page, encoding="utf-8"))
        staged.commit()
    return html_path
