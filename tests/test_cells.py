"""How cells are written: text for people, and nothing a spreadsheet would run as a formula."""
from __future__ import annotations

import pytest

from pipeline.compare.cells import cell_text, figure_text, spreadsheet_safe


@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("http://example.org","x")', '\'=HYPERLINK("http://example.org","x")'),
    ("+86-10-1234", "'+86-10-1234"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("河北省", "河北省"),
    ("省委=领导", "省委=领导"),
    ("", ""),
    (-3.5, -3.5),
    (12, 12),
    (None, None),
])
def test_spreadsheet_safe(value, expected):
    """OWASP's rule for CSV injection: a text cell starting with = + - @ tab or CR gets a
    leading apostrophe; numbers stay numbers."""
    assert spreadsheet_safe(value) == expected


@pytest.mark.parametrize("value, expected", [
    (13000.0, "13000"), (97.7, "97.7"), (1 / 3, "0.3333"), (None, ""), (float("nan"), ""),
    (["a", "b"], "a b"), ("甲|乙", "甲|乙"),
])
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize("value, value_max, approx, expected", [
    (4.5, 5.0, None, "4.5–5"),
    (50.0, None, "more", "≥50"),
    (50.0, None, "less", "≤50"),
    (68.0, None, "about", "约68"),
    (280000.0, None, None, "280000"),
    (5.0, 5.0, None, "5"),
    (5.0, float("nan"), None, "5"),
    (None, None, None, ""),
])
def test_figure_text(value, value_max, approx, expected):
    """A figure as the text states it: ranges whole, approximations marked, no `.0`."""
    assert figure_text(value, value_max, approx) == expected
