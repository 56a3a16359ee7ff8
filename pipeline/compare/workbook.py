"""`tables.xlsx` for analysts: one sheet per table, and an `evidence` sheet behind the numbers.

Each sheet has its header frozen (and the region column, for the region × column tables), a
filter on every column, columns as wide as their text is displayed (a Chinese character is two
cells), units in the headers (`巡视巡察组 (个)`, `chars (characters)`) and number formats
(thousands grouped, ISO dates). Each cell that rests on records links to its first row in the
`evidence` sheet, one row per record behind it: the text as written, its sentence, the document
and the offsets; each evidence row links back to its cell. Text is `spreadsheet_safe` and never
a formula. The sheets are streamed (openpyxl's write-only mode), so thousands of documents fit.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from rich.cells import cell_len

from pipeline.compare.cells import APPROX_MARKS, cell_text, for_spreadsheet, spreadsheet_safe
from pipeline.compare.columns import TABLES, unit_of
from pipeline.compare.metrics import column_of
from pipeline.compare.outputs import Outputs
from pipeline.compare.tables import evidence_sentence

EVIDENCE = "evidence"
EVIDENCE_COLUMNS = ("for", "n", "ref", "kind", "text", "sentence", "document", "doc_id", "start",
                    "end", "rule_id")
MAX_EVIDENCE = 20
"""Records listed per cell; the `_long` table's refs list every one."""
MAX_WIDTH, MIN_WIDTH = 60, 6
MAX_CELL = 32_000
"""Excel refuses a cell over 32,767 characters: longer text is cut, ending in `…`."""
HEADER_FONT, LINK_FONT = Font(bold=True), Font(color="0563C1", underline="single")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INTEGER, DECIMAL, DATE = "#,##0", "#,##0.0###", "yyyy-mm-dd"


@dataclass
class Evidence:
    """The evidence sheet's rows, laid out before any sheet is written, so that table cells can
    link to them: `first[key]` is the sheet row where a cell's records start."""

    rows: list[list] = field(default_factory=list)
    first: dict[tuple, int] = field(default_factory=dict)
    back: dict[tuple, str] = field(default_factory=dict)

    def add(self, key: tuple, label: str, records: list[list], more: int) -> None:
        self.first[key] = len(self.rows) + 2  # after the header, 1-based
        for n, rec in enumerate(records, 1):
            self.rows.append([label, n, *rec])
        if more:
            self.rows.append([label, None, None, None, f"… and {more} more: see the refs of the "
                              "table's row", *([None] * (len(EVIDENCE_COLUMNS) - 5))])


class Records:
    """Mentions and items by their `doc#id` refs, as evidence rows."""

    def __init__(self, out: Outputs):
        self.out = out
        self.titles = dict(zip(out.documents.doc_id, out.documents.title))
        self.by_ref = {f"{m['doc_id']}#{m['mention_id']}": m for m in out.rows["mentions"]}
        self.by_ref.update({f"{i['doc_id']}#{i['item_id']}": i for i in out.rows["items"]})

    def rows(self, refs) -> tuple[list[list], int]:
        """Evidence rows of the first `MAX_EVIDENCE` refs, and how many more there are."""
        refs = list(refs)
        found = [self.by_ref.get(r) for r in refs[:MAX_EVIDENCE]]
        rows = [self._row(ref, rec) for ref, rec in zip(refs, found) if rec is not None]
        return rows, max(0, len(refs) - MAX_EVIDENCE)

    def _row(self, ref: str, rec: dict) -> list:
        doc = rec["doc_id"]
        sentence = evidence_sentence(self.out, doc, rec["start"], rec["end"], rec["text"])
        return [ref, rec.get("kind") or "item", rec["text"], sentence,
                cell_text(self.titles.get(doc)) or doc, doc, rec["start"], rec["end"],
                rec.get("rule_id")]


@dataclass(frozen=True)
class Linked:
    """How the rows of a table link to their evidence: the refs behind a row, the column whose
    cell links, and the label of the evidence block."""

    refs: Callable[[dict], list]
    column: str
    label: Callable[[dict], str]


LINKED: dict[str, Linked] = {
    "metrics_long": Linked(lambda r: r["mention_refs"], "figure",
                           lambda r: f"{r['region']} · {r['metric']}"),
    "practices_long": Linked(lambda r: r["item_refs"], "items",
                             lambda r: f"{r['region']} · {r['category']}"),
    "deadlines": Linked(lambda r: [f"{r['doc_id']}#{r['mention_id']}"], "text",
                        lambda r: f"{cell_text(r['region']) or '—'} · {r['text']}"),
}
"""Tables whose rows link to evidence; a new table with refs is one entry here."""


def evidence(out: Outputs, all_tables: dict[str, pd.DataFrame]) -> Evidence:
    """Every linked cell's records: the rows of the `LINKED` tables, and body cells."""
    ev, recs = Evidence(), Records(out)
    for name, linked in LINKED.items():
        for i, r in enumerate(all_tables[name].to_dict("records") if name in all_tables else ()):
            _block(ev, recs, (name, i), linked.label(r), linked.refs(r))
    wide = set(all_tables["bodies"].columns[1:])
    long = all_tables["bodies_long"]
    for (region, generic), g in long[long.generic.isin(wide)].groupby(["region", "generic"],
                                                                       sort=False):
        refs = [k for refs in g["item_refs"] for k in refs] or \
               [k for refs in g["mention_refs"] for k in refs]
        _block(ev, recs, ("bodies", region, generic), f"{region} · {generic}", refs)
    return ev


def _block(ev: Evidence, recs: Records, key: tuple, label: str, refs) -> None:
    rows, more = recs.rows(refs)
    if rows:
        ev.add(key, label, rows, more)


WIDE = {"metrics": ("metrics_long", column_of),
        "practices": ("practices_long", lambda r: r["category"])}
"""A wide table, the long table behind its cells and the wide column of a long row."""


def cell_links(name: str, all_tables: dict[str, pd.DataFrame],
               ev: Evidence) -> dict[tuple[int, str], int]:
    """(row index, column) → the evidence row a table's cell links to."""
    df = all_tables[name]
    if name in LINKED:
        return {(i, LINKED[name].column): ev.first[(name, i)] for i in range(len(df))
                if (name, i) in ev.first}
    if name in WIDE:
        long, column = WIDE[name]
        rows = {(r["region"], column(r)): i
                for i, r in enumerate(all_tables[long].to_dict("records"))}
        return _wide_links(df, lambda region, col: ev.first.get((long, rows.get((region, col)))))
    if name == "bodies":
        return _wide_links(df, lambda region, col: ev.first.get(("bodies", region, col)))
    return {}


def _wide_links(df: pd.DataFrame, find) -> dict[tuple[int, str], int]:
    links = {}
    for i, region in enumerate(df["region"]):
        for col in df.columns[1:]:
            row = find(region, col)
            if row:
                links[(i, col)] = row
    return links


# ---------------------------------------------------------------- writing the sheets

def header(table: str, column: str) -> str:
    """A column's header with its unit: `chars (characters)` (a metric's column names its
    own: `巡视巡察组 (个)`)."""
    unit = unit_of(table, column)
    return f"{column} ({unit})" if unit else column


def figures(all_tables: dict[str, pd.DataFrame]) -> dict[tuple[int, str], tuple[float, str]]:
    """(row, column) of the metrics sheet → a number and its format for each cell that is
    one number (`约68` is 68 shown with 约; a range stays text): analysts can sum and sort them."""
    wide, long = all_tables.get("metrics"), all_tables.get("metrics_long")
    if wide is None or long is None:
        return {}
    at = {region: i for i, region in enumerate(wide["region"])}
    out = {}
    for r in long.to_dict("records"):
        col = column_of(r)
        if col is not None and r["region"] in at and pd.isna(r["value_max"]):
            value = float(r["value"])
            mark = APPROX_MARKS.get(r["approx"]) if isinstance(r["approx"], str) else None
            fmt = number_format(value)
            out[(at[r["region"]], col)] = (value, f'"{mark}"{fmt}' if mark else fmt)
    return out


def plain(value):
    """A cell value openpyxl writes as is: None for missing, Python numbers, text cut to fit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, str) and len(value) > MAX_CELL:
        return value[:MAX_CELL] + "…"
    return value


def number_format(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return INTEGER if value.is_integer() else DECIMAL
    if isinstance(value, dt.date):
        return DATE
    return None


def widths(columns: list[str], rows: list[list]) -> list[float]:
    """Each column as wide as its longest displayed text (header included), within bounds."""
    out = []
    for j, col in enumerate(columns):
        longest = max([cell_len(col), *(cell_len(cell_text(r[j])) for r in rows)])
        out.append(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))
    return out


def write_sheet(wb: Workbook, title: str, columns: list[str], rows: list[list],
                links: dict[tuple[int, int], str], freeze: str,
                formats: dict[tuple[int, int], str] | None = None) -> None:
    """One streamed sheet: styled header, widths, frozen panes, filter, formats and links
    (`links[(row, column index)]` is a location such as `'evidence'!A12`; `formats` a number
    format that replaces the one a cell's value would get)."""
    formats = formats or {}
    ws = wb.create_sheet(title[:31])
    for j, w in enumerate(widths(columns, rows), 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{len(rows) + 1}"
    ws.append([_cell(ws, c, font=HEADER_FONT, fill=HEADER_FILL) for c in columns])
    for i, row in enumerate(rows):
        ws.append([_cell(ws, v, links.get((i, j)), fmt=formats.get((i, j)))
                   for j, v in enumerate(row)])


def _cell(ws, value, link: str | None = None, font=None, fill=None,
          fmt: str | None = None) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=plain(value))
    fmt = fmt or number_format(c.value)
    if fmt:
        c.number_format = fmt
    if link:
        c.hyperlink = Hyperlink(ref="", location=link)
        c.font = LINK_FONT
    elif font is not None:
        c.font = font
    if fill is not None:
        c.fill = fill
    return c


def write_workbook(all_tables: dict[str, pd.DataFrame], path: Path,
                   out: Outputs | None = None) -> None:
    """The workbook of the tables; with the outputs, the `evidence` sheet and the links too."""
    wb = Workbook(write_only=True)
    ev = evidence(out, all_tables) if out is not None else Evidence()
    numbers = figures(all_tables)
    for name, df in all_tables.items():
        safe = for_spreadsheet(df)
        cols = [spreadsheet_safe(header(name, c)) for c in df.columns]
        index = {c: j for j, c in enumerate(df.columns)}
        links = {(i, index[c]): f"'{EVIDENCE}'!A{r}"
                 for (i, c), r in cell_links(name, all_tables, ev).items()}
        _note_back(ev, name, links)
        rows, formats = safe.values.tolist(), {}
        if name == "metrics":
            for (i, c), (value, fmt) in numbers.items():
                rows[i][index[c]], formats[(i, index[c])] = value, fmt
        wide = TABLES.get(name) is not None and TABLES[name].each is not None
        write_sheet(wb, name, cols, rows, links, "B2" if wide else "A2", formats)
    if out is not None:
        back = {(r - 2, 0): loc for r, loc in ev.back.items()}
        rows = [[spreadsheet_safe(v) for v in row] for row in ev.rows]
        write_sheet(wb, EVIDENCE, list(EVIDENCE_COLUMNS), rows, back, "A2")
    wb.save(path)


def _note_back(ev: Evidence, name: str, links: dict[tuple[int, int], str]) -> None:
    """Each evidence block's first row links back to the first cell that links to it."""
    for (i, j), loc in links.items():
        row = int(loc.rsplit("A", 1)[1])
        ev.back.setdefault(row, f"'{name[:31]}'!{get_column_letter(j + 1)}{i + 2}")
