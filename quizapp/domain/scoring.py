"""Scoring: each question type scores its own responses (quizapp/domain/question_types/<type>.py), with the
partial-credit rules of docs/question-format.md.

Every question is worth 1 point; a response earns a fraction in [0, 1].
"""

from __future__ import annotations

from quizapp.domain.question_types import kind_of
from quizapp.domain.question_types.base import normalise_text_answer
from quizapp.domain.questions import Answer, Question

__all__ = ["is_correct", "normalise_text_answer", "score_response"]


def score_response(question: Question, given: Answer) -> float:
    """Points (0..1) earned by `given`, which must have the shape of the question's type."""
    return round(kind_of(question).score(question, given), 4)


def is_correct(points: float) -> bool:
    """A response is correct when it earned the whole point."""
    return points >= 0.9999
