"""Dates as a document writes them: the period each stands for, and the same manner a year on."""

from __future__ import annotations

import datetime as dt

import pytest

from policyc.text.dates import parse_written


@pytest.mark.parametrize("text, first, last, precision", [
    ("14th March 2022", dt.date(2022, 3, 14), dt.date(2022, 3, 14), "day"),
    ("01 September 2022", dt.date(2022, 9, 1), dt.date(2022, 9, 1), "day"),
    ("Sept 2024", dt.date(2024, 9, 1), dt.date(2024, 9, 30), "month"),
    ("Feb. 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
    ("09/2023", dt.date(2023, 9, 1), dt.date(2023, 9, 30), "month"),
    ("2023-11", dt.date(2023, 11, 1), dt.date(2023, 11, 30), "month"),
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "year"),
])
def test_a_written_date_stands_for_its_period_and_keeps_its_words(text, first, last, precision):
    written = parse_written(f"  {text} ")
    assert (written.written, written.first, written.last, written.precision) == (text, first, last, precision)


@pytest.mark.parametrize("text", ["31 February 2024", "Smarch 2024", "next year", "2024-13", "13/2023", ""])
def test_what_is_not_a_date_is_none(text):
    assert parse_written(text) is None


@pytest.mark.parametrize("text, months, expected", [
    ("Sept 2023", 12, "Sept 2024"),
    ("September 2023", 6, "March 2024"),
    ("Mar 2023", 12, "Mar 2024"),
    ("2023-11", 3, "2024-02"),
    ("09/2023", 12, "2024-09"),
    ("2024", 12, "2025"),
    ("2024", 36, "2027"),
    ("31 January 2026", 1, "28 February 2026"),
])
def test_later_is_the_same_manner_of_writing_months_on(text, months, expected):
    assert parse_written(text).later(months).written == expected
