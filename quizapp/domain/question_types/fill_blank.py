"""Fill in the blank: the prompt has one blank (___); any accepted spelling earns its weight."""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.question_types._choices import weights_problem
from quizapp.domain.question_types._moodle import (
    FULL,
    MoodleTexts,
    NotMappable,
    Warnings,
    feedback_at,
    kept_answers,
    with_feedback,
)
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

_UNDERSCORES = re.compile(r"_{3,}")  # Moodle's blank in a missing-word question


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

    moodle_types = ("shortanswer",)

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The accepted answers, a 100 % one first; the blank '___' in the prompt."""
        answers = kept_answers(moodle, texts)
        full = [answer for answer in answers if answer[1] >= FULL]
        if not full:
            raise NotMappable(
                "No answer of this short-answer question is worth 100 %, so quizapp has no right answer to "
                "show.",
                "Give one answer 100 % (write it as =answer in GIFT).",
            )
        answers.remove(full[0])
        answers.insert(0, full[0])
        if any("*" in text for text, _, _ in answers):
            warnings.append(
                (
                    "In Moodle '*' in a short answer matches any text; quizapp compares answers "
                    "letter for letter, so '*' only matches a typed '*'.",
                    "List the accepted answers in full.",
                )
            )
        return {
            "prompt": _with_blank(texts(moodle.text)),
            "answer": [text for text, _, _ in answers],
            "weights": [fraction for _, fraction, _ in answers] if any(a[1] < FULL for a in answers) else [],
            "feedback": with_feedback([fb for _, _, fb in answers]),
        }

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """A blank at the end is Moodle's plain short answer; one inside the text is its '_____'."""
        prompt = question.prompt.rstrip()
        text = prompt[: -len(BLANK)].rstrip() if prompt.endswith(BLANK) else prompt.replace(BLANK, "_____")
        moodle.text = text or "_____"
        for index, accepted in enumerate(question.answer):  # type: ignore[union-attr]
            weight = question.weights[index] if question.weights else 1.0
            moodle.answers.append(MoodleAnswer(str(accepted), weight, feedback_at(question, index)))
        moodle.settings["usecase"] = "1" if question.case_sensitive else "0"


def _with_blank(prompt: str) -> str:
    """The prompt with its one blank '___': Moodle's '_____' (any run of 3+ underscores), else at the end."""
    runs = _UNDERSCORES.findall(prompt)
    if len(runs) > 1:
        raise NotMappable(
            f"The text has {len(runs)} blanks (runs of underscores); a quizapp fill-in question has one.",
            "Keep one blank '___' in the text, or make it a cloze question elsewhere.",
        )
    if runs:
        return _UNDERSCORES.sub(BLANK, prompt)
    return f"{prompt} {BLANK}"


KIND = FillBlank()
