"""How a table cell is written for people and for spreadsheets: plain text of any value."""
from __future__ import annotations

import pandas as pd


def flat(df: pd.DataFrame) -> pd.DataFrame:
    """List cells as space-separated text, for formats without lists (CSV, Markdown, Excel)."""
    df = df.copy()
    for col in df.columns:
        if df[col].map(lambda v: isinstance(v, (list, tuple))).any():
            df[col] = df[col].map(lambda v: " ".join(map(str, v)) if isinstance(v, (list, tuple))
                                  else v)
    return df


def cell_text(value) -> str:
    """A cell as people read it: `13000` not `13000.0`, empty for missing."""
    if isinstance(value, (list, tuple)):
        return " ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


APPROX_MARKS = {"more": "≥", "less": "≤", "about": "约"}
"""How a figure's approximation is written before it: 50余个 → ≥50, 近50 → ≤50, 约68 / 68左右 → 约68."""
RANGE_DASH = "–"


MINUS = "\u2212"
"""A negative figure's sign (−0.1): a typeset minus, which no spreadsheet reads as a formula."""


def signed_text(value: float) -> str:
    """A number as `cell_text` writes it, a negative one with the typeset minus."""
    return MINUS + cell_text(-value) if value < 0 else cell_text(value)


def figure_text(value, value_max=None, approx=None) -> str:
    """A figure as the text states it: `4.5–5` for a range, `≥50`, `≤50`, `约68` for an
    approximation, `13000` (never `13000.0`); empty for no value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = signed_text(float(value))
    if value_max is not None and not pd.isna(value_max) and value_max != value:
        text = f"{text}{RANGE_DASH}{signed_text(float(value_max))}"
    mark = APPROX_MARKS.get(approx) if isinstance(approx, str) else None
    return f"{mark}{text}" if mark else text


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def spreadsheet_safe(value):
    """A text cell that a spreadsheet would run as a formula, with a leading apostrophe (OWASP's
    rule): document and manifest text must not become a live `=HYPERLINK(…)`. Numbers and other
    values are returned as they are, so they stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """`flat(df)` with every text cell and header made `spreadsheet_safe`, for CSV and Excel."""
    df = flat(df)
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]):
            df[col] = df[col].map(spreadsheet_safe)
    return df.rename(columns=spreadsheet_safe)


MARKDOWN_PUNCTUATION = "\\`*_[]|~"
HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(value) -> str:
    """A cell of a Markdown table that shows its text and nothing else: HTML's `& < >` as
    entities, Markdown's emphasis, code, link and table characters backslash-escaped, line
    breaks as spaces (a table row is one line)."""
    out = []
    for ch in cell_text(value):
        if ch in HTML_ENTITIES:
            out.append(HTML_ENTITIES[ch])
        elif ch in MARKDOWN_PUNCTUATION:
            out.append("\\" + ch)
        else:
            out.append(" " if ch in "\r\n" else ch)
    return "".join(out)
