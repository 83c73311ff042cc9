"""List markers as English policies write them: (a), then (i), bullets inside bullets."""

from __future__ import annotations

import pytest

from policyc.text.lists import list_marker, nested_style, roman


@pytest.mark.parametrize("n, expected", [(1, "i"), (4, "iv"), (9, "ix"), (14, "xiv"), (40, "xl"), (1994, "mcmxciv")])
def test_roman_numerals(n, expected):
    assert roman(n) == expected


def test_markers_count_from_the_first_item():
    assert [list_marker("letter", i) for i in (0, 1, 25)] == ["(a)", "(b)", "(z)"]
    assert [list_marker("roman", i) for i in (0, 3, 9)] == ["(i)", "(iv)", "(x)"]
    assert list_marker("bullet", 7) == "•"


def test_a_list_inside_an_item_alternates_letters_and_numerals():
    assert nested_style("letter") == "roman"
    assert nested_style("roman") == "letter"
    assert nested_style("bullet") == "bullet"
