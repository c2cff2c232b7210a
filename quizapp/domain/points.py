"""How points and scores are written for people, the same on every page and in every CSV file: rounded to two
decimals, without trailing zeros (0.33, 1.67, 2)."""

from __future__ import annotations


def rounded_points(value: float) -> float | int:
    """`value` rounded to two decimals; a whole number as an int (so a CSV cell reads 2, not 2.0)."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def points_text(value: float | None) -> str:
    """Points or a score as shown: `0.33`, `1.67`, `2`; '' for none."""
    return "" if value is None else f"{rounded_points(value):g}"
