"""The embedded store: one DuckDB file per output folder, so any SQL tool can read the records.

`xunshi.duckdb` sits next to the JSON Lines it was built from and holds the tables `documents`,
`mentions`, `items` (the contract's columns, lists and structs kept as DuckDB lists and
structs), `regions` (one row per region segment) and the comparison tables of
`pipeline.compare.tables` (`metrics`, `practices`, `bodies` in long form, their `*_wide` forms,
`deadlines`, `coverage`, the rectification ledger: `rectifications` one row per record,
`rectifications_by_region`, `rectifications_by_level`, `rectification_evidence`,
`rectification_checks`) and `errors`. It is rebuilt whenever the JSON Lines change (size or
modification time), so `query` never answers from stale data, and is written under a temporary
name then renamed, so a reader never sees half a database. When the output folder cannot be
written, `query` builds it in a temporary folder instead. Queries run read-only in a sandbox
(`SANDBOX`).
"""
from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from pipeline.compare import ledger
from pipeline.compare.columns import TABLES
from pipeline.compare.outputs import load, require_documents
from pipeline.compare.tables import tables
from pipeline.compare.writing import Staged, reason, unwritable
from pipeline.errors import InputError, OutputError

DB_NAME = "xunshi.duckdb"
SOURCES = ("documents.jsonl", "mentions.jsonl", "items.jsonl", "texts.jsonl", "rectifications.jsonl",
           "errors.jsonl")
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
    """A comparison table's SQL name (columns.TABLES): `metrics_long` is `metrics` (the form
    for other tools), `metrics` is `metrics_wide`, `rectification_records` is `rectifications`."""
    return TABLES[name].sql if name in TABLES else name


def _write_records(con, out) -> None:
    """The record tables from their Arrow forms, the ledger's evidence and checks one row each,
    and region segments unnested."""
    for name, table in out.arrow.items():
        con.register("_src", table)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _src')
        con.unregister("_src")
    _write_frame(con, "rectification_evidence", ledger.evidence(out))
    _write_frame(con, "rectification_checks", ledger.checks(out))
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


SANDBOX = {"enable_external_access": False, "autoinstall_known_extensions": False,
           "autoload_known_extensions": False, "allow_community_extensions": False,
           "allow_unsigned_extensions": False, "lock_configuration": True}
"""How `query` opens the store besides read-only: no file, URL or other database outside it can
be read or written (COPY, EXPORT, read_text, glob, ATTACH), no extension installed or loaded, and
no setting changed back."""


def connect(path: Path):
    """A read-only, sandboxed connection to a store (see `SANDBOX`)."""
    import duckdb

    return duckdb.connect(str(path), read_only=True, config=dict(SANDBOX))


def is_current(out_dir: Path) -> bool:
    """Whether the store exists and was built from the JSON Lines as they are now."""
    import duckdb

    path = db_path(out_dir)
    if not path.is_file():
        return False
    try:
        with connect(path) as con:
            row = con.execute(f"SELECT signature FROM {META_TABLE}").fetchone()
    except duckdb.Error:
        return False
    return bool(row) and row[0] == signature(out_dir)


def ensure_store(out_dir: Path) -> Path:
    """The store of an output folder, (re)built first if missing or stale."""
    if not is_current(out_dir):
        build_store(require_documents(load(Path(out_dir))))
    return db_path(out_dir)


@contextlib.contextmanager
def opened(out_dir: Path) -> Iterator:
    """A sandboxed, read-only connection to the store of an output folder, (re)built first if
    missing or stale: in the output folder, or, when that cannot be written, in a temporary
    folder removed afterwards."""
    out_dir = Path(out_dir)
    with contextlib.ExitStack() as stack:
        try:
            path = ensure_store(out_dir)
        except OutputError as exc:
            if not unwritable(exc.__cause__ or exc):
                raise
            path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="xunshi-"))) / DB_NAME
            out = require_documents(load(out_dir))
            write_store(out, tables(out), path)
        with connect(path) as con:
            yield con


@dataclass
class Result:
    """What a query returned: column names, DuckDB type names and rows of Python values."""

    columns: list[str]
    types: list[str]
    rows: list[tuple]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.columns)


def query(out_dir: Path, sql: str) -> Result:
    """Run SQL on an output folder's store (built on first use) and return the result.

    The connection is read-only and sandboxed: a query can look at everything in the store and
    at nothing outside it, and change nothing.
    """
    import duckdb

    with opened(Path(out_dir)) as con:
        try:
            cur = con.execute(sql)
            columns = [d[0] for d in cur.description or []]
            types = [str(d[1]) for d in cur.description or []]
            return Result(columns, types, cur.fetchall() if columns else [])
        except duckdb.Error as exc:
            raise InputError(str(db_path(out_dir)), f"query failed: {str(exc).splitlines()[0]}",
                             "query") from exc
