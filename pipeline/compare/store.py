"""The embedded store: one DuckDB file per output folder, so any SQL tool can read the records.

`xunshi.duckdb` sits next to the JSON Lines it was built from and holds the tables `documents`,
`mentions`, `items` (the contract's columns, lists and structs kept as DuckDB lists and
structs), `regions` (one row per region segment) and the comparison tables of
`pipeline.compare.tables` (`metrics`, `practices`, `bodies` in long form, their `*_wide` forms,
`deadlines`, `coverage`). It is rebuilt whenever the JSON Lines change (size or modification
time), so `query` never answers from stale data, and is written under a temporary name then
renamed, so a reader never sees half a database.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.compare.outputs import load, require_documents
from pipeline.compare.tables import tables
from pipeline.compare.writing import Staged, reason
from pipeline.errors import InputError, OutputError

DB_NAME = "xunshi.duckdb"
SOURCES = ("documents.jsonl", "mentions.jsonl", "items.jsonl", "errors.jsonl")
META_TABLE = "xunshi_meta"


def db_path(out_dir: Path) -> Path:
    return Path(out_dir) / DB_NAME


def signature(out_dir: Path) -> str:
    """What the store was built from: size and modification time of each JSON Lines file."""
    sig = {}
    for name in SOURCES:
        p = Path(out_dir) / name
        st = p.stat() if p.exists() else None
        sig[name] = [st.st_size, st.st_mtime_ns] if st else None
    return json.dumps(sig, sort_keys=True)


def build_store(out, all_tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write `xunshi.duckdb` for loaded outputs (`outputs.Outputs`); tables computed if not given.

    Returns:
        the database path.
    """
    path = db_path(out.out_dir)
    with Staged() as staged:
        stage_store(staged, out, all_tables if all_tables is not None else tables(out))
        staged.commit()
    return path


def stage_store(staged: Staged, out, all_tables: dict[str, pd.DataFrame]) -> Path:
    """The store written under a temporary name, renamed when `staged` commits."""
    return staged.write(db_path(out.out_dir), lambda tmp: write_store(out, all_tables, tmp))


def write_store(out, all_tables: dict[str, pd.DataFrame], path: Path) -> None:
    """A new DuckDB file at `path` with the records, the tables and what they were built from;
    a fault (a full disk) is an `OutputError` naming the store."""
    import duckdb

    try:
        with duckdb.connect(str(path)) as con:
            _write_records(con, out)
            for name, df in all_tables.items():
                _write_frame(con, _table_name(name), df)
            con.execute(f"CREATE TABLE {META_TABLE} AS SELECT ? AS signature",
                        [signature(out.out_dir)])
            con.execute("CHECKPOINT")  # a full disk fails here, not silently when closing
    except duckdb.Error as exc:
        raise OutputError(str(db_path(out.out_dir)), reason(exc)) from exc


def _table_name(name: str) -> str:
    """`metrics_long` is the SQL table `metrics` (the form for other tools); `metrics` is
    `metrics_wide`."""
    if name.endswith("_long"):
        return name[: -len("_long")]
    return f"{name}_wide" if name in ("metrics", "practices", "bodies") else name


def _write_records(con, out) -> None:
    """The three record tables from their Arrow forms, plus region segments unnested."""
    for name, table in out.arrow.items():
        con.register("_src", table)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _src')
        con.unregister("_src")
    con.execute("""CREATE TABLE regions AS
        SELECT doc_id, s.region AS region, s.start AS start, s."end" AS "end",
               s.rule_id AS rule_id, s."end" - s.start AS chars
        FROM (SELECT doc_id, unnest(regions) AS s FROM documents)""")


def _write_frame(con, name: str, df: pd.DataFrame) -> None:
    """A pandas table through Arrow, so list columns stay lists."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    con.register("_src", table)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _src')
    con.unregister("_src")


def is_current(out_dir: Path) -> bool:
    """Whether the store exists and was built from the JSON Lines as they are now."""
    import duckdb

    path = db_path(out_dir)
    if not path.is_file():
        return False
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            row = con.execute(f"SELECT signature FROM {META_TABLE}").fetchone()
    except duckdb.Error:
        return False
    return bool(row) and row[0] == signature(out_dir)


def ensure_store(out_dir: Path) -> Path:
    """The store of an output folder, (re)built first if missing or stale."""
    if not is_current(out_dir):
        build_store(require_documents(load(Path(out_dir))))
    return db_path(out_dir)


def query(out_dir: Path, sql: str) -> pd.DataFrame:
    """Run SQL on an output folder's store (built on first use) and return the result.

    The connection is read-only: a query can look at everything and change nothing.
    """
    import duckdb

    path = ensure_store(Path(out_dir))
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql).df()
    except duckdb.Error as exc:
        raise InputError(str(path), f"query failed: {str(exc).splitlines()[0]}", "query") from exc
