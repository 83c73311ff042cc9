"""Dates and review periods found in imported text, with how each date was written."""

from __future__ import annotations

import datetime as dt

import pytest

from policyc.importers.dates import find_cycle, find_date, find_written, month_only


@pytest.mark.parametrize("text, expected", [
    ("Adopted at Governing Body meeting on 24 th November 2020", (dt.date(2020, 11, 24), "ordinal")),
    ("Date ratified: 3 March 2021.", (dt.date(2021, 3, 3), "long")),
    ("Signed 22/11/17", (dt.date(2017, 11, 22), "numeric-short")),
    ("Signed 01/09/2022", (dt.date(2022, 9, 1), "numeric")),
    ("2024-02-29 approved", (dt.date(2024, 2, 29), "long")),
    ("Signed 31/02/2022", None),  # no such day: not a date at all
    ("Reviewed in the autumn term", None),
])
def test_the_first_full_date_and_its_manner(text, expected):
    assert find_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Next update: Sept 2024", "Sept 2024"),
    ("Last reviewed 14th March 2022 by the board", "14th March 2022"),
    ("Review date: 09/2023", "09/2023"),
    ("Approved 2024-05-01", "2024-05-01"),
    ("Policy year 2023", "2023"),
    ("no date here", None),
])
def test_a_date_exactly_as_written(text, expected):
    assert find_written(text) == expected


def test_a_month_written_alone_is_an_issue_date():
    assert month_only("november 2017.") == "November 2017"
    assert month_only("Issued November 2017") is None


@pytest.mark.parametrize("text, expected", [
    ("To be reviewed: annually", "annually"), ("Review: every two years", "biennially"),
    ("Reviewed every 3 years by the board", "triennially"), ("Reviewed every 18 months", "every 18 months"),
    ("Reviewed when the law changes", None),
])
def test_a_review_period_in_words(text, expected):
    assert find_cycle(text) == expected
