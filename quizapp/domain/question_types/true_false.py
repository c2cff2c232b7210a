"""True or false: a statement the learner judges."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.question_types._choices import choice_mark
from quizapp.domain.question_types._moodle import FULL, MoodleTexts, Warnings, feedback_at, with_feedback
from quizapp.domain.question_types.base import Form, InvalidAnswer, Mark, NoAnswer, QuestionKind, Raw
from quizapp.domain.question_types.editing import Draft, Values, text_of
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

_VALUES = (("True", True), ("False", False))


class TrueFalse(QuestionKind):
    name = QuestionType.TRUE_FALSE
    label = "True or false"
    answer_field = "truth"
    list_field = "feedback_true"
    answer_missing = "Choose whether the statement is true or false."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        if isinstance(raw["answer"], bool):
            return []
        return [
            Problem(
                qid, f"answer {raw['answer']!r} is not true or false", "write answer: true or answer: false"
            )
        ]

    def aligned_count(self, raw: Raw) -> int:
        return 2  # feedback for True, then for False

    def from_form(self, draft: Draft, values: Values) -> None:
        truth = values.get("truth")
        if truth not in ("true", "false"):
            draft.fail("truth", self.answer_missing)
        draft.question["answer"] = truth == "true"
        feedback = [text_of(values.get("feedback_true")), text_of(values.get("feedback_false"))]
        if any(feedback):
            draft.question["feedback"] = feedback

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["truth"] = "true" if content.get("answer") else "false"
        feedback = [*(content.get("feedback") or []), "", ""]
        values["feedback_true"], values["feedback_false"] = feedback[:2]

    def build_answer(self, raw: Raw) -> Answer:
        return raw["answer"]

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        values = form.get("answer") or []
        if not values:
            raise NoAnswer()
        if len(values) > 1 or values[0] not in ("true", "false"):
            raise InvalidAnswer("Choose True or False.")
        return values[0] == "true"

    def in_words(self, question: Question, answer: Answer) -> str:
        return "True" if answer else "False"

    def score(self, question: Question, given: Answer) -> float:
        return 1.0 if given == question.answer else 0.0

    def feedback_texts(self, question: Question, given: Answer) -> tuple[str, ...]:
        return (question.feedback[0 if given else 1],)

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        return tuple(choice_mark(label, value == given, value == question.answer) for label, value in _VALUES)

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...]:
        return _VALUES

    moodle_types = ("truefalse",)
    moodle_penalty = 1.0

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The feedback shown after answering True, then after answering False."""
        correct = any(a.text == "true" and a.fraction >= FULL for a in moodle.answers)
        feedback = [texts(text) for text in moodle.truefalse_feedback]
        return {"answer": correct, "feedback": with_feedback(feedback)}

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        moodle.truefalse_feedback = (feedback_at(question, 0), feedback_at(question, 1))
        moodle.answers = [
            MoodleAnswer("true", 1.0 if question.answer else 0.0, moodle.truefalse_feedback[0]),
            MoodleAnswer("false", 0.0 if question.answer else 1.0, moodle.truefalse_feedback[1]),
        ]


KIND = TrueFalse()
