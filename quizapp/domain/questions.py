"""Question types, the shape of each type's answer, and the rules a question must follow."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from quizapp.domain import DomainError


class QuestionType(StrEnum):
    """The kinds of question quizapp can ask and score."""

    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    FILL_BLANK = "fill_blank"
    NUMERIC = "numeric"
    ORDERING = "ordering"
    MATCHING = "matching"


CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
BLANK = "___"
REQUIRED_FIELDS = ("id", "type", "prompt", "answer", "explanation", "source", "topics", "difficulty")
TYPE_LABELS = {
    QuestionType.SINGLE_CHOICE: "Single choice",
    QuestionType.MULTIPLE_CHOICE: "Multiple choice",
    QuestionType.TRUE_FALSE: "True or false",
    QuestionType.FILL_BLANK: "Fill in the blank",
    QuestionType.NUMERIC: "Number",
    QuestionType.ORDERING: "Put in order",
    QuestionType.MATCHING: "Matching",
}

Answer = str | bool | float | tuple[str, ...] | tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Question:
    """One question, as written by its author. `answer` has the shape of its type (see docs/question-format.md)."""

    id: str
    type: QuestionType
    prompt: str
    answer: Answer
    choices: tuple[str, ...] = ()
    explanation: str = ""
    source: str = ""
    topics: tuple[str, ...] = ()
    difficulty: int = 2
    tolerance: float = 0.0

    @property
    def items(self) -> tuple[str, ...]:
        """What the learner arranges or picks from: choices, the items to order, or the left column to match."""
        if self.type in CHOICE_TYPES:
            return self.choices
        if self.type is QuestionType.ORDERING:
            return tuple(self.answer)  # type: ignore[arg-type]
        if self.type is QuestionType.MATCHING:
            return tuple(left for left, _ in self.answer)  # type: ignore[misc]
        return ()

    @property
    def match_options(self) -> tuple[str, ...]:
        """The right-hand column of a matching question, in authored order."""
        if self.type is not QuestionType.MATCHING:
            return ()
        return tuple(right for _, right in self.answer)  # type: ignore[misc]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a question: where, what, and how to fix it."""

    question_id: str
    message: str
    hint: str = ""
    where: str = field(default="", compare=False)

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        qid = f"question '{self.question_id}'" if self.question_id else "file"
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{place}{qid}: {self.message}{hint}"


class InvalidQuestion(DomainError):
    """A question dict broke the rules; `problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _is_empty(value: Any) -> bool:
    """A field left out, or given only blanks (a prompt of spaces asks nothing)."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


def validate_question(raw: Mapping[str, Any]) -> list[Problem]:
    """Every problem of one question as read from a file (a dict); [] when it can be used."""
    qid = str(raw.get("id") or "")
    missing = [f for f in REQUIRED_FIELDS if _is_empty(raw.get(f))]
    if "answer" in missing and raw.get("answer") is False:
        missing.remove("answer")
    problems = [
        Problem(qid, f"missing field '{f}'", f"add '{f}:' to the question")
        if f not in raw
        else Problem(qid, f"'{f}' is empty", f"write the {f}")
        for f in missing
    ]
    try:
        qtype = QuestionType(raw.get("type"))
    except ValueError:
        if "type" not in missing:
            known = ", ".join(t.value for t in QuestionType)
            problems.append(Problem(qid, f"unknown type '{raw.get('type')}'", f"use one of: {known}"))
        return problems
    difficulty = raw.get("difficulty")
    if "difficulty" not in missing and difficulty not in (1, 2, 3):
        problems.append(Problem(qid, f"difficulty {difficulty!r} is not 1, 2 or 3", "1 easy, 2 medium, 3 hard"))
    topics = raw.get("topics")
    if "topics" not in missing and not (isinstance(topics, list) and all(isinstance(t, str) for t in topics)):
        problems.append(Problem(qid, "topics must be a list of words", "write topics: [chang-e-4, firsts]"))
    if "answer" not in missing:
        problems += _ANSWER_CHECKS[qtype](qid, raw)
    return problems


def _check_choices(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    choices = raw.get("choices")
    if not isinstance(choices, list) or not all(isinstance(c, str) and c.strip() for c in choices):
        return [Problem(qid, "choices must be a list of non-empty texts", "write choices: [A, B, C]")]
    problems = []
    if len(choices) < 3:
        problems.append(Problem(qid, f"only {len(choices)} choices", "give at least 3 choices"))
    dupes = sorted({c for c in choices if choices.count(c) > 1})
    if dupes:
        problems.append(Problem(qid, f"duplicate choice {dupes[0]!r}", "make every choice different"))
    return problems


def _check_single(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    problems = _check_choices(qid, raw)
    if not problems and raw["answer"] not in raw["choices"]:
        return [Problem(qid, f"answer {raw['answer']!r} is not among the choices", "copy one choice exactly")]
    return problems


def _check_multiple(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    problems = _check_choices(qid, raw)
    answer = raw["answer"]
    if not isinstance(answer, list) or not answer:
        return problems + [Problem(qid, "answer must be a list of the correct choices", "answer: [A, C]")]
    if problems:
        return problems
    stray = [a for a in answer if a not in raw["choices"]]
    if stray:
        return [Problem(qid, f"answer {stray[0]!r} is not among the choices", "copy each correct choice exactly")]
    if len(set(answer)) != len(answer):
        return [Problem(qid, "the answer lists a choice twice", "list each correct choice once")]
    return []


def _check_true_false(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    if isinstance(raw["answer"], bool):
        return []
    return [Problem(qid, f"answer {raw['answer']!r} is not true or false", "write answer: true or answer: false")]


def _check_fill_blank(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    problems = []
    if str(raw.get("prompt", "")).count(BLANK) != 1:
        problems.append(Problem(qid, f"the prompt must contain the blank {BLANK} exactly once", f"write {BLANK}"))
    answer = raw["answer"]
    if not isinstance(answer, list) or not all(isinstance(a, str | int | float) and str(a).strip() for a in answer):
        problems.append(Problem(qid, "answer must be a list of accepted texts", "answer: [Yutu-2, Yutu 2]"))
    return problems


def _check_numeric(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for name in ("answer", "tolerance"):
        value = raw.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(Problem(qid, f"{name} {value!r} is not a number", f"write {name}: 200"))
    if not problems and raw.get("tolerance", 0) < 0:
        problems.append(Problem(qid, "tolerance is negative", "use 0 or a positive number"))
    return problems


def _check_ordering(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    answer = raw["answer"]
    if not isinstance(answer, list) or not all(isinstance(a, str) and a.strip() for a in answer):
        return [Problem(qid, "answer must be the list of items in the right order", "answer: [first, second]")]
    if len(answer) < 3:
        return [Problem(qid, f"only {len(answer)} items to order", "give at least 3 items")]
    if len(set(answer)) != len(answer):
        return [Problem(qid, "an item appears twice", "make every item different")]
    return []


def _check_matching(qid: str, raw: Mapping[str, Any]) -> list[Problem]:
    answer = raw["answer"]
    shape_ok = isinstance(answer, list) and all(
        isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)
        for p in answer
    )
    if not shape_ok:
        return [Problem(qid, "answer must be a list of [left, right] pairs", "answer: [[Xi Jinping, CPC]]")]
    if len(answer) < 3:
        return [Problem(qid, f"only {len(answer)} pairs", "give at least 3 pairs")]
    for side, name in ((0, "left"), (1, "right")):
        values = [p[side] for p in answer]
        if len(set(values)) != len(values):
            return [Problem(qid, f"a {name}-hand item appears twice", "make every item on each side different")]
    return []


_ANSWER_CHECKS = {
    QuestionType.SINGLE_CHOICE: _check_single,
    QuestionType.MULTIPLE_CHOICE: _check_multiple,
    QuestionType.TRUE_FALSE: _check_true_false,
    QuestionType.FILL_BLANK: _check_fill_blank,
    QuestionType.NUMERIC: _check_numeric,
    QuestionType.ORDERING: _check_ordering,
    QuestionType.MATCHING: _check_matching,
}


def question_from_dict(raw: Mapping[str, Any]) -> Question:
    """Build a Question from its file/JSON form; raises InvalidQuestion listing every problem."""
    problems = validate_question(raw)
    if problems:
        raise InvalidQuestion(problems)
    qtype = QuestionType(raw["type"])
    answer: Answer
    if qtype is QuestionType.MATCHING:
        answer = tuple((str(a), str(b)) for a, b in raw["answer"])
    elif qtype is QuestionType.NUMERIC:
        answer = float(raw["answer"])
    elif qtype in (QuestionType.SINGLE_CHOICE, QuestionType.TRUE_FALSE):
        answer = raw["answer"]
    else:
        answer = tuple(str(a) for a in raw["answer"])
    return Question(
        id=str(raw["id"]),
        type=qtype,
        prompt=str(raw["prompt"]),
        answer=answer,
        choices=tuple(raw.get("choices") or ()) if qtype in CHOICE_TYPES else (),
        explanation=str(raw["explanation"]),
        source=str(raw["source"]),
        topics=tuple(raw["topics"]),
        difficulty=int(raw["difficulty"]),
        tolerance=float(raw.get("tolerance") or 0.0),
    )


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def question_to_dict(question: Question) -> dict[str, Any]:
    """The exchange (JSON) form of a question; question_from_dict reads it back unchanged."""
    answer: Any = question.answer
    if question.type is QuestionType.NUMERIC:
        answer = _plain_number(question.answer)  # type: ignore[arg-type]
    elif question.type is QuestionType.MATCHING:
        answer = [list(pair) for pair in question.answer]  # type: ignore[union-attr]
    elif isinstance(answer, tuple):
        answer = list(answer)
    out: dict[str, Any] = {
        "id": question.id,
        "type": question.type.value,
        "prompt": question.prompt,
        "choices": list(question.choices) if question.type in CHOICE_TYPES else None,
        "answer": answer,
        "explanation": question.explanation,
        "source": question.source,
        "topics": list(question.topics),
        "difficulty": question.difficulty,
    }
    if question.type is QuestionType.NUMERIC and question.tolerance:
        out["tolerance"] = _plain_number(question.tolerance)
    return out
