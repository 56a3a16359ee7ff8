"""The comparison tables as files: CSV, Markdown, Parquet, one workbook, and the DuckDB store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.atomic import write_atomic
from pipeline.compare.cells import cell_text, flat
from pipeline.compare.outputs import load
from pipeline.compare.store import build_store
from pipeline.compare.tables import tables


def to_markdown(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency), pipes and newlines escaped."""
    def esc(v) -> str:
        return cell_text(v).replace("|", "\\|").replace("\r", " ").replace("\n", " ")

    head = "| " + " | ".join(esc(c) for c in df.columns) + " |"
    sep = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(df[c]) else "---"
                         for c in df.columns) + "|"
    body = ["| " + " | ".join(esc(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *body]) + "\n"


def write_table(name: str, df: pd.DataFrame, folder: Path) -> dict[str, Path]:
    """One table as CSV (UTF-8 with BOM, so Excel reads Chinese), Markdown and Parquet."""
    flat_df = flat(df)
    return {
        f"{name}.csv": write_atomic(folder / f"{name}.csv", lambda p: flat_df.to_csv(
            p, index=False, encoding="utf-8-sig")),
        f"{name}.md": write_atomic(folder / f"{name}.md", lambda p: p.write_text(
            to_markdown(flat_df), encoding="utf-8")),
        f"{name}.parquet": write_atomic(folder / f"{name}.parquet", lambda p: df.to_parquet(
            p, index=False, engine="pyarrow")),
    }


def write_workbook(all_tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """`tables.xlsx`: one sheet per table, lists as text."""
    def write(p: Path) -> None:
        with pd.ExcelWriter(p, engine="openpyxl") as xl:
            for name, df in all_tables.items():
                flat(df).to_excel(xl, sheet_name=name[:31], index=False)

    return write_atomic(path, write)


def compare(out_dir: Path, tables_dir: Path) -> dict[str, Path]:
    """Every comparison table of an output folder as files in `tables_dir`, plus the DuckDB
    store (`xunshi.duckdb` in the output folder, where `query` looks for it).

    Returns:
        file name → path of every file written.
    """
    out = load(Path(out_dir))
    tables_dir = Path(tables_dir)
    tables_dir.mkdir(parents=True, exist_ok=True)
    all_tables = tables(out)
    written: dict[str, Path] = {}
    for name, df in all_tables.items():
        written.update(write_table(name, df, tables_dir))
    written["tables.xlsx"] = write_workbook(all_tables, tables_dir / "tables.xlsx")
    written["xunshi.duckdb"] = build_store(out, all_tables)
    return written
