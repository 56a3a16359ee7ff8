"""`tables.xlsx` for analysts: frozen headers, filters, widths, units, formats, evidence, links."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len

from pipeline.compare.files import compare

from .aggregate_fixtures import COMPILATION, compilation, measured, write_outputs


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wb")
    return load_workbook(compare(compilation(tmp), tmp / "tables")["tables.xlsx"])


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _find(ws, column: str, value) -> int:
    """The sheet row whose `column` holds `value`."""
    j = _header(ws).index(column) + 1
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, j).value == value)


def test_every_table_and_the_evidence_sheet(wb):
    assert wb.sheetnames == ["metrics", "metrics_long", "practices", "practices_long", "bodies",
                             "bodies_long", "deadlines", "coverage", "rectifications",
                             "rectifications_by_level", "rectification_records", "evidence"]


@pytest.mark.parametrize("sheet, freeze", [("metrics", "B2"), ("practices", "B2"),
                                           ("metrics_long", "A2"), ("evidence", "A2")])
def test_header_frozen_and_filtered(wb, sheet, freeze):
    ws = wb[sheet]
    assert ws.freeze_panes == freeze
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert all(c.font.b for c in ws[1])


def test_units_in_headers(wb):
    assert "巡视巡察组 (个)" in _header(wb["metrics"])
    assert "整改完成率 (%)" in _header(wb["metrics"]) or any(
        h.endswith("(%)") for h in _header(wb["metrics"]))
    assert "chars (characters)" in _header(wb["coverage"])
    assert "items_led (items)" in _header(wb["bodies_long"])


def test_widths_fit_the_displayed_text(wb):
    ws = wb["evidence"]
    j = _header(ws).index("sentence") + 1
    longest = max(cell_len(str(ws.cell(r, j).value or "")) for r in range(2, ws.max_row + 1))
    width = ws.column_dimensions[ws.cell(1, j).column_letter].width
    assert width >= min(60, longest)
    assert ws.column_dimensions["A"].width >= cell_len("河北省 · 巡视巡察组")


def test_number_formats(wb):
    ws = wb["metrics_long"]
    r = _find(ws, "measure", "rectification.rate")
    value = ws.cell(r, _header(ws).index("value") + 1)
    assert value.value == 96.5 and value.number_format == "#,##0.0###"
    r = _find(ws, "measure", "problems.found")
    assert ws.cell(r, _header(ws).index("value") + 1).number_format == "#,##0"
    dl = wb["deadlines"]
    end = dl.cell(2, _header(dl).index("end_date") + 1)
    assert end.value.date() == dt.date(2024, 12, 31) and end.number_format == "yyyy-mm-dd"


def test_metric_cell_links_to_its_evidence_and_back(wb):
    ws, ev = wb["metrics"], wb["evidence"]
    row = _find(ws, "region", "河北省")
    cell = ws.cell(row, _header(ws).index("巡视巡察组 (个)") + 1)
    assert cell.value == 12
    sheet, target = cell.hyperlink.location.split("!")
    assert sheet == "'evidence'"
    r = int(target[1:])
    h = _header(ev)
    got = {k: ev.cell(r, h.index(k) + 1).value for k in
           ("for", "ref", "kind", "text", "doc_id", "start", "end")}
    start = COMPILATION.index("12个")
    assert got == {"for": "河北省 · 巡视巡察组", "ref": "src/汇编.txt#m0002", "kind": "quantity",
                   "text": "12个", "doc_id": "src/汇编.txt", "start": start, "end": start + 3}
    assert "省委派出12个巡视组" in ev.cell(r, h.index("sentence") + 1).value
    assert ev.cell(r, 1).hyperlink.location in ("'metrics'!" + cell.coordinate,
                                                f"'metrics_long'!{_long_value(wb)}")


def _long_value(wb) -> str:
    ws = wb["metrics_long"]
    r = _find(ws, "measure", "inspection.groups")
    return ws.cell(r, _header(ws).index("figure") + 1).coordinate


def test_metric_figures_are_numbers_with_their_marks(tmp_path):
    """`约68` is the number 68 shown with 约, so analysts can sort and sum; a range stays text."""
    text = "巡察工作\n抽调干部约68名，整改完成率为90%—95%。"
    doc = {"name": "a.txt", "text": text, "regions": [("河北省", "巡察", "。")],
           "mentions": [measured("约68名", 68, "名", "inspection.staff", "干部", approx="about"),
                        measured("90%—95%", 90, "%", "rectification.rate", value_max=95)]}
    written = compare(write_outputs(tmp_path, [doc]), tmp_path / "tables")
    ws = load_workbook(written["tables.xlsx"])["metrics"]
    staff = ws.cell(2, _header(ws).index("巡视巡察干部 (人)") + 1)
    assert (staff.value, staff.number_format) == (68, '"约"#,##0')
    assert ws.cell(2, _header(ws).index("整改完成率 (%)") + 1).value == "90–95"


def test_practice_and_deadline_cells_link(wb):
    ws = wb["practices"]
    row = _find(ws, "region", "河北省")
    cell = ws.cell(row, _header(ws).index("整改落实 (items)") + 1)
    assert cell.value == 2 and cell.hyperlink.location.startswith("'evidence'!A")
    dl = wb["deadlines"]
    assert dl.cell(2, _header(dl).index("text") + 1).hyperlink is not None


def test_every_link_points_at_an_evidence_row(wb):
    ev = wb["evidence"]
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if c.hyperlink is not None and ws.title != "evidence":
                    r = int(c.hyperlink.location.split("!A")[1])
                    assert 2 <= r <= ev.max_row and ev.cell(r, 2).value == 1
