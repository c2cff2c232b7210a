"""Feedback on one answer: the author's texts (Moodle shows the feedback of each answer a learner gave), each
choice, item or pair marked right or wrong, and one sentence explaining partial credit. Each question type
says its own (quizapp/domain/question_types/<type>.py)."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.domain.points import points_text
from quizapp.domain.question_types import kind_of
from quizapp.domain.question_types.base import Mark
from quizapp.domain.questions import Answer, Question
from quizapp.domain.scoring import is_correct

__all__ = ["Mark", "answer_feedback", "answer_marks", "credit_note"]


def answer_feedback(question: Question, given: Answer | None) -> tuple[str, ...]:
    """The feedback texts written for `given`: the choice picked (each one ticked), True or False, or the
    accepted answer typed. () when the author wrote none for it."""
    if not question.feedback or given is None:
        return ()
    return tuple(text for text in kind_of(question).feedback_texts(question, given) if text)


def answer_marks(question: Question, given: Answer | None, item_order: Sequence[int]) -> tuple[Mark, ...]:
    """Each choice, item or pair of `given` marked, in the slot's `item_order`; () for typed or no answers."""
    if given is None:
        return ()
    return kind_of(question).marks(question, given, item_order)


def credit_note(question: Question, given: Answer | None, points: float | None) -> str | None:
    """One sentence saying how `points` came from `given` when it earned less than the whole point; None when
    there is nothing to explain (right, not answered, or a wrong answer of a type without partial credit)."""
    if given is None or points is None or is_correct(points):
        return None
    worth = f"{points_text(points)} of 1 point"
    note = kind_of(question).credit_note(question, given, worth)
    if note is not None:
        return note
    return f"This answer is worth {worth}." if points > 0 else None
