"""A teacher's mark on an answer no machine can score (an essay): points out of the question's 1, a comment.

Every question is worth 1 point (domain/scoring.py), so a mark is a number from 0 to 1, typed as a teacher
would: `0.5`, `0,75`, `1`; or a percentage of the point, `50 %`.
"""

from __future__ import annotations

import math
import re

from quizapp.domain import DomainError

MAX_COMMENT = 5_000  # characters: a paragraph or two of feedback
_NUMBER = re.compile(r"^\d+([.,]\d+)?$|^[.,]\d+$")


class InvalidMark(DomainError):
    """The points typed are not a mark of 0 to 1; the message says what to type."""


def parse_points(text: str) -> float:
    """The points typed for an answer (0 to 1, two decimals at most kept; '50 %' is 0.5); InvalidMark else."""
    cleaned = re.sub(r"[\s\u202f\u00a0]", "", text or "")
    percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%")
    if not cleaned:
        raise InvalidMark("Type the points for this answer: a number from 0 to 1, like 0.5.")
    if not _NUMBER.match(cleaned):
        raise InvalidMark(f"“{text.strip()}” is not a number. Type points from 0 to 1, like 0.5 or 1.")
    value = float(cleaned.replace(",", "."))
    if percent:
        value /= 100
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise InvalidMark(f"Points go from 0 to 1 (1 is full marks); {text.strip()} is outside that.")
    return round(value, 2)


def clean_comment(text: str | None) -> str | None:
    """A comment as kept: line breaks as \\n, no outer spaces, None when blank; InvalidMark when too long."""
    comment = (text or "").replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidMark(f"Keep the comment under {MAX_COMMENT:,} characters (it has {len(comment):,}).")
    return comment or None
