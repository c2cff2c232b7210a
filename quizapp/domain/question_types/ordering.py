"""Put in order: the learner gives each item its place; each item followed by its right successor earns
a share."""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.question_types._moodle import MoodleTexts, Warnings
from quizapp.domain.question_types.base import Clue, Form, InvalidAnswer, Mark, NoAnswer, QuestionKind, Raw
from quizapp.domain.question_types.editing import Draft, Values, rows_of, text_of
from quizapp.domain.questions import Answer, Problem, Question, QuestionType


def _hits(key: Sequence[str], given: Sequence[str]) -> int:
    successor = dict(zip(key, key[1:], strict=False))
    return sum(1 for a, b in zip(given, given[1:], strict=False) if successor.get(a) == b)


class Ordering(QuestionKind):
    name = QuestionType.ORDERING
    label = "Put in order"
    avoid_solved_start = True
    editor_lists = MappingProxyType({"items": ()})
    answer_field = "items"
    answer_missing = "Write at least 2 items, first to last."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        answer = raw["answer"]
        if not isinstance(answer, list) or not all(isinstance(a, str) and a.strip() for a in answer):
            return [
                Problem(qid, "answer must be the list of items in the right order", "answer: [first, second]")
            ]
        if len(answer) < least:
            return [Problem(qid, f"only {len(answer)} items to order", f"give at least {least} items")]
        if len(set(answer)) != len(answer):
            return [Problem(qid, "an item appears twice", "make every item different")]
        return []

    def from_form(self, draft: Draft, values: Values) -> None:
        draft.question["answer"] = [text_of(row) for _, row in rows_of(values, "items")]

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["items"] = list(content.get("answer") or [])

    def build_answer(self, raw: Raw) -> Answer:
        return tuple(str(a) for a in raw["answer"])

    def items(self, question: Question) -> tuple[str, ...]:
        return tuple(question.answer)  # type: ignore[arg-type]

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        items = question.items
        raw = [(form.get(f"position-{t}") or [""])[0] for t in tokens.items]
        if not any(raw):
            raise NoAnswer()
        if not all(v.isascii() and v.isdigit() and 1 <= int(v) <= len(items) for v in raw):
            raise InvalidAnswer(f"Give every item a position from 1 to {len(items)}.")
        if len(set(raw)) != len(raw):
            raise InvalidAnswer("Two items have the same position: give each item a different one.")
        return tuple(item for _, item in sorted(zip((int(v) for v in raw), items, strict=True)))

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"positions": {item: n for n, item in enumerate(answer, start=1)}}  # type: ignore[arg-type]

    def in_words(self, question: Question, answer: Answer) -> str:
        return " → ".join(answer)  # type: ignore[arg-type]

    def score(self, question: Question, given: Answer) -> float:
        """Moodle's 'relative to the next item': each item followed by its right successor earns 1/(n-1)."""
        key: Sequence[str] = question.answer  # type: ignore[assignment]
        return _hits(key, given) / (len(key) - 1)  # type: ignore[arg-type]

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        def mark(i: int) -> Mark:
            item = question.items[i]
            place, key = list(given).index(item) + 1, list(question.answer).index(item) + 1  # type: ignore[arg-type]
            if place == key:
                return Mark(item, "right", f"your place {place}, right")
            return Mark(item, "wrong", f"your place {place}, wrong: its place is {key}")

        return tuple(mark(i) for i in item_order)

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        key = list(question.answer)  # type: ignore[arg-type]
        hits = _hits(key, given)  # type: ignore[arg-type]
        return f"{hits} of {len(key) - 1} items are followed by their right next one: {worth} (a share each)."

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """All its items together."""
        return (tuple(question.answer),)  # type: ignore[arg-type]

    moodle_types = ("ordering",)
    moodle_rich_answers = True

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The items in the order of their numbers (Moodle's 'fraction' attribute)."""
        items = sorted((a for a in moodle.answers if a.text.strip()), key=lambda answer: answer.fraction)
        warnings.append(
            (
                "quizapp grades ordering 'relative to the next item', whatever grading the file sets.",
                "Nothing to do, unless you rely on another grading.",
            )
        )
        return {"answer": [texts(item.text) for item in items]}

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """Moodle numbers the items in their right order (in its 'fraction' attribute: 1, 2, 3...)."""
        answer = question.answer
        moodle.answers = [MoodleAnswer(item, (index + 1) / 100) for index, item in enumerate(answer)]  # type: ignore[arg-type]


KIND = Ordering()
