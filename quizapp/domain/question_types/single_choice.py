"""Single choice: pick one of the choices; the author's weights may give other choices part credit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.question_types._choices import (
    ChoiceKind,
    check_choices,
    choice_mark,
    moodle_choices,
    weights_problem,
)
from quizapp.domain.question_types._moodle import FULL, MoodleTexts, NotMappable, Warnings
from quizapp.domain.question_types.base import Clue, Form, InvalidAnswer, Mark, NoAnswer, Raw, chosen
from quizapp.domain.questions import Answer, Problem, Question, QuestionType


class SingleChoice(ChoiceKind):
    name = QuestionType.SINGLE_CHOICE
    label = "Single choice"
    answer_missing = "Mark the correct choice."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        problems = check_choices(qid, raw, least)
        if not problems and raw["answer"] not in raw["choices"]:
            return [
                Problem(qid, f"answer {raw['answer']!r} is not among the choices", "copy one choice exactly")
            ]
        return problems

    def check_weights(self, qid: str, raw: Raw, weights: Sequence[float], aligned: int) -> list[Problem]:
        problems = weights_problem(qid, aligned, weights)
        if problems:
            return problems
        index = raw["choices"].index(raw["answer"])
        if abs(weights[index] - 1) > 1e-6 or max(weights) > 1:
            return [Problem(qid, "the answer must have weight 1 (full credit)", "set its weight to 1")]
        return []

    def build_answer(self, raw: Raw) -> Answer:
        return raw["answer"]

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        values = form.get("answer") or []
        if not values:
            raise NoAnswer()
        if len(values) > 1:
            raise InvalidAnswer("Choose one answer only.")
        return question.choices[chosen(tokens.item_index(values[0]))]

    def score(self, question: Question, given: Answer) -> float:
        """The weight of the choice picked (Moodle's grades: the key 1, others 0 unless the author said)."""
        if not question.weights:
            return 1.0 if given == question.answer else 0.0
        return max(0.0, question.weights[question.choices.index(given)])  # type: ignore[arg-type]

    def feedback_texts(self, question: Question, given: Answer) -> tuple[str, ...]:
        if given not in question.choices:
            return ()
        return (question.feedback[question.choices.index(given)],)  # type: ignore[arg-type]

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        def mark(i: int) -> Mark:
            choice = question.choices[i]
            weight = question.weights[i] if question.weights else None
            return choice_mark(choice, choice == given, choice == question.answer, weight)

        return tuple(mark(i) for i in item_order)

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        return ((str(question.answer),),)

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The key is the first answer at 100 %; the grades are kept as weights when any other is not 0."""
        choices, fractions, feedback = moodle_choices(moodle, texts)
        key = next((i for i, fraction in enumerate(fractions) if fraction >= FULL), None)
        if key is None:
            raise NotMappable(
                "This single-answer question has no answer worth 100 %, so quizapp has no right answer to "
                "mark.",
                "Give one answer 100 % (write it with '=' in GIFT).",
            )
        others = [fraction for i, fraction in enumerate(fractions) if i != key]
        weights = fractions if any(others) else []
        return {"choices": choices, "answer": choices[key], "weights": weights, "feedback": feedback}

    def not_exportable(self, question: Question, file_format: str) -> str:
        return ""  # every format holds single choice (Aiken's writer says which texts it cannot)


KIND = SingleChoice()
