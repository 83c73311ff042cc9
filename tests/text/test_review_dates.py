"""Review cycles: months in a cycle, the next review date, and the words a page shows."""

from __future__ import annotations

import datetime as dt

import pytest

from policyc.text.review_dates import add_months, cycle_months, describe_cycle, next_review_date


@pytest.mark.parametrize("cycle, months", [("annually", 12), ("biennially", 24), ("triennially", 36),
                                           ("every 2 years", 24), ("every 18 months", 18)])
def test_cycle_months(cycle, months):
    assert cycle_months(cycle) == months


def test_an_unknown_cycle_is_refused():
    with pytest.raises(ValueError, match="not a review cycle: 'sometimes'"):
        cycle_months("sometimes")


def test_adding_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert add_months(dt.date(2026, 10, 1), 12) == dt.date(2027, 10, 1)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 1, 31), 13) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_the_next_review_counts_from_ratification_and_is_none_before_it():
    assert next_review_date(dt.date(2025, 12, 15), "annually") == dt.date(2026, 12, 15)
    assert next_review_date(None, "annually") is None


def test_cycles_are_described_in_words():
    assert describe_cycle("annually") == "Annually"
    assert describe_cycle("triennially") == "Every three years"
    assert describe_cycle("every 18 months") == "Every 18 months"
