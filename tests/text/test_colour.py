"""WCAG contrast, checked against the ratios WCAG's own examples and the GOV.UK palette give."""

from __future__ import annotations

import pytest

from policyc.text.colour import contrast, is_colour, luminance


def test_black_on_white_is_21_and_white_on_white_is_1():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("FFFFFF") == pytest.approx(1.0)
    assert luminance("#FFFFFF") == pytest.approx(1.0) and luminance("#000000") == 0


@pytest.mark.parametrize("colour, ratio", [
    ("#767676", 4.54),  # the lightest grey that passes AA on white
    ("#777777", 4.48),  # one step lighter fails
    ("#4F81BD", 4.03),  # Office 2007's accent blue, the old Word headings' colour family
    ("#14506E", 8.74),  # the house accent
    ("#505A5F", 7.07),  # the secondary text grey
])
def test_known_ratios(colour, ratio):
    assert contrast(colour) == pytest.approx(ratio, abs=0.01)


def test_the_order_of_the_two_colours_does_not_matter():
    assert contrast("#14506E", "#FFFFFF") == contrast("#FFFFFF", "#14506E")


@pytest.mark.parametrize("text, ok", [("#14506e", True), ("#14506E", True), ("14506e", False),
                                      ("#1450", False), ("#14506g", False), ("blue", False)])
def test_a_colour_is_hash_and_six_hex_digits(text, ok):
    assert is_colour(text) is ok
