"""The review pages: an index where every number leads to its sentences, one page per document.

`report.html` holds the overview (a heatmap of regions × practices and bars of the main metrics,
drawn as inline SVG: nothing is fetched and no script runs), the comparison tables, a filter by
region (radio buttons and CSS only, under the page's Content Security Policy) and the list of
documents. Beside it, `report_files/` (named after the page) holds one evidence page per region,
with the sentences behind each of its table cells, pages of deadlines, the rectification ledger
(each inspected body's timeline, every figure linked to its mention), and one page per document
with every mention highlighted over the original text and its work items. Table cells link to
their evidence and the evidence back to its cell; evidence leads to the document. Each page
stays small whatever the number of documents. All text from documents and outputs is
HTML-escaped by the template engine or by `markupsafe.escape`: a report must be safe to open
whatever the input contains.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from pipeline.compare import ledger
from pipeline.compare.cells import cell_text
from pipeline.compare.docview import (KIND_LABELS, doc_keys, doc_view, item_detail,
                                      records_by_doc, tooltip)
from pipeline.compare.metrics import column_of, load_metrics
from pipeline.compare.outputs import Outputs, load, ref, require_documents
from pipeline.compare.tables import regions_in_order, tables, unattributed
from pipeline.compare.writing import Staged, output_file

TEMPLATES = Path(__file__).resolve().parent / "templates"
SENTENCE_ENDS = "。!?！？\n"
MAX_EVIDENCE = 40
"""Sentences shown per table cell: enough to check it; the `_long` tables list every one."""
NO_REGION = "r0"
"""The filter key of a row outside any region: hidden whenever one region is shown."""
SHOWN = ("metrics", "practices", "bodies", "deadlines", "coverage", "rectifications",
         "rectifications_by_level", "rectification_records")
"""Tables the index shows with their own links (or, for the ledger's records, on its page);
any other wide table is shown as it is."""
DEADLINES_SHOWN, DEADLINES_PER_PAGE = 50, 1000
"""Deadlines in the index (the earliest), and per page of all of them."""


@dataclass(frozen=True)
class Site:
    """The report's pages and the links between them: `index` (report.html) and `folder`
    (report_files, beside it) holding `ev-<region key>.html`, `deadlines-<n>.html` and
    `<doc key>.html`; region keys `r1`, `r2` … and document keys `d1`, `d2` …"""

    index: str
    folder: str
    regions: dict[str, str]
    docs: dict[str, str]

    def evidence(self, region: str, ev_id: str) -> str:
        """From the index to an evidence block."""
        return f"{self.folder}/ev-{self.regions.get(region, NO_REGION)}.html#{ev_id}"

    def doc(self, doc_id: str, anchor: str | None = None, from_index: bool = False) -> str | None:
        """To a document page (or a place in it), from the index or from another page."""
        key = self.docs.get(doc_id)
        if key is None:
            return None
        page = f"{self.folder}/{key}.html" if from_index else f"{key}.html"
        return f"{page}#{key}-{anchor}" if anchor else page

    def back(self, anchor: str) -> str:
        """From a page in the folder back to a place of the index."""
        return f"../{self.index}#{anchor}"


def site_of(out: Outputs, html_path: Path) -> Site:
    regions = {r: f"r{i}" for i, r in enumerate(regions_in_order(out), 1)}
    return Site(html_path.name, f"{html_path.stem}_files", regions, doc_keys(out))


# ---------------------------------------------------------------- evidence

@dataclass
class Evidence:
    """What a table cell rests on: the sentences of its mentions or items, linked to the text;
    shown on its region's evidence page, linking `back` to the cell."""

    id: str
    title: str
    region: str
    back: str
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

    def __init__(self, out: Outputs, site: Site):
        self.out, self.site = out, site
        self.titles = dict(zip(out.documents.doc_id, out.documents.title))
        self.mentions = {ref(m["doc_id"], m["mention_id"]): m for m in out.rows["mentions"]}
        self.items = {ref(i["doc_id"], i["item_id"]): i for i in out.rows["items"]}
        self.blocks: list[Evidence] = []

    def entry(self, key: str) -> dict | None:
        rec = self.mentions.get(key) or self.items.get(key)
        if rec is None:
            return None
        rec_id = rec.get("mention_id") or rec.get("item_id")
        text, _ = self.out.source(rec["doc_id"])
        return {"href": self.site.doc(rec["doc_id"], rec_id), "id": rec_id,
                "doc": cell_text(self.titles.get(rec["doc_id"])) or rec["doc_id"],
                "sentence": sentence_html(text, rec["start"], rec["end"], rec["text"]),
                "detail": tooltip(rec) if rec.get("kind") else item_detail(rec)}

    def cell(self, ev_id: str, region: str, title: str, refs) -> str:
        """A block of the first `MAX_EVIDENCE` entries of a cell; the link to it."""
        refs = list(refs)
        entries = [e for e in (self.entry(k) for k in refs[:MAX_EVIDENCE]) if e is not None]
        self.blocks.append(Evidence(ev_id, title, region, self.site.back(f"c-{ev_id}"), entries,
                                    max(0, len(refs) - MAX_EVIDENCE)))
        return self.site.evidence(region, ev_id)

    def by_region(self) -> dict[str, list[Evidence]]:
        pages: dict[str, list[Evidence]] = {}
        for b in self.blocks:
            pages.setdefault(b.region, []).append(b)
        return pages


# ---------------------------------------------------------------- linked tables

@dataclass
class Cell:
    text: str
    href: str | None = None
    title: str | None = None
    numeric: bool = False
    id: str | None = None


@dataclass
class Row:
    """A table row; `key` (a region key) lets the region filter hide it."""

    cells: list[Cell]
    key: str | None = None


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]
    rows: list[Row]
    note: str = ""
    pages: list[dict] = field(default_factory=list)
    pages_note: str = ""


def linked_wide(tid: str, title: str, wide: pd.DataFrame, cells: dict, site: Site,
                note: str = "") -> Table:
    """A wide table whose cells link to their evidence: `cells[(region, column)]` is
    (evidence id, link, tooltip); the cell's id is where the evidence links back to."""
    cols = list(wide.columns)
    rows = []
    for rec in wide.to_dict("records"):
        row = [Cell(rec["region"])]
        for col in cols[1:]:
            ev_id, href, tip = cells.get((rec["region"], col), (None, None, None))
            row.append(Cell(cell_text(rec[col]), href, tip, True, ev_id and f"c-{ev_id}"))
        rows.append(Row(row, site.regions.get(rec["region"])))
    return Table(tid, title, cols, rows, note)


def metric_cells(long: pd.DataFrame, index: EvidenceIndex) -> dict:
    """Evidence of every cell of the wide metrics table (parts and other units are in the long
    table): the statements combined, how, and the date of the figure."""
    cells = {}
    for i, r in enumerate(long.to_dict("records")):
        column = column_of(r)
        if column is None:
            continue
        ev = f"ev-m-{i}"
        how = f"{r['combine']} of {r['statements']} statement(s), {cell_text(r['date'])}"
        title = f"{r['region']} · {r['metric']} = {r['figure']}{cell_text(r['unit'])} ({how})"
        href = index.cell(ev, r["region"], title, r["mention_refs"])
        cells[(r["region"], column)] = (ev, href, how)
    return cells


def practice_cells(long: pd.DataFrame, index: EvidenceIndex) -> dict:
    cells = {}
    for i, r in enumerate(long.to_dict("records")):
        ev = f"ev-p-{i}"
        href = index.cell(ev, r["region"], f"{r['region']} · {r['category']}: {r['items']} item(s)",
                          r["item_refs"])
        cells[(r["region"], r["category"])] = (ev, href, cell_text(r["evidence"])[:120])
    return cells


def body_cells(long: pd.DataFrame, wide: pd.DataFrame, index: EvidenceIndex) -> dict:
    """Evidence of the bodies shown in the wide table (the long table has every body)."""
    cells = {}
    shown = long[long.generic.isin(set(wide.columns[1:]))]
    for i, ((region, generic), g) in enumerate(shown.groupby(["region", "generic"], sort=False)):
        ev = f"ev-b-{i}"
        refs = [k for refs in g["item_refs"] for k in refs] or \
               [k for refs in g["mention_refs"] for k in refs]
        names = "、".join(g["body"])
        href = index.cell(ev, region, f"{region} · {names}: {int(g['items_led'].sum())} item(s) led",
                          refs)
        cells[(region, generic)] = (ev, href, names)
    return cells


DEADLINE_COLUMNS = ["region", "start_date", "end_date", "offset", "anchor", "text", "action", "task"]


def deadline_rows(dl: pd.DataFrame, site: Site, from_index: bool) -> list[Row]:
    rows = []
    for r in dl.to_dict("records"):
        href = site.doc(r["doc_id"], r["mention_id"], from_index)
        rows.append(Row([Cell(cell_text(r[c]), href if c == "text" else None)
                         for c in DEADLINE_COLUMNS], site.regions.get(r["region"], NO_REGION)))
    return rows


def deadline_table(dl: pd.DataFrame, site: Site) -> Table:
    """The earliest deadlines; every one on the deadline pages."""
    n_pages = -(-len(dl) // DEADLINES_PER_PAGE)
    table = Table("deadlines", "Deadlines 期限", DEADLINE_COLUMNS,
                  deadline_rows(dl.head(DEADLINES_SHOWN), site, True),
                  f"{len(dl)} deadline(s), dated ones first by date; the first {DEADLINES_SHOWN} here."
                  if len(dl) > DEADLINES_SHOWN else "")
    if len(dl) > DEADLINES_SHOWN:
        table.pages = [{"href": f"{site.folder}/deadlines-{n}.html", "label": str(n)}
                       for n in range(1, n_pages + 1)]
        table.pages_note = f"All {len(dl)}, {DEADLINES_PER_PAGE} a page:"
    return table


def plain_table(tid: str, title: str, df: pd.DataFrame, site: Site, note: str = "") -> Table:
    rows = [Row([Cell(cell_text(v), numeric=isinstance(v, (int, float))) for v in rec],
                site.regions.get(rec[0])) for rec in df.itertuples(index=False)]
    return Table(tid, title, list(df.columns), rows, note)


# ---------------------------------------------------------------- the rectification ledger

LEDGER_PAGE = "ledger.html"
LEDGER_GROUP_COLUMNS = ["records", "bodies", "problems", "done", "rate", "overdue",
                        "overdue_evaluable", "overdue_share", "conflicts", "unattributed"]
TIMELINE_COLUMNS = ["date", "document", "notice", "problems", "done", "ongoing", "rate",
                    "measures", "deadline", "checks"]


def ledger_table(tid: str, title: str, df: pd.DataFrame, by: str, site: Site, note: str) -> Table:
    """The table by region or level; a row's bodies lead to their timelines on the ledger page."""
    rows = []
    for rec in df.to_dict("records"):
        key = site.regions.get(rec[by], NO_REGION) if by == "region" else None
        href = f"{site.folder}/{LEDGER_PAGE}" + (f"#{key}" if key else "")
        rows.append(Row([Cell(cell_text(rec[by]) or "(none)"),
                         *(Cell(cell_text(rec[c]), href if c == "bodies" else None, numeric=True)
                           for c in LEDGER_GROUP_COLUMNS)], key))
    return Table(tid, title, [by, *LEDGER_GROUP_COLUMNS], rows, note)


def ledger_regions(out: Outputs, site: Site) -> list[dict]:
    """The ledger page: per region, each body's timeline as a table."""
    regions: dict = {}
    for chain in ledger.timelines(out):
        region = chain["region"]
        key = site.regions.get(region, NO_REGION)
        entry = regions.setdefault(key, {"key": key, "name": region or "no region 无地区", "chains": []})
        entry["chains"].append(timeline(chain, site))
    return sorted(regions.values(), key=lambda r: (r["key"] == NO_REGION, int(r["key"][1:] or 0)))


def timeline(chain: dict, site: Site) -> dict:
    body = chain["body"]
    if body is None:
        rec = chain["records"][0]
        title, note = "(no body named)", f"reason: {rec.get('reason')}"
    else:
        title, note = body["name"], " · ".join(x for x in (body.get("level"), chain["region"]) if x)
    rows = [Row(timeline_cells(r, site)) for r in chain["records"]]
    return {"title": title, "note": note, "table": Table("", title, TIMELINE_COLUMNS, rows)}


def timeline_cells(r: dict, site: Site) -> list[Cell]:
    """One record in a body's timeline: its date, document, form, figures, deadline, checks."""
    day = (r.get("as_of") or {}).get("end_date") or r.get("document_date")
    overdue = next((c for c in r.get("checks", []) if c["check"] == "overdue"), None)
    dl = (r.get("deadline") or {}).get("end_date")
    deadline = f"{dl} (passed: {overdue['details']['open']:g} open)" if dl and overdue else (dl or "")
    return [Cell(cell_text(day)), Cell(r["doc_id"], site.doc(r["doc_id"])), Cell(r["notice"]),
            *(figure_cell(r, f, site) for f in ("problems", "done", "ongoing", "rate", "measures")),
            Cell(deadline, site.doc(r["doc_id"], (r.get("deadline") or {}).get("mention_id"))),
            Cell(", ".join(c["check"] for c in r.get("checks", [])),
                 title="; ".join(c["message"] for c in r.get("checks", [])) or None)]


def figure_cell(r: dict, field: str, site: Site) -> Cell:
    """A figure's value (conflicting values side by side), linked to its first mention."""
    fig = r.get(field)
    if not fig:
        return Cell("", numeric=True)
    text = " | ".join(cell_text(v) for v in fig["values"]) if fig["conflict"] else cell_text(fig["value"])
    if fig.get("approx") == "more":
        text = f"≥{text}"
    first = fig["evidence"][0]["mention_id"] if fig["evidence"] else None
    tip = ", ".join(f"{e['text']} ({e['role']})" for e in fig["evidence"])
    return Cell(text, site.doc(r["doc_id"], first), tip, True)


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
                          "fill": heat_color(n, peak), "n": n, "href": link and link[1],
                          "title": f"{rec['region']} · {cat}: {n}"})
    return {"width": left + len(cats) * cw + 10, "height": top + len(wide) * ch + 10,
            "rects": rects, "cw": cw, "ch": ch, "left": left, "top": top,
            "rows": [{"y": top + y * ch + ch / 2 + 4, "label": r} for y, r in enumerate(wide.region)],
            "cols": [{"x": left + x * cw + cw / 2, "label": c} for x, c in enumerate(cats)]}


MAX_CHARTS = 6


def bar_charts(long: pd.DataFrame, cells: dict) -> list[dict]:
    """Horizontal bars per charted metric (`chart: true`) and status, regions by value, largest
    first; a range is drawn at its lower bound."""
    charts = []
    for measure, metric in load_metrics().items():
        if not metric.chart or not len(long):
            continue
        for status in metric.statuses:
            g = long[(long.measure == measure) & (long.status == status)
                     & (long.scope == "total") & (long.unit == metric.unit)]
            if len(g):
                charts.append(_bars(metric.column(status), metric.combine,
                                    g.sort_values("value", ascending=False), cells))
    return sorted(charts, key=lambda c: -len(c["bars"]))[:MAX_CHARTS]


def _bars(title: str, combine: str, g: pd.DataFrame, cells: dict) -> dict:
    left, width, bh = 110, 160, 18
    peak = float(g["value"].max()) or 1.0
    bars = []
    for y, r in enumerate(g.to_dict("records")):
        link = cells.get((r["region"], title))
        bars.append({"y": 24 + y * bh, "w": max(1.0, width * float(r["value"]) / peak),
                     "label": r["region"], "value": r["figure"],
                     "href": link and link[1], "title": f"{r['region']}: {r['figure']}"})
    return {"title": f"{title}, {combine}", "bars": bars,
            "left": left, "width": left + width + 50, "height": 30 + len(bars) * bh, "bh": bh}


# ---------------------------------------------------------------- the pages

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


def doc_list(out: Outputs, site: Site) -> list[dict]:
    """The index's list of documents, each with its regions (for the filter) and counts."""
    ms, its = out.mentions.doc_id.value_counts(), out.items.doc_id.value_counts()
    docs = []
    for d in out.rows["documents"]:
        regions = list(dict.fromkeys(s["region"] for s in d.get("regions") or []))
        docs.append({"href": site.doc(d["doc_id"], from_index=True),
                     "title": cell_text(d.get("title")) or d["doc_id"], "regions": regions,
                     "region_keys": [site.regions[r] for r in regions if r in site.regions],
                     "mentions": int(ms.get(d["doc_id"], 0)), "items": int(its.get(d["doc_id"], 0))})
    return docs


def context(out: Outputs, site: Site, t: dict[str, pd.DataFrame]) -> tuple[dict, EvidenceIndex]:
    """Everything the index shows, and the evidence its cells link to."""
    index = EvidenceIndex(out, site)
    m_cells = metric_cells(t["metrics_long"], index)
    p_cells = practice_cells(t["practices_long"], index)
    b_cells = body_cells(t["bodies_long"], t["bodies"], index)
    ctx = {
        "summary": summary(out), "heatmap": heatmap(t["practices"], p_cells),
        "charts": bar_charts(t["metrics_long"], m_cells),
        "regions": [{"key": k, "name": r} for r, k in site.regions.items()],
        "tables": [
            linked_wide("metrics", "Metrics 指标", t["metrics"], m_cells, site,
                        "Each cell: the region's total of a measure, each statement once (a "
                        "part is never added; a rate is the latest), planned and done apart; "
                        "click for the sentences."),
            linked_wide("practices", "Practices 做法", t["practices"], p_cells, site,
                        "Number of work items per practice category; click for the sentences."),
            linked_wide("bodies", "Bodies 主体", t["bodies"], b_cells, site,
                        "Items led by each body (region name removed to compare regions)."),
            deadline_table(t["deadlines"], site),
            plain_table("coverage", "Coverage 覆盖", t["coverage"], site,
                        "What was read and found per region: a blank above means not said "
                        "when little was read, not found when much was."),
            ledger_table("rectifications", "Rectifications 整改台账", t["rectifications"], "region",
                         site, "Per region: inspected bodies (each once, by its latest record), "
                         "problems and done summed over the bodies that state them, the rate as "
                         "Σdone/Σproblems, bodies overdue; click bodies for their timelines."),
            ledger_table("rectifications_by_level", "Rectifications by level 按层级",
                         t["rectifications_by_level"], "level", site,
                         "The same by the bodies' level."),
            *[plain_table(name, name, df, site) for name, df in t.items()
              if name not in SHOWN and not name.endswith("_long")],
        ],
        "docs": doc_list(out, site),
    }
    return ctx, index


def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(cell=cell_text, tooltip=tooltip)
    return env


def write_pages(out: Outputs, site: Site, t: dict, index: EvidenceIndex, folder: Path) -> None:
    """The pages beside the index: evidence by region, deadlines, documents."""
    env = environment()
    folder.mkdir()
    names = {k: r for r, k in site.regions.items()}
    page = env.get_template("evidence.html.j2")
    for region, blocks in index.by_region().items():
        key = site.regions.get(region, NO_REGION)
        _write(folder / f"ev-{key}.html", page.render(region=names.get(key, region), blocks=blocks,
                                                       index=f"../{site.index}"))
    _write_deadlines(env, t["deadlines"], site, folder)
    _write(folder / LEDGER_PAGE, env.get_template("ledger.html.j2").render(
        regions=ledger_regions(out, site), index=f"../{site.index}"))
    _write_documents(env, out, site, folder)


def _write_deadlines(env, dl: pd.DataFrame, site: Site, folder: Path) -> None:
    page = env.get_template("deadlines.html.j2")
    n_pages = -(-len(dl) // DEADLINES_PER_PAGE) if len(dl) > DEADLINES_SHOWN else 0
    for n in range(1, n_pages + 1):
        chunk = dl.iloc[(n - 1) * DEADLINES_PER_PAGE:n * DEADLINES_PER_PAGE]
        table = Table("deadlines", "Deadlines", DEADLINE_COLUMNS, deadline_rows(chunk, site, False))
        _write(folder / f"deadlines-{n}.html", page.render(
            t=table, page=n, pages=n_pages, index=f"../{site.index}",
            prev=f"deadlines-{n - 1}.html" if n > 1 else None,
            next=f"deadlines-{n + 1}.html" if n < n_pages else None))


def _write_documents(env, out: Outputs, site: Site, folder: Path) -> None:
    """One page per document, its text read, shown and forgotten one at a time."""
    page = env.get_template("document.html.j2")
    ms, its = records_by_doc(out)
    docs = out.rows["documents"]
    for i, doc in enumerate(docs):
        key = site.docs[doc["doc_id"]]
        view = doc_view(out, doc, key, site.regions, ms.get(doc["doc_id"], []),
                        its.get(doc["doc_id"], []))
        _write(folder / f"{key}.html", page.render(
            d=view, kinds=KIND_LABELS, index=f"../{site.index}",
            prev=site.doc(docs[i - 1]["doc_id"]) if i > 0 else None,
            next=site.doc(docs[i + 1]["doc_id"]) if i + 1 < len(docs) else None))
        out.forget(doc["doc_id"])


def _write(path: Path, html: str) -> None:
    path.write_text(html, encoding="utf-8")


def build_report(out_dir: Path, html_path: Path) -> Path:
    """Write the review pages of an output folder: `html_path` and the folder beside it
    (`<name>_files/`), both renamed into place once complete.

    Returns:
        the index page's path.
    """
    out = require_documents(load(Path(out_dir)))
    html_path = output_file(Path(html_path), "report.html")
    site = site_of(out, html_path)
    t = tables(out)
    ctx, index = context(out, site, t)
    page = environment().get_template("report.html.j2").render(**ctx)
    with Staged() as staged:
        staged.write(html_path.with_name(site.folder),
                     lambda tmp: write_pages(out, site, t, index, tmp), folder=True)
        staged.write(html_path, lambda p: _write(p, page))
        staged.commit()
    return html_path
