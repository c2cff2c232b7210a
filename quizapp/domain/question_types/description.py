"""Description: a text shown between questions; it asks nothing and scores nothing."""

from __future__ import annotations

from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.question_types._moodle import MoodleTexts, Warnings
from quizapp.domain.question_types.base import Form, NoAnswer, QuestionKind, Raw
from quizapp.domain.question_types.editing import Draft, Values
from quizapp.domain.questions import Answer, Problem, Question, QuestionType


class Description(QuestionKind):
    name = QuestionType.DESCRIPTION
    label = "Description (no answer)"
    scored = False

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        return []

    def from_form(self, draft: Draft, values: Values) -> None:
        return None  # nothing beyond the common fields

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        return None

    def build_answer(self, raw: Raw) -> Answer:
        return None

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        raise NoAnswer()

    def key_in_words(self, question: Question) -> str:
        return "No answer needed"

    def score(self, question: Question, given: Answer) -> float:
        return 0.0

    moodle_types = ("description",)
    moodle_penalty = 0.0

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        return {}  # nothing but its text (and its general feedback as the explanation)

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        return None  # nothing but its text (and its explanation as general feedback)


KIND = Description()
