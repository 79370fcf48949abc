"""`safe_cell`: the one function every spreadsheet cell goes through (the exports
themselves are tested in tests/workflows/test_exports.py)."""

from __future__ import annotations

import pytest

from api_common.spreadsheets import safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 00 00 00 00", "'+33 6 00 00 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Camille", "Camille"),
        ("", ""),
        (-3, -3),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formula_texts_and_keeps_numbers(value, cell):
    assert safe_cell(value) == cell
