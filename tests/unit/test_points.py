"""Points are written one way everywhere: two decimals at most, no trailing zeros."""

from __future__ import annotations

import pytest

from quizapp.domain.points import points_text, rounded_points


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1 / 3, "0.33"), (2 / 3, "0.67"), (5 / 3, "1.67"), (0.6667, "0.67"), (2.0, "2"), (0, "0"), (0.5, "0.5")],
)
def test_points_text_rounds_to_two_decimals(value: float, shown: str) -> None:
    assert points_text(value) == shown


def test_no_points_is_empty_and_whole_points_are_ints() -> None:
    assert points_text(None) == ""
    assert rounded_points(3.0) == 3 and isinstance(rounded_points(3.0), int)
    assert rounded_points(1.6666) == 1.67
