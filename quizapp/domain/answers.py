"""A learner's answer: read from submitted form fields, stored as JSON, and shown back in words.

Form fields (what templates/attempts/_answer.html renders), named and valued by the slot's opaque tokens
(domain/answer_tokens.py), never by authored indexes, so the page says nothing about the key:
- `answer`: a choice's token (single choice), several (multiple choice), `true`/`false`, or typed text;
- `position-<item token>`: the position (1..n) given to an item (ordering);
- `match-<item token>`: the token of the option chosen for a left item (matching).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from quizapp.domain import DomainError
from quizapp.domain.answer_tokens import AnswerTokens
from quizapp.domain.questions import Answer, Question, QuestionType

MAX_TEXT = 200
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")

Form = Mapping[str, Sequence[str]]


class InvalidAnswer(DomainError):
    """The submitted fields are not a possible answer to the question; the message says what to do."""


class NoAnswer(DomainError):
    """Nothing was answered (the learner skipped the question)."""


def _chosen(index: int | None) -> int:
    if index is None:
        raise InvalidAnswer("That choice is not one of this question's options.")
    return index


def _single(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    values = form.get("answer") or []
    if not values:
        raise NoAnswer()
    if len(values) > 1:
        raise InvalidAnswer("Choose one answer only.")
    return question.choices[_chosen(tokens.item_index(values[0]))]


def _multiple(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    values = form.get("answer") or []
    if not values:
        raise NoAnswer()
    indexes = sorted({_chosen(tokens.item_index(v)) for v in values})
    return tuple(question.choices[i] for i in indexes)


def _true_false(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    values = form.get("answer") or []
    if not values:
        raise NoAnswer()
    if len(values) > 1 or values[0] not in ("true", "false"):
        raise InvalidAnswer("Choose True or False.")
    return values[0] == "true"


def _typed(form: Form) -> str:
    values = form.get("answer") or []
    if len(values) > 1:
        raise InvalidAnswer("Give one answer only.")
    text = values[0].strip() if values else ""
    if not text:
        raise NoAnswer()
    if len(text) > MAX_TEXT:
        raise InvalidAnswer(f"Keep the answer under {MAX_TEXT} characters.")
    return text


def parse_number(text: str) -> float:
    """Read a typed number: `200`, `-3.5`, `3,5` (decimal comma), `1,000` (thousands); else InvalidAnswer."""
    compact = re.sub(r"[\s\u202f\u00a0]", "", text)
    if _THOUSANDS.match(compact):
        return float(compact.replace(",", ""))
    if _NUMBER.match(compact):
        return float(compact.replace(",", "."))
    raise InvalidAnswer(f"“{text}” is not a number. Type digits only, like 200 or 3.5.")


def _numeric(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    return parse_number(_typed(form))


def _fill_blank(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    return _typed(form)


def _ordering(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    items = question.items
    raw = [(form.get(f"position-{t}") or [""])[0] for t in tokens.items]
    if not any(raw):
        raise NoAnswer()
    if not all(v.isascii() and v.isdigit() and 1 <= int(v) <= len(items) for v in raw):
        raise InvalidAnswer(f"Give every item a position from 1 to {len(items)}.")
    if len(set(raw)) != len(raw):
        raise InvalidAnswer("Two items have the same position: give each item a different one.")
    return tuple(item for _, item in sorted(zip((int(v) for v in raw), items, strict=True)))


def _matching(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    lefts, options = question.items, question.match_options
    raw = [(form.get(f"match-{t}") or [""])[0] for t in tokens.items]
    if not any(raw):
        raise NoAnswer()
    if not all(raw):
        raise InvalidAnswer("Choose a match for every item.")
    return tuple((left, options[_chosen(tokens.option_index(v))]) for left, v in zip(lefts, raw, strict=True))


def _description(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    raise NoAnswer()


_PARSERS: dict[QuestionType, Callable[[Question, Form, AnswerTokens], Answer]] = {
    QuestionType.DESCRIPTION: _description,
    QuestionType.SINGLE_CHOICE: _single,
    QuestionType.MULTIPLE_CHOICE: _multiple,
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.FILL_BLANK: _fill_blank,
    QuestionType.NUMERIC: _numeric,
    QuestionType.ORDERING: _ordering,
    QuestionType.MATCHING: _matching,
}


def parse_answer(question: Question, form: Form, tokens: AnswerTokens) -> Answer:
    """The answer the form fields give, read through the slot's `tokens`; NoAnswer when left empty,
    InvalidAnswer when impossible (an unknown token included)."""
    return _PARSERS[question.type](question, form, tokens)


def answer_to_json(answer: Answer) -> Any:
    """A JSON-storable form of an answer."""
    if isinstance(answer, tuple):
        return [list(a) if isinstance(a, tuple) else a for a in answer]
    return answer


def answer_from_json(question: Question, stored: Any) -> Answer:
    """The answer back from its stored JSON form, shaped for `question`'s type."""
    if question.type is QuestionType.MATCHING:
        return tuple((str(a), str(b)) for a, b in stored)
    if isinstance(stored, list):
        return tuple(stored)
    return stored


def form_values(question: Question, answer: Answer | None) -> dict[str, Any]:
    """What a form shows as already chosen for `answer` (to pre-fill a revisited question)."""
    if answer is None:
        return {}
    if question.type is QuestionType.ORDERING:
        return {"positions": {item: n for n, item in enumerate(answer, start=1)}}  # type: ignore[arg-type]
    if question.type is QuestionType.MATCHING:
        return {"matches": dict(answer)}  # type: ignore[arg-type]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return {"selected": set(answer)}  # type: ignore[arg-type]
    if question.type is QuestionType.NUMERIC:
        return {"text": f"{float(answer):g}"}  # type: ignore[arg-type]
    return {"selected": {answer}, "text": str(answer)}


def answer_in_words(question: Question, answer: Answer | None) -> str:
    """An answer as a sentence fragment a learner reads on the results page."""
    if answer is None:
        return "No answer"
    if question.type is QuestionType.TRUE_FALSE:
        return "True" if answer else "False"
    if question.type is QuestionType.NUMERIC:
        return f"{float(answer):g}"  # type: ignore[arg-type]
    if question.type is QuestionType.ORDERING:
        return " → ".join(answer)  # type: ignore[arg-type]
    if question.type is QuestionType.MATCHING:
        return "; ".join(f"{a} → {b}" for a, b in answer)  # type: ignore[misc]
    if question.type is QuestionType.MULTIPLE_CHOICE:
        return "; ".join(answer)  # type: ignore[arg-type]
    return str(answer)


def correct_answer_in_words(question: Question) -> str:
    """The key, in words; for fill-in answers the first accepted spelling."""
    if not question.scored:
        return "No answer needed"
    if question.type is QuestionType.FILL_BLANK:
        return question.answer[0]  # type: ignore[index]
    if question.type is QuestionType.NUMERIC and question.tolerance:
        return f"{float(question.answer):g} (± {question.tolerance:g})"  # type: ignore[arg-type]
    return answer_in_words(question, question.answer)
