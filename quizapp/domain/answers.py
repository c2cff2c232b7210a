"""A learner's answer: read from submitted form fields, stored as JSON, and shown back in words.

Each question type reads its own form fields (quizapp/domain/question_types/<type>.py and its
templates/question_types/<type>/answer.html); fields are named and valued by the slot's opaque tokens
(domain/answer_tokens.py), never by authored indexes, so the page says nothing about the key.
"""

from __future__ import annotations

from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.question_types import kind_of
from quizapp.domain.question_types.base import (
    MAX_TEXT,
    Form,
    InvalidAnswer,
    NoAnswer,
    parse_number,
)
from quizapp.domain.questions import Answer, Question

__all__ = [
    "MAX_TEXT",
    "Form",
    "InvalidAnswer",
    "NoAnswer",
    "answer_from_json",
    "answer_in_words",
    "answer_to_json",
    "correct_answer_in_words",
    "form_values",
    "parse_answer",
    "parse_number",
]


def parse_answer(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    """The answer the form fields give, read through the slot's `tokens`; NoAnswer when left empty,
    InvalidAnswer when impossible (an unknown token included)."""
    return kind_of(question).parse(question, form, tokens)


def answer_to_json(answer: Answer) -> Any:
    """A JSON-storable form of an answer."""
    if isinstance(answer, tuple):
        return [list(a) if isinstance(a, tuple) else a for a in answer]
    return answer


def answer_from_json(question: Question, stored: Any) -> Answer:
    """The answer back from its stored JSON form, shaped for `question`'s type."""
    return kind_of(question).answer_from_json(stored)


def form_values(question: Question, answer: Answer | None) -> dict[str, Any]:
    """What a form shows as already chosen for `answer` (to pre-fill a revisited question)."""
    if answer is None:
        return {}
    return kind_of(question).form_values(question, answer)


def answer_in_words(question: Question, answer: Answer | None) -> str:
    """An answer as a sentence fragment a learner reads on the results page."""
    if answer is None:
        return "No answer"
    return kind_of(question).in_words(question, answer)


def correct_answer_in_words(question: Question) -> str:
    """The key, in words; for fill-in answers the first accepted spelling."""
    return kind_of(question).key_in_words(question)
