"""`xunshi show`: a document's items as a readable table."""
from __future__ import annotations

from click.testing import CliRunner
from rich.console import Console

import pipeline
from pipeline.cli import main
from pipeline.errors import Exit
from pipeline.show import rows, show

TEXT = "市委巡察组对5个乡镇开展了常规巡察。2023年6月,县委召开常委会会议3次。"


def test_rows_hold_the_item_and_its_mentions():
    doc = pipeline.extract(TEXT, reference_date="2023-07-01", region="河北省")
    table = rows(doc)
    assert [r[1] for r in table] == [it.action for it in doc.items]
    assert table[0][1] == "开展" and table[0][-1] == "市委巡察组对5个乡镇开展了常规巡察"
    linked = {m.text for m in doc.mentions if m.item_id and m.kind == "quantity"}
    shown = {c for r in table for c in r[4].split("\n") if c}
    assert shown == linked


def test_show_prints_a_table(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    console = Console(record=True, width=200)
    doc = show(path, console=console)
    out = console.export_text()
    assert f"{len(doc.items)} items" in out
    for it in doc.items:
        assert it.action in out


def test_a_folder_without_reports_is_one_line_of_error(tmp_path):
    (tmp_path / "mentions.jsonl").write_text("{}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["show", str(tmp_path)])
    assert res.exit_code == Exit.INPUT
    assert "no report to read here" in res.output and "Traceback" not in res.output
