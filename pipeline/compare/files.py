"""The comparison tables as files: CSV, Markdown, Parquet, one workbook, and the DuckDB store."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.compare.cells import flat, for_spreadsheet, markdown_text
from pipeline.compare.outputs import load, require_documents
from pipeline.compare.store import stage_store
from pipeline.compare.tables import tables
from pipeline.compare.workbook import write_workbook
from pipeline.compare.writing import Staged, output_folder, unwritable
from pipeline.errors import OutputError


def to_markdown(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency) whose cells are text only."""
    head = "| " + " | ".join(markdown_text(c) for c in df.columns) + " |"
    sep = "|" + "|".join("---:" if pd.api.types.is_numeric_dtype(df[c]) else "---"
                         for c in df.columns) + "|"
    body = ["| " + " | ".join(markdown_text(v) for v in row) + " |"
            for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *body]) + "\n"


def write_table(name: str, df: pd.DataFrame, folder: Path, staged: Staged) -> dict[str, Path]:
    """One table as CSV (UTF-8 with BOM, so Excel reads Chinese), Markdown and Parquet."""
    flat_df, safe_df = flat(df), for_spreadsheet(df)
    return {
        f"{name}.csv": staged.write(folder / f"{name}.csv", lambda p: safe_df.to_csv(
            p, index=False, encoding="utf-8-sig")),
        f"{name}.md": staged.write(folder / f"{name}.md", lambda p: p.write_text(
            to_markdown(flat_df), encoding="utf-8")),
        f"{name}.parquet": staged.write(folder / f"{name}.parquet", lambda p: df.to_parquet(
            p, index=False, engine="pyarrow")),
    }


def compare(out_dir: Path, tables_dir: Path) -> dict[str, Path]:
    """Every comparison table of an output folder as files in `tables_dir`, plus the DuckDB
    store (`xunshi.duckdb` in the output folder, where `query` looks for it). All files are
    renamed into place together once all are written; none when one fails.

    Returns:
        file name → path of every file written; without `xunshi.duckdb` when the output folder
        cannot be written (`query` then builds the store in a temporary folder).
    """
    out = require_documents(load(Path(out_dir)))
    tables_dir = output_folder(tables_dir)
    all_tables = tables(out)
    written: dict[str, Path] = {}
    with Staged() as staged:
        for name, df in all_tables.items():
            written.update(write_table(name, df, tables_dir, staged))
        written["tables.xlsx"] = staged.write(tables_dir / "tables.xlsx",
                                              lambda p: write_workbook(all_tables, p, out))
        try:
            written["xunshi.duckdb"] = stage_store(staged, out, all_tables)
        except OutputError as exc:
            if not unwritable(exc.__cause__ or exc):
                raise
        staged.commit()
    return written
