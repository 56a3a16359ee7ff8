"""A query's result written for people (`table`) or for other tools (`csv`, `json`, `jsonl`).

The table is drawn like DuckDB's own: a box, a header with each column's type, numbers
right-aligned, and columns as wide as their text is *displayed* (a Chinese character takes two
cells of a terminal), so columns line up whatever the script. A missing value is always `NULL`
in the table, empty in CSV and `null` in JSON.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math

from rich.cells import cell_len

from pipeline.compare.cells import spreadsheet_safe

FORMATS = ("table", "csv", "json", "jsonl")
NULL = "NULL"
MAX_WIDTH = 48
"""Display cells a table column may take; a longer value ends in `…` (csv and json keep all)."""


def render(columns: list[str], types: list[str], rows: list[tuple], fmt: str) -> str:
    """The result in `fmt`, ending with a newline (nothing for an empty JSON Lines result)."""
    if fmt == "table":
        return table(columns, types, rows)
    if fmt == "csv":
        return to_csv(columns, rows)
    records = [dict(zip(columns, map(plain, row))) for row in rows]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def plain(value):
    """A value as JSON has it: dates in ISO form, decimals as numbers, NaN as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def text(value) -> str:
    """A value as the table shows it (DuckDB's way: lists in brackets, structs in braces)."""
    value = plain(value)
    if value is None:
        return NULL
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {text(v)}" for k, v in value.items()) + "}"
    return str(value).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def to_csv(columns: list[str], rows: list[tuple]) -> str:
    """RFC 4180 CSV, nulls empty, text that a spreadsheet would run as a formula neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(spreadsheet_safe(c) for c in columns)
    for row in rows:
        w.writerow("" if v is None else spreadsheet_safe(_csv_value(v)) for v in map(plain, row))
    return buf.getvalue()


def _csv_value(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value


def clip(s: str, width: int = MAX_WIDTH) -> str:
    """`s` cut to `width` display cells, ending in `…` when cut."""
    if cell_len(s) <= width:
        return s
    out, used = [], 0
    for ch in s:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(s: str, width: int, align: str) -> str:
    """`s` padded to `width` display cells: left, right or centred."""
    room = width - cell_len(s)
    if align == "right":
        return " " * room + s
    if align == "center":
        return " " * (room // 2) + s + " " * (room - room // 2)
    return s + " " * room


NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL")


def table(columns: list[str], types: list[str], rows: list[tuple]) -> str:
    """The box DuckDB draws, aligned by display width; a footer counts the rows."""
    kinds = [t.lower() for t in types]
    cells = [[clip(text(v)) for v in row] for row in rows]
    widths = [max([cell_len(clip(c)), cell_len(k), *(cell_len(r[i]) for r in cells)])
              for i, (c, k) in enumerate(zip(columns, kinds))]
    right = [t.split("(")[0].upper() in NUMERIC for t in types]

    def line(left: str, mid: str, end: str) -> str:
        return left + mid.join("─" * (w + 2) for w in widths) + end

    def row(values, aligns) -> str:
        return "│" + "│".join(f" {pad(v, w, a)} " for v, w, a in zip(values, widths, aligns)) + "│"

    out = [line("┌", "┬", "┐"), row([clip(c) for c in columns], ["center"] * len(widths)),
           row(kinds, ["center"] * len(widths)), line("├", "┼", "┤")]
    out += [row(r, ["right" if x else "left" for x in right]) for r in cells]
    out += [line("└", "┴", "┘"), f"{len(rows)} row{'s' if len(rows) != 1 else ''}"]
    return "\n".join(out) + "\n"
