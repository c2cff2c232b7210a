"""Fill in the blank: the prompt has one blank (___); any accepted spelling earns its weight."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.question_types._choices import weights_problem
from quizapp.domain.question_types.base import (
    Clue,
    Form,
    QuestionKind,
    Raw,
    normalise_text_answer,
    typed_text,
)
from quizapp.domain.question_types.editing import (
    Draft,
    Values,
    aligned_extras,
    aligned_rows,
    row_texts,
    rows_of,
    stored_weights,
)
from quizapp.domain.questions import BLANK, Answer, Problem, Question, QuestionType


class FillBlank(QuestionKind):
    name = QuestionType.FILL_BLANK
    label = "Fill in the blank"
    typed = True
    editor_lists = MappingProxyType({"answers": ("text", "weight", "feedback")})
    answer_field = "answers"
    list_field = "answers"
    answer_missing = "Write at least one accepted answer."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        problems = []
        if str(raw.get("prompt", "")).count(BLANK) != 1:
            problems.append(
                Problem(qid, f"the prompt must contain the blank {BLANK} exactly once", f"write {BLANK}")
            )
        answer = raw["answer"]
        if not isinstance(answer, list) or not all(
            isinstance(a, str | int | float) and str(a).strip() for a in answer
        ):
            problems.append(
                Problem(qid, "answer must be a list of accepted texts", "answer: [Yutu-2, Yutu 2]")
            )
        return problems

    def aligned_count(self, raw: Raw) -> int:
        return len(raw.get("answer") or [])

    def check_weights(self, qid: str, raw: Raw, weights: Sequence[float], aligned: int) -> list[Problem]:
        problems = weights_problem(qid, aligned, weights)
        if problems:
            return problems
        if abs(weights[0] - 1) > 1e-6 or max(weights) > 1:
            return [
                Problem(
                    qid, "the first accepted answer must have weight 1 (full credit)", "set its weight to 1"
                )
            ]
        return []

    def from_form(self, draft: Draft, values: Values) -> None:
        rows = rows_of(values, "answers")
        draft.question["answer"] = row_texts(draft, "answers", rows, "accepted answer")
        aligned_extras(draft, "answers", rows, lambda index, row: 1.0)

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        feedback = list(content.get("feedback") or [])
        values["answers"] = aligned_rows(content.get("answer") or [], stored_weights(content), feedback)

    def build_answer(self, raw: Raw) -> Answer:
        return tuple(str(a) for a in raw["answer"])

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        return typed_text(form)

    def key_answer(self, question: Question) -> Answer:
        return question.answer[0]  # type: ignore[index]

    def key_in_words(self, question: Question) -> str:
        return question.answer[0]  # type: ignore[index]

    def _same(self, question: Question, accepted: str, typed: str) -> bool:
        if question.case_sensitive:
            return accepted.strip() == typed.strip()
        return normalise_text_answer(accepted) == normalise_text_answer(typed)

    def score(self, question: Question, given: Answer) -> float:
        """The best weight among the accepted answers equal to the text (each weighs 1 unless the author
        said); case counts when the question is case-sensitive (Moodle's usecase)."""
        weights = question.weights or (1.0,) * len(question.answer)  # type: ignore[arg-type]
        pairs = zip(question.answer, weights, strict=True)  # type: ignore[arg-type]
        return max([0.0, *(w for a, w in pairs if self._same(question, a, str(given)))])

    def feedback_texts(self, question: Question, given: Answer) -> tuple[str, ...]:
        pairs = zip(question.answer, question.feedback, strict=True)  # type: ignore[arg-type]
        return tuple(text for accepted, text in pairs if self._same(question, accepted, str(given)))[:1]

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """Each accepted answer given credit."""
        weights = question.weights or (1.0,) * len(question.answer)  # type: ignore[arg-type]
        return tuple((a,) for a, w in zip(question.answer, weights, strict=True) if w > 0)  # type: ignore[arg-type]


KIND = FillBlank()
