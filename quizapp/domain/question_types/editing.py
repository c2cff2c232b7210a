"""Helpers the types share to read the question editor's values (quizapp/domain/authoring.py).

The form values are plain data (what WTForms' `form.data` gives): strings, lists of strings, and lists of row
dicts. Rows left empty are ignored, so the editor can always show a few spare ones. Weights are typed as
percentages (50 for half the credit) and stored as Moodle's fractions (0.5).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.question_types.base import InvalidAnswer, parse_number

Values = Mapping[str, Any]
Errors = dict[str, list[str]]
FRACTION_DIGITS = 7  # Moodle keeps grade fractions to 7 decimals (0.3333333)


@dataclass
class Draft:
    """A question dict made from the editor's values (no id yet), and its rows' errors by form field."""

    question: dict[str, Any]
    errors: Errors = field(default_factory=dict)

    def fail(self, name: str, message: str) -> None:
        """Record an error beside form field `name`."""
        self.errors.setdefault(name, []).append(message)


def text_of(value: Any) -> str:
    """A typed value as stripped text ('' for nothing)."""
    return str(value or "").strip()


def _filled(row: Any) -> bool:
    """Whether a row (a text, or a dict of texts) has anything typed in it."""
    if isinstance(row, Mapping):
        return any(text_of(v) for v in row.values())
    return bool(text_of(row))


def rows_of(values: Values, name: str) -> list[tuple[int, Any]]:
    """The rows of list field `name` that have something typed in, each with its index in the form."""
    return [(i, row) for i, row in enumerate(values.get(name) or []) if _filled(row)]


def parse_percent(text: str, low: float = -100, high: float = 100) -> float:
    """A typed percentage ('50', '50 %', '33,3') as a fraction rounded like Moodle's; else ValueError."""
    cleaned = text.replace("%", "").replace(",", ".").strip()
    value = float(cleaned)
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(text)
    return round(value / 100, FRACTION_DIGITS)


def parse_percent_or_zero(text: Any) -> float:
    """A typed percentage as a fraction, 0 when blank or not a number (its error is reported elsewhere)."""
    try:
        return max(0.0, parse_percent(text_of(text))) if text_of(text) else 0.0
    except ValueError:
        return 0.0


def percent_text(fraction: float) -> str:
    """A stored fraction as the percentage the editor shows (0.5 -> '50', 0.3333333 -> '33.33333')."""
    return number_text(round(fraction * 100, FRACTION_DIGITS - 2))


def number_text(value: float) -> str:
    """A number as a teacher would type it (200, not 200.0)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def number_field(draft: Draft, name: str, text: str, default: float | None = None) -> float | None:
    """The number typed in field `name` (blank: `default`); an error beside the field when it is not one."""
    if not text:
        return default
    try:
        return parse_number(text)
    except InvalidAnswer:
        draft.fail(name, f"“{text}” is not a number: type digits, like 200 or 3.5.")
        return None


def percent_field(draft: Draft, name: str, text: str, low: float = -100) -> float | None:
    """The percentage typed in field `name` as a fraction; an error beside the field when it is not one."""
    try:
        return parse_percent(text, low)
    except ValueError:
        draft.fail(name, f"Write a percentage between {low:g} and 100 (50 for half the credit), or nothing.")
        return None


def aligned_extras(
    draft: Draft, name: str, rows: list[tuple[int, Any]], default_weight: Callable[[int, Any], float]
) -> None:
    """Per-row feedback, and weights when any is typed (blank weights take `default_weight(index, row)`)."""
    feedback = [text_of(row.get("feedback")) for _, row in rows]
    if any(feedback):
        draft.question["feedback"] = feedback
    if not any(text_of(row.get("weight")) for _, row in rows):
        return
    weights = [
        percent_field(draft, f"{name}-{i}-weight", text_of(row["weight"]))
        if text_of(row.get("weight"))
        else default_weight(i, row)
        for i, row in rows
    ]
    if None not in weights:
        draft.question["weights"] = weights


def row_texts(draft: Draft, name: str, rows: list[tuple[int, Any]], what: str) -> list[str]:
    """The texts of filled rows; a row with only a weight or feedback gets an error beside its text."""
    for i, row in rows:
        if not text_of(row.get("text")):
            draft.fail(f"{name}-{i}-text", f"Write the {what}, or clear this row.")
    return [text_of(row.get("text")) for _, row in rows]


def aligned_rows(texts: Sequence[str], weights: Sequence[str], feedback: Sequence[str]) -> list[Any]:
    """One row per text, with its weight and feedback ('' where there is none)."""
    return [
        {
            "text": str(t),
            "weight": weights[i] if i < len(weights) else "",
            "feedback": feedback[i] if i < len(feedback) else "",
        }
        for i, t in enumerate(texts)
    ]


def stored_weights(content: Mapping[str, Any]) -> list[str]:
    """A stored question's weights as the editor's percentages."""
    return [percent_text(w) for w in content.get("weights") or []]
