"""Shares and ratios as the renderers print them: never 100 % (1.000) or 0 % for a figure that is not."""

from __future__ import annotations

import pytest

from procmine.renderers.shares import ratio_text, share_text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1615 / 1617, 0, "99.9%"),  # the BPIC 2020 quarter: two cases deviate
        (1.0, 0, "100%"),
        (0.0, 0, "0%"),
        (0.5, 0, "50%"),
        (0.996, 0, "99.6%"),
        (0.12, 1, "12.0%"),
        (3 / 10357, 1, "0.03%"),
        (0.99999, 0, "> 99.99%"),
        (0.99999, 1, "99.999%"),
        (1e-8, 0, "< 0.01%"),
    ],
)
def test_share_text(value, decimals, text):
    assert share_text(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.9998, "0.9998"),
        (1.0, "1.000"),
        (0.8333, "0.833"),
        (0.99999, "0.99999"),
        (0.9999999, "> 0.99999"),
        (0.0, "0.000"),
        (0.00004, "0.00004"),
    ],
)
def test_ratio_text(value, text):
    assert ratio_text(value) == text
