"""Number: a typed number within a tolerance of the answer; alternatives may earn part credit."""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Any

from quizapp.domain.answer_tokens import AnswerTokens
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


KIND = Numeric()
