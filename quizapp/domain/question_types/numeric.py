"""Number: a typed number within a tolerance of the answer; alternatives may earn part credit."""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.formats.model import MoodleAnswer, MoodleQuestion
from quizapp.domain.formats.moodle_rules import is_numeric, php_number
from quizapp.domain.question_types._moodle import FULL, MoodleTexts, NotMappable, Warnings
from quizapp.domain.question_types.base import (
    Clue,
    Form,
    QuestionKind,
    Raw,
    alternatives_problems,
    extra_options_problems,
    parse_number,
    typed_text,
)
from quizapp.domain.question_types.editing import (
    Draft,
    Values,
    number_field,
    number_text,
    percent_field,
    percent_text,
    rows_of,
    text_of,
)
from quizapp.domain.questions import Answer, Problem, Question, QuestionType

_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_TENS = {30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty", 90: "ninety"}


def plain_number(value: float) -> int | float:
    """200.0 as 200, 3.5 as 3.5."""
    return int(value) if float(value).is_integer() else value


def number_spellings(value: float) -> tuple[str, ...]:
    """The usual ways to write `value`: digits (1822, 3.5) and, for small whole numbers, words (four)."""
    if not float(value).is_integer():
        return (str(value),)
    whole = int(value)
    spelled = _NUMBER_WORDS[whole] if 0 <= whole <= 20 else _TENS.get(whole, "")
    return tuple(s for s in (str(whole), spelled) if s)


def _alternative(draft: Draft, i: int, row: Any) -> list[float | None]:
    """One row of other accepted numbers: [value, tolerance, weight], errors beside its fields."""
    value = number_field(draft, f"alternatives-{i}-value", text_of(row.get("value")))
    if value is None and not text_of(row.get("value")):
        draft.fail(f"alternatives-{i}-value", "Write the value, or clear this row.")
    margin = number_field(draft, f"alternatives-{i}-tolerance", text_of(row.get("tolerance")), 0.0)
    weight = (
        percent_field(draft, f"alternatives-{i}-weight", text_of(row.get("weight")), low=0)
        if text_of(row.get("weight"))
        else None
    )
    if not weight and not draft.errors.get(f"alternatives-{i}-weight"):
        draft.fail(f"alternatives-{i}-weight", "Give this value some credit: a percentage above 0.")
    return [value, margin, weight]


class Numeric(QuestionKind):
    name = QuestionType.NUMERIC
    label = "Number"
    typed = True
    editor_lists = MappingProxyType({"alternatives": ("value", "tolerance", "weight")})
    answer_field = "number"
    answer_missing = "Write the answer, a number."

    def check_answer(self, qid: str, raw: Raw, least: int) -> list[Problem]:
        problems = []
        for name in ("answer", "tolerance"):
            value = raw.get(name, 0)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                problems.append(Problem(qid, f"{name} {value!r} is not a number", f"write {name}: 200"))
        if not problems and raw.get("tolerance", 0) < 0:
            problems.append(Problem(qid, "tolerance is negative", "use 0 or a positive number"))
        return problems

    def check_fields(self, qid: str, raw: Raw) -> list[Problem]:
        return extra_options_problems(qid, raw, allowed=False) + alternatives_problems(qid, raw, allowed=True)

    def from_form(self, draft: Draft, values: Values) -> None:
        number = text_of(values.get("number"))
        if not number:
            draft.fail("number", self.answer_missing)
        draft.question["answer"] = number_field(draft, "number", number)
        tolerance = number_field(draft, "tolerance", text_of(values.get("tolerance")), 0.0)
        if tolerance is not None and tolerance < 0:
            draft.fail("tolerance", "The tolerance cannot be negative: use 0 or more.")
        draft.question["tolerance"] = tolerance
        alternatives = [_alternative(draft, i, row) for i, row in rows_of(values, "alternatives")]
        if alternatives:
            draft.question["alternatives"] = alternatives

    def to_form(self, content: Raw, values: dict[str, Any]) -> None:
        values["number"] = number_text(content.get("answer"))  # type: ignore[arg-type]
        values["tolerance"] = number_text(content.get("tolerance") or 0)
        values["alternatives"] = [
            {"value": number_text(v), "tolerance": number_text(t), "weight": percent_text(w)}
            for v, t, w in content.get("alternatives") or []
        ]

    def build_answer(self, raw: Raw) -> Answer:
        return float(raw["answer"])

    def answer_to_raw(self, question: Question) -> Any:
        return plain_number(question.answer)  # type: ignore[arg-type]

    def parse(self, question: Question, form: Form, tokens: AnswerTokens) -> Answer:
        return parse_number(typed_text(form))

    def form_values(self, question: Question, answer: Answer) -> dict[str, Any]:
        return {"text": f"{float(answer):g}"}  # type: ignore[arg-type]

    def in_words(self, question: Question, answer: Answer) -> str:
        return f"{float(answer):g}"  # type: ignore[arg-type]

    def key_in_words(self, question: Question) -> str:
        if question.tolerance:
            return f"{float(question.answer):g} (± {question.tolerance:g})"  # type: ignore[arg-type]
        return self.in_words(question, question.answer)

    def score(self, question: Question, given: Answer) -> float:
        """1 within the tolerance of the answer; else the best matching alternative's weight (Moodle's)."""
        value = float(given)  # type: ignore[arg-type]
        targets = [(float(question.answer), question.tolerance, 1.0), *question.alternatives]  # type: ignore[arg-type]
        return max([0.0] + [w for v, tol, w in targets if abs(value - v) <= tol + 1e-9])

    def answer_texts(self, question: Question) -> tuple[Clue, ...]:
        """Its value and the alternatives given full credit, in digits and words."""
        values = [question.answer, *(v for v, _, weight in question.alternatives if weight >= 1)]
        return tuple((s,) for v in values for s in number_spellings(v))  # type: ignore[arg-type]

    moodle_types = ("numerical",)

    def from_moodle(self, moodle: MoodleQuestion, texts: MoodleTexts, warnings: Warnings) -> dict[str, Any]:
        """The first 100 % answer with its tolerance; the other graded answers are alternatives. The answers
        as they arrived are kept when quizapp does not use them all (feedback, 0 %, '*')."""
        answers = [a for a in moodle.answers if a.text != "*" or a.fraction >= FULL]
        strange = [a.text for a in answers if a.text != "*" and not is_numeric(a.text)]
        if strange:
            raise NotMappable(f"'{strange[0]}' is not a number.", "Write each answer as a number, e.g. 3.14.")
        if any(a.text == "*" for a in answers):
            raise NotMappable(
                "This numerical question accepts any response ('*' at 100 %).",
                "Write the right number, e.g. {#3.14:0.01}.",
            )
        key = next((a for a in answers if a.fraction >= FULL), None)
        if key is None:
            raise NotMappable(
                "No answer of this numerical question is worth 100 %.",
                "Give the right number 100 % (e.g. {#=%100%3.14:0.01}).",
            )
        alternatives = [
            [float(a.text), a.tolerance or 0.0, a.fraction]
            for a in answers
            if a is not key and a.fraction > 0
        ]
        dropped = [a for a in moodle.answers if a is not key and a.fraction <= 0]
        numeric: dict[str, Any] = {
            "answer": plain_number(float(key.text)),
            "tolerance": plain_number(key.tolerance or 0.0),
            "alternatives": [[plain_number(value) for value in alternative] for alternative in alternatives],
        }
        if dropped or any(a.feedback.strip() for a in moodle.answers):
            warnings.append(
                (
                    "quizapp does not show feedback per number, nor use answers worth 0 % or the '*' answer "
                    "for any other number; they are kept and written back on export.",
                    "Put what learners should know in the general feedback (after ####).",
                )
            )
            numeric["moodle"] = {"answer": [_answer_dict(a) for a in moodle.answers]}
        return numeric

    def to_moodle(self, question: Question, moodle: MoodleQuestion) -> None:
        """The answers as they arrived (with feedback, 0 % answers and '*') while the key is unchanged, else
        the key and the alternatives."""
        kept = [
            MoodleAnswer(str(a["text"]), float(a["fraction"]), str(a["feedback"]), float(a["tolerance"]))
            for a in question.moodle.get("answer", ())
        ]
        key = (float(question.answer), question.tolerance, question.alternatives)  # type: ignore[arg-type]
        if kept and _numeric_key(kept) == key:
            moodle.answers = kept
            return
        moodle.answers = [MoodleAnswer(php_number(key[0]), 1.0, "", question.tolerance)]
        moodle.answers += [
            MoodleAnswer(php_number(value), weight, "", tolerance)
            for value, tolerance, weight in question.alternatives
        ]


def _answer_dict(answer: MoodleAnswer) -> dict[str, Any]:
    """A numerical answer as the question keeps it (JSON)."""
    return {
        "text": answer.text,
        "fraction": answer.fraction,
        "feedback": answer.feedback,
        "tolerance": answer.tolerance or 0.0,
    }


def _numeric_key(answers: list[MoodleAnswer]) -> tuple[float, float, tuple[tuple[float, float, float], ...]]:
    """(answer, tolerance, alternatives) quizapp takes from these numerical answers."""
    key = next(a for a in answers if a.fraction >= FULL and a.text != "*")
    others = tuple(
        (float(a.text), a.tolerance or 0.0, a.fraction)
        for a in answers
        if a is not key and a.fraction > 0 and a.text != "*"
    )
    return float(key.text), key.tolerance or 0.0, others


KIND = Numeric()
