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
    DESCRIPTION = "description"


SCORED_TYPES = tuple(t for t in QuestionType if t is not QuestionType.DESCRIPTION)
CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE})
BLANK = "___"
REQUIRED_FIELDS = ("id", "type", "prompt", "answer", "explanation", "source", "topics", "difficulty")
# Questions a teacher writes or imports need less: a source only when their set has a source text.
LENIENT_FIELDS = ("id", "type", "prompt", "answer")
# ... and take as few choices, pairs or items as Moodle does (the bank keeps 3), so Moodle's files import.
MOODLE_LEAST = 2
FORMATS = ("plain", "html")
TYPE_LABELS = {
    QuestionType.SINGLE_CHOICE: "Single choice",
    QuestionType.MULTIPLE_CHOICE: "Multiple choice",
    QuestionType.TRUE_FALSE: "True or false",
    QuestionType.FILL_BLANK: "Fill in the blank",
    QuestionType.NUMERIC: "Number",
    QuestionType.ORDERING: "Put in order",
    QuestionType.MATCHING: "Matching",
    QuestionType.DESCRIPTION: "Description (no answer)",
}

@dataclass(frozen=True)
class EmbeddedFile:
    """A file stored with a question (an image of its text), as Moodle's `<file>`: a name and base64 data."""

    name: str
    data: str  # base64
    path: str = "/"


Answer = str | bool | float | tuple[str, ...] | tuple[tuple[str, str], ...] | None


@dataclass(frozen=True)
class Question:
    """One question as its author wrote it; `answer` has its type's shape (docs/question-format.md)."""

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
    title: str = ""
    format: str = "plain"
    feedback: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    extra_options: tuple[str, ...] = ()
    alternatives: tuple[tuple[float, float, float], ...] = ()
    case_sensitive: bool = False  # typed answers compared with their case (Moodle's usecase)
    category: str = ""  # the category path the question came from, "/"-separated (Moodle's tree)
    files: tuple[EmbeddedFile, ...] = ()  # files the texts link to as @@PLUGINFILE@@/<name>
    # What an imported question arrived with that quizapp does not use itself, kept to write back on export
    # (Moodle's fields by their XML names). Not part of the hash: questions are cached by value.
    moodle: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def scored(self) -> bool:
        """Whether the question asks for an answer (a description does not)."""
        return self.type is not QuestionType.DESCRIPTION

    @property
    def items(self) -> tuple[str, ...]:
        """What the learner picks from or arranges: choices, items to order, or the left column to match."""
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
        return tuple(right for _, right in self.answer) + self.extra_options  # type: ignore[misc]


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


def _required(raw: Mapping[str, Any], strict: bool) -> tuple[str, ...]:
    fields = REQUIRED_FIELDS if strict else LENIENT_FIELDS
    if raw.get("type") == QuestionType.DESCRIPTION:
        return tuple(f for f in fields if f != "answer")
    return fields


def validate_question(raw: Mapping[str, Any], strict: bool = True) -> list[Problem]:
    """Every problem of one question as read from a file (a dict); [] when it can be used.

    `strict` (the built-in bank) requires an explanation, a source, topics and a difficulty on every
    question; teachers' sets only require what a question needs to be asked and scored.
    """
    qid = str(raw.get("id") or "")
    missing = [f for f in _required(raw, strict) if _is_empty(raw.get(f))]
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
    if "difficulty" not in missing and difficulty is not None and difficulty not in (1, 2, 3):
        problems.append(
            Problem(qid, f"difficulty {difficulty!r} is not 1, 2 or 3", "1 easy, 2 medium, 3 hard")
        )
    topics = raw.get("topics")
    if (
        "topics" not in missing
        and topics is not None
        and not (isinstance(topics, list) and all(isinstance(t, str) for t in topics))
    ):
        problems.append(Problem(qid, "topics must be a list of words", "write topics: [chang-e-4, firsts]"))
    if "answer" not in missing and qtype is not QuestionType.DESCRIPTION:
        problems += _ANSWER_CHECKS[qtype](qid, raw, 3 if strict else MOODLE_LEAST)
    if not problems:
        problems += _check_extras(qid, qtype, raw)
    if not problems:
        from quizapp.domain.question_extras import check_kept_fields  # noqa: PLC0415 - it imports Problem

        problems += check_kept_fields(qid, raw)
    return problems


def _numbers(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value
    )


def _check_extras(qid: str, qtype: QuestionType, raw: Mapping[str, Any]) -> list[Problem]:
    """Optional fields: format, per-item feedback and weights, matching distractors, numeric alternatives."""
    problems = []
    if raw.get("format", "plain") not in FORMATS:
        problems.append(Problem(qid, f"format {raw.get('format')!r} is not plain or html", "format: html"))
    aligned = _aligned_count(qtype, raw)
    feedback = raw.get("feedback")
    if feedback not in (None, []) and (
        not isinstance(feedback, list)
        or len(feedback) != aligned
        or not all(isinstance(f, str) for f in feedback)
    ):
        problems.append(
            Problem(
                qid,
                f"feedback must be a list of {aligned} texts, one per answer",
                "give one feedback text per choice (or accepted answer), '' for none",
            )
        )
    weights = raw.get("weights")
    if weights not in (None, []):
        problems += _check_weights(qid, qtype, raw, weights, aligned)
    extra = raw.get("extra_options")
    if extra not in (None, []) and (
        qtype is not QuestionType.MATCHING
        or not isinstance(extra, list)
        or not all(isinstance(e, str) and e.strip() for e in extra)
        or set(extra) & {p[1] for p in raw["answer"]}
        or len(set(extra)) != len(extra)
    ):
        problems.append(
            Problem(
                qid,
                "extra_options must be new right-hand texts of a matching question",
                "list distractors that differ from every right-hand item",
            )
        )
    alternatives = raw.get("alternatives")
    if alternatives not in (None, []) and (
        qtype is not QuestionType.NUMERIC
        or not isinstance(alternatives, list)
        or not all(_numbers(a) and len(a) == 3 and a[1] >= 0 and 0 < a[2] <= 1 for a in alternatives)
    ):
        problems.append(
            Problem(
                qid,
                "alternatives must be [value, tolerance, weight] triples (numeric only)",
                "weight between 0 and 1, e.g. [1822, 2, 0.5]",
            )
        )
    return problems


def _aligned_count(qtype: QuestionType, raw: Mapping[str, Any]) -> int:
    """How many feedback texts or weights a question takes: one per choice, accepted answer, or True/False."""
    if qtype in CHOICE_TYPES:
        return len(raw.get("choices") or [])
    if qtype is QuestionType.FILL_BLANK:
        return len(raw.get("answer") or [])
    return 2 if qtype is QuestionType.TRUE_FALSE else 0


def _check_weights(
    qid: str, qtype: QuestionType, raw: Mapping[str, Any], weights: Any, aligned: int
) -> list[Problem]:
    """Weights follow Moodle's rules: between -1 and 1; the full-credit answers are the key."""
    if qtype not in (*CHOICE_TYPES, QuestionType.FILL_BLANK):
        return [Problem(qid, "weights only apply to choice and fill-in questions", "remove 'weights'")]
    if not _numbers(weights) or len(weights) != aligned or not all(-1 <= w <= 1 for w in weights):
        return [
            Problem(
                qid,
                f"weights must be {aligned} numbers between -1 and 1, one per answer",
                "e.g. weights: [1, 0.5, 0, -0.5]",
            )
        ]
    if qtype is QuestionType.MULTIPLE_CHOICE:
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
    index = raw["choices"].index(raw["answer"]) if qtype is QuestionType.SINGLE_CHOICE else 0
    if abs(weights[index] - 1) > 1e-6 or max(weights) > 1:
        what = "the answer" if qtype is QuestionType.SINGLE_CHOICE else "the first accepted answer"
        return [Problem(qid, f"{what} must have weight 1 (full credit)", "set its weight to 1")]
    return []


def _check_choices(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
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


def _check_single(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
    problems = _check_choices(qid, raw, least)
    if not problems and raw["answer"] not in raw["choices"]:
        return [Problem(qid, f"answer {raw['answer']!r} is not among the choices", "copy one choice exactly")]
    return problems


def _check_multiple(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
    problems = _check_choices(qid, raw, least)
    answer = raw["answer"]
    if not isinstance(answer, list) or not answer:
        return problems + [Problem(qid, "answer must be a list of the correct choices", "answer: [A, C]")]
    if problems:
        return problems
    stray = [a for a in answer if a not in raw["choices"]]
    if stray:
        return [
            Problem(qid, f"answer {stray[0]!r} is not among the choices", "copy each correct choice exactly")
        ]
    if len(set(answer)) != len(answer):
        return [Problem(qid, "the answer lists a choice twice", "list each correct choice once")]
    return []


def _check_true_false(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
    if isinstance(raw["answer"], bool):
        return []
    return [
        Problem(qid, f"answer {raw['answer']!r} is not true or false", "write answer: true or answer: false")
    ]


def _check_fill_blank(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
    problems = []
    if str(raw.get("prompt", "")).count(BLANK) != 1:
        problems.append(
            Problem(qid, f"the prompt must contain the blank {BLANK} exactly once", f"write {BLANK}")
        )
    answer = raw["answer"]
    if not isinstance(answer, list) or not all(
        isinstance(a, str | int | float) and str(a).strip() for a in answer
    ):
        problems.append(Problem(qid, "answer must be a list of accepted texts", "answer: [Yutu-2, Yutu 2]"))
    return problems


def _check_numeric(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
    problems = []
    for name in ("answer", "tolerance"):
        value = raw.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(Problem(qid, f"{name} {value!r} is not a number", f"write {name}: 200"))
    if not problems and raw.get("tolerance", 0) < 0:
        problems.append(Problem(qid, "tolerance is negative", "use 0 or a positive number"))
    return problems


def _check_ordering(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
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


def _check_matching(qid: str, raw: Mapping[str, Any], least: int = 3) -> list[Problem]:
    answer = raw["answer"]
    shape_ok = isinstance(answer, list) and all(
        isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)
        for p in answer
    )
    if not shape_ok:
        return [Problem(qid, "answer must be a list of [left, right] pairs", "answer: [[Xi Jinping, CPC]]")]
    if len(answer) < least:
        return [Problem(qid, f"only {len(answer)} pairs", f"give at least {least} pairs")]
    for side, name in ((0, "left"), (1, "right")):
        values = [p[side] for p in answer]
        if len(set(values)) != len(values):
            return [
                Problem(qid, f"a {name}-hand item appears twice", "make every item on each side different")
            ]
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


def question_from_dict(raw: Mapping[str, Any], strict: bool = True) -> Question:
    """Build a Question from its file/JSON form; raises InvalidQuestion listing every problem."""
    problems = validate_question(raw, strict)
    if problems:
        raise InvalidQuestion(problems)
    qtype = QuestionType(raw["type"])
    answer: Answer
    if qtype is QuestionType.DESCRIPTION:
        answer = None
    elif qtype is QuestionType.MATCHING:
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
        explanation=str(raw.get("explanation") or ""),
        source=str(raw.get("source") or ""),
        topics=tuple(raw.get("topics") or ()),
        difficulty=int(raw.get("difficulty") or 2),
        tolerance=float(raw.get("tolerance") or 0.0),
        title=str(raw.get("title") or ""),
        format=str(raw.get("format") or "plain"),
        feedback=tuple(raw.get("feedback") or ()),
        weights=tuple(float(w) for w in raw.get("weights") or ()),
        extra_options=tuple(raw.get("extra_options") or ()),
        alternatives=tuple((float(v), float(t), float(w)) for v, t, w in raw.get("alternatives") or ()),
        case_sensitive=bool(raw.get("case_sensitive")),
        category=str(raw.get("category") or ""),
        files=tuple(
            EmbeddedFile(str(f["name"]), str(f["data"]), str(f.get("path") or "/")) for f in raw.get("files") or ()
        ),
        moodle=dict(raw.get("moodle") or {}),
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
    optional = {
        "title": question.title,
        "format": question.format if question.format != "plain" else "",
        "feedback": list(question.feedback),
        "weights": [_plain_number(w) for w in question.weights],
        "extra_options": list(question.extra_options),
        "alternatives": [[_plain_number(x) for x in a] for a in question.alternatives],
        "case_sensitive": question.case_sensitive,
        "category": question.category,
        "files": [{"name": f.name, "data": f.data, "path": f.path} for f in question.files],
        "moodle": dict(question.moodle),
    }
    out.update({key: value for key, value in optional.items() if value})
    return out
