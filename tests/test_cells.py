"""How cells are written: text for people, and nothing a spreadsheet would run as a formula."""
from __future__ import annotations

import pytest

from pipeline.compare.cells import cell_text, spreadsheet_safe


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
