"""The DuckDB store: built from the JSON Lines, rebuilt when they change, queried read-only, in
a sandbox that reaches nothing outside the database, also over a read-only output folder."""
from __future__ import annotations

import os

import pytest

from pipeline.compare.store import DB_NAME, ensure_store, is_current, query
from pipeline.errors import InputError

from .aggregate_fixtures import REGION_A, REGION_B, compilation
from .folders import read_only


@pytest.fixture
def out(tmp_path):
    return compilation(tmp_path)


def _rows(out, sql):
    return [tuple(r) for r in query(out, sql).rows]


@pytest.mark.parametrize("sql, expected", [
    ("SELECT region, count(*) AS n FROM items GROUP BY 1 ORDER BY 2 DESC",
     [(REGION_A, 5), (REGION_B, 4)]),
    ("SELECT kind, count(*) FROM mentions GROUP BY 1 ORDER BY 1",
     [("body", 4), ("quantity", 11), ("time", 2)]),
    ("SELECT region, value FROM metrics WHERE measure = 'inspection.groups' ORDER BY 1",
     [(REGION_B, 30.0), (REGION_A, 12.0)]),
    ("SELECT region, chars > 0 FROM regions ORDER BY start", [(REGION_A, True), (REGION_B, True)]),
    ("SELECT len(mention_ids) FROM items WHERE item_id = 'i0002'", [(2,)]),
    ("SELECT mention_refs[1] FROM metrics WHERE measure = 'rectification.rate' "
     "AND region = '吉林省'", [("src/汇编.txt#m0015",)]),
    ("SELECT typeof(end_date), CAST(end_date AS VARCHAR) FROM deadlines LIMIT 1",
     [("DATE", "2024-12-31")]),
    ("SELECT region FROM coverage", [(REGION_A,), (REGION_B,)]),
    ("SELECT count(*) FROM errors", [(0,)]),
])
def test_query(out, sql, expected):
    assert _rows(out, sql) == expected


def test_store_is_built_once_and_rebuilt_when_outputs_change(out):
    path = ensure_store(out)
    assert path == out / DB_NAME and is_current(out)
    built = path.stat().st_mtime_ns
    assert ensure_store(out).stat().st_mtime_ns == built
    items = out / "items.jsonl"
    lines = items.read_text(encoding="utf-8").splitlines(keepends=True)
    items.write_text("".join(lines[:3]), encoding="utf-8")
    os.utime(items, ns=(built + 10**9, built + 10**9))
    assert not is_current(out)
    assert _rows(out, "SELECT count(*) FROM items") == [(3,)]


@pytest.mark.parametrize("sql", ["DELETE FROM items", "SELECT * FROM no_such_table"])
def test_bad_or_writing_query_fails_cleanly(out, sql):
    with pytest.raises(InputError, match="query failed"):
        query(out, sql)
    assert _rows(out, "SELECT count(*) FROM items") == [(9,)]


def test_corrupt_store_is_rebuilt(out):
    (out / DB_NAME).write_bytes(b"not a database")
    assert not is_current(out)
    assert _rows(out, "SELECT count(*) FROM documents") == [(1,)]


@pytest.mark.parametrize("sql", [
    "COPY items TO '{out}/documents.jsonl'",
    "COPY (SELECT 1) TO '{tmp}/written.csv'",
    "EXPORT DATABASE '{tmp}/export'",
    "SELECT * FROM read_text('{tmp}/secret.txt')",
    "SELECT * FROM read_csv('{tmp}/secret.txt')",
    "SELECT * FROM glob('{tmp}/*')",
    "ATTACH '{tmp}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "SELECT * FROM read_parquet('https://example.org/x.parquet')",
])
def test_query_reaches_nothing_outside_its_database(out, tmp_path, sql):
    (tmp_path / "secret.txt").write_text("private", encoding="utf-8")
    before = (out / "documents.jsonl").read_bytes()
    with pytest.raises(InputError, match="query failed"):
        query(out, sql.format(out=out, tmp=tmp_path))
    assert (out / "documents.jsonl").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "secret.txt"]


def test_query_on_a_read_only_output_folder(out):
    before = sorted(p.name for p in out.iterdir())
    with read_only(out):
        assert _rows(out, "SELECT count(*) FROM items") == [(9,)]
    assert sorted(p.name for p in out.iterdir()) == before  # the store was built elsewhere


def test_query_on_a_read_only_output_folder_with_its_store(out):
    ensure_store(out)
    with read_only(out):
        assert _rows(out, "SELECT count(*) FROM mentions") == [(17,)]
