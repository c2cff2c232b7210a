"""Multiple choice: tick every right choice; each right tick earns a share, each wrong one takes one back."""

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
from quizapp.domain.question_types._moodle import MoodleTexts, NotMappable, Warnings
from quizapp.domain.question_types.base import Clue, Form, Mark, NoAnswer, Raw, chosen
from quizapp.domain.questions import Answer, Problem, Question, QuestionType


class MultipleChoice(ChoiceKind):
    name = QuestionType.MULTIPLE_CHOICE
    label = "Multiple choice"
    answer_missing = "Mark every correct choice."
    single = False

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        problems = check_choices(qid, raw, least)
        answer = raw["answer"]
        if not isinstance(answer, list) or not answer:
            return problems + [Problem(qid, "answer must be a list of the correct choices", "answer: [A, C]")]
        if problems:
            return problems
        stray = [a for a in answer if a not in raw["choices"]]
        if stray:
            return [
                Problem(
                    qid, f"answer {stray[0]!r} is not among the choices", "copy each correct choice exactly"
                )
            ]
        if len(set(answer)) != len(answer):
            return [Problem(qid, "the answer lists a choice twice", "list each correct choice once")]
        return []

    def check_weights(self, qid: str, raw: Raw, weights: Sequence[float], aligned: int) -> list[Problem]:
        problems = weights_problem(qid, aligned, weights)
        if problems:
            return problems
        positive = {c for c, w in zip(raw["choices"], weights, strict=True) if w > 0}
        if positive != set(raw["answer"]) or abs(sum(w for w in weights if w > 0) - 1) > 0.01:
            return [
                Problem(
                    qid,
                    "the positive weights must be the correct choices and add up to 1",
                    "give the correct choices weights that add up to 1 (100 %)",
                )
            ]
        return []

    def build_answer(self, raw: Raw) -> Answer:
        return tuple(str(a) for a in raw["answer"])

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        values = form.get("answer") or []
        if not values:
            raise NoAnswer()
        indexes = sorted({chosen(tokens.item_index(v)) for v in values})
        return tuple(question.choices[i] for i in indexes)

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"selected": set(answer)}  # type: ignore[arg-type]

    def in_words(self, question: Question, answer: Answer) -> str:
        return "; ".join(answer)  # type: ignore[arg-type]

    def score(self, question: Question, given: Answer) -> float:
        """Each correct choice ticked earns 1/k, each wrong one ticked costs 1/k (k correct choices); floor 0.

        With author weights (as Moodle's), the weights of the ticked choices are added up, between 0 and 1.
        """
        ticked = set(given)  # type: ignore[arg-type]
        if question.weights:
            total = sum(w for c, w in zip(question.choices, question.weights, strict=True) if c in ticked)
            return min(1.0, max(0.0, total))
        correct = set(question.answer)  # type: ignore[arg-type]
        right, wrong = len(ticked & correct), len(ticked - correct)
        return max(0.0, (right - wrong) / len(correct))

    def feedback_texts(self, question: Question, given: Answer) -> tuple[str, ...]:
        ticked = set(given)  # type: ignore[arg-type]
        return tuple(t for c, t in zip(question.choices, question.feedback, strict=True) if c in ticked)

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        def mark(i: int) -> Mark:
            choice = question.choices[i]
            right = question.weights[i] > 0 if question.weights else choice in question.answer  # type: ignore[operator]
            return choice_mark(choice, choice in given, right)  # type: ignore[operator]

        return tuple(mark(i) for i in item_order)

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        if question.weights:
            return None
        ticked, key = set(given), set(question.answer)  # type: ignore[arg-type]
        right, wrong = len(ticked & key), len(ticked - key)
        return (
            f"{right} of {len(key)} right choices ticked, {wrong} wrong: {worth} "
            "(each wrong tick takes back a right one; never below 0)."
        )

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """The correct choices together (one of them alone does not tell which others are right)."""
        return (tuple(question.answer),)  # type: ignore[arg-type]

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The answers with a positive grade are right; Moodle's ±1/k grades are quizapp's default scoring,
        so only other grades are kept as weights."""
        choices, fractions, feedback = moodle_choices(moodle, texts)
        correct = [choice for choice, fraction in zip(choices, fractions, strict=True) if fraction > 0]
        total = sum(fraction for fraction in fractions if fraction > 0)
        if not correct or abs(total - 1) > 0.01:
            raise NotMappable(
                f"The positive grades of this multiple-answer question add up to {total * 100:g} %, not "
                "100 %: quizapp needs the right answers to be worth the whole point together.",
                "Make the grades of the right answers add up to 100 % (e.g. ~%50%a ~%50%b ~%-100%c).",
            )
        share = 1 / len(correct)
        default = [share if fraction > 0 else -share for fraction in fractions]
        same = all(abs(f - d) < 1e-6 for f, d in zip(fractions, default, strict=True))
        return {
            "choices": choices,
            "answer": correct,
            "weights": [] if same else fractions,
            "feedback": feedback,
        }


KIND = MultipleChoice()
