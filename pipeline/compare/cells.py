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
