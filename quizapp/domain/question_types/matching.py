"""Matching: choose the right-hand option for each left item; several items may share one option (frog and
newt -> amphibian, as Moodle allows); extra options are distractors."""

from __future__ import annotations

import html
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleQuestion
from quizapp.domain.question_types._moodle import MoodleTexts, Warnings
from quizapp.domain.question_types.base import (
    Clue,
    Form,
    InvalidAnswer,
    Mark,
    NoAnswer,
    QuestionKind,
    Raw,
    alternatives_problems,
    chosen,
    extra_options_problems,
)
from quizapp.domain.question_types.editing import Draft, Values, rows_of, text_of
from quizapp.domain.questions import Answer, Problem, Question, QuestionType


class Matching(QuestionKind):
    name = QuestionType.MATCHING
    label = "Matching"
    editor_lists = MappingProxyType({"pairs": ("left", "right"), "distractors": ()})
    answer_field = "pairs"
    answer_missing = "Write at least 2 pairs."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        answer = raw["answer"]
        shape_ok = isinstance(answer, list) and all(
            isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)
            for p in answer
        )
        if not shape_ok:
            return [
                Problem(qid, "answer must be a list of [left, right] pairs", "answer: [[Xi Jinping, CPC]]")
            ]
        if len(answer) < least:
            return [Problem(qid, f"only {len(answer)} pairs", f"give at least {least} pairs")]
        lefts = [p[0] for p in answer]
        if len(set(lefts)) != len(lefts):
            return [Problem(qid, "a left-hand item appears twice", "make every left-hand item different")]
        # The bank's questions (least 3) need two different matches; Moodle imports one for all, so sets may.
        if least >= 3 and len({p[1] for p in answer} | set(raw.get("extra_options") or ())) < 2:
            return [Problem(qid, "every item has the same match", "give at least two different matches")]
        return []

    def check_fields(self, qid: str, raw: Raw) -> list[Problem]:
        return extra_options_problems(qid, raw, allowed=True) + alternatives_problems(qid, raw, allowed=False)

    def from_form(self, draft: Draft, values: Values) -> None:
        pairs = []
        for i, row in rows_of(values, "pairs"):
            for side in ("left", "right"):
                if not text_of(row.get(side)):
                    draft.fail(f"pairs-{i}-{side}", f"Write the {side}-hand item, or clear this row.")
            pairs.append([text_of(row.get("left")), text_of(row.get("right"))])
        draft.question["answer"] = pairs
        extra = [text_of(row) for _, row in rows_of(values, "distractors")]
        if extra:
            draft.question["extra_options"] = extra

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["pairs"] = [{"left": left, "right": right} for left, right in content.get("answer") or []]
        values["distractors"] = list(content.get("extra_options") or [])

    def build_answer(self, raw: Raw) -> Answer:
        return tuple((str(a), str(b)) for a, b in raw["answer"])

    def answer_to_raw(self, question: Question) -> Any:
        return [list(pair) for pair in question.answer]  # type: ignore[union-attr]

    def items(self, question: Question) -> tuple[str, ...]:
        return tuple(left for left, _ in question.answer)  # type: ignore[misc]

    def match_options(self, question: Question) -> tuple[str, ...]:
        """The right-hand column in authored order, each option once, then the distractors."""
        rights = dict.fromkeys(right for _, right in question.answer)  # type: ignore[misc]
        return tuple(rights) + question.extra_options

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        lefts, options = question.items, question.match_options
        raw = [(form.get(f"match-{t}") or [""])[0] for t in tokens.items]
        if not any(raw):
            raise NoAnswer()
        if not all(raw):
            raise InvalidAnswer("Choose a match for every item.")
        pairs = zip(lefts, raw, strict=True)
        return tuple((left, options[chosen(tokens.option_index(v))]) for left, v in pairs)

    def answer_from_json(self, stored: Any) -> Answer:
        return tuple((str(a), str(b)) for a, b in stored)

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"matches": dict(answer)}  # type: ignore[arg-type]

    def in_words(self, question: Question, answer: Answer) -> str:
        return "; ".join(f"{a} → {b}" for a, b in answer)  # type: ignore[misc]

    def score(self, question: Question, given: Answer) -> float:
        """Each left item matched to its right partner earns 1/n."""
        key = dict(question.answer)  # type: ignore[arg-type]
        return sum(1 for left, right in given if key.get(left) == right) / len(key)  # type: ignore[misc]

    def marks(self, question: Question, given: Answer, item_order: Sequence[int]) -> tuple[Mark, ...]:
        def mark(i: int) -> Mark:
            left = question.items[i]
            picked, key = dict(given).get(left, ""), dict(question.answer)[left]  # type: ignore[arg-type]
            if picked == key:
                return Mark(left, "right", f"your match “{picked}”, right")
            return Mark(left, "wrong", f"your match “{picked}”, wrong: the match is “{key}”")

        return tuple(mark(i) for i in item_order)

    def credit_note(self, question: Question, given: Answer, worth: str) -> str | None:
        key = dict(question.answer)  # type: ignore[arg-type]
        hits = sum(1 for left, right in given if key.get(left) == right)  # type: ignore[misc]
        return f"{hits} of {len(key)} matches right: {worth} (a share each)."

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """Each pair (both sides)."""
        return tuple(tuple(pair) for pair in question.answer)  # type: ignore[union-attr]

    moodle_types = ("match",)

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """Each subquestion a pair (left -> right; several may share a right, as in Moodle); one with an
        empty left adds a wrong option on the right."""
        pairs = [
            [texts(left), texts.plain_right(right)] for left, right in moodle.subquestions if left.strip()
        ]
        extra = []
        for left, right in moodle.subquestions:
            option = texts.plain_right(right)
            if not left.strip() and option and option not in extra and option not in (r for _, r in pairs):
                extra.append(option)
        return {"answer": pairs, "extra_options": extra}

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """Each pair a subquestion with its own answer text (a shared match written with each item), then
        each extra option with an empty left (Moodle's distractor); right-hand texts are plain in Moodle."""
        plain = html.unescape if question.format == "html" else str
        moodle.subquestions = [(left, plain(right)) for left, right in question.answer]  # type: ignore[misc, union-attr]
        moodle.subquestions += [("", plain(option)) for option in question.extra_options]


KIND = Matching()
