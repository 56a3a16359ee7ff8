"""The comparison tables as files: CSV with BOM, Markdown, Parquet and the workbook."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipeline.atomic import temporary
from pipeline.compare.files import compare, to_markdown, write_table
from pipeline.compare.workbook import write_workbook
from pipeline.compare.writing import Staged

from .aggregate_fixtures import compilation, item, quantity, write_outputs

HOSTILE = '=HYPERLINK("http://example.org/x","点击")'
FRAME = pd.DataFrame({"region": [HOSTILE, "-1+2", "河北省"], "text": ["@A1", "\t=1", "正常"],
                      "value": [-3.5, 12.0, 0.25], "n": [-1, 2, 3]})


def _csv_rows(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_neutralises_formulas_and_keeps_numbers(tmp_path):
    with Staged() as staged:
        written = write_table("t", FRAME, tmp_path, staged)
        staged.commit()
    rows = _csv_rows(written["t.csv"])
    assert rows[1] == ["'" + HOSTILE, "'@A1", "-3.5", "-1"]
    assert rows[2] == ["'-1+2", "'\t=1", "12.0", "2"]
    assert pd.read_parquet(written["t.parquet"]).region.iloc[0] == HOSTILE  # data, not a sheet


def test_workbook_has_no_formula_and_keeps_numbers(tmp_path):
    path = tmp_path / "t.xlsx"
    write_workbook({"t": FRAME}, path)
    ws = load_workbook(path)["t"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(tuple("=+-@\t\r"))]
    assert [ws.cell(r, 3).value for r in (2, 3, 4)] == [-3.5, 12, 0.25]


def test_hostile_region_and_text_end_to_end(tmp_path):
    text = "=1+1省委派出12个巡视组。（甲省委）\n"
    doc = {"name": "x.txt", "text": text, "title": HOSTILE,
           "regions": [(HOSTILE, "=1+1", "（甲省委）")],
           "mentions": [quantity("12个", 12, "个", "巡视组", item="i0001")],
           "items": [item("省委派出12个巡视组", "派出", ["上下联动"], id="i0001")]}
    written = compare(write_outputs(tmp_path, [doc]), tmp_path / "tables")
    for name, path in written.items():
        if name.endswith(".csv"):
            cells = [c for row in _csv_rows(path) for c in row]
            assert not [c for c in cells if c.startswith(tuple("=+-@\t\r"))], name
    wb = load_workbook(written["tables.xlsx"])
    assert not [c.coordinate for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"]


def test_compare_leaves_no_temporary(tmp_path):
    written = compare(compilation(tmp_path), tmp_path / "tables")
    for path in written.values():
        assert not temporary(path).exists()
    assert not [p for p in (tmp_path / "tables").iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("name", ["metrics", "coverage"])
def test_every_table_in_every_format(tmp_path, name):
    written = compare(compilation(tmp_path), tmp_path / "tables")
    for ext in ("csv", "md", "parquet"):
        assert written[f"{name}.{ext}"].stat().st_size > 0


def test_markdown_escapes_pipes_and_newlines():
    md = to_markdown(pd.DataFrame({"a": ["x|y\nz"], "n": [1.5]}))
    assert md.splitlines() == ["| a | n |", "|---|---:|", "| x\\|y z | 1.5 |"]


@pytest.mark.parametrize("text, expected", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src=x onerror="a()">', '&lt;img src=x onerror="a()"&gt;'),
    ("[点击](http://example.org)", "\\[点击\\](http://example.org)"),
    ("![x](http://example.org/p.png)", "!\\[x\\](http://example.org/p.png)"),
    ("**粗体** _斜体_ ~~删除~~ `代码`", "\\*\\*粗体\\*\\* \\_斜体\\_ \\~\\~删除\\~\\~ \\`代码\\`"),
    ("a\\b &amp; c", "a\\\\b &amp;amp; c"),
    ("省委巡视组（第一组）", "省委巡视组（第一组）"),
])
def test_markdown_escapes_html_and_markdown(text, expected):
    """Document and manifest text is shown as text in a Markdown table, never as markup."""
    md = to_markdown(pd.DataFrame({text: [text]}))
    assert md.splitlines()[0] == f"| {expected} |" and md.splitlines()[2] == f"| {expected} |"
