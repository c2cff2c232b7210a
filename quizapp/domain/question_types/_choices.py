"""What single- and multiple-choice questions share: a list of choices, weights and feedback per choice,
a bar per choice in reports."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, ClassVar

from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.points import points_text
from quizapp.domain.question_types._moodle import MoodleTexts, feedback_at, kept_answers, with_feedback
from quizapp.domain.question_types.base import Mark, QuestionKind, Raw
from quizapp.domain.question_types.editing import (
    FRACTION_DIGITS,
    Draft,
    Values,
    aligned_extras,
    aligned_rows,
    parse_percent_or_zero,
    row_texts,
    rows_of,
    stored_weights,
    text_of,
)
from quizapp.domain.questions import Answer, Problem, Question

CHOICE_NOTES = {  # (picked, a right choice): the mark
    (True, True): ("right", "your choice, right"),
    (True, False): ("wrong", "your choice, wrong"),
    (False, True): ("missed", "missed: a right answer you did not choose"),
    (False, False): ("none", "not chosen"),
}


def choice_mark(text: str, picked: bool, right: bool, weight: float | None = None) -> Mark:
    """A choice marked: picked or not, right or not (a partly right pick says its worth)."""
    if picked and weight is not None and 0 < weight < 1:
        return Mark(text, "partial", f"your choice, worth {points_text(weight)} of 1 point")
    return Mark(text, *CHOICE_NOTES[picked, right])


def check_choices(qid: str, raw: Raw, least: int) -> list[Problem]:
    """Problems with a `choices` list: texts, enough of them, all different."""
    choices = raw.get("choices")
    if not isinstance(choices, list) or not all(isinstance(c, str) and c.strip() for c in choices):
        return [Problem(qid, "choices must be a list of non-empty texts", "write choices: [A, B, C]")]
    problems = []
    if len(choices) < least:
        problems.append(Problem(qid, f"only {len(choices)} choices", f"give at least {least} choices"))
    dupes = sorted({c for c in choices if choices.count(c) > 1})
    if dupes:
        problems.append(Problem(qid, f"duplicate choice {dupes[0]!r}", "make every choice different"))
    return problems


def weights_problem(qid: str, aligned: int, weights: Any) -> list[Problem]:
    """Weights follow Moodle's rules: one per answer, between -1 and 1."""
    if len(weights) != aligned or not all(-1 <= w <= 1 for w in weights):
        return [
            Problem(
                qid,
                f"weights must be {aligned} numbers between -1 and 1, one per answer",
                "e.g. weights: [1, 0.5, 0, -0.5]",
            )
        ]
    return []


class ChoiceKind(QuestionKind):
    """A question answered by picking among its `choices`."""

    choice_like: ClassVar[bool] = True
    uses_choices: ClassVar[bool] = True

    def aligned_count(self, raw: Raw) -> int:
        return len(raw.get("choices") or [])

    def items(self, question: Question) -> tuple[str, ...]:
        return question.choices

    editor_lists = MappingProxyType({"choices": ("text", "weight", "feedback")})
    answer_field = "correct"
    single: ClassVar[bool] = True

    def from_form(self, draft: Draft, values: Values) -> None:
        rows = rows_of(values, "choices")
        draft.question["choices"] = row_texts(draft, "choices", rows, "choice")
        marked = {int(i) for i in values.get("correct") or [] if str(i).isdigit()}
        for i in marked - {i for i, _ in rows}:
            draft.fail(f"choices-{i}-text", "This row is marked correct but has no text.")
        correct = [text_of(row.get("text")) for i, row in rows if i in marked]
        single = self.single
        if not correct:
            draft.fail("correct", self.answer_missing)
        elif single and len(correct) > 1:
            draft.fail("correct", "Mark one correct choice only.")
        draft.question["answer"] = (correct[0] if correct else "") if single else correct
        explicit = sum(parse_percent_or_zero(row.get("weight")) for i, row in rows if i in marked)
        blank = sum(1 for i, row in rows if i in marked and not text_of(row.get("weight")))

        def default_weight(index: int, row: Any) -> float:
            """Blank weights: the correct choices share what the typed ones leave; the others get nothing."""
            if index not in marked:
                return 0.0
            return 1.0 if single else round(max(0.0, 1 - explicit) / blank, FRACTION_DIGITS)

        aligned_extras(draft, "choices", rows, default_weight)

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        choices = content.get("choices") or []
        answer = content.get("answer")
        correct = [answer] if self.single else list(answer or [])
        feedback = list(content.get("feedback") or [])
        values["choices"] = aligned_rows(choices, stored_weights(content), feedback)
        values["correct"] = [str(i) for i, c in enumerate(choices) if c in correct]

    def bar_values(self, question: Question) -> tuple[tuple[str, Any], ...]:
        return tuple((c, c) for c in question.choices)

    def picked_values(self, answer: Answer) -> tuple[Any, ...]:
        return answer if isinstance(answer, tuple) else (answer,)

    def key_values(self, question: Question) -> tuple[Any, ...]:
        return self.picked_values(question.answer)

    moodle_types = ("multichoice",)
    moodle_rich_answers = True

    def reads_moodle(self, moodle: MoodleQuestion) -> bool:
        """Radio buttons (Moodle's `single`) are single choice, checkboxes multiple choice."""
        return moodle.single == self.single

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """Choices with their grades: the authored weights, else 100 % for the key (single) or ±1/k
        (multiple)."""
        moodle.single = self.single
        keys = [question.answer] if self.single else list(question.answer)  # type: ignore[arg-type]
        share = 1 / len(keys)
        for index, choice in enumerate(question.choices):
            default = share if choice in keys else 0.0 if self.single else -share
            weight = question.weights[index] if question.weights else default
            moodle.answers.append(MoodleAnswer(choice, weight, feedback_at(question, index)))


def moodle_choices(moodle: MoodleQuestion, texts: MoodleTexts) -> tuple[list[str], list[float], list[str]]:
    """(choices, their fractions, their feedback) of a Moodle multichoice question."""
    answers = kept_answers(moodle, texts)
    feedback = with_feedback([fb for _, _, fb in answers])
    return [text for text, _, _ in answers], [fraction for _, fraction, _ in answers], feedback
