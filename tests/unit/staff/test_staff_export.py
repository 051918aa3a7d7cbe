"""CSV cells that a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from erni_agents.staff.export import cell, csv_lines


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+41 79 123 45 67", "'+41 79 123 45 67"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Anna Keller", "Anna Keller"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (150.5, "150.5"),
        (-3, "-3"),
        (datetime(2026, 11, 25, 9, 0, tzinfo=UTC), "2026-11-25T09:00:00+00:00"),
    ],
)
def test_cell(value: object, expected: str) -> None:
    assert cell(value) == expected


def test_csv_lines_quote_and_escape() -> None:
    text = csv_lines([["id", "name"], [1, 'Keller, "Anna"'], [2, "=1+1"]])
    assert text.endswith("\r\n")
    assert list(csv.reader(io.StringIO(text))) == [["id", "name"], ["1", 'Keller, "Anna"'], ["2", "'=1+1"]]
