"""`xunshi query --format table|csv|json|jsonl`: aligned for people, exact for tools."""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from pipeline.cli import main
from pipeline.compare.results import NULL, clip, render, table

from .aggregate_fixtures import compilation

COLUMNS = ["region", "n", "share", "day", "refs"]
TYPES = ["VARCHAR", "BIGINT", "DOUBLE", "DATE", "VARCHAR[]"]
ROWS = [("河北省", 5, 0.5, dt.date(2024, 6, 30), ["a#m1", "a#m2"]),
        ("广西壮族自治区", None, float("nan"), None, []),
        ("=cmd", 12, None, dt.date(2025, 1, 1), None)]


def test_table_columns_line_up_by_display_width():
    lines = table(COLUMNS, TYPES, ROWS).splitlines()
    box = lines[:-1]
    assert len({cell_len(line) for line in box}) == 1
    for line in box[1:-1]:
        if line.startswith("│"):
            assert [cell_len(x) for x in line.split("│")[1:-1]] == \
                   [cell_len(x) for x in box[1].split("│")[1:-1]]
    assert lines[-1] == "3 rows"


def test_table_shows_types_nulls_and_right_aligned_numbers():
    lines = table(COLUMNS, TYPES, ROWS).splitlines()
    assert "varchar" in lines[2] and "bigint" in lines[2]
    row = [c.strip() for c in lines[5].split("│")[1:-1]]
    assert row == ["广西壮族自治区", NULL, NULL, NULL, "[]"]
    assert lines[4].split("│")[2].endswith(" 5 ")


def test_clip_counts_display_cells():
    assert clip("巡视" * 30, 10) == "巡视巡视…"
    assert cell_len(clip("巡视" * 30, 10)) <= 10


def test_csv_is_exact_and_safe():
    rows = list(csv.reader(io.StringIO(render(COLUMNS, TYPES, ROWS, "csv"))))
    assert rows[0] == COLUMNS
    assert rows[1] == ["河北省", "5", "0.5", "2024-06-30", '["a#m1", "a#m2"]']
    assert rows[2] == ["广西壮族自治区", "", "", "", "[]"]
    assert rows[3][0] == "'=cmd"


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_has_one_null_and_iso_dates(fmt):
    out = render(COLUMNS, TYPES, ROWS, fmt)
    recs = json.loads(out) if fmt == "json" else [json.loads(x) for x in out.splitlines()]
    assert recs[0] == {"region": "河北省", "n": 5, "share": 0.5, "day": "2024-06-30",
                       "refs": ["a#m1", "a#m2"]}
    assert recs[1] == {"region": "广西壮族自治区", "n": None, "share": None, "day": None, "refs": []}


def test_decimals_are_numbers():
    assert json.loads(render(["x"], ["DECIMAL(5,2)"], [(decimal.Decimal("1.50"),)], "json")) == [
        {"x": 1.5}]


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_query_command_formats(tmp_path, fmt):
    out = compilation(tmp_path)
    res = CliRunner().invoke(main, ["query", str(out), "SELECT region, count(*) AS n FROM items "
                                    "GROUP BY 1 ORDER BY 2 DESC", "--format", fmt])
    assert res.exit_code == 0, res.output
    if fmt == "json":
        assert json.loads(res.stdout) == [{"region": "河北省", "n": 5}, {"region": "吉林省", "n": 4}]
    elif fmt == "table":
        assert "河北省" in res.stdout and res.stdout.startswith("┌")
    elif fmt == "jsonl":
        assert json.loads(res.stdout.splitlines()[0]) == {"region": "河北省", "n": 5}
    else:
        assert res.stdout.splitlines()[:2] == ["region,n", "河北省,5"]
